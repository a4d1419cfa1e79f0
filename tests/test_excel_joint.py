"""Excel: partners, cost sharing, strategy funding and external milestones (issue 17)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kommunal_digital.io.excel import WorkbookError, export_workbook, import_workbook
from kommunal_digital.model import (
    CostSharing,
    ExternalMilestone,
    ShareBasis,
    Strategy,
    StrategyFunding,
)

from .test_joint_strategy import joint_strategy


def full_joint() -> Strategy:
    """The joint strategy of three partners, with strategy funding and an external milestone."""
    strategy = joint_strategy()
    first = strategy.measures[0]
    return attrs.evolve(
        strategy,
        external_milestones=(
            ExternalMilestone(
                "landesportal",
                "Landesportal verfügbar",
                owner="Land Rheinland-Pfalz",
                expected_on=dt.date(2027, 3, 1),
                note="laut Ministerium",
            ),
        ),
        funding=(
            StrategyFunding(
                "msc",
                "Modellprojekte Smart Cities",
                provider="Bund",
                amount="1000000",
                own_share=10,
                start=dt.date(2027, 1, 1),
                end=dt.date(2031, 12, 31),
                sharing=CostSharing(("adorf", "nord"), ShareBasis.AGREED, {"adorf": 3, "nord": 1}),
            ),
        ),
        measures=(attrs.evolve(first, waits_for=("landesportal",)), *strategy.measures[1:]),
    )


def rows(sheet: Worksheet) -> list[dict[str, object]]:
    header = [c.value for c in sheet[1]]
    return [
        {str(h): v for h, v in zip(header, r, strict=False) if v is not None}
        for r in sheet.iter_rows(min_row=2, values_only=True)
    ]


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return export_workbook(full_joint(), tmp_path / "gemeinsam.xlsx")


def test_joint_data_stands_on_visible_sheets_and_comes_back(workbook: Path) -> None:
    assert import_workbook(workbook) == full_joint()
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames.index("Partner") == book.sheetnames.index("Ortsgemeinden") + 1
    assert rows(book["Partner"])[2] == {
        "Schlüssel": "sued",
        "Name": "Verbandsgemeinde Süd",
        "Art": "Verbandsgemeinde",
        "Beschlussgremium": "Verbandsgemeinderat Süd",
        "Einwohner": 10000,
    }
    funding = rows(book["Förderung"])[0]
    assert funding["Volumen (€)"] == 1000000
    assert funding["Eigenanteil (%)"] == 10
    assert funding["Beteiligte Partner"] == "adorf\nnord"
    assert funding["Kostenteilung"] == "nach vereinbarten Anteilen"
    assert funding["Vereinbarte Anteile"] == "adorf: 3\nnord: 1"
    milestone = rows(book["Externe Meilensteine"])[0]
    assert milestone["Verantwortlich"] == "Land Rheinland-Pfalz"
    assert milestone["Erwartet am"] == dt.datetime(2027, 3, 1)
    measures = rows(book["Maßnahmen"])
    assert measures[0]["Wartet auf"] == "landesportal"
    assert measures[1]["Beteiligte Partner"] == "nord\nsued"
    assert measures[1]["Vereinbarte Anteile"] == "nord: 1\nsued: 1"
    kommune = {r[0]: r[1] for r in book["Kommune"].iter_rows(min_row=2, values_only=True)}
    assert kommune["Kostenteilung"] == "nach Einwohnerzahl"


def test_edits_on_the_sheets_win(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    book["Partner"]["F2"] = 25000  # Einwohner of adorf
    book["Partner"]["D3"] = "Rat der VG Nord"
    measures = book["Maßnahmen"]
    header = [c.value for c in measures[1]]
    shares = header.index("Vereinbarte Anteile") + 1
    measures.cell(row=3, column=shares, value="nord: 2,5\nsued: 1")
    book["Kommune"]["B14"] = "zu gleichen Teilen"
    book.save(workbook)
    strategy = import_workbook(workbook)
    assert strategy.partners[0].population == 25000
    assert strategy.partners[1].council == "Rat der VG Nord"
    sharing = strategy.measures[1].sharing
    assert sharing is not None
    assert sharing.shares == {"nord": Decimal("2.5"), "sued": Decimal(1)}
    assert strategy.cost_sharing is ShareBasis.EQUAL


def test_wrong_joint_data_is_reported_at_its_cell(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    measures = book["Maßnahmen"]
    header = [c.value for c in measures[1]]

    def column(name: str) -> str:
        return str(get_column_letter(header.index(name) + 1))

    measures[f"{column('Beteiligte Partner')}3"] = "nord\nwest"
    measures[f"{column('Vereinbarte Anteile')}4"] = "sued = 1"
    measures[f"{column('Wartet auf')}5"] = "bundesportal"
    book["Partner"]["A4"] = "nord"  # duplicate key
    book["Förderung"]["F2"] = "viel"
    book.save(workbook)
    with pytest.raises(WorkbookError) as info:
        import_workbook(workbook)
    problems = info.value.problems
    assert f"Maßnahmen!{column('Vereinbarte Anteile')}4: Vereinbarte Anteile: 'sued = 1' " in (
        "\n".join(problems)
    )
    assert "Förderung!F2: Eigenanteil (%) muss eine Zahl sein, nicht 'viel'" in problems
    assert "Partner!A4: Schlüssel 'nord' kommt doppelt vor (zuerst in Zeile 3)" in problems
    assert (
        f"Maßnahmen!{column('Beteiligte Partner')}3: unbekannter Partner 'west' (Blatt Partner)"
        in problems
    )
    assert (
        f"Maßnahmen!{column('Wartet auf')}5: unbekannter externer Meilenstein 'bundesportal' "
        "(Blatt Externe Meilensteine)" in problems
    )


def test_a_model_check_on_joint_data_names_the_cell(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    book["Partner"]["F3"] = None  # nord's population, needed to share by population
    book.save(workbook)
    with pytest.raises(WorkbookError) as info:
        import_workbook(workbook)
    assert any(p.startswith("Maßnahmen!") and "'nord' has no population" in p
               for p in info.value.problems), info.value.problems  # fmt: skip


def test_a_workbook_without_the_new_sheets_keeps_the_data_from_the_hidden_sheet(
    workbook: Path,
) -> None:
    book = openpyxl.load_workbook(workbook)
    for name in ("Partner", "Förderung", "Externe Meilensteine"):
        del book[name]
    book.save(workbook)
    assert import_workbook(workbook) == full_joint()
