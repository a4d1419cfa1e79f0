"""The workshop workbook: export, import, validation and error reporting."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

import kommunal_digital as kd
from kommunal_digital.io.excel import WorkbookError, export_workbook, import_workbook
from kommunal_digital.model import MeasureStatus, PackReference, ShareBasis
from kommunal_digital.testing import strategies as kst


def roundtrip(strategy: kd.Strategy, folder: Path) -> kd.Strategy:
    path = export_workbook(strategy, folder / "werkstatt.xlsx", force=True)
    return import_workbook(path)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(strategy=kst.strategies())
def test_every_valid_strategy_survives_export_and_import(
    strategy: kd.Strategy, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert roundtrip(strategy, tmp_path_factory.mktemp("wb")) == strategy


def test_demo_round_trips_through_load_and_dump(tmp_path: Path) -> None:
    demo = kd.demo_strategy()
    written = kd.dump_strategy(demo, tmp_path / "demo.xlsx")
    assert zipfile.is_zipfile(written)
    assert kd.load_strategy(written) == demo


def test_numbers_beyond_sixteen_digits_survive(tmp_path: Path) -> None:
    demo = kd.demo_strategy()
    field = demo.chosen_fields[0]
    goal = attrs.evolve(field.goals[0], weight=0.1 + 0.2)  # 0.30000000000000004
    fields = tuple(
        attrs.evolve(f, goals=(goal, *f.goals[1:])) if f.key == field.key else f
        for f in demo.action_fields
    )
    strategy = attrs.evolve(demo, action_fields=fields)
    assert roundtrip(strategy, tmp_path).goal(goal.key).weight == 0.1 + 0.2


def test_an_edited_number_wins_over_the_exact_copy(tmp_path: Path) -> None:
    demo = kd.demo_strategy()
    path = export_workbook(demo, tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    book["Maßnahmen"]["I2"] = 1.25  # Personal (VZÄ) of the first measure
    book["Maßnahmen"]["N2"] = "31.12.2027"  # Gesetzliche Frist, typed as German text
    book["Maßnahmen"]["W2"] = "Ja"  # Im laufenden Betrieb
    book.save(path)
    first = import_workbook(path).measures[0]
    assert first.staff_fte == 1.25
    assert first.legal_deadline == dt.date(2027, 12, 31)
    assert first.budgeting.absorbed_by_operations is True


def test_texts_with_line_breaks_and_backslashes_in_lists_survive(tmp_path: Path) -> None:
    demo = kd.demo_strategy()
    partners = ("Verein\nfür Ältere", "C:\\n\\temp", "Schule \\ Kita")
    measure = attrs.evolve(demo.measures[0], partners=partners)
    strategy = attrs.evolve(demo, measures=(measure, *demo.measures[1:]))
    assert roundtrip(strategy, tmp_path).measures[0].partners == partners


def test_export_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "w.xlsx"
    target.write_bytes(b"alt")
    with pytest.raises(kd.OutputExistsError, match=r"w\.xlsx"):
        export_workbook(kd.demo_strategy(), target)
    assert target.read_bytes() == b"alt"
    export_workbook(kd.demo_strategy(), target, force=True)
    assert zipfile.is_zipfile(target)


def test_five_mistakes_are_reported_together_with_their_cells(tmp_path: Path) -> None:
    demo = kd.demo_strategy()
    assert len(demo.measures) == 12  # so the appended row is row 14
    path = export_workbook(demo, tmp_path / "fehler.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Maßnahmen"]
    sheet["F3"] = 6.5  # Dauer (Monate) of the second measure
    sheet["O4"] = "irgendwann"  # Status of the third
    sheet["C5"] = "raumfahrt"  # Handlungsfeld of the fourth
    sheet["G6"] = -500  # Einmalkosten of the fifth
    sheet["A14"] = demo.measures[0].key  # a new row reusing the first key
    sheet["B14"] = "Doppelte Maßnahme"
    sheet["C14"] = demo.measures[0].action_field
    book.save(path)

    with pytest.raises(WorkbookError) as info:
        import_workbook(path)

    error = info.value
    assert isinstance(error, kd.InputFileError)
    assert [(p.sheet, p.cell) for p in error.details] == [
        ("Maßnahmen", "F3"),
        ("Maßnahmen", "O4"),
        ("Maßnahmen", "G6"),
        ("Maßnahmen", "A14"),
        ("Maßnahmen", "C5"),
    ]
    assert error.problems[0] == "Maßnahmen!F3: Dauer (Monate) muss eine ganze Zahl sein"
    assert error.problems[1].startswith("Maßnahmen!O4: Status: unbekannter Wert 'irgendwann'")
    assert error.problems[2] == "Maßnahmen!G6: Einmalkosten (€) darf nicht negativ sein"
    key = demo.measures[0].key
    assert error.problems[3] == (
        f"Maßnahmen!A14: Schlüssel {key!r} kommt doppelt vor (zuerst in Zeile 2)"
    )
    assert error.problems[4] == "Maßnahmen!C5: unbekanntes Handlungsfeld 'raumfahrt'"
    assert str(error).startswith("fehler.xlsx: Maßnahmen!F3: ")


def test_a_model_check_is_reported_at_the_cell_holding_the_value(tmp_path: Path) -> None:
    demo = kd.demo_strategy()
    criterion = demo.criteria[0]
    path = export_workbook(demo, tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Maßnahmen"]
    headers = [cell.value for cell in sheet[1]]
    column = headers.index(f"Bewertung: {criterion.key}") + 1
    sheet.cell(row=3, column=column, value=criterion.scale_max + 1)
    book.save(path)
    with pytest.raises(WorkbookError) as info:
        import_workbook(path)
    (problem,) = info.value.details
    assert (problem.sheet, problem.cell) == ("Maßnahmen", f"{get_column_letter(column)}3")
    assert "outside the scale" in problem.message


def test_references_across_sheets_are_checked(tmp_path: Path) -> None:
    demo = kd.demo_strategy()
    path = export_workbook(demo, tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    book["Abhängigkeiten"]["B2"] = "gibt-es-nicht"
    book["Beteiligung"]["B2"] = "niemand"
    book["Ziele"]["A2"] = "kein-feld"
    book.save(path)
    with pytest.raises(WorkbookError) as info:
        import_workbook(path)
    # The goal of an unknown field is reported once, not again by every measure using it.
    assert info.value.problems == (
        "Ziele!A2: unbekanntes Handlungsfeld 'kein-feld'",
        "Beteiligung!B2: unbekannte/r Beteiligte/r 'niemand'",
        "Abhängigkeiten!B2: unbekannte Maßnahme 'gibt-es-nicht'",
    )


def test_missing_and_unknown_sheets_and_columns_are_reported(tmp_path: Path) -> None:
    path = export_workbook(kd.demo_strategy(), tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    del book["Beteiligte"]
    book.create_sheet("Notizen")
    book["Maßnahmen"]["B1"] = "Überschrift"
    book.save(path)
    with pytest.raises(WorkbookError) as info:
        import_workbook(path)
    assert info.value.problems == (
        "Notizen: unbekanntes Blatt (erwartet werden: Kommune, Ortsgemeinden, Partner, "
        "Handlungsfelder, Ziele, Indikatoren, Maßnahmen, Abhängigkeiten, Beteiligte, "
        "Beteiligung, Förderung, Externe Meilensteine, Werkstatt, Quellen)",
        "Beteiligte: das Blatt fehlt",
        "Maßnahmen!B1: unbekannte Spalte 'Überschrift'",
        "Maßnahmen: die Spalte 'Titel' fehlt",
    )


@pytest.mark.parametrize(
    "content",
    [b"", b"kein Excel", b"PK\x03\x04kaputt"],
    ids=["empty", "text", "broken-zip"],
)
def test_a_file_that_is_no_workbook_gives_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "kaputt.xlsx"
    path.write_bytes(content)
    with pytest.raises(kd.InputFileError) as info:
        import_workbook(path)
    assert not isinstance(info.value, WorkbookError)
    assert str(info.value) == (
        "kaputt.xlsx: keine lesbare Excel-Arbeitsmappe (.xlsx): die Datei ist beschädigt "
        "oder hat ein anderes Format"
    )
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_a_zip_that_is_no_workbook_and_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "archiv.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hallo.txt", "kein Arbeitsblatt")
    with pytest.raises(kd.InputFileError, match=r"archiv\.xlsx: keine lesbare"):
        import_workbook(path)
    with pytest.raises(kd.InputFileError, match="Datei nicht gefunden"):
        import_workbook(tmp_path / "fehlt.xlsx")


def validations(sheet: Worksheet) -> dict[str, str]:
    return {
        str(rule.sqref): str(rule.formula1)
        for rule in sheet.data_validations.dataValidation
        if rule.type == "list"
    }


def test_dropdowns_offer_keys_and_choices(tmp_path: Path) -> None:
    path = export_workbook(kd.demo_strategy(), tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    measures = validations(book["Maßnahmen"])
    assert measures["C2:C1000"] == "'Handlungsfelder'!$A$2:$A$1000"  # field keys
    assert measures["D2:D1000"] == "'Ziele'!$B$2:$B$1000"  # goal keys
    assert measures["O2:O1000"].startswith("'_listen'!$C$2")  # status
    assert measures["W2:W1000"].startswith("'_listen'!$H$2")  # yes/no (after ShareBasis)
    assert validations(book["Abhängigkeiten"])["B2:B1000"] == "'Maßnahmen'!$A$2:$A$1000"
    involvement = validations(book["Beteiligung"])
    assert involvement["B2:B1000"] == "'Beteiligte'!$A$2:$A$1000"
    assert involvement["C2:C1000"].startswith("'_listen'!$F$2")  # RACI
    assert validations(book["Beteiligte"])["C2:C1000"].startswith("'_listen'!$E$2")  # group
    assert validations(book["Kommune"])["B3"].startswith("'_listen'!$A$2")  # kind
    choices = book["_listen"]
    status = [c.value for c in choices["C"][1:] if c.value]
    assert status == [s.label for s in MeasureStatus]
    assert [c.value for c in choices["G"][1:] if c.value] == [b.label for b in ShareBasis]
    assert [c.value for c in choices["H"][1:] if c.value] == ["ja", "nein"]
    assert choices.sheet_state == "hidden"
    assert book["_daten"].sheet_state == "hidden"


def test_headers_are_bold_frozen_and_german(tmp_path: Path) -> None:
    path = export_workbook(kd.demo_strategy(), tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Maßnahmen"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert [c.value for c in sheet[1]][:6] == [
        "Schlüssel",
        "Titel",
        "Handlungsfeld",
        "Ziel",
        "Beschreibung",
        "Dauer (Monate)",
    ]
    assert sheet.column_dimensions["E"].width == 50


def test_texts_that_look_like_formulas_stay_texts(tmp_path: Path) -> None:
    demo = kd.demo_strategy()
    measure = attrs.evolve(demo.measures[0], title="=SUMME(A1:A3)", owner_role="#N/A")
    strategy = attrs.evolve(demo, measures=(measure, *demo.measures[1:]))
    path = export_workbook(strategy, tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    assert book["Maßnahmen"]["B2"].data_type == "s"
    assert import_workbook(path) == strategy


def small(pack: PackReference | None = None) -> kd.Strategy:
    """A strategy of two measures, the second depending on the first."""
    field = kd.ActionField(key="verwaltung", title="Kommunale Verwaltung")
    return kd.Strategy(
        municipality=kd.Municipality(
            name="Gemeinde Auental", kind=kd.MunicipalityKind.GEMEINDE, land="Rheinland-Pfalz"
        ),
        pack=pack,
        action_fields=(field,),
        measures=(
            kd.Measure(key="a", title="Portal", action_field="verwaltung"),
            kd.Measure(key="b", title="Termine", action_field="verwaltung", depends_on=("a",)),
        ),
    )


def kommune_rows(book: openpyxl.Workbook) -> dict[str, tuple[str, object]]:
    """Label → (cell of the value, value) of the Kommune sheet."""
    sheet = book["Kommune"]
    return {
        str(label.value): (f"B{label.row}", sheet.cell(row=label.row, column=2).value)
        for (label,) in sheet.iter_rows(min_row=2, max_col=1)
        if label.value
    }


def test_the_pack_stands_on_the_kommune_sheet_and_comes_back(tmp_path: Path) -> None:
    strategy = small(PackReference("rlp", "0.1.0"))
    path = export_workbook(strategy, tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    rows = kommune_rows(book)
    assert rows["Vorlagenpaket"][1] == "rlp"
    assert rows["Version des Vorlagenpakets"][1] == "0.1.0"
    assert '"pack"' not in book["_daten"]["A2"].value  # the sheet carries it, not the hidden data
    assert import_workbook(path) == strategy
    cell, _ = rows["Version des Vorlagenpakets"]
    book["Kommune"][cell] = "0.2.0"
    book.save(path)
    assert import_workbook(path).pack == PackReference("rlp", "0.2.0")


def test_no_pack_leaves_the_cells_empty_and_a_workbook_without_the_rows_imports(
    tmp_path: Path,
) -> None:
    path = export_workbook(small(), tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    rows = kommune_rows(book)
    assert rows["Vorlagenpaket"][1] is None
    assert rows["Version des Vorlagenpakets"][1] is None
    assert import_workbook(path).pack is None
    older = export_workbook(small(PackReference("rlp")), tmp_path / "alt.xlsx")
    book = openpyxl.load_workbook(older)
    book["Kommune"].delete_rows(int(rows["Vorlagenpaket"][0][1:]), 2)
    book.save(older)
    assert import_workbook(older) == small()


def test_a_bad_pack_is_reported_at_its_cell(tmp_path: Path) -> None:
    path = export_workbook(small(PackReference("rlp", "0.1.0")), tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    name_cell, _ = kommune_rows(book)["Vorlagenpaket"]
    version_cell, _ = kommune_rows(book)["Version des Vorlagenpakets"]
    book["Kommune"][name_cell] = "Paket Lindenau"
    book["Kommune"][version_cell] = "0.1 beta"
    book.save(path)
    with pytest.raises(WorkbookError) as info:
        import_workbook(path)
    assert [(p.sheet, p.cell) for p in info.value.details] == [("Kommune", name_cell)]
    assert info.value.details[0].message.startswith(
        "Vorlagenpaket 'Paket Lindenau' ist kein gültiger Schlüssel"
    )
    book["Kommune"][name_cell] = None
    book.save(path)
    with pytest.raises(WorkbookError) as info:
        import_workbook(path)
    assert [(p.sheet, p.cell) for p in info.value.details] == [("Kommune", name_cell)]
    assert info.value.details[0].message == "required field is missing"


def test_a_dependency_cycle_is_reported_on_the_dependency_sheet(tmp_path: Path) -> None:
    path = export_workbook(small(), tmp_path / "w.xlsx")
    book = openpyxl.load_workbook(path)
    book["Abhängigkeiten"].append(["a", "b"])
    book.save(path)
    with pytest.raises(WorkbookError) as info:
        import_workbook(path)
    assert info.value.problems == (
        "Abhängigkeiten: Maßnahmen hängen im Kreis voneinander ab: a -> b -> a",
    )
