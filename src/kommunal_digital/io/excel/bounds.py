"""How much of a workbook is read: the limits, and the sheets that keep to them.

A workbook says in each sheet how big the sheet is (its *dimension*), and
openpyxl reads every row and column up to it. A 28 KB file can claim
``A1:XFD1048576`` and so make a reader build seventeen billion cells. Here
nothing trusts that claim:

- Before openpyxl opens the file, the zip is checked
  (:mod:`kommunal_digital.io.zipguard`) and the table of shared texts
  counted (:data:`MAX_TEXTS`).
- After it has opened the file (read-only, streaming), every sheet's XML
  is scanned once for the cells that hold a value: the *used range* runs
  from ``A1`` to the last row and the last column holding one. A value
  beyond :data:`MAX_ROWS` rows or :data:`MAX_COLUMNS` columns, or a used
  range of more than :data:`MAX_CELLS` cells, is reported with its cell
  before a single row is read.
- The sheets are then read through :class:`BoundedBook`, which asks
  openpyxl for the used range only and refuses a text longer than
  :data:`MAX_CELL_CHARS` characters, naming its cell.

Workshop workbooks are far inside these limits: a large strategy has a
few hundred measures in about 40 columns, and the hidden data of its
profiles, roadmap and organigram take a few hundred thousand characters.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from kommunal_digital.io.excel.layout import letter
from kommunal_digital.io.excel.problems import WorkbookError, WorkbookProblem

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

__all__ = [
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_HIDDEN_CHARS",
    "MAX_ROWS",
    "MAX_TEXTS",
    "BoundedBook",
    "BoundedSheet",
    "SheetSize",
    "count_texts",
    "measure_sheets",
]

#: Rows a sheet may use (header included). Dropdowns cover 1,000 rows; a
#: strategy with more than a few hundred measures is unheard of.
MAX_ROWS = 20_000
#: Columns a sheet may use: ``Maßnahmen`` has about 40, plus one per criterion.
MAX_COLUMNS = 200
#: Cells a sheet's used range may span (rows × columns, empty cells included).
MAX_CELLS = 1_000_000
#: Characters a cell may hold: Excel's own limit.
MAX_CELL_CHARS = 32_767
#: Distinct texts a workbook may hold (its table of shared strings), which
#: openpyxl loads as a whole when it opens the file.
MAX_TEXTS = 1_000_000
#: Characters of the hidden data (``_daten``), before they are parsed as JSON.
MAX_HIDDEN_CHARS = 5_000_000

_MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


def _german(number: int) -> str:
    return f"{number:,}".replace(",", ".")


@attrs.frozen
class SheetSize:
    """The used range of a sheet: ``A1`` to the last row and column holding a value.

    Attributes:
        rows: The last row holding a value (0: the sheet is empty).
        columns: The last column holding a value (0: the sheet is empty).
    """

    rows: int
    columns: int


def _parser_options() -> dict[str, Any]:
    # No DTD, no entities, no network: the zip check refuses DOCTYPEs already.
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def _drop(element: Any) -> None:
    """Free a parsed element and the siblings before it (streaming parse)."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def count_texts(file: Path) -> WorkbookProblem | None:
    """Count the workbook's shared texts, as openpyxl finds them; report too many.

    Returns:
        The problem, or ``None`` when the count is within :data:`MAX_TEXTS`
        (or the file has no such table, or is broken: openpyxl then says so).
    """
    from lxml import etree  # lazy: lxml is heavy

    with zipfile.ZipFile(file) as archive:
        try:
            types = etree.fromstring(
                archive.read("[Content_Types].xml"), etree.XMLParser(**_parser_options())
            )
        except (KeyError, etree.LxmlError):
            return None
        parts = [
            str(node.get("PartName", ""))
            for node in types.iter(f"{{{_CONTENT_TYPES}}}Override")
            if node.get("ContentType") == _SHARED_STRINGS
        ]
        if not parts or parts[0][1:] not in archive.namelist():
            return None
        count = 0
        with archive.open(parts[0][1:]) as stream:
            try:
                for _, element in etree.iterparse(
                    stream, tag=[f"{{{ns}}}si" for ns in _MAIN], **_parser_options()
                ):
                    count += 1
                    if count > MAX_TEXTS:
                        return WorkbookProblem(
                            None,
                            None,
                            f"die Arbeitsmappe enthält mehr als {_german(MAX_TEXTS)} "
                            "verschiedene Texte",
                        )
                    _drop(element)
            except etree.LxmlError:
                return None
    return None


def measure_sheets(
    file: Path, book: Workbook
) -> tuple[dict[str, SheetSize], list[WorkbookProblem]]:
    """Find the used range of every worksheet; report those beyond the limits.

    Args:
        file: The workbook file.
        book: The workbook, opened read-only.

    Returns:
        The size of every worksheet that keeps to the limits, by title, and
        the problems (one per sheet at most).
    """
    sizes: dict[str, SheetSize] = {}
    problems: list[WorkbookProblem] = []
    with zipfile.ZipFile(file) as archive:
        for sheet in book.worksheets:
            # openpyxl's own record of the sheet's part, so that the scan reads
            # exactly the XML openpyxl will read.
            part = getattr(sheet, "_worksheet_path", None)
            if not isinstance(part, str) or part not in archive.namelist():
                problems.append(WorkbookProblem(sheet.title, None, "das Blatt ist nicht lesbar"))
                continue
            with archive.open(part) as stream:
                size, problem = _measure(stream, sheet.title)
            if problem is None:
                sizes[sheet.title] = size
            else:
                problems.append(problem)
    return sizes, problems


