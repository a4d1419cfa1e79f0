"""Reading the sheets of a workbook into rows of checked values.

First the shape is checked (sheets, header columns, the rows of
``Kommune``); a workbook of the wrong shape is reported without looking at
its cells. Then every cell is read by its column's kind.
"""

from __future__ import annotations

import json
from typing import Any

import attrs

from kommunal_digital.io.excel import bounds, layout
from kommunal_digital.io.excel.bounds import BoundedBook, BoundedSheet
from kommunal_digital.io.excel.cells import CellError, is_empty, read_cell
from kommunal_digital.io.excel.layout import Column
from kommunal_digital.io.excel.problems import WorkbookProblem
from kommunal_digital.model.checks import is_key

__all__ = [
    "Problems",
    "Row",
    "Shape",
    "check_shape",
    "missing_hidden_data",
    "read_data_sheet",
    "read_form",
    "read_kommune",
    "read_rows",
]


@attrs.define
class Row:
    """One row of a sheet with its checked values.

    Attributes:
        sheet: The sheet.
        number: The row number (1-based, as Excel shows it).
        values: Values of the non-empty, valid cells, by column path.
        refs: Cell of every column present, by column path (``"D7"``).
    """

    sheet: str
    number: int
    values: dict[str, Any]
    refs: dict[str, str]

    def ref(self, path: str) -> str:
        """Return the cell holding ``path``, or the row's first cell."""
        return self.refs.get(path, f"A{self.number}")


@attrs.define
class Problems:
    """The problems found so far, and which rows have one."""

    found: list[WorkbookProblem] = attrs.Factory(list)
    rows: set[tuple[str, int]] = attrs.Factory(set)

    def add(self, sheet: str | None, cell: str | None, message: str) -> None:
        """Record a problem; ``cell`` like ``"D7"``."""
        self.found.append(WorkbookProblem(sheet, cell, message))
        if sheet is not None and cell is not None:
            self.rows.add((sheet, _row_of(cell)))

    def at(self, row: Row, path: str, message: str) -> None:
        """Record a problem in the cell of ``path`` in ``row``."""
        self.add(row.sheet, row.ref(path), message)


def _row_of(cell: str) -> int:
    return int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


@attrs.define
class Shape:
    """Where things are: the columns of each table, the rows of ``Kommune``."""

    columns: dict[str, list[tuple[int, Column]]] = attrs.Factory(dict)
    kommune: list[tuple[int, Column]] = attrs.Factory(list)
    forms: dict[str, list[tuple[int, Column]]] = attrs.Factory(dict)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def check_shape(book: BoundedBook, problems: Problems) -> Shape:
    """Check sheets and headers; record every problem; return where things are."""
    shape = Shape()
    names = book.sheetnames
    known = (*layout.VISIBLE_SHEETS, layout.LISTEN, layout.DATEN)
    for name in names:
        if name not in known:
            expected = ", ".join(layout.VISIBLE_SHEETS)
            problems.add(name, None, f"unbekanntes Blatt (erwartet werden: {expected})")
    for name in layout.REQUIRED_SHEETS:
        if name not in names:
            problems.add(name, None, "das Blatt fehlt")
    for form in layout.FORMS:
        if form.name in names:
            shape.forms[form.name] = _form_rows(book[form.name], form.rows, problems)
    shape.kommune = shape.forms.get(layout.KOMMUNE, [])
    for table in layout.TABLES:
        if table.name in names:
            shape.columns[table.name] = _table_columns(book[table.name], table, problems)
    return shape


