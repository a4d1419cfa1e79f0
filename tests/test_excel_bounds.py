"""Reading a workbook is bounded: hostile workbooks are refused quickly, naming the place.

The workbooks are made at test time from the demo's export: a value in the
last cell Excel has, sheets that claim to be huge, a zip bomb inside the
workbook, damaged members, an XML part with a DOCTYPE, a hidden sheet that
was deleted.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

import kommunal_digital as kd
from kommunal_digital.cli.main import cli
from kommunal_digital.io.excel import WorkbookError, bounds, import_workbook, layout, workbook_bytes

from .zip_tricks import MIB, crc_of, patch_member, replace_members


@functools.cache
def demo_bytes() -> bytes:
    return workbook_bytes(kd.demo_strategy())


def demo_book(folder: Path, name: str = "w.xlsx") -> Path:
    path = folder / name
    path.write_bytes(demo_bytes())
    return path


def edited(folder: Path, edit: Callable[[openpyxl.Workbook], None], name: str = "w.xlsx") -> Path:
    """The demo workbook, edited with openpyxl and saved."""
    path = demo_book(folder, name)
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)
    return path


def sheet_part(data: bytes, title: str) -> str:
    """The zip member holding the sheet ``title``."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    workbook = archive.read("xl/workbook.xml").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(title)}"[^>]*r:id="(rId\d+)"', workbook)
    assert rid is not None
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
    )
    assert target is not None
    return "xl/" + target.group(1).removeprefix("/xl/")


