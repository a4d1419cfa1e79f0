import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kommunal_digital.model import Cost, Measure, MeasureStatus
from kommunal_digital.model.schedule import Constraint, Schedule, ScheduleLimits, YearLimit
from kommunal_digital.planning.schedule import schedule_measures
from kommunal_digital.units.months import year_of_month

START = dt.date(2027, 1, 1)


def m(
    key: str,
    months: int = 6,
    one_off: int = 0,
    yearly: int = 0,
    fte: float = 0.0,
    after: tuple[str, ...] = (),
) -> Measure:
    return Measure(
        key=key,
        title=key,
        action_field="f",
        duration_months=months,
        cost=Cost(one_off=Decimal(one_off), yearly=Decimal(yearly)),
        staff_fte=fte,
        depends_on=after,
    )


def start_of(schedule: Schedule, key: str) -> int:
    entry = schedule.entry(key)
    assert entry is not None, f"{key} is not placed"
    return entry.start_month


def test_budget_pushes_a_measure_into_the_next_year_and_says_why() -> None:
    limits = ScheduleLimits(start=START, horizon_years=3, one_off_budget=Decimal(100_000))
    schedule = schedule_measures(
        [m("portal", 12, 100_000), m("wlan", 6, 30_000), m("kurs", 3, 0)], limits
    )
    # The portal uses the whole 2027 budget, so the WLAN cannot start before 2028.
    portal, wlan, kurs = (schedule.entry(k) for k in ("portal", "wlan", "kurs"))
    assert portal is not None
    assert wlan is not None
    assert kurs is not None
    assert portal.start == dt.date(2027, 1, 1)
    assert portal.delayed_by is None
    assert wlan.start == dt.date(2028, 1, 1)
    assert wlan.end == dt.date(2028, 6, 30)
    assert wlan.delayed_by is Constraint.BUDGET
    assert wlan.delay_year == 2027
    assert "Budget" in wlan.delay_reason
    assert "2027" in wlan.delay_reason
    assert kurs.start == dt.date(2027, 1, 1)
    totals = {y.year: y.one_off for y in schedule.years}
    assert totals == {2027: Decimal(100_000), 2028: Decimal(30_000), 2029: Decimal(0)}


def test_one_off_costs_are_spread_over_the_months_a_measure_runs() -> None:
    limits = ScheduleLimits(start=START, horizon_years=3, one_off_budget=Decimal(100_000))
    schedule = schedule_measures([m("portal", 12, 80_000), m("wlan", 12, 50_000)], limits)
    # 20.000 are left in 2027; 4 of 12 months of the WLAN cost 16.666,67, 5 would cost 20.833,33.
    wlan = schedule.entry("wlan")
    assert wlan is not None
    assert wlan.start == dt.date(2027, 9, 1)
    totals = {y.year: y.one_off for y in schedule.years}
    assert totals[2027] == Decimal("96666.67")
    assert totals[2028] == Decimal("33333.33")


def test_unplaceable_measure_names_constraint_and_year() -> None:
    limits = ScheduleLimits(
        start=START,
        horizon_years=2,
        years=(
            YearLimit(2027, one_off_budget=Decimal(10_000)),
            YearLimit(2028, one_off_budget=Decimal(10_000)),
        ),
    )
    schedule = schedule_measures(
        [m("rechenzentrum", 6, 50_000), m("folge", 1, 0, after=("rechenzentrum",))], limits
    )
    assert schedule.placed == ()
    first, second = schedule.unplaced
    assert first.measure == "rechenzentrum"
    assert first.constraint is Constraint.BUDGET
    assert first.year == 2027
    assert "Budget" in first.reason
    assert second.constraint is Constraint.DEPENDENCY
    assert "rechenzentrum" in second.reason


def test_staff_and_horizon_reasons() -> None:
    limits = ScheduleLimits(start=START, horizon_years=1, staff_fte=1.0)
    schedule = schedule_measures([m("a", 12, fte=1.0), m("b", 3, fte=0.5), m("c", 13)], limits)
    reasons = {u.measure: u for u in schedule.unplaced}
    assert reasons["b"].constraint is Constraint.STAFF
    assert reasons["b"].year == 2027
    assert reasons["c"].constraint is Constraint.HORIZON
    assert "13 Monate" in reasons["c"].reason


def test_follow_on_costs_keep_counting_after_the_measure_ends() -> None:
    limits = ScheduleLimits(start=START, horizon_years=3)
    schedule = schedule_measures([m("app", 6, 10_000, yearly=1_200)], limits)
    follow_on = {y.year: y.follow_on for y in schedule.years}
    assert follow_on == {2027: Decimal(600), 2028: Decimal(1_200), 2029: Decimal(1_200)}


