"""Unknown values and the fields of issue 16 in files: read, written back, read again.

Unknown is a value: a cost, duration or staff figure nobody has estimated
is ``null`` or absent in a file, loads as ``None`` and is written back by
leaving it out, never as 0 (and a duration never as 6 months).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

import pytest
from hypothesis import given

import kommunal_digital as kd
from kommunal_digital.io.strategy_text import (
    dumps_strategy,
    loads_strategy,
    strategy_from_data,
    strategy_to_data,
)
from kommunal_digital.model import Cost, Strategy
from kommunal_digital.model.ranking import Ranking, RankingEntry
from kommunal_digital.model.roadmap import Roadmap
from kommunal_digital.model.schedule import Schedule, ScheduleLimits
from kommunal_digital.model.workshop import Source, Workshop
from kommunal_digital.planning import plan_strategy
from kommunal_digital.testing import strategies as kst

FORMATS: tuple[Literal["yaml", "json"], ...] = ("yaml", "json")

HEAD = """\
schema_version: 1
municipality: {name: Lindenau, kind: gemeinde, land: Rheinland-Pfalz}
action_fields:
  - {key: verwaltung, title: Verwaltung}
"""


def _load(measures: str, rest: str = "") -> Strategy:
    return loads_strategy(HEAD + "measures:\n" + measures + rest)


def test_null_estimates_load_as_unknown_and_are_left_out_when_written() -> None:
    strategy = _load(
        """\
  - key: portal
    title: Bürgerportal
    action_field: verwaltung
    duration_months: null
    staff_fte: ~
    cost: {one_off: null, yearly: null}
"""
    )
    (measure,) = strategy.measures
    assert measure.duration_months is None
    assert measure.staff_fte is None
    assert measure.cost == Cost(one_off=None, yearly=None)
    written = strategy_to_data(strategy)["measures"][0]
    assert written == {"key": "portal", "title": "Bürgerportal", "action_field": "verwaltung"}
    text = dumps_strategy(strategy)
    for field in ("duration_months", "staff_fte", "cost", "one_off", "yearly"):
        assert field not in text
    assert loads_strategy(text) == strategy


def test_absent_estimates_are_unknown_not_zero_or_six_months() -> None:
    strategy = _load("  - {key: portal, title: Bürgerportal, action_field: verwaltung}\n")
    (measure,) = strategy.measures
    assert measure.duration_months is None  # not 6
    assert measure.staff_fte is None  # not 0.0
    assert measure.cost.one_off is None  # not 0 €
    assert measure.cost.yearly is None


def test_a_null_cost_block_means_both_parts_unknown() -> None:
    strategy = _load("  - {key: portal, title: Portal, action_field: verwaltung, cost: null}\n")
    assert strategy.measures[0].cost == Cost()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_partly_known_cost_keeps_its_unknown_part(fmt: Literal["yaml", "json"]) -> None:
    strategy = _load(
        "  - {key: portal, title: Portal, action_field: verwaltung, cost: {yearly: 1200}}\n"
    )
    assert strategy.measures[0].cost == Cost(one_off=None, yearly=Decimal("1200.00"))
    assert strategy_to_data(strategy)["measures"][0]["cost"] == {"yearly": 1200}
    assert loads_strategy(dumps_strategy(strategy, format=fmt), format=fmt) == strategy


@pytest.mark.parametrize("fmt", FORMATS)
def test_known_zero_estimates_stay_zero(fmt: Literal["yaml", "json"]) -> None:
    # Zero is a real estimate ("costs nothing"), unlike an unknown value.
    strategy = _load(
        "  - {key: portal, title: Portal, action_field: verwaltung, duration_months: 6,\n"
        "     staff_fte: 0, cost: {one_off: 0, yearly: 0}}\n"
    )
    written = strategy_to_data(strategy)["measures"][0]
    assert written["cost"] == {"one_off": 0, "yearly": 0}
    assert written["staff_fte"] == 0
    assert written["duration_months"] == 6
    again = loads_strategy(dumps_strategy(strategy, format=fmt), format=fmt)
    assert again.measures[0].cost == Cost(one_off=0, yearly=0)
    assert again.measures[0].staff_fte == 0


def test_a_grant_with_an_amount_but_no_cost_loads() -> None:
    strategy = _load(
        """\
  - key: portal
    title: Portal
    action_field: verwaltung
    funding_sources:
      - {kind: foerderprogramm, name: Digitalförderung, amount: 50000}
