"""Planning with status, dates and unknown estimates (issue 16): worked examples."""

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest

import kommunal_digital as kd
from kommunal_digital.errors import PlanningError
from kommunal_digital.funding import cash_plan, funding_warnings
from kommunal_digital.funding.findings import WarningCode
from kommunal_digital.gate import ESTIMATES_MISSING, check_readiness
from kommunal_digital.model import (
    Cost,
    FundingKind,
    FundingProgramme,
    FundingSource,
    Measure,
    MeasureStatus,
    MemberMunicipality,
    ScheduleLimits,
    Weighting,
)
from kommunal_digital.model.schedule import (
    Constraint,
    DoneMeasure,
    Schedule,
    ScheduledMeasure,
)
from kommunal_digital.monitoring import roll_up_progress
from kommunal_digital.monitoring.staleness import FlagKind, measure_flags
from kommunal_digital.planning import (
    break_down,
    critical_path,
    default_priority,
    plan_strategy,
    roadmap_inputs,
    schedule_inputs,
    schedule_measures,
)

D = Decimal
START = dt.date(2027, 1, 1)
LIMITS = ScheduleLimits(start=START, horizon_years=3)


def m(key: str, **fields: Any) -> Measure:
    values: dict[str, Any] = {
        "duration_months": 6,
        "cost": Cost(one_off=D(12_000), yearly=D(1_200)),
        "staff_fte": 0.5,
    }
    values.update(fields)
    return Measure(key=key, title=f"Maßnahme {key.upper()}", action_field="verwaltung", **values)


def strategy(*measures: Measure, **extra: Any) -> kd.Strategy:
    return kd.Strategy(
        municipality=kd.Municipality(
            name="Gemeinde Test", kind=kd.MunicipalityKind.GEMEINDE, land="Rheinland-Pfalz"
        ),
        action_fields=(kd.ActionField(key="verwaltung", title="Kommunale Verwaltung"),),
        measures=measures,
        **extra,
    )


def placed(schedule: Schedule, key: str) -> ScheduledMeasure:
    entry = schedule.entry(key)
    assert entry is not None, f"{key} is not placed"
    return entry


# --- status ----------------------------------------------------------------------


def test_a_finished_measure_is_reported_as_done_and_never_scheduled() -> None:
    finished = m("portal", status=MeasureStatus.ABGESCHLOSSEN, finished_on=dt.date(2026, 5, 31))
    schedule = schedule_measures([finished, m("app", depends_on=("portal",))], LIMITS)
    assert schedule.entry("portal") is None
    assert schedule.done == (DoneMeasure("portal", dt.date(2026, 5, 31)),)
    assert [u.measure for u in schedule.unplaced] == []
    # What builds on finished work can start at once.
    assert placed(schedule, "app").start == START
    # Its money is not planned again.
    assert sum((y.one_off for y in schedule.years), D(0)) == D(12_000)


def test_a_dropped_measure_is_listed_and_its_dependants_say_so() -> None:
    schedule = schedule_measures(
        [m("alt", status=MeasureStatus.VERWORFEN), m("neu", depends_on=("alt",))], LIMITS
    )
    assert schedule.dropped == ("alt",)
    neu = placed(schedule, "neu")
    assert neu.start == START
    assert "Sie baut auf der verworfenen Maßnahme „alt“ auf." in neu.notes


def test_a_running_measure_keeps_its_real_start_before_the_plan() -> None:
    running = m(
        "ozg",
        status=MeasureStatus.IN_UMSETZUNG,
        start_on=dt.date(2026, 10, 15),
        duration_months=6,
        cost=Cost(one_off=D(6_000), yearly=D(0)),
    )
    schedule = schedule_measures([running], LIMITS)
    entry = placed(schedule, "ozg")
    assert entry.start == dt.date(2026, 10, 1)
    assert entry.start_month == -3
    assert entry.end == dt.date(2027, 3, 31)
    assert entry.fixed_start
    assert entry.notes[0] == "Die Maßnahme läuft seit 15.10.2026; dieser Beginn bleibt."
    # Three of six months fall before the plan: half the cost counts as spent before it.
    assert {y.year: y.one_off for y in schedule.years}[2027] == D(3_000)
    # The cash plan agrees.
    plan = cash_plan(strategy(running, limits=LIMITS, schedule=schedule))
    assert plan.measure("ozg").one_off == D(3_000)
    assert plan.one_off == D(3_000)