def _form_rows(
    sheet: BoundedSheet, rows: tuple[Column, ...], problems: Problems
) -> list[tuple[int, Column]]:
    by_label = {column.header.casefold(): column for column in rows}
    found: list[tuple[int, Column]] = []
    seen: dict[str, int] = {}
    for number, (label, *_) in enumerate(sheet.iter_rows(min_row=2, max_col=1), start=2):
        text = _text(label)
        if not text:
            continue
        column = by_label.get(text.casefold())
        if column is None:
            allowed = ", ".join(c.header for c in rows)
            problems.add(sheet.title, f"A{number}", f"unbekannte Angabe {text!r} ({allowed})")
        elif column.path in seen:
            problems.add(
                sheet.title,
                f"A{number}",
                f"{text!r} steht doppelt (schon in Zeile {seen[column.path]})",
            )
        else:
            seen[column.path] = number
            found.append((number, column))
    for column in rows:
        if column.required and column.path not in seen:
            problems.add(sheet.title, None, f"die Zeile {column.header!r} fehlt")
    return found


def _table_columns(
    sheet: BoundedSheet, table: layout.Table, problems: Problems
) -> list[tuple[int, Column]]:
    by_header = {column.header.casefold(): column for column in table.columns}
    found: list[tuple[int, Column]] = []
    seen: dict[str, str] = {}
    headers = next(sheet.iter_rows(min_row=1, max_row=1), ())
    for number, value in enumerate(headers, start=1):
        text = _text(value)
        if not text:
            continue
        cell = f"{layout.letter(number)}1"
        column = by_header.get(text.casefold())
        if (
            column is None
            and table.name == layout.MASSNAHMEN
            and text.startswith(layout.SCORE_PREFIX)
        ):
            criterion = text.removeprefix(layout.SCORE_PREFIX).strip()
            if not is_key(criterion):
                problems.add(
                    sheet.title, cell, f"{criterion!r} ist kein gültiger Schlüssel eines Kriteriums"
                )
                continue
            column = layout.score_column(criterion)
        if column is None:
            problems.add(sheet.title, cell, f"unbekannte Spalte {text!r}")
        elif column.path in seen:
            problems.add(
                sheet.title,
                cell,
                f"die Spalte {text!r} steht doppelt (schon in {seen[column.path]})",
            )
        else:
            seen[column.path] = cell
            found.append((number, column))
    for column in table.columns:
        if column.required and column.path not in seen:
            problems.add(sheet.title, None, f"die Spalte {column.header!r} fehlt")
    return found


def read_data_sheet(book: BoundedBook, problems: Problems) -> dict[str, Any]:
    """Return the content of the hidden ``_daten`` sheet (empty if there is none).

    At most :data:`~kommunal_digital.io.excel.bounds.MAX_HIDDEN_CHARS`
    characters are read; longer hidden data is reported.
    """
    if layout.DATEN not in book.sheetnames:
        return {}
    parts: list[str] = []
    length = 0
    for number, (value,) in enumerate(book[layout.DATEN].iter_rows(min_row=2, max_col=1), 2):
        if not isinstance(value, str):
            continue
        length += len(value)
        if length > bounds.MAX_HIDDEN_CHARS:
            limit = f"{bounds.MAX_HIDDEN_CHARS:,}".replace(",", ".")
            problems.add(
                layout.DATEN, f"A{number}", f"die verborgenen Daten sind länger als {limit} Zeichen"
            )
            return {}
        parts.append(value)
    text = "".join(parts)
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        problems.add(layout.DATEN, "A2", "die verborgenen Daten sind beschädigt (kein JSON)")
        return {}
    if not isinstance(data, dict):
        problems.add(layout.DATEN, "A2", "die verborgenen Daten sind beschädigt")
        return {}
    return data