"""
    )
    (source,) = strategy.measures[0].funding_sources
    assert source.amount == Decimal("50000.00")
    assert strategy.measures[0].cost.one_off is None
    assert loads_strategy(dumps_strategy(strategy)) == strategy


@pytest.mark.parametrize("fmt", FORMATS)
def test_measure_dates_round_trip(fmt: Literal["yaml", "json"]) -> None:
    strategy = _load(
        """\
  - key: portal
    title: Portal
    action_field: verwaltung
    status: abgeschlossen
    start_on: 2024-02-01
    target_on: 2024-12-31
    deadline: 2025-06-30
    finished_on: 2024-11-15
  - key: akte
    title: E-Akte
    action_field: verwaltung
    status: geplant
    start_on: 2027-01-01
"""
    )
    portal, akte = strategy.measures
    assert portal.start_on == dt.date(2024, 2, 1)
    assert portal.target_on == dt.date(2024, 12, 31)
    assert portal.deadline == dt.date(2025, 6, 30)
    assert portal.finished_on == dt.date(2024, 11, 15)
    assert akte.start_on == dt.date(2027, 1, 1)
    assert akte.target_on is None
    assert "target_on" not in strategy_to_data(strategy)["measures"][1]
    assert loads_strategy(dumps_strategy(strategy, format=fmt), format=fmt) == strategy


def test_a_date_with_a_time_is_refused_naming_the_field() -> None:
    with pytest.raises(Exception, match=r"measures\[0\]\.deadline"):
        _load("  - {key: p, title: P, action_field: verwaltung, deadline: 2025-06-30 12:00:00}\n")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_workshop_block_round_trips(fmt: Literal["yaml", "json"]) -> None:
    strategy = loads_strategy(
        HEAD
        + """\
workshop:
  held_on: 2024-05-02
  ended_on: 2024-05-03
  participants: [Verwaltung (6 Personen), Gemeinderat, Bürgerschaft]
  participant_count: 23
  moderation: Agentur Beispiel
  notes: |
    Zwei Termine,
    online und vor Ort.
  sources:
    - {title: Protokoll der Digital-Werkstatt, url: "https://example.org/p?id=1&s=2"}
    - {title: Gemeinderatsbeschluss vom 12.03.2024}