def test_a_running_measure_past_its_estimated_end_stays_with_an_open_rest() -> None:
    late = m("akte", status=MeasureStatus.VERZOEGERT, start_on=dt.date(2025, 1, 1))
    entry = placed(schedule_measures([late], LIMITS), "akte")
    assert entry.start == dt.date(2025, 1, 1)
    assert entry.end == dt.date(2027, 1, 31)
    assert any("wie lange sie noch dauert, ist offen" in note for note in entry.notes)


def test_a_running_measure_takes_its_place_first_even_over_the_budget() -> None:
    limits = ScheduleLimits(start=START, horizon_years=2, one_off_budget=D(10_000))
    running = m(
        "laeuft",
        status=MeasureStatus.IN_UMSETZUNG,
        start_on=START,
        cost=Cost(one_off=D(15_000), yearly=D(0)),
    )
    wichtig = m("wichtig", cost=Cost(one_off=D(8_000), yearly=D(0)))
    schedule = schedule_measures([wichtig, running], limits, ["wichtig", "laeuft"])
    assert placed(schedule, "laeuft").start == START
    assert any("überschreitet das Budget" in n for n in placed(schedule, "laeuft").notes)
    # The ranked measure waits for money instead.
    assert placed(schedule, "wichtig").start >= dt.date(2028, 1, 1)


def test_a_running_measure_without_a_start_says_so() -> None:
    entry = placed(schedule_measures([m("x", status=MeasureStatus.IN_UMSETZUNG)], LIMITS), "x")
    assert entry.start == START
    assert not entry.fixed_start
    assert entry.notes == (
        "Die Maßnahme läuft bereits; ihr Beginn ist nicht erfasst, im Plan steht sie ab 01/2027.",
    )


# --- fixed start, target date, deadline ------------------------------------------


def test_a_fixed_start_is_kept() -> None:
    entry = placed(schedule_measures([m("x", start_on=dt.date(2027, 9, 20))], LIMITS), "x")
    assert entry.start == dt.date(2027, 9, 1)
    assert entry.fixed_start
    assert entry.notes == ("Beginn wie vorgegeben im Monat 09/2027.",)


def test_a_fixed_start_a_dependency_prevents_is_reported() -> None:
    first = m("basis", duration_months=12)
    fixed = m("aufbau", start_on=dt.date(2027, 6, 1), depends_on=("basis",))
    entry = placed(schedule_measures([first, fixed], LIMITS), "aufbau")
    assert entry.start == dt.date(2028, 1, 1)
    assert not entry.fixed_start
    assert entry.notes == (
        "Der vorgegebene Beginn am 01.06.2027 ist nicht möglich: „basis“, worauf die "
        "Maßnahme aufbaut, ist erst Ende 12/2027 fertig.",
    )


def test_a_fixed_start_before_the_plan_is_stated() -> None:
    entry = placed(schedule_measures([m("x", start_on=dt.date(2026, 3, 1))], LIMITS), "x")
    assert entry.start == START
    assert "liegt vor dem Planungsbeginn" in entry.notes[0]


