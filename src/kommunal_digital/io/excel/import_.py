"""Reading a workshop workbook (.xlsx) back into a strategy."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kommunal_digital.errors import InputFileError
from kommunal_digital.io.excel import layout
from kommunal_digital.io.excel.assemble import Locations, assemble
from kommunal_digital.io.excel.bounds import BoundedBook, count_texts, measure_sheets
from kommunal_digital.io.excel.problems import WorkbookError
from kommunal_digital.io.excel.reader import (
    Problems,
    check_shape,
    missing_hidden_data,
    read_data_sheet,
    read_form,
    read_kommune,
    read_rows,
)
from kommunal_digital.io.excel.residue import merge_residue
from kommunal_digital.io.schema import SCHEMA_VERSION
from kommunal_digital.io.strategy_text import strategy_from_data
from kommunal_digital.io.zipguard import office_zip_problems
from kommunal_digital.model import Strategy

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

__all__ = ["import_workbook"]

_LAST_STEP = re.compile(r"(\.[^.\[\]]*|\[[^\]]*\])$")


def import_workbook(path: str | os.PathLike[str]) -> Strategy:
    """Read a workshop workbook written by :func:`export_workbook` (and edited).

    The whole workbook is checked before anything is returned: every
    problem is collected, with the sheet and cell it concerns, and raised
    at once. An empty cell for a cost, a duration or staff means the value
    is not known yet (``None``), never 0. The sheets ``Werkstatt`` and
    ``Quellen`` may be missing (workbooks written by earlier releases):
    the strategy then records no workshop.

    Reading is bounded (see :mod:`kommunal_digital.io.excel.bounds`): the
    file's zip is checked first, then only the used range of each sheet is
    read, within limits on rows, columns, cells and characters per cell.

    Args:
        path: The ``.xlsx`` file.

    Returns:
        The strategy the workbook holds.

    Raises:
        InputFileError: The file is missing or no readable ``.xlsx``
            workbook, or its zip breaks a limit of
            :data:`~kommunal_digital.io.zipguard.OFFICE_LIMITS` (the
            message names the member).
        WorkbookError: The workbook has problems; ``problems`` lists all of
            them, e.g. ``"Maßnahmen!F7: Dauer (Monate) muss eine ganze Zahl sein"``.
            A sheet beyond the limits is one of them, naming the cell; so is
            a workbook written by :func:`export_workbook` whose hidden sheet
            ``_daten`` is gone, naming the parts of the strategy lost with it.
    """
    file = Path(path)
    book = _open(file)
    try:
        return _import(file, book)
    finally:
        book.close()


def _import(file: Path, opened: Workbook) -> Strategy:
    sizes, too_big = measure_sheets(file, opened)
    if too_big:
        raise WorkbookError(file.name, too_big)
    book = BoundedBook(opened, sizes, file.name)
    problems = Problems()
    shape = check_shape(book, problems)
    if problems.found:
        # A workbook of the wrong shape would drown in follow-on problems.
        raise WorkbookError(file.name, problems.found)
    stored = read_data_sheet(book, problems)
    missing_hidden_data(book, stored, problems)
    exact = stored.get("exact")
    if not isinstance(exact, dict):
        exact = {}
    kommune = read_kommune(book, shape, exact, problems)
    werkstatt = read_form(book, layout.WERKSTATT, shape, exact, problems)
    # A missing optional sheet gives no table: its data may still come from the hidden sheet.
    tables = {
        table.name: read_rows(book, table.name, shape, exact, problems)
        for table in layout.TABLES
        if table.name in shape.columns
    }
    body, locations = assemble(kommune, tables, problems, werkstatt)
    data: dict[str, Any] = {"schema_version": stored.get("schema_version", SCHEMA_VERSION), **body}
    merge_residue(data, stored)
    for key in data:
        locations.setdefault(key, (layout.DATEN, "A2"))
    try:
        strategy = strategy_from_data(data, file.name)
    except InputFileError as exc:
        _report_model_problems(exc.problems, locations, problems)
        if not problems.found:  # pragma: no cover - every problem line is reported above
            raise
    if problems.found:
        raise WorkbookError(file.name, problems.found)
    return strategy


_UNREADABLE = (
    "keine lesbare Excel-Arbeitsmappe (.xlsx): die Datei ist beschädigt oder hat ein anderes Format"
)


def _open(file: Path) -> Workbook:
    """Open a workbook read-only, after checking its zip and its table of texts."""
    from openpyxl import load_workbook  # lazy: openpyxl is heavy

    if not file.exists():
        raise InputFileError(str(file), ["Datei nicht gefunden"])
    if not file.is_file():
        raise InputFileError(file.name, ["keine gewöhnliche Datei (ein Ordner, ein Gerät?)"])
    if file.suffix.lower() == ".xls":
        raise InputFileError(
            file.name, ["das alte Excel-Format .xls wird nicht gelesen; bitte als .xlsx speichern"]
        )
    refused = office_zip_problems(file)
    if any(problem.no_zip for problem in refused):
        raise InputFileError(file.name, [_UNREADABLE]) from None
    if refused:
        raise InputFileError(
            file.name, [f"Arbeitsmappe abgelehnt: {problem.german_text}" for problem in refused]
        )
    too_many = count_texts(file)
    if too_many is not None:
        raise WorkbookError(file.name, [too_many])
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it drops on reading (extensions, styles).
            warnings.simplefilter("ignore")
            return load_workbook(file, read_only=True, data_only=True)
    except Exception:  # any failure inside openpyxl means: not a readable workbook
        raise InputFileError(file.name, [_UNREADABLE]) from None


def _where(path: str, locations: Locations) -> tuple[str, str | None] | None:
    while path:
        if path in locations:
            return locations[path]
        shorter = _LAST_STEP.sub("", path)
        if shorter == path:
            return None
        path = shorter
    return None


def _report_model_problems(
    lines: tuple[str, ...], locations: Locations, problems: Problems
) -> None:
    """Report the model's findings at the cells holding the values concerned.

    A finding in a row that already has a problem is left out: it is almost
    always the same problem seen again, or a consequence of it.
    """
    for line in lines:
        path, separator, reason = line.partition(": ")
        place = _where(path, locations) if separator else None
        if place is None:
            problems.add(None, None, line)
            continue
        sheet, cell = place
        if (
            cell is not None
            and (sheet, int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))) in problems.rows
        ):
            continue
        if path == "measures" and reason.startswith("dependency cycle: "):
            chain = reason.removeprefix("dependency cycle: ")
            reason = f"Maßnahmen hängen im Kreis voneinander ab: {chain}"
        problems.add(sheet, cell, reason)