"""
    )
    workshop = strategy.workshop
    assert workshop == Workshop(
        held_on=dt.date(2024, 5, 2),
        ended_on=dt.date(2024, 5, 3),
        participants=("Verwaltung (6 Personen)", "Gemeinderat", "Bürgerschaft"),
        participant_count=23,
        moderation="Agentur Beispiel",
        notes="Zwei Termine,\nonline und vor Ort.\n",
        sources=(
            Source("Protokoll der Digital-Werkstatt", "https://example.org/p?id=1&s=2"),
            Source("Gemeinderatsbeschluss vom 12.03.2024"),
        ),
    )
    assert loads_strategy(dumps_strategy(strategy, format=fmt), format=fmt) == strategy


def test_an_empty_workshop_block_differs_from_none() -> None:
    empty = loads_strategy(HEAD + "workshop: {}\n")
    assert empty.workshop == Workshop()
    assert loads_strategy(dumps_strategy(empty)).workshop == Workshop()
    assert loads_strategy(HEAD + "workshop: null\n").workshop is None
    assert "workshop" not in strategy_to_data(loads_strategy(HEAD))


def test_a_bad_source_address_is_refused_naming_the_field() -> None:
    with pytest.raises(Exception, match=r"workshop\.sources\[0\]\.url"):
        loads_strategy(HEAD + "workshop:\n  sources: [{title: Protokoll, url: example.org}]\n")


@pytest.mark.parametrize("fmt", FORMATS)
def test_fingerprints_and_the_assessed_flag_round_trip(fmt: Literal["yaml", "json"]) -> None:
    base = _load("  - {key: portal, title: Portal, action_field: verwaltung}\n")
    ranking = Ranking(
        rule="stimmen",
        entries=(RankingEntry(measure="portal", rank=1, score=0, note="noch nicht bewertet"),),
        assessed=False,
        inputs="sha256:" + "a" * 64,
    )
    schedule = Schedule(
        limits=ScheduleLimits(start=dt.date(2026, 1, 1)), inputs="sha256:" + "b" * 64
    )
    roadmap = Roadmap(start=dt.date(2026, 1, 1), inputs="sha256:" + "c" * 64)
    strategy = strategy_from_data(
        {
            **strategy_to_data(base),
            "ranking": {
                "rule": "stimmen",
                "entries": [{"measure": "portal", "rank": 1, "score": 0}],
                "assessed": False,
                "inputs": ranking.inputs,
            },
            "schedule": {"limits": {"start": dt.date(2026, 1, 1)}, "inputs": schedule.inputs},
            "roadmap": {"start": dt.date(2026, 1, 1), "inputs": roadmap.inputs},
        }
    )
    assert strategy.ranking is not None
    assert strategy.ranking.assessed is False
    assert strategy.ranking.inputs == ranking.inputs
    assert strategy.schedule is not None
    assert strategy.schedule.inputs == schedule.inputs
    assert strategy.roadmap == roadmap
    data = strategy_to_data(strategy)
    assert data["ranking"]["assessed"] is False
    assert data["schedule"] == {"limits": {"start": dt.date(2026, 1, 1)}, "inputs": schedule.inputs}
    assert loads_strategy(dumps_strategy(strategy, format=fmt), format=fmt) == strategy


def test_an_assessed_ranking_and_empty_fingerprints_are_left_out() -> None:
    strategy = strategy_from_data(
        {
            **strategy_to_data(_load("  - {key: p, title: P, action_field: verwaltung}\n")),
            "ranking": {"rule": "stimmen", "entries": [{"measure": "p", "rank": 1, "score": 3}]},
        }
    )
    written = strategy_to_data(strategy)["ranking"]
    assert "assessed" not in written
    assert "inputs" not in written


@pytest.mark.parametrize("fmt", FORMATS)
@given(strategy=kst.thin_strategies())
def test_thin_strategies_round_trip_as_text(
    fmt: Literal["yaml", "json"], strategy: Strategy
) -> None:
    assert loads_strategy(dumps_strategy(strategy, format=fmt), format=fmt) == strategy


@given(strategy=kst.thin_strategies())
def test_unknown_values_are_never_written_as_numbers(strategy: Strategy) -> None:
    data = strategy_to_data(strategy)
    for measure, written in zip(strategy.measures, data.get("measures", ()), strict=True):
        cost = written.get("cost", {})
        assert ("one_off" in cost) == (measure.cost.one_off is not None)
        assert ("yearly" in cost) == (measure.cost.yearly is not None)
        assert ("duration_months" in written) == (measure.duration_months is not None)
        assert ("staff_fte" in written) == (measure.staff_fte is not None)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_planned_schedule_with_done_dropped_and_unknown_round_trips(
    fmt: Literal["yaml", "json"], workspace: kd.Workspace
) -> None:
    strategy = _load(
        """\
  - {key: fertig, title: Fertig, action_field: verwaltung, status: abgeschlossen,
     finished_on: 2025-03-31, duration_months: 3}
  - {key: weg, title: Verworfen, action_field: verwaltung, status: verworfen}
  - {key: offen, title: Dauer offen, action_field: verwaltung}
  - {key: laeuft, title: Läuft, action_field: verwaltung, status: in_umsetzung,
     start_on: 2025-09-01, duration_months: 12, cost: {one_off: 1000}}
  - {key: neu, title: Neu, action_field: verwaltung, duration_months: 4, target_on: 2026-02-28,
     deadline: 2026-03-31, staff_fte: 0.5, cost: {one_off: 0, yearly: 0}}
""",
        "limits: {start: 2026-01-01, horizon_years: 3, assumed_duration_months: 6}\n",
    )
    planned = plan_strategy(strategy, workspace.roadmap_presets)
    assert planned.schedule is not None
    assert planned.schedule.inputs.startswith("sha256:")
    assert planned.roadmap is not None
    assert planned.roadmap.inputs.startswith("sha256:")
    again = loads_strategy(dumps_strategy(planned, format=fmt), format=fmt)
    assert again == planned
    assert again.schedule == planned.schedule