def _measure(stream: Any, title: str) -> tuple[SheetSize, WorkbookProblem | None]:
    from lxml import etree  # lazy: lxml is heavy

    rows = columns = 0
    row = column = 0
    tags = [f"{{{ns}}}{name}" for ns in _MAIN for name in ("row", "c")]
    try:
        for event, element in etree.iterparse(
            stream, events=("start", "end"), tag=tags, **_parser_options()
        ):
            if element.tag.endswith("}row"):
                if event == "start":
                    number = element.get("r")
                    row = int(number) if number and number.isdigit() else row + 1
                    column = 0
                else:
                    _drop(element)
                continue
            if event == "start":
                continue
            ref = element.get("r")
            if ref is None:
                column += 1
            else:
                match = _REF.fullmatch(ref)
                if match is None:
                    return SheetSize(0, 0), WorkbookProblem(
                        title, None, f"ungültiger Zellbezug {ref[:20]!r}"
                    )
                column = _column_number(match.group(1))
                row = int(match.group(2))
            if not _holds_value(element):
                continue
            cell = f"{letter(column)}{row}"
            if row > MAX_ROWS or column > MAX_COLUMNS:
                return SheetSize(0, 0), WorkbookProblem(
                    title,
                    cell,
                    f"liegt außerhalb des erlaubten Bereichs A1:{letter(MAX_COLUMNS)}{MAX_ROWS} "
                    f"(ein Blatt hat höchstens {_german(MAX_ROWS)} Zeilen und "
                    f"{MAX_COLUMNS} Spalten)",
                )
            rows, columns = max(rows, row), max(columns, column)
            if rows * columns > MAX_CELLS:
                return SheetSize(0, 0), WorkbookProblem(
                    title,
                    cell,
                    f"der benutzte Bereich A1:{letter(columns)}{rows} umfasst "
                    f"{_german(rows * columns)} Zellen, erlaubt sind höchstens "
                    f"{_german(MAX_CELLS)}",
                )
    except etree.LxmlError:
        return SheetSize(0, 0), WorkbookProblem(title, None, "das Blatt ist nicht lesbar")
    return SheetSize(rows, columns), None


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _holds_value(cell: Any) -> bool:
    """Whether a ``<c>`` element holds a value (openpyxl reads ``None`` otherwise)."""
    for child in cell:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag.endswith("}is") or (tag.endswith("}v") and child.text):
            return True
    return False


class BoundedSheet:
    """A worksheet that is read within its used range only.

    Args:
        sheet: The openpyxl worksheet (read-only).
        size: Its used range, from :func:`measure_sheets`.
        source: The workbook's file name, for errors.
    """

    def __init__(self, sheet: Any, size: SheetSize, source: str) -> None:
        self._sheet = sheet
        self.size = size
        self.source = source
        self.title: str = sheet.title

    def iter_rows(
        self, min_row: int = 1, max_row: int | None = None, max_col: int | None = None
    ) -> Iterator[tuple[object, ...]]:
        """The values of rows ``min_row`` to ``max_row``, columns 1 to ``max_col``.

        Both ends are cut to the used range; a row has as many values as
        the used range has columns (or ``max_col``, if fewer).

        Raises:
            WorkbookError: A cell holds more than :data:`MAX_CELL_CHARS`
                characters, or openpyxl cannot read a row.
        """
        last_row = self.size.rows if max_row is None else min(max_row, self.size.rows)
        last_column = self.size.columns if max_col is None else min(max_col, self.size.columns)
        if min_row > last_row or last_column < 1:
            return
        rows = self._sheet.iter_rows(
            min_row=min_row, max_row=last_row, max_col=last_column, values_only=True
        )
        try:
            yield from self._checked(rows, min_row)
        finally:
            # Closes the sheet's stream inside the zip even when reading stops early.
            rows.close()

    def _checked(self, rows: Any, number: int) -> Iterator[tuple[object, ...]]:
        while True:
            try:
                with warnings.catch_warnings():
                    # openpyxl warns about values it cannot read and features it drops.
                    warnings.simplefilter("ignore")
                    cells = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # any failure inside openpyxl: a damaged sheet
                raise WorkbookError(
                    self.source,
                    [WorkbookProblem(self.title, f"A{number}", f"nicht lesbar ({exc})")],
                ) from None
            for index, value in enumerate(cells, start=1):
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise WorkbookError(
                        self.source,
                        [
                            WorkbookProblem(
                                self.title,
                                f"{letter(index)}{number}",
                                f"die Zelle enthält {_german(len(value))} Zeichen, erlaubt "
                                f"sind höchstens {_german(MAX_CELL_CHARS)}",
                            )
                        ],
                    )
            yield tuple(cells)
            number += 1


class BoundedBook:
    """A workbook whose sheets are read within their used ranges.

    Args:
        book: The openpyxl workbook (read-only).
        sizes: The used range of every worksheet, from :func:`measure_sheets`.
        source: The workbook's file name, for errors.
    """

    def __init__(self, book: Workbook, sizes: dict[str, SheetSize], source: str) -> None:
        self._book = book
        self._sizes = sizes
        self.source = source
        self.sheetnames: list[str] = list(book.sheetnames)

    def __contains__(self, name: str) -> bool:
        return name in self.sheetnames

    def __getitem__(self, name: str) -> BoundedSheet:
        # A chart sheet, or a sheet without a measured size, holds no values.
        size = self._sizes.get(name, SheetSize(0, 0))
        return BoundedSheet(self._book[name], size, self.source)