def test_priority_order_decides_who_gets_the_money() -> None:
    limits = ScheduleLimits(start=START, horizon_years=2, one_off_budget=Decimal(50_000))
    measures = [m("a", 6, 50_000), m("b", 6, 50_000)]
    assert start_of(schedule_measures(measures, limits), "a") == 0
    flipped = schedule_measures(measures, limits, priority=["b", "a"])
    assert start_of(flipped, "b") == 0
    assert start_of(flipped, "a") == 12


def test_dependency_of_an_urgent_measure_inherits_its_priority() -> None:
    limits = ScheduleLimits(start=START, horizon_years=3, one_off_budget=Decimal(50_000))
    measures = [m("low", 6, 50_000), m("basis", 6, 50_000), m("urgent", 6, 0, after=("basis",))]
    schedule = schedule_measures(measures, limits, priority=["urgent", "low", "basis"])
    assert start_of(schedule, "basis") == 0
    assert start_of(schedule, "urgent") == 6
    assert start_of(schedule, "low") == 12


def test_rejected_measures_are_left_out() -> None:
    rejected = Measure(key="x", title="x", action_field="f", status=MeasureStatus.VERWORFEN)
    schedule = schedule_measures([m("a"), rejected], ScheduleLimits(start=START))
    assert [p.measure for p in schedule.placed] == ["a"]
    assert schedule.unplaced == ()


@st.composite
def planning_inputs(draw: st.DrawFn) -> tuple[list[Measure], ScheduleLimits, list[str]]:
    count = draw(st.integers(1, 14))
    measures = []
    for index in range(count):
        parents = draw(st.sets(st.integers(0, index - 1), max_size=3)) if index else set()
        measures.append(
            m(
                f"m{index:02d}",
                draw(st.integers(1, 18)),
                draw(st.integers(0, 60)) * 1000,
                draw(st.integers(0, 5)) * 100,
                draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])),
                tuple(f"m{p:02d}" for p in sorted(parents)),
            )
        )
    limits = ScheduleLimits(
        start=draw(st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31))),
        horizon_years=draw(st.integers(1, 4)),
        one_off_budget=draw(st.none() | st.integers(20, 120).map(lambda k: Decimal(k * 1000))),
        staff_fte=draw(st.none() | st.sampled_from([1.0, 1.5, 2.0])),
    )
    priority = [x.key for x in draw(st.permutations(measures))]
    return draw(st.permutations(measures)), limits, priority


def check_capacities(schedule: Schedule, measures: list[Measure]) -> None:
    limits = schedule.limits
    by_key = {x.key: x for x in measures}
    for total in schedule.years:
        budget = limits.budget_for(total.year)
        if budget is not None:
            assert total.one_off <= budget
    months = limits.horizon_years * 12
    for month in range(months):
        load = sum(
            by_key[p.measure].staff_fte or 0.0
            for p in schedule.placed
            if p.start_month <= month < p.start_month + p.duration_months
        )
        capacity = limits.staff_for(year_of_month(limits.start, month))
        if capacity is not None:
            assert load <= capacity + 1e-9
    assert sum((t.one_off for t in schedule.years), Decimal(0)) == sum(
        (by_key[p.measure].cost.one_off or Decimal(0) for p in schedule.placed), Decimal(0)
    )


@given(planning_inputs())
def test_schedule_properties(data: tuple[list[Measure], ScheduleLimits, list[str]]) -> None:
    measures, limits, priority = data
    schedule = schedule_measures(measures, limits, priority)
    placed = {p.measure: p for p in schedule.placed}
    unplaced = {u.measure for u in schedule.unplaced}
    # every measure placed or explained, never both
    assert set(placed) | unplaced == {x.key for x in measures}
    assert not set(placed) & unplaced
    # dependencies respected, horizon kept
    for measure in measures:
        if measure.key in placed:
            entry = placed[measure.key]
            assert entry.start_month + entry.duration_months <= limits.horizon_years * 12
            for dep in measure.depends_on:
                assert dep in placed
                assert placed[dep].start_month + placed[dep].duration_months <= entry.start_month
    check_capacities(schedule, measures)
    # deterministic, whatever the input order
    assert schedule_measures(list(reversed(measures)), limits, priority) == schedule


@given(planning_inputs())
def test_lower_priority_never_delays_higher_priority(
    data: tuple[list[Measure], ScheduleLimits, list[str]],
) -> None:
    measures, limits, priority = data
    needed = {d for x in measures for d in x.depends_on}
    candidates = [k for k in priority if k not in needed]
    lowest = candidates[-1]
    full = schedule_measures(measures, limits, priority)
    without = schedule_measures([x for x in measures if x.key != lowest], limits, priority)
    # Measures ranked after it may move: the ones it builds on inherit its priority.
    higher = set(priority[: priority.index(lowest)])
    assert [p for p in full.placed if p.measure in higher] == [
        p for p in without.placed if p.measure in higher
    ]
    assert [u for u in full.unplaced if u.measure in higher] == [
        u for u in without.unplaced if u.measure in higher
    ]