def test_a_missed_target_date_and_deadline_are_reported() -> None:
    limits = ScheduleLimits(start=START, horizon_years=3, one_off_budget=D(12_000))
    first = m("a")
    second = m("b", target_on=dt.date(2027, 6, 30), deadline=dt.date(2027, 12, 31))
    schedule = schedule_measures([first, second], limits, ["a", "b"])
    entry = placed(schedule, "b")
    # The budget of 2027 goes to "a": "b" starts in 2028.
    assert entry.start == dt.date(2028, 1, 1)
    assert entry.target_missed
    assert entry.deadline_missed
    assert entry.notes == (
        "Der Zieltermin 30.06.2027 wird verfehlt: geplantes Ende 30.06.2028.",
        "Die Frist 31.12.2027 (spätestes Ende) wird verfehlt: geplantes Ende 30.06.2028.",
    )
    kept = placed(schedule_measures([second], limits), "b")
    assert not kept.target_missed
    assert not kept.deadline_missed
    assert kept.notes == ()


def test_a_legal_deadline_passed_before_the_plan_is_stated() -> None:
    ozg = m("ozg", legal_driver="OZG", legal_deadline=dt.date(2022, 12, 31))
    entry = placed(schedule_measures([ozg], LIMITS), "ozg")
    assert entry.legal_deadline_missed
    assert entry.notes == (
        "Die gesetzliche Frist (OZG) ist am 31.12.2022 verstrichen, vor dem Beginn dieses Plans.",
    )
    later = m("egov", legal_deadline=dt.date(2027, 3, 31))
    assert placed(schedule_measures([later], LIMITS), "egov").notes == (
        "Die gesetzliche Frist am 31.03.2027 wird verfehlt: geplantes Ende 30.06.2027.",
    )


def test_without_a_ranking_earlier_deadlines_come_first() -> None:
    plain = strategy(
        m("a"),
        m("b", target_on=dt.date(2028, 1, 1)),
        m("c", deadline=dt.date(2029, 1, 1)),
        m("d", legal_deadline=dt.date(2028, 6, 30)),
    )
    assert default_priority(plain) == ["d", "c", "b", "a"]


# --- unknown estimates -------------------------------------------------------------


def test_an_unknown_duration_is_not_schedulable_without_an_assumption() -> None:
    schedule = schedule_measures(
        [m("offen", duration_months=None), m("danach", depends_on=("offen",))], LIMITS
    )
    assert [(u.measure, u.constraint) for u in schedule.unplaced] == [
        ("offen", Constraint.UNKNOWN_DURATION),
        ("danach", Constraint.DEPENDENCY),
    ]
    assert schedule.unplaced[0].reason.startswith("Dauer noch offen")
    assert Constraint.UNKNOWN_DURATION.label == "Dauer noch offen"


def test_an_unknown_duration_is_placed_with_the_stated_assumption() -> None:
    limits = attrs.evolve(LIMITS, assumed_duration_months=9)
    entry = placed(schedule_measures([m("offen", duration_months=None)], limits), "offen")
    assert entry.assumed_duration
    assert entry.duration_months == 9
    assert entry.end == dt.date(2027, 9, 30)
    assert entry.notes == ("Dauer noch offen; im Plan angenommen sind 9 Monate (Planungsannahme).",)


def test_unknown_costs_and_staff_are_counted_not_summed() -> None:
    limits = ScheduleLimits(start=START, horizon_years=2, one_off_budget=D(1_000), staff_fte=0.5)
    unknown = m("x", cost=Cost(), staff_fte=None, duration_months=12)
    known = m("y", cost=Cost(one_off=D(1_000), yearly=D(120)), duration_months=12)
    schedule = schedule_measures([unknown, known], limits)
    # Unknown cost and staff take nothing from the limits: both start at once.
    assert placed(schedule, "x").start == START
    assert placed(schedule, "y").start == START
    first, second = schedule.years
    assert (first.one_off, first.uncosted, first.unstaffed) == (D(1_000), 1, 1)
    assert (second.follow_on, second.uncosted_follow_on) == (D(120), 1)
    assert (second.uncosted, second.unstaffed) == (0, 0)
    assert not first.complete
    assert first.staff_fte == 0.5


