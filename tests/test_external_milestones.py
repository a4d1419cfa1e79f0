"""External milestones (issue 17, part 4b): measures wait for things outside the municipality."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.documents.build import document_context
from kommunal_digital.errors import ModelValidationError
from kommunal_digital.io.strategy_text import dumps_strategy, loads_strategy
from kommunal_digital.model import (
    ActionField,
    ExternalMilestone,
    Measure,
    MeasureStatus,
    Municipality,
    MunicipalityKind,
    ScheduleLimits,
    Strategy,
)
from kommunal_digital.planning import plan_strategy, schedule_inputs, schedule_measures

from .docx_reading import docx_text

TODAY = dt.date(2026, 1, 10)
START = dt.date(2026, 1, 1)
LIMITS = ScheduleLimits(start=START, horizon_years=3)

PORTAL = ExternalMilestone(
    "portal",
    "Servicekonto des Landes",
    owner="Land Rheinland-Pfalz",
    expected_on=dt.date(2026, 6, 15),
    note="laut Zeitplan des Landes",
)
GLASFASER = ExternalMilestone("glasfaser", "Glasfaserausbau", owner="Landkreis")
FOERDER = ExternalMilestone(
    "foerder",
    "Förderbescheid",
    owner="Bund",
    expected_on=dt.date(2026, 3, 1),
    reached_on=dt.date(2025, 12, 1),
)


def _measure(key: str, months: int = 6, **kwargs: object) -> Measure:
    return Measure(
        key,
        f"Maßnahme {key}",
        "verwaltung",
        duration_months=months,
        **kwargs,  # type: ignore[arg-type]
    )


def _strategy(*measures: Measure, external: tuple[ExternalMilestone, ...] = ()) -> Strategy:
    return Strategy(
        municipality=Municipality("Musterstadt", MunicipalityKind.STADT, "Rheinland-Pfalz"),
        action_fields=(ActionField("verwaltung", "Kommunale Verwaltung"),),
        measures=measures,
        external_milestones=external,
        limits=LIMITS,
    )


def example() -> Strategy:
    return _strategy(
        _measure("antrag", waits_for=("portal",)),
        _measure("folge", 3, depends_on=("antrag",)),
        _measure("wlan", 3, waits_for=("glasfaser", "foerder")),
        _measure("frei", 2),
        external=(PORTAL, GLASFASER, FOERDER),
    )


def _placed(schedule: kd.model.Schedule) -> dict[str, kd.model.ScheduledMeasure]:
    return {item.measure: item for item in schedule.placed}


# --------------------------------------------------------------------------- model


def test_milestone_fields_and_reached() -> None:
    assert PORTAL.available_from == dt.date(2026, 6, 15)
    assert not PORTAL.reached
    assert FOERDER.reached
    assert FOERDER.available_from == dt.date(2025, 12, 1)
    assert GLASFASER.available_from is None
    with pytest.raises(ModelValidationError, match="title"):
        ExternalMilestone("x", "")
    with pytest.raises(ModelValidationError, match="key"):
        ExternalMilestone("Nicht gültig", "Titel")


def test_unknown_milestone_key_is_refused() -> None:
    with pytest.raises(ModelValidationError, match=r"measures\[0\]\.waits_for\[0\].*'portl'"):
        _strategy(_measure("antrag", waits_for=("portl",)), external=(PORTAL,))
    with pytest.raises(ModelValidationError, match="external milestones: none"):
        _strategy(_measure("antrag", waits_for=("portal",)))


def test_duplicate_milestone_keys_are_refused() -> None:
    with pytest.raises(ModelValidationError, match="external_milestones"):
        _strategy(external=(PORTAL, attrs.evolve(PORTAL, title="Anderes")))
    with pytest.raises(ModelValidationError, match=r"waits_for\[1\].*listed twice"):
        _strategy(_measure("antrag", waits_for=("portal", "portal")), external=(PORTAL,))


def test_yaml_and_json_round_trip() -> None:
    strategy = example()
    for fmt in ("yaml", "json"):
        text = dumps_strategy(strategy, format=fmt)
        assert loads_strategy(text, format=fmt) == strategy
    text = dumps_strategy(strategy)
    assert "waits_for:\n  - portal" in text
    assert "expected_on: 2026-06-15" in text


def test_strategy_finds_milestone_by_key() -> None:
    strategy = example()
    assert strategy.external_milestone("portal") == PORTAL
    with pytest.raises(KeyError):
        strategy.external_milestone("nichts")


# --------------------------------------------------------------------------- scheduler


def test_measure_waits_for_the_expected_date_and_says_so() -> None:
    placed = _placed(
        schedule_measures(example().measures, LIMITS, external=example().external_milestones)
    )
    antrag = placed["antrag"]
    # Expected on 15 June: the first month starting on or after that day is July.
    assert antrag.start == dt.date(2026, 7, 1)
    assert antrag.notes == (
        "Sie wartet auf „Servicekonto des Landes“ (Land Rheinland-Pfalz), erwartet am "
        "15.06.2026; sie beginnt deshalb nicht vor 07/2026.",
    )
    # What builds on it waits with it; no note of its own about the milestone.
    assert placed["folge"].start == dt.date(2027, 1, 1)
    assert placed["folge"].notes == ()
    assert placed["frei"].start == START


def test_first_of_month_expected_date_allows_that_month() -> None:
    milestone = attrs.evolve(PORTAL, expected_on=dt.date(2026, 6, 1))
    schedule = schedule_measures(
        [_measure("antrag", waits_for=("portal",))], LIMITS, external=[milestone]
    )
    assert schedule.placed[0].start == dt.date(2026, 6, 1)


def test_reached_and_undated_milestones_hold_nothing_back() -> None:
    strategy = example()
    placed = _placed(
        schedule_measures(strategy.measures, LIMITS, external=strategy.external_milestones)
    )
    wlan = placed["wlan"]
    assert wlan.start == START
    # The reached Förderbescheid goes unmentioned; the undated Glasfaser is stated honestly.
    assert wlan.notes == (
        "Sie wartet auf „Glasfaserausbau“ (Landkreis), Termin offen; der Beginn im Plan "
        "setzt voraus, dass dies bis dahin erreicht ist.",
    )


def test_reached_later_than_plan_start_holds_until_reached() -> None:
    milestone = attrs.evolve(FOERDER, reached_on=dt.date(2026, 2, 1))
    schedule = schedule_measures(
        [_measure("wlan", waits_for=("foerder",))], LIMITS, external=[milestone]
    )
    item = schedule.placed[0]
    assert item.start == dt.date(2026, 2, 1)
    assert item.notes == (
        "Sie wartet auf „Förderbescheid“ (Bund), erreicht am 01.02.2026; sie beginnt "
        "deshalb nicht vor 02/2026.",
    )


def test_overdue_milestone_is_stated() -> None:
    milestone = attrs.evolve(PORTAL, expected_on=dt.date(2025, 10, 1))
    schedule = schedule_measures(
        [_measure("antrag", waits_for=("portal",))], LIMITS, external=[milestone]
    )
    item = schedule.placed[0]
    assert item.start == START
    assert item.notes == (
        "Sie wartet auf „Servicekonto des Landes“ (Land Rheinland-Pfalz), erwartet am "
        "01.10.2025 (vor dem Planungsbeginn); als erreicht ist dies nicht erfasst.",
    )


def test_milestone_after_the_horizon_leaves_the_measure_unplaced() -> None:
    milestone = attrs.evolve(PORTAL, expected_on=dt.date(2028, 9, 1))
    schedule = schedule_measures(
        [_measure("antrag", waits_for=("portal",)), _measure("folge", depends_on=("antrag",))],
        LIMITS,
        external=[milestone],
    )
    assert schedule.placed == ()
    first, second = schedule.unplaced
    assert first.measure == "antrag"
    assert first.constraint is kd.model.Constraint.HORIZON
    assert first.reason == (
        "Die Maßnahme wartet auf „Servicekonto des Landes“ (Land Rheinland-Pfalz), erwartet "
        "am 01.09.2028; mit 6 Monaten Dauer wäre sie erst nach dem Planungszeitraum (bis "
        "Ende 2028) fertig."
    )
    assert second.measure == "folge"
    assert second.constraint is kd.model.Constraint.DEPENDENCY


def test_fixed_start_before_the_milestone_is_not_kept() -> None:
    schedule = schedule_measures(
        [_measure("antrag", waits_for=("portal",), start_on=dt.date(2026, 2, 1))],
        LIMITS,
        external=[PORTAL],
    )
    item = schedule.placed[0]
    assert item.start == dt.date(2026, 7, 1)
    assert not item.fixed_start
    assert (
        "Der vorgegebene Beginn am 01.02.2026 ist nicht möglich, weil die Maßnahme auf "
        "einen externen Meilenstein wartet." in item.notes
    )


def test_running_measure_keeps_its_start_and_the_notes_say_it_runs_early() -> None:
    running = _measure(
        "antrag",
        waits_for=("portal", "glasfaser"),
        status=MeasureStatus.IN_UMSETZUNG,
        start_on=dt.date(2026, 2, 1),
    )
    item = schedule_measures([running], LIMITS, external=[PORTAL, GLASFASER]).placed[0]
    assert item.start == dt.date(2026, 2, 1)
    assert item.notes[1:] == (
        "Sie läuft bereits, obwohl „Servicekonto des Landes“ (Land Rheinland-Pfalz), worauf "
        "sie wartet, erst am 15.06.2026 erwartet wird.",
        "Sie wartet auf „Glasfaserausbau“ (Landkreis), Termin offen.",
    )


def test_key_without_milestone_holds_nothing_back_and_is_stated() -> None:
    item = schedule_measures([_measure("antrag", waits_for=("portal",))], LIMITS).placed[0]
    assert item.start == START
    assert item.notes == ("Sie wartet auf „portal“; dazu ist kein externer Meilenstein erfasst.",)


def test_budget_delay_after_the_milestone_is_the_delay_reason() -> None:
    limits = attrs.evolve(LIMITS, one_off_budget="10000")
    measures = [
        _measure("gross", 12, cost=kd.model.Cost("10000", "0")),
        _measure("antrag", 6, waits_for=("portal",), cost=kd.model.Cost("5000", "0")),
    ]
    item = _placed(schedule_measures(measures, limits, ["gross", "antrag"], external=[PORTAL]))[
        "antrag"
    ]
    assert item.start == dt.date(2027, 1, 1)
    assert item.delay_reason
    # The milestone did not set the start: no "deshalb" in its note.
    assert item.notes == (
        "Sie wartet auf „Servicekonto des Landes“ (Land Rheinland-Pfalz), erwartet am 15.06.2026.",
    )


@settings(max_examples=60, deadline=None)
@given(
    expected=st.dates(dt.date(2025, 1, 1), dt.date(2030, 12, 31)),
    reached=st.none() | st.dates(dt.date(2025, 1, 1), dt.date(2030, 12, 31)),
    months=st.integers(1, 24),
)
def test_property_never_starts_before_the_milestone(
    expected: dt.date, reached: dt.date | None, months: int
) -> None:
    milestone = ExternalMilestone("m", "Etwas", expected_on=expected, reached_on=reached)
    schedule = schedule_measures(
        [_measure("a", months, waits_for=("m",)), _measure("b", 1, depends_on=("a",))],
        LIMITS,
        external=[milestone],
    )
    day = reached or expected
    for item in schedule.placed:
        assert item.start >= day or (item.start == START and day <= START)
        assert item.start >= START
    if not schedule.placed:
        assert schedule.unplaced[0].constraint is kd.model.Constraint.HORIZON
        assert "wartet auf „Etwas“" in schedule.unplaced[0].reason


def test_fingerprint_covers_the_milestones(workspace: kd.Workspace) -> None:
    strategy = plan_strategy(example(), workspace.roadmap_presets)
    assert strategy.schedule is not None
    assert strategy.schedule.inputs == schedule_inputs(strategy)
    moved = attrs.evolve(
        strategy,
        external_milestones=(
            attrs.evolve(PORTAL, expected_on=dt.date(2026, 9, 1)),
            GLASFASER,
            FOERDER,
        ),
    )
    assert schedule_inputs(moved) != strategy.schedule.inputs
    renoted = attrs.evolve(
        strategy, external_milestones=(attrs.evolve(PORTAL, note="anders"), GLASFASER, FOERDER)
    )
    assert schedule_inputs(renoted) == strategy.schedule.inputs
    waiting = attrs.evolve(
        strategy,
        measures=tuple(
            attrs.evolve(m, waits_for=("portal",)) if m.key == "frei" else m
            for m in strategy.measures
        ),
    )
    assert schedule_inputs(waiting) != strategy.schedule.inputs
    assert _placed(strategy.schedule)["antrag"].start == dt.date(2026, 7, 1)


# --------------------------------------------------------------------------- documents


def test_context_lists_milestones_and_what_waits(workspace: kd.Workspace) -> None:
    strategy = plan_strategy(example(), workspace.roadmap_presets)
    context = document_context(strategy, workspace, "digitalstrategie", today=TODAY)
    portal = context["external_milestones"][0]
    assert portal["title"] == "Servicekonto des Landes"
    assert portal["owner"] == "Land Rheinland-Pfalz"
    assert portal["expected_on"] == dt.date(2026, 6, 15)
    assert portal["reached"] is False
    assert [m["title"] for m in portal["measures"]] == ["Maßnahme antrag"]
    assert context["external_milestones"][1]["expected_on"] is None
    antrag = next(m for m in context["measures"] if m["key"] == "antrag")
    assert [w["key"] for w in antrag["waits_for"]] == ["portal"]
    assert context["schedule"]["external_milestones"] == context["external_milestones"]
    plan = document_context(strategy, workspace, "vorgehensplan", today=TODAY)
    assert plan["schedule"]["external_milestones"] == context["external_milestones"]


def test_documents_show_the_milestones(tmp_path: Path, workspace: kd.Workspace) -> None:
    strategy = plan_strategy(example(), workspace.roadmap_presets)
    result = kd.build_documents(
        strategy,
        tmp_path,
        workspace,
        document_types=["digitalstrategie", "vorgehensplan", "steckbrief"],
        formats=["markdown", "docx"],
        today=TODAY,
        pictures=False,
    )
    assert result.ok, result.failures
    strategie = (tmp_path / "Digitalstrategie.md").read_text(encoding="utf-8")
    assert "## Abhängigkeiten außerhalb der Kommune" in strategie
    assert (
        "| Servicekonto des Landes – laut Zeitplan des Landes | Land Rheinland-Pfalz | "
        "erwartet am 15\\. Juni 2026 | 1. Maßnahme antrag |" in strategie
    )
    assert "| Glasfaserausbau | Landkreis | Termin noch offen |" in strategie
    assert "| Förderbescheid | Bund | erreicht am 1\\. Dezember 2025 |" in strategie
    assert "sie beginnt deshalb nicht vor 07/2026" in strategie
    plan = (tmp_path / "Vorgehensplan.md").read_text(encoding="utf-8")
    assert "## Abhängigkeiten außerhalb der Kommune" in plan
    assert "erwartet am 15\\. Juni 2026" in plan
    steckbrief = next((tmp_path / "Steckbriefe").glob("*antrag.md")).read_text(encoding="utf-8")
    assert (
        "| Wartet auf | Servicekonto des Landes (Land Rheinland-Pfalz), erwartet am "
        "15\\. Juni 2026 |" in steckbrief
    )
    wlan = next((tmp_path / "Steckbriefe").glob("*wlan.md")).read_text(encoding="utf-8")
    assert (
        "Glasfaserausbau (Landkreis), Termin noch offen; Förderbescheid (Bund), erreicht am "
        "1\\. Dezember 2025" in wlan
    )
    frei = next((tmp_path / "Steckbriefe").glob("*frei.md")).read_text(encoding="utf-8")
    assert "Wartet auf" not in frei
    docx = docx_text(tmp_path / "Digitalstrategie.docx")
    assert "Abhängigkeiten außerhalb der Kommune" in docx
    assert "Wartet auf" in docx
    assert "erwartet am 15. Juni 2026" in docx
    assert "Abhängigkeiten außerhalb der Kommune" in docx_text(tmp_path / "Vorgehensplan.docx")
    steckbrief_docx = next((tmp_path / "Steckbriefe").glob("*antrag.docx"))
    assert "Wartet auf" in docx_text(steckbrief_docx)


def test_documents_without_milestones_say_nothing_about_them(
    tmp_path: Path, workspace: kd.Workspace
) -> None:
    strategy = plan_strategy(_strategy(_measure("frei")), workspace.roadmap_presets)
    kd.build_documents(
        strategy,
        tmp_path,
        workspace,
        document_types=["digitalstrategie", "vorgehensplan"],
        formats=["markdown", "docx"],
        today=TODAY,
        pictures=False,
    )
    for name in ("Digitalstrategie", "Vorgehensplan"):
        assert "außerhalb der Kommune" not in (tmp_path / f"{name}.md").read_text(encoding="utf-8")
        assert "außerhalb der Kommune" not in docx_text(tmp_path / f"{name}.docx")