def member(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def problems_of(path: Path) -> list[str]:
    with pytest.raises(WorkbookError) as info:
        import_workbook(path)
    assert info.value.__cause__ is None
    return list(info.value.problems)


@pytest.fixture
def rows_read(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Every (last row, last column) openpyxl is asked to read."""
    asked: list[tuple[int, int]] = []
    original = ReadOnlyWorksheet._cells_by_row  # type: ignore[attr-defined]  # private, spied on

    def spy(
        self: Any, min_col: int, min_row: int, max_col: int, max_row: int, values: bool = False
    ) -> Any:
        asked.append((max_row, max_col))
        return original(self, min_col, min_row, max_col, max_row, values)

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", spy)
    return asked


def test_openpyxl_parses_with_defusedxml() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_a_value_in_the_last_cell_is_refused_before_any_row_is_read(
    tmp_path: Path, rows_read: list[tuple[int, int]]
) -> None:
    def far(book: openpyxl.Workbook) -> None:
        book["Maßnahmen"]["XFD1048576"] = 1

    path = edited(tmp_path, far)
    assert path.stat().st_size < 100_000
    with pytest.raises(WorkbookError) as info:
        import_workbook(path)
    assert [(d.sheet, d.cell) for d in info.value.details] == [("Maßnahmen", "XFD1048576")]
    assert str(info.value) == (
        "w.xlsx: Maßnahmen!XFD1048576: liegt außerhalb des erlaubten Bereichs A1:GR20000 "
        "(ein Blatt hat höchstens 20.000 Zeilen und 200 Spalten)"
    )
    assert rows_read == []


def test_a_sheet_that_claims_to_be_huge_is_read_within_its_used_range(
    tmp_path: Path, rows_read: list[tuple[int, int]]
) -> None:
    data = demo_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    huge = {
        name: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', raw)
        for name in archive.namelist()
        if name.startswith("xl/worksheets/")
        for raw in [archive.read(name)]
    }
    assert all(b"XFD1048576" in raw for raw in huge.values())
    path = tmp_path / "gross.xlsx"
    path.write_bytes(replace_members(data, huge))
    assert import_workbook(path) == kd.demo_strategy()
    assert rows_read
    assert max(row for row, _ in rows_read) < 100
    assert max(column for _, column in rows_read) <= bounds.MAX_COLUMNS


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("A1000000", "liegt außerhalb des erlaubten Bereichs A1:GR20000"),
        ("GS2", "liegt außerhalb des erlaubten Bereichs A1:GR20000"),
        ("GR5001", "der benutzte Bereich A1:GR5001 umfasst 1.000.200 Zellen, erlaubt sind "),
    ],
    ids=["million-rows", "too-wide", "too-many-cells"],
)
def test_sheets_beyond_the_limits_name_the_cell(tmp_path: Path, cell: str, message: str) -> None:
    def put(book: openpyxl.Workbook) -> None:
        book["Beteiligte"][cell] = "x"

    (line,) = problems_of(edited(tmp_path, put))
    assert line.startswith(f"Beteiligte!{cell}: {message}")


def test_every_sheet_beyond_the_limits_is_reported(tmp_path: Path) -> None:
    def put(book: openpyxl.Workbook) -> None:
        book["Ziele"]["A30000"] = "x"
        book["Beteiligte"]["ZZ3"] = "x"

    found = problems_of(edited(tmp_path, put))
    assert [line.split(":")[0] for line in found] == ["Ziele!A30000", "Beteiligte!ZZ3"]


def test_a_text_longer_than_a_cell_holds_is_refused(tmp_path: Path) -> None:
    def mark(book: openpyxl.Workbook) -> None:
        book["Maßnahmen"]["B3"] = "MARKE-LANG"

    path = edited(tmp_path, mark)
    data = path.read_bytes()
    part = sheet_part(data, "Maßnahmen")
    xml = member(data, part)
    assert b"MARKE-LANG" in xml
    path.write_bytes(replace_members(data, {part: xml.replace(b"MARKE-LANG", b"y" * 40_000)}))
    assert problems_of(path) == [
        "Maßnahmen!B3: die Zelle enthält 40.000 Zeichen, erlaubt sind höchstens 32.767"
    ]


def test_a_number_openpyxl_cannot_read_names_the_sheet_and_row(tmp_path: Path) -> None:
    def mark(book: openpyxl.Workbook) -> None:
        book["Maßnahmen"]["F2"] = 987654321

    path = edited(tmp_path, mark)
    data = path.read_bytes()
    part = sheet_part(data, "Maßnahmen")
    xml = member(data, part)
    assert b"<v>987654321</v>" in xml
    digits = b"<v>" + b"9" * 5000 + b"</v>"
    path.write_bytes(replace_members(data, {part: xml.replace(b"<v>987654321</v>", digits)}))
    (line,) = problems_of(path)
    assert line.startswith("Maßnahmen!A2: nicht lesbar (")


def with_shared_texts(data: bytes, count: int) -> bytes:
    """The workbook with a table of ``count`` shared texts (none of them used)."""
    types = member(data, "[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    table = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>t</t></si>" * count
        + b"</sst>"
    )
    return replace_members(data, {"[Content_Types].xml": types, "xl/sharedStrings.xml": table})


def test_too_many_texts_are_refused_before_openpyxl_loads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "texte.xlsx"
    path.write_bytes(with_shared_texts(demo_bytes(), 11))
    monkeypatch.setattr(bounds, "MAX_TEXTS", 11)
    assert import_workbook(path) == kd.demo_strategy()
    monkeypatch.setattr(bounds, "MAX_TEXTS", 10)
    assert problems_of(path) == ["die Arbeitsmappe enthält mehr als 10 verschiedene Texte"]


def test_hidden_data_beyond_its_limit_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounds, "MAX_HIDDEN_CHARS", 100)
    assert problems_of(demo_book(tmp_path)) == [
        "_daten!A2: die verborgenen Daten sind länger als 100 Zeichen"
    ]


def container_error(path: Path) -> str:
    with pytest.raises(kd.InputFileError) as info:
        import_workbook(path)
    assert not isinstance(info.value, WorkbookError)
    assert info.value.__cause__ is None
    return str(info.value)


def test_a_zip_bomb_inside_the_workbook_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "bombe.xlsx"
    path.write_bytes(replace_members(demo_bytes(), {"xl/media/bombe.bin": bytes(9 * MIB)}))
    assert path.stat().st_size < 200_000
    assert container_error(path).splitlines() == [
        "bombe.xlsx: Arbeitsmappe abgelehnt: xl/media/bombe.bin: entpackt 9437184 Bytes, "
        "erlaubt sind höchstens 8388608 je Eintrag",
        "bombe.xlsx: Arbeitsmappe abgelehnt: xl/media/bombe.bin: stärker als 100:1 "
        "komprimiert (Zip-Bombe?)",
    ]


@pytest.mark.parametrize(
    ("lie", "expected"),
    [
        ({"crc": 1}, "ist beschädigt (Bad CRC-32 for file "),
        ({"file_size": 10}, "ist beschädigt (Bad CRC-32 for file "),
        ({"file_size": 10**6}, "ist beschädigt (unpacks to "),
        ({"flags": 1}, "ist verschlüsselt"),
        ({"method": 99}, "ist mit Methode 99 komprimiert, die nicht gelesen werden kann"),
    ],
    ids=["bad-crc", "size-too-small", "size-too-big", "encrypted", "unknown-method"],
)
def test_damaged_members_are_refused_naming_the_member(
    tmp_path: Path, lie: dict[str, int], expected: str
) -> None:
    data = demo_bytes()
    part = sheet_part(data, "Maßnahmen")
    path = tmp_path / "kaputt.xlsx"
    path.write_bytes(patch_member(data, part, **lie))
    assert crc_of(data, part) != 1
    assert container_error(path).startswith(
        f"kaputt.xlsx: Arbeitsmappe abgelehnt: {part}: {expected}"
    )


def test_an_xml_part_with_a_doctype_is_refused(tmp_path: Path) -> None:
    data = demo_bytes()
    part = sheet_part(data, "Kommune")
    bomb = b'<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    path = tmp_path / "dtd.xlsx"
    path.write_bytes(replace_members(data, {part: bomb + member(data, part)}))
    assert container_error(path) == (
        f"dtd.xlsx: Arbeitsmappe abgelehnt: {part}: enthält eine DOCTYPE- oder "
        "ENTITY-Deklaration, die keine Office-Datei braucht (abgelehnt, um XML-Angriffe "
        "auszuschließen)"
    )


def test_a_deleted_hidden_sheet_is_reported_with_what_it_carried(tmp_path: Path) -> None:
    def drop(book: openpyxl.Workbook) -> None:
        del book[layout.DATEN]

    (line,) = problems_of(edited(tmp_path, drop))
    assert line.startswith("_daten: das verborgene Blatt fehlt; es trägt die Teile der Strategie")
    for key, label in layout.HIDDEN_PARTS.items():
        assert f"{label} ({key})" in line
    assert "Partner (partners)" not in line  # the sheet is there
    assert line.endswith("auch das Blatt '_listen' löschen")


def test_an_emptied_hidden_sheet_is_reported_with_the_optional_sheets_missing(
    tmp_path: Path,
) -> None:
    def empty(book: openpyxl.Workbook) -> None:
        book[layout.DATEN]["A2"] = None
        del book[layout.PARTNER]

    (line,) = problems_of(edited(tmp_path, empty))
    assert line.startswith("_daten: das verborgene Blatt ist leer; ")
    assert "Partner (partners)" in line


def test_a_workbook_without_both_hidden_sheets_has_nothing_to_lose(tmp_path: Path) -> None:
    def strip(book: openpyxl.Workbook) -> None:
        del book[layout.DATEN]
        del book[layout.LISTEN]

    strategy = import_workbook(edited(tmp_path, strip))
    demo = kd.demo_strategy()
    assert [(m.key, m.title) for m in strategy.measures] == [
        (m.key, m.title) for m in demo.measures
    ]
    assert demo.profiles
    assert strategy.profiles == ()
    assert strategy.ranking is None


def test_every_hidden_part_is_a_strategy_field_no_sheet_carries() -> None:
    import attrs

    carried = {path.split(".")[0] for path in layout.CARRIED["strategy"]}
    fields = {field.name for field in attrs.fields(kd.Strategy)}
    hidden = fields - carried - set(layout.OPTIONAL_TABLE_FIELDS.values())
    assert set(layout.HIDDEN_PARTS) == hidden


def cli_run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stderr


def test_cli_import_and_validate_report_hostile_workbooks_without_traceback(
    tmp_path: Path,
) -> None:
    def far(book: openpyxl.Workbook) -> None:
        book["Maßnahmen"]["XFD1048576"] = 1

    far_book = edited(tmp_path, far, "weit.xlsx")
    status, err = cli_run("import", str(far_book), "--out", str(tmp_path / "s.yaml"))
    assert status == 1
    assert err.startswith("error: weit.xlsx: Maßnahmen!XFD1048576: liegt außerhalb")
    assert "Traceback" not in err
    assert not (tmp_path / "s.yaml").exists()
    bomb = tmp_path / "bombe.xlsx"
    bomb.write_bytes(replace_members(demo_bytes(), {"xl/media/bombe.bin": bytes(9 * MIB)}))
    status, err = cli_run("validate", str(bomb))
    assert status == 1
    assert "bombe.xlsx: Arbeitsmappe abgelehnt: xl/media/bombe.bin: " in err
    assert "Traceback" not in err