def test_critical_path_refuses_or_assumes_unknown_durations() -> None:
    items = [m("a", duration_months=None), m("b", depends_on=("a",))]
    with pytest.raises(PlanningError, match="'a' is not estimated"):
        critical_path(items, START)
    cpm = critical_path(items, START, assumed_duration_months=3)
    assert cpm.timings["a"].assumed
    assert cpm.duration_months == 9


# --- fingerprints ------------------------------------------------------------------


def test_fingerprints_are_equal_right_after_plan_and_differ_after_a_change(
    isolated_workspace: kd.Workspace,
) -> None:
    base = strategy(m("a"), m("b", depends_on=("a",)), limits=LIMITS)
    planned = plan_strategy(base, isolated_workspace.roadmap_presets)
    assert planned.schedule is not None
    assert planned.roadmap is not None
    assert planned.schedule.inputs.startswith("sha256:")
    assert planned.schedule.inputs == schedule_inputs(planned)
    assert planned.roadmap.inputs == roadmap_inputs(planned)
    # A text-only change keeps both current.
    described = attrs.evolve(
        planned,
        measures=(attrs.evolve(planned.measures[0], description="Neu"), planned.measures[1]),
    )
    assert schedule_inputs(described) == planned.schedule.inputs
    # A new measure makes both stale.
    grown = attrs.evolve(planned, measures=(*planned.measures, m("c")))
    assert schedule_inputs(grown) != planned.schedule.inputs
    assert roadmap_inputs(grown) != planned.roadmap.inputs
    # So do other limits, another order, and another roadmap start.
    assert schedule_inputs(attrs.evolve(planned, limits=attrs.evolve(LIMITS, horizon_years=4))) != (
        planned.schedule.inputs
    )
    assert schedule_inputs(planned, ["b", "a"]) != planned.schedule.inputs
    moved = attrs.evolve(planned, roadmap=attrs.evolve(planned.roadmap, start=dt.date(2027, 2, 1)))
    assert roadmap_inputs(moved) != planned.roadmap.inputs
    # An explicit priority equal to the default one stamps the same fingerprint.
    again = plan_strategy(base, isolated_workspace.roadmap_presets, priority=["a", "b"])
    assert again.schedule is not None
    assert again.schedule.inputs == planned.schedule.inputs


# --- funding -----------------------------------------------------------------------


GRANT = FundingSource(kind=FundingKind.DRITTMITTEL, name="Stiftung", amount=D(5_000))


def test_a_grant_without_a_cost_estimate_counts_as_income() -> None:
    item = m("x", cost=Cost(), funding_sources=(GRANT,), duration_months=12)
    plan = cash_plan(strategy(item, limits=LIMITS))
    cash = plan.measure("x")
    assert cash.one_off is None
    assert cash.follow_on is None
    assert cash.own_share is None
    assert cash.income == D(5_000)
    assert plan.income == D(5_000)
    assert plan.one_off == D(0)
    assert plan.uncosted == ("x",)
    assert plan.uncosted_follow_on == ("x",)
    assert not plan.complete
    assert [(y.year, y.uncosted, y.uncosted_follow_on) for y in plan.years] == [
        (2027, 1, 0),
        (2028, 0, 1),
        (2029, 0, 1),
    ]


def test_a_share_of_an_unknown_cost_is_not_put_in_euros() -> None:
    share = FundingSource(kind=FundingKind.FOERDERPROGRAMM, programme="foerder", rate=80)
    own = FundingSource(kind=FundingKind.EIGENMITTEL, name="Haushalt")
    item = m("x", cost=Cost(), funding_sources=(share, own))
    catalogue = {
        "foerder": FundingProgramme("foerder", "Programm", deadlines=(dt.date(2028, 1, 1),))
    }
    found = funding_warnings(strategy(item), catalogue, today=dt.date(2027, 1, 1))
    assert [w.code for w in found] == [WarningCode.COST_UNKNOWN]
    assert "nicht in Euro" in found[0].message
    assert "übersteigt" not in found[0].message
    assert cash_plan(strategy(item, limits=LIMITS)).income == D(0)


