"""The workbook and issue 16: unknown values, measure dates and the workshop record.

An empty cell for a cost, a duration or staff means "not known yet" and is
read as ``None``, never as 0 or 6 months; an unknown value is exported as an
empty cell. The workshop is recorded on the sheets ``Werkstatt`` (label and
value, like ``Kommune``) and ``Quellen`` (one source per row).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl.worksheet.worksheet import Worksheet

import kommunal_digital as kd
from kommunal_digital.io.excel import WorkbookError, export_workbook, import_workbook
from kommunal_digital.model import Cost, MeasureStatus
from kommunal_digital.model.workshop import Source, Workshop
from kommunal_digital.testing import strategies as kst

WORKSHOP = Workshop(
    held_on=dt.date(2024, 5, 2),
    ended_on=dt.date(2024, 5, 3),
    participants=("Verwaltung (6 Personen)", "Gemeinderat"),
    participant_count=14,
    moderation="Agentur Beispiel",
    notes="Zwei Termine,\nonline und vor Ort.",
    sources=(
        Source("Protokoll der Digital-Werkstatt", "https://example.org/p?id=1&s=2"),
        Source("Gemeinderatsbeschluss"),
    ),
)


def roundtrip(strategy: kd.Strategy, folder: Path) -> kd.Strategy:
    path = export_workbook(strategy, folder / "werkstatt.xlsx", force=True)
    return import_workbook(path)


def column_of(sheet: Worksheet, header: str) -> str:
    """The letter of the column with this header."""
    for cell in sheet[1]:
        if cell.value == header:
            return str(cell.column_letter)
    raise KeyError(header)


def form_cell(sheet: Worksheet, label: str) -> str:
    """The value cell of a label/value row (``Kommune``, ``Werkstatt``)."""
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        if cell.value == label:
            return f"B{cell.row}"
    raise KeyError(label)


def unknown_first_measure(demo: kd.Strategy) -> kd.Strategy:
    first = attrs.evolve(
        demo.measures[0],
        cost=Cost(),
        duration_months=None,
        staff_fte=None,
        funding_sources=(),
        operator=None,
    )
    return attrs.evolve(demo, measures=(first, *demo.measures[1:]))


ESTIMATES = ("Dauer (Monate)", "Einmalkosten (€)", "Jährliche Kosten (€)", "Personal (VZÄ)")


def test_unknown_estimates_are_exported_as_empty_cells_and_come_back_unknown(
    tmp_path: Path,
) -> None:
    strategy = unknown_first_measure(kd.demo_strategy())
    path = export_workbook(strategy, tmp_path / "w.xlsx")
    sheet = openpyxl.load_workbook(path)["Maßnahmen"]
    for header in ESTIMATES:
        assert sheet[f"{column_of(sheet, header)}2"].value is None, header
        assert sheet[f"{column_of(sheet, header)}3"].value is not None, header
    again = import_workbook(path)
    assert again == strategy
    first = again.measures[0]
    assert first.cost == Cost(one_off=None, yearly=None)
    assert first.duration_months is None
    assert first.staff_fte is None


def test_clearing_estimate_cells_makes_them_unknown_not_zero_or_six(tmp_path: Path) -> None:
    demo = kd.demo_strategy()
    second = demo.measures[1]
    assert second.cost.one_off
    assert second.duration_months
    assert second.staff_fte
    path = export_workbook(demo, tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Maßnahmen"]
    for header in ESTIMATES:
        sheet[f"{column_of(sheet, header)}3"] = None
    book.save(path)
    measure = import_workbook(path).measures[1]
    assert measure.cost.one_off is None
    assert measure.cost.yearly is None
    assert measure.duration_months is None
    assert measure.staff_fte is None


def test_a_zero_cost_typed_in_stays_zero(tmp_path: Path) -> None:
    strategy = unknown_first_measure(kd.demo_strategy())
    path = export_workbook(strategy, tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Maßnahmen"]
    sheet[f"{column_of(sheet, 'Einmalkosten (€)')}2"] = 0
    book.save(path)
    assert import_workbook(path).measures[0].cost == Cost(one_off=0, yearly=None)


def test_the_measure_dates_have_columns_and_come_back(tmp_path: Path) -> None:
    demo = kd.demo_strategy()
    first = attrs.evolve(
        demo.measures[0],
        status=MeasureStatus.ABGESCHLOSSEN,
        start_on=dt.date(2024, 2, 1),
        target_on=dt.date(2024, 12, 31),
        deadline=dt.date(2025, 6, 30),
        finished_on=dt.date(2024, 11, 15),
    )
    strategy = attrs.evolve(demo, measures=(first, *demo.measures[1:]))
    path = export_workbook(strategy, tmp_path / "w.xlsx")
    sheet = openpyxl.load_workbook(path)["Maßnahmen"]
    shown = {
        header: sheet[f"{column_of(sheet, header)}2"].value
        for header in ("Beginn", "Zieltermin", "Spätestes Ende", "Abgeschlossen am")
    }
    assert shown == {
        "Beginn": dt.datetime(2024, 2, 1),
        "Zieltermin": dt.datetime(2024, 12, 31),
        "Spätestes Ende": dt.datetime(2025, 6, 30),
        "Abgeschlossen am": dt.datetime(2024, 11, 15),
    }
    assert sheet[f"{column_of(sheet, 'Zieltermin')}2"].number_format == "DD.MM.YYYY"
    assert sheet[f"{column_of(sheet, 'Beginn')}3"].value is None
    assert import_workbook(path) == strategy


def test_a_date_typed_as_german_text_is_read_and_a_bad_one_reported(tmp_path: Path) -> None:
    path = export_workbook(kd.demo_strategy(), tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Maßnahmen"]
    target, deadline = column_of(sheet, "Zieltermin"), column_of(sheet, "Spätestes Ende")
    sheet[f"{target}2"] = "30.06.2027"
    book.save(path)
    assert import_workbook(path).measures[0].target_on == dt.date(2027, 6, 30)
    sheet[f"{deadline}3"] = "bald"
    book.save(path)
    with pytest.raises(WorkbookError) as info:
        import_workbook(path)
    assert info.value.problems == (
        f"Maßnahmen!{deadline}3: Spätestes Ende muss ein Datum sein (TT.MM.JJJJ)",
    )


def test_the_workshop_stands_on_its_own_sheets_and_comes_back(tmp_path: Path) -> None:
    strategy = attrs.evolve(kd.demo_strategy(), workshop=WORKSHOP)
    path = export_workbook(strategy, tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[-4:] == ["Werkstatt", "Quellen", "_listen", "_daten"]
    form = book["Werkstatt"]
    values = {label: form[form_cell(form, label)].value for label in _WERKSTATT_LABELS}
    assert values == {
        "Datum": dt.datetime(2024, 5, 2),
        "Letzter Tag": dt.datetime(2024, 5, 3),
        "Teilnehmende": "Verwaltung (6 Personen)\nGemeinderat",
        "Anzahl Teilnehmende": 14,
        "Moderation": "Agentur Beispiel",
        "Notizen": "Zwei Termine,\nonline und vor Ort.",
    }
    sources = book["Quellen"]
    assert [c.value for c in sources[1]] == ["Titel", "Adresse (URL)"]
    assert [[c.value for c in row] for row in sources.iter_rows(min_row=2)] == [
        ["Protokoll der Digital-Werkstatt", "https://example.org/p?id=1&s=2"],
        ["Gemeinderatsbeschluss", None],
    ]
    assert import_workbook(path) == strategy


_WERKSTATT_LABELS = (
    "Datum",
    "Letzter Tag",
    "Teilnehmende",
    "Anzahl Teilnehmende",
    "Moderation",
    "Notizen",
)


def test_a_workshop_typed_into_the_sheets_is_read(tmp_path: Path) -> None:
    demo = kd.demo_strategy()
    path = export_workbook(attrs.evolve(demo, workshop=None), tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    form = book["Werkstatt"]
    form[form_cell(form, "Datum")] = "02.05.2024"
    form[form_cell(form, "Teilnehmende")] = "Verwaltung\nBürgerschaft"
    form[form_cell(form, "Moderation")] = "Frau Beispiel"
    book["Quellen"]["A2"] = "Protokoll"
    book["Quellen"]["B2"] = "https://example.org/protokoll.pdf"
    book.save(path)
    assert import_workbook(path).workshop == Workshop(
        held_on=dt.date(2024, 5, 2),
        participants=("Verwaltung", "Bürgerschaft"),
        moderation="Frau Beispiel",
        sources=(Source("Protokoll", "https://example.org/protokoll.pdf"),),
    )


def test_clearing_every_workshop_cell_removes_the_workshop(tmp_path: Path) -> None:
    path = export_workbook(attrs.evolve(kd.demo_strategy(), workshop=WORKSHOP), tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    form = book["Werkstatt"]
    for label in _WERKSTATT_LABELS:
        form[form_cell(form, label)] = None
    book["Quellen"].delete_rows(2, 2)
    book.save(path)
    assert import_workbook(path).workshop is None


def test_an_empty_workshop_record_survives(tmp_path: Path) -> None:
    strategy = attrs.evolve(kd.demo_strategy(), workshop=Workshop())
    assert roundtrip(strategy, tmp_path).workshop == Workshop()


def test_workshop_mistakes_are_reported_at_their_cells(tmp_path: Path) -> None:
    path = export_workbook(attrs.evolve(kd.demo_strategy(), workshop=WORKSHOP), tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    form = book["Werkstatt"]
    count = form_cell(form, "Anzahl Teilnehmende")
    form[count] = 0
    book["Quellen"]["B3"] = "www.example.org"
    book["Quellen"]["A4"] = None
    book["Quellen"]["B4"] = "https://example.org/ohne-titel"
    book.save(path)
    with pytest.raises(WorkbookError) as info:
        import_workbook(path)
    assert [(p.sheet, p.cell) for p in info.value.details] == [
        ("Werkstatt", count),
        ("Quellen", "A4"),
        ("Quellen", "B3"),
    ]
    assert info.value.problems[0] == (
        f"Werkstatt!{count}: Anzahl Teilnehmende muss zwischen 1 und 100000 liegen"
    )
    assert info.value.problems[1] == "Quellen!A4: Titel fehlt"
    assert "https://" in info.value.problems[2]


def test_a_last_day_before_the_first_is_reported_on_the_workshop_sheet(tmp_path: Path) -> None:
    path = export_workbook(attrs.evolve(kd.demo_strategy(), workshop=WORKSHOP), tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    form = book["Werkstatt"]
    last = form_cell(form, "Letzter Tag")
    form[last] = dt.datetime(2024, 4, 30)
    book.save(path)
    with pytest.raises(WorkbookError) as info:
        import_workbook(path)
    (problem,) = info.value.details
    assert (problem.sheet, problem.cell) == ("Werkstatt", last)
    assert "before held_on" in problem.message


def test_a_workbook_without_the_workshop_sheets_still_imports(tmp_path: Path) -> None:
    # Workbooks written by earlier releases have neither sheet.
    demo = attrs.evolve(kd.demo_strategy(), workshop=None)
    path = export_workbook(demo, tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    del book["Werkstatt"]
    del book["Quellen"]
    book.save(path)
    assert import_workbook(path) == demo


def test_an_unknown_workshop_row_is_reported(tmp_path: Path) -> None:
    path = export_workbook(kd.demo_strategy(), tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    book["Werkstatt"]["A9"] = "Ort"
    book["Werkstatt"]["B9"] = "Rathaus"
    book.save(path)
    with pytest.raises(WorkbookError) as info:
        import_workbook(path)
    (problem,) = info.value.details
    assert (problem.sheet, problem.cell) == ("Werkstatt", "A9")
    assert problem.message.startswith("unbekannte Angabe 'Ort' (Datum, Letzter Tag,")


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(strategy=kst.thin_strategies())
def test_thin_strategies_survive_export_and_import(
    strategy: kd.Strategy, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert roundtrip(strategy, tmp_path_factory.mktemp("wb")) == strategy