def missing_hidden_data(book: BoundedBook, stored: dict[str, Any], problems: Problems) -> None:
    """Report hidden data that a workbook written by ``export_workbook`` has lost.

    ``export_workbook`` always writes both hidden sheets, ``_listen`` and
    ``_daten``, and ``_daten`` is never empty. A workbook that still has
    ``_listen`` but no (or an empty) ``_daten`` has lost the parts of the
    strategy only ``_daten`` carries; importing it would drop them without
    a word, so that is a problem. A workbook without either hidden sheet
    was built by hand (or stripped on purpose) and has nothing to lose.

    Args:
        book: The workbook.
        stored: What :func:`read_data_sheet` returned.
        problems: Where the problem is recorded.
    """
    if stored or problems.found or layout.LISTEN not in book.sheetnames:
        return
    state = "ist leer" if layout.DATEN in book.sheetnames else "fehlt"
    parts = [f"{label} ({key})" for key, label in layout.HIDDEN_PARTS.items()]
    parts.extend(
        f"{name} ({layout.OPTIONAL_TABLE_FIELDS[name]})"
        for name in layout.OPTIONAL_TABLE_FIELDS
        if name not in book.sheetnames
    )
    problems.add(
        layout.DATEN,
        None,
        f"das verborgene Blatt {state}; es trägt die Teile der Strategie, für die es kein "
        f"Blatt und keine Spalte gibt, und ohne es gingen sie verloren: {', '.join(parts)} "
        "sowie die Angaben zu Maßnahmen und Handlungsfeldern ohne eigene Spalte. Bitte das "
        "Blatt aus der exportierten Datei wiederherstellen oder, wenn diese Teile wirklich "
        f"entfallen sollen, auch das Blatt {layout.LISTEN!r} löschen",
    )


def _read(
    sheet: str, cell: str, column: Column, raw: object, exact: dict[str, str], problems: Problems
) -> tuple[bool, Any]:
    if is_empty(raw):
        if column.required:
            problems.add(sheet, cell, f"{column.header} fehlt")
        return False, None
    try:
        return True, read_cell(column, raw, exact.get(f"{sheet}!{cell}"))
    except CellError as exc:
        problems.add(sheet, cell, str(exc))
        return False, None


def read_kommune(book: BoundedBook, shape: Shape, exact: dict[str, str], problems: Problems) -> Row:
    """Read the values of the ``Kommune`` sheet into one row."""
    return read_form(book, layout.KOMMUNE, shape, exact, problems)


def read_form(
    book: BoundedBook, name: str, shape: Shape, exact: dict[str, str], problems: Problems
) -> Row:
    """Read the values of a label/value sheet into one row (empty if the sheet is missing)."""
    row = Row(name, 2, {}, {})
    if name not in book.sheetnames:
        return row
    sheet = book[name]
    values = {
        number: cells[1] if len(cells) > 1 else None
        for number, cells in enumerate(sheet.iter_rows(max_col=2), start=1)
    }
    for number, column in shape.forms.get(name, ()):
        cell = f"B{number}"
        row.refs[column.path] = cell
        ok, value = _read(sheet.title, cell, column, values.get(number), exact, problems)
        if ok:
            row.values[column.path] = value
    return row


def read_rows(
    book: BoundedBook, name: str, shape: Shape, exact: dict[str, str], problems: Problems
) -> list[Row]:
    """Read every non-empty row of a table sheet (none if an optional sheet is missing)."""
    if name not in shape.columns:
        return []
    sheet = book[name]
    columns = shape.columns[name]
    wanted = {number for number, _ in columns}
    rows: list[Row] = []
    for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
        if all(is_empty(cells[i - 1]) for i in wanted if i <= len(cells)):
            stray = [i for i, raw in enumerate(cells, start=1) if not is_empty(raw)]
            for i in stray:
                problems.add(
                    name, f"{layout.letter(i)}{number}", "Wert in einer Spalte ohne Überschrift"
                )
            continue
        row = Row(name, number, {}, {})
        for index, column in columns:
            cell = f"{layout.letter(index)}{number}"
            row.refs[column.path] = cell
            raw = cells[index - 1] if index <= len(cells) else None
            ok, value = _read(name, cell, column, raw, exact, problems)
            if ok:
                row.values[column.path] = value
        for i, raw in enumerate(cells, start=1):
            if i not in wanted and not is_empty(raw):
                problems.add(
                    name, f"{layout.letter(i)}{number}", "Wert in einer Spalte ohne Überschrift"
                )
        rows.append(row)
    return rows
