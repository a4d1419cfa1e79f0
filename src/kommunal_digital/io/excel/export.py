"""Writing a strategy to a workshop workbook (.xlsx)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kommunal_digital.errors import OutputError, OutputExistsError
from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.io.excel import layout
from kommunal_digital.io.excel.cells import enum_choices, exact_text, write_cell
from kommunal_digital.io.excel.layout import Column, Table
from kommunal_digital.io.excel.residue import split_residue
from kommunal_digital.io.strategy_text import strategy_to_data
from kommunal_digital.model import Strategy

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["export_workbook", "workbook_bytes"]

#: Characters per cell of the ``_daten`` sheet (Excel holds at most 32767).
DATA_CHUNK = 30000
#: The most characters a workbook cell holds.
CELL_LIMIT = 32767

_NUMBER_FORMATS = {
    "date": "DD.MM.YYYY",
    "money": "#,##0.00",
    "key": "@",
    "text": "@",
    "json": "@",
    "shares": "@",
}

Row = dict[str, Any]


def export_workbook(
    strategy: Strategy, path: str | os.PathLike[str], *, force: bool = False
) -> Path:
    """Write a strategy to an Excel workbook for the workshop.

    The workbook has one sheet per part of the strategy (``Kommune``,
    ``Handlungsfelder``, ``Ziele``, ``Maßnahmen``, ..., ``Werkstatt`` and
    ``Quellen`` for the workshop record), dropdowns for keys and choices,
    and a hidden sheet with the parts not meant for editing in a workshop,
    so that :func:`import_workbook` gives back an equal strategy. A value
    nobody has estimated yet (a cost, a duration, staff) is an empty cell,
    never 0.

    Args:
        strategy: The strategy to write.
        path: The ``.xlsx`` file to write.
        force: Overwrite an existing file.

    Returns:
        The path written.

    Raises:
        OutputExistsError: The file exists and ``force`` is not set.
        OutputError: The file cannot be written, or an object's extension
            data is too long for a cell.
    """
    target = Path(path)
    if target.exists() and not force:
        # Checked before building, so that an existing file costs no workbook build.
        raise OutputExistsError(f"{target}: exists already; pass force to overwrite it")
    try:
        data = workbook_bytes(strategy)
    except OutputError as error:
        raise OutputError(f"{target.name}: {error}") from None
    return write_atomic(target, data, force=force)


def workbook_bytes(strategy: Strategy) -> bytes:
    """Return the workbook of a strategy as the bytes of an ``.xlsx`` file.

    Args:
        strategy: The strategy to write.

    Raises:
        OutputError: An object's extension data is too long for a cell
            (the message names the cell).
    """
    from openpyxl import Workbook  # lazy: openpyxl is heavy

    book = Workbook()
    for sheet in list(book.worksheets):
        book.remove(sheet)
    exact: dict[str, str] = {}
    for name in layout.VISIBLE_SHEETS:
        if name in layout.FORM:
            _write_form(book, layout.FORM[name], strategy, exact)
        else:
            table = _with_scores(layout.TABLE[name], strategy)
            _write_table(book, table, _rows(name, strategy), exact)
    _write_lists(book)
    _write_data(book, strategy, exact)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_scores(table: Table, strategy: Strategy) -> Table:
    if table.name != layout.MASSNAHMEN:
        return table
    keys = [criterion.key for criterion in strategy.criteria]
    for measure in strategy.measures:
        keys.extend(k for k in measure.scores if k not in keys)
    return Table(table.name, table.columns + tuple(layout.score_column(k) for k in keys))


def _value(obj: object, path: str) -> Any:
    if path.startswith("scores."):
        return getattr(obj, "scores").get(path.removeprefix("scores."))  # noqa: B009  # dotted
    for part in path.split("."):
        if obj is None:  # an optional part that is not set, such as the pack
            return None
        obj = getattr(obj, part)
    return obj


def _rows(sheet: str, strategy: Strategy) -> Iterator[tuple[object, Row]]:
    """Yield (object, parent values) for every row of a table sheet."""
    if sheet == layout.ORTSGEMEINDEN:
        for member in strategy.municipality.members:
            yield member, {}
    elif sheet == layout.PARTNER:
        for partner in strategy.partners:
            yield partner, {}
    elif sheet == layout.FOERDERUNG:
        for funding in strategy.funding:
            yield funding, {}
    elif sheet == layout.EXTERNE_MEILENSTEINE:
        for milestone in strategy.external_milestones:
            yield milestone, {}
    elif sheet == layout.HANDLUNGSFELDER:
        for field in strategy.action_fields:
            yield field, {}
    elif sheet == layout.ZIELE:
        for field in strategy.action_fields:
            for goal in field.goals:
                yield goal, {"@field": field.key}
    elif sheet == layout.INDIKATOREN:
        for field in strategy.action_fields:
            for goal in field.goals:
                for indicator in goal.indicators:
                    yield indicator, {"@goal": goal.key}
        for measure in strategy.measures:
            for indicator in measure.indicators:
                yield indicator, {"@measure": measure.key}
    elif sheet == layout.MASSNAHMEN:
        for measure in strategy.measures:
            yield measure, {}
    elif sheet == layout.ABHAENGIGKEITEN:
        for measure in strategy.measures:
            for key in measure.depends_on:
                yield measure, {"@measure": measure.key, "depends_on": key}
    elif sheet == layout.BETEILIGTE:
        for stakeholder in strategy.stakeholders:
            yield stakeholder, {}
    elif sheet == layout.BETEILIGUNG:
        for measure in strategy.measures:
            for involvement in measure.stakeholders:
                yield involvement, {"@measure": measure.key}
    elif sheet == layout.QUELLEN and strategy.workshop is not None:
        for source in strategy.workshop.sources:
            yield source, {}


def _header(sheet: Worksheet, headers: list[str], widths: list[float]) -> None:
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE5F0")
    for number, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=number, value=header)
        cell.font = bold
        cell.fill = fill
        sheet.column_dimensions[layout.letter(number)].width = width
    sheet.freeze_panes = "A2"


def _put(
    sheet: Worksheet, row: int, number: int, column: Column, value: Any, exact: dict[str, str]
) -> None:
    from openpyxl.styles import Alignment

    shown = write_cell(column, value)
    if column.kind == "json" and isinstance(shown, str) and len(shown) > CELL_LIMIT:
        # A workbook would cut the text short, and the cut JSON could not be read back.
        raise OutputError(
            f"{layout.cell_ref(sheet.title, number, row)}: {column.header}: the extension "
            f"data takes {len(shown)} characters as JSON; a cell holds at most {CELL_LIMIT}"
        )
    cell = sheet.cell(row=row, column=number, value=shown)
    if isinstance(shown, str):
        # Text stays text even when it looks like a formula ("=...") or an error ("#N/A").
        cell.data_type = "s"
    if column.kind in _NUMBER_FORMATS:
        cell.number_format = _NUMBER_FORMATS[column.kind]
    if column.wraps:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    precise = exact_text(shown)
    if precise is not None:
        exact[layout.cell_ref(sheet.title, number, row)] = precise


def _write_form(
    book: Workbook, form: layout.Form, strategy: Strategy, exact: dict[str, str]
) -> None:
    from openpyxl.styles import Alignment

    sheet = book.create_sheet(form.name)
    _header(sheet, list(layout.KOMMUNE_HEADERS), [20, 60])
    for row, column in enumerate(form.rows, start=2):
        sheet.cell(row=row, column=1, value=column.header)
        _put(sheet, row, 2, column, _value(strategy, column.path), exact)
        _validate(sheet, column, f"B{row}")
    sheet.column_dimensions["B"].width = 60
    for row in range(2, len(form.rows) + 2):
        sheet.cell(row=row, column=2).alignment = Alignment(wrap_text=True, vertical="top")


def _write_table(
    book: Workbook, table: Table, rows: Iterator[tuple[object, Row]], exact: dict[str, str]
) -> None:
    sheet = book.create_sheet(table.name)
    _header(sheet, [c.header for c in table.columns], [c.width for c in table.columns])
    for row, (obj, parents) in enumerate(rows, start=2):
        for number, column in enumerate(table.columns, start=1):
            if column.path in parents or column.path.startswith("@"):
                value = parents.get(column.path)
            else:
                value = _value(obj, column.path)
            _put(sheet, row, number, column, value, exact)
    for number, column in enumerate(table.columns, start=1):
        letter = layout.letter(number)
        _validate(sheet, column, f"{letter}2:{letter}{layout.VALIDATED_ROWS}")


def _list_range(index: int, length: int) -> str:
    letter = layout.letter(index + 1)
    return f"'{layout.LISTEN}'!${letter}$2:${letter}${length + 1}"


def _validate(sheet: Worksheet, column: Column, cells: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    rule: DataValidation | None = None
    if column.kind == "enum" and column.enum is not None:
        index = layout.ENUMS.index(column.enum)
        rule = DataValidation(type="list", formula1=_list_range(index, len(column.enum)))
    elif column.kind == "bool":
        rule = DataValidation(type="list", formula1=_list_range(len(layout.ENUMS), 2))
    elif column.source is not None:
        source_sheet, letter = layout.KEY_SOURCES[column.source]
        rows = layout.VALIDATED_ROWS
        rule = DataValidation(
            type="list", formula1=f"'{source_sheet}'!${letter}$2:${letter}${rows}"
        )
    elif column.kind in ("int", "number", "money") and (
        column.low is not None or column.kind == "money"
    ):
        kind: Literal["whole", "decimal"] = "whole" if column.kind == "int" else "decimal"
        low = 0 if column.low is None else column.low
        if column.high is None:
            rule = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=f"{low:g}")
        else:
            rule = DataValidation(
                type=kind, operator="between", formula1=f"{low:g}", formula2=f"{column.high:g}"
            )
    if rule is None:
        return
    rule.allow_blank = not column.required
    rule.showErrorMessage = True
    rule.errorTitle = column.header
    rule.error = f"Dieser Wert passt nicht in die Spalte „{column.header}“."
    rule.add(cells)
    sheet.add_data_validation(rule)


def _write_lists(book: Workbook) -> None:
    sheet = book.create_sheet(layout.LISTEN)
    lists = [enum_choices(enum) for enum in layout.ENUMS] + [[layout.YES, layout.NO]]
    names = [enum.__name__ for enum in layout.ENUMS] + ["JaNein"]
    for number, (name, choices) in enumerate(zip(names, lists, strict=True), start=1):
        sheet.cell(row=1, column=number, value=name)
        for row, choice in enumerate(choices, start=2):
            sheet.cell(row=row, column=number, value=choice).data_type = "s"
    sheet.sheet_state = "hidden"


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")  # pragma: no cover


def _write_data(book: Workbook, strategy: Strategy, exact: dict[str, str]) -> None:
    data = strategy_to_data(strategy)
    payload = {"schema_version": data["schema_version"], **split_residue(data), "exact": exact}
    text = json.dumps(payload, ensure_ascii=True, default=_json_default)
    sheet = book.create_sheet(layout.DATEN)
    sheet.cell(row=1, column=1, value="Daten (nicht bearbeiten)")
    for row, start in enumerate(range(0, len(text), DATA_CHUNK), start=2):
        sheet.cell(row=row, column=1, value=text[start : start + DATA_CHUNK]).data_type = "s"
    sheet.sheet_state = "hidden"