# --- gate ----------------------------------------------------------------------------


def test_the_gate_refuses_unknown_costs_durations_and_staff(
    isolated_workspace: kd.Workspace,
) -> None:
    items = (
        m("a", cost=Cost(yearly=D(0))),
        m("b", duration_months=None, staff_fte=None),
        m("c"),
        m("d", cost=Cost(), status=MeasureStatus.ABGESCHLOSSEN),
        m("e", cost=Cost(), status=MeasureStatus.VERWORFEN),
    )
    report = check_readiness(strategy(*items), isolated_workspace.governance_checks)
    assert not report.ok
    assert [(u.measure, u.fields) for u in report.unestimated] == [
        ("a", ("cost.one_off",)),
        ("b", ("duration_months", "staff_fte")),
    ]
    assert report.unestimated[1].message == (
        "Maßnahme „Maßnahme B“: noch nicht geschätzt: Dauer, Personalbedarf."
    )
    assert (
        "Für 2 Maßnahmen fehlen noch Schätzungen, die der Rat für seine Entscheidung braucht: "
        "„Maßnahme A“ (einmalige Kosten); „Maßnahme B“ (Dauer, Personalbedarf)."
    ) in report.strategy_missing
    assert ESTIMATES_MISSING == "estimates-missing"
    # Finished and dropped measures are not up for decision.
    assert [r.measure for r in report.measures] == ["a", "b", "c"]


# --- monitoring and breakdown --------------------------------------------------------


def test_cost_weighting_falls_back_to_equal_weights_when_a_cost_is_unknown() -> None:
    items = (m("a", progress=100), m("b", cost=Cost(one_off=D(1_000))))
    rollup = roll_up_progress(strategy(*items), Weighting.COST)
    overall = rollup.overall
    assert overall.equal_fallback
    assert overall.unknown_weights == ("b",)
    assert overall.progress == 50.0
    assert [p.weight for p in overall.parts] == [13_200.0, None]
    assert "Die Kosten von „Maßnahme B“ sind noch nicht geschätzt" in overall.explanation


def test_a_breakdown_keeps_unknown_costs_unknown() -> None:
    members = (
        MemberMunicipality("A", population=100),
        MemberMunicipality("B", population=300),
    )
    municipality = kd.Municipality(
        name="VG Test",
        kind=kd.MunicipalityKind.VERBANDSGEMEINDE,
        land="Rheinland-Pfalz",
        members=members,
    )
    plan = attrs.evolve(strategy(m("x"), m("y", cost=Cost())), municipality=municipality)
    first, second = break_down(plan)
    assert first.shares[1].one_off is None
    assert first.one_off == D(3_000)
    assert first.uncosted == ("y",)
    assert second.uncosted_yearly == ("y",)


def test_a_passed_own_deadline_flags_the_measure() -> None:
    item = m("x", deadline=dt.date(2027, 3, 31))
    flags = measure_flags(strategy(item), item, 0.0, dt.date(2027, 4, 1), None)
    assert [f.kind for f in flags] == [FlagKind.DEADLINE]
    assert flags[0].reason == "Die Frist (spätestes Ende) ist am 31.03.2027 verstrichen."


def test_a_roadmap_task_names_no_role_the_strategy_does_not_have(
    isolated_workspace: kd.Workspace,
) -> None:
    planned = plan_strategy(strategy(m("a"), limits=LIMITS), isolated_workspace.roadmap_presets)
    assert planned.roadmap is not None
    tasks = [t for p in planned.roadmap.phases for t in p.tasks if "Maßnahme A" in t.what]
    assert [t.who for t in tasks] == [""]
