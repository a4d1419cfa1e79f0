"""CLI: the Excel round trip (export, edit, import) and the calendar export."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.calendars import calendar_events
from kommunal_digital.cli.main import cli
from kommunal_digital.io import export_workbook


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    return kd.dump_strategy(kd.demo_strategy(), tmp_path / "strategy.yaml")


def test_export_edit_import_validate(demo_file: Path, tmp_path: Path) -> None:
    import openpyxl

    book = tmp_path / "Workshop.xlsx"
    status, out, _ = run("export", str(demo_file), "--out", str(book))
    assert (status, out) == (0, f"wrote {book}\n")
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["Maßnahmen"]
    assert sheet["B1"].value == "Titel"
    sheet["B2"] = "Neuer Titel aus dem Workshop"
    workbook.save(book)
    back = tmp_path / "back.yaml"
    status, out, _ = run("import", str(book), "--out", str(back))
    assert status == 0
    measures = kd.demo_strategy().measures
    assert out == f"wrote {back}: Verbandsgemeinde Eichenberg, {len(measures)} measures\n"
    imported = kd.load_strategy(back)
    assert imported.measures[0].title == "Neuer Titel aus dem Workshop"
    assert imported.measures[1:] == measures[1:]
    status, out, _ = run("validate", str(back))
    assert status == 0
    assert out.startswith("back.yaml: valid: Verbandsgemeinde Eichenberg")


def test_import_lists_every_problem_with_sheet_and_cell(demo_file: Path, tmp_path: Path) -> None:
    import openpyxl

    book = export_workbook(kd.demo_strategy(), tmp_path / "Workshop.xlsx")
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["Maßnahmen"]
    assert sheet["F1"].value == "Dauer (Monate)"
    sheet["F2"] = "lange"
    sheet["F3"] = "sehr lange"
    workbook.save(book)
    status, out, err = run("import", str(book), "--out", str(tmp_path / "s.yaml"))
    assert status == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith("error: Workshop.xlsx: Maßnahmen!F2: ")
    assert lines[1].startswith("Workshop.xlsx: Maßnahmen!F3: ")
    assert not (tmp_path / "s.yaml").exists()


def test_import_and_export_refuse_to_overwrite(demo_file: Path, tmp_path: Path) -> None:
    book = tmp_path / "Workshop.xlsx"
    assert run("export", str(demo_file), "--out", str(book))[0] == 0
    status, _, err = run("export", str(demo_file), "--out", str(book))
    assert status == 1
    assert err == f"error: {book}: exists already; pass --force to overwrite it\n"
    assert run("export", str(demo_file), "--out", str(book), "--force")[0] == 0
    status, _, err = run("import", str(book), "--out", str(demo_file))
    assert status == 1
    assert "exists already" in err


def test_export_needs_an_xlsx_name(demo_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(demo_file), "--out", str(tmp_path / "w.csv")])
    assert result.exit_code == 2
    assert "w.csv: the workbook must end in .xlsx" in result.stderr


def test_import_of_a_file_that_is_no_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("kein Excel", encoding="utf-8")
    status, _, err = run("import", str(fake), "--out", str(tmp_path / "s.yaml"))
    assert status == 1
    assert err.startswith("error: fake.xlsx: ")


def test_calendar_writes_one_event_per_date(demo_file: Path, tmp_path: Path) -> None:
    strategy = kd.demo_strategy()
    ics = tmp_path / "termine.ics"
    status, out, _ = run("calendar", str(demo_file), "--out", str(ics))
    events = calendar_events(strategy)
    assert status == 0
    assert out == f"wrote {ics}: {len(events)} events\n"
    assert ics.read_text(encoding="utf-8").count("BEGIN:VEVENT") == len(events)
    everything = tmp_path / "alles.ics"
    status, out, _ = run(
        "calendar", str(demo_file), "--out", str(everything), "--include", "roadmap,schedule"
    )
    chosen = calendar_events(strategy, include=("roadmap", "schedule"))
    assert status == 0
    assert everything.read_text(encoding="utf-8").count("BEGIN:VEVENT") == len(chosen)
    status, _, err = run("calendar", str(demo_file), "--out", str(ics), "--include", "ferien")
    assert status == 1
    assert "ferien" in err
