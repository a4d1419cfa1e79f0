import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.errors import PlanningError
from kommunal_digital.model import (
    ActionField,
    Cost,
    Measure,
    MemberMunicipality,
    Milestone,
    Municipality,
    MunicipalityKind,
    ProjectProfile,
    RoadmapPreset,
    Strategy,
)
from kommunal_digital.model.schedule import ScheduleLimits
from kommunal_digital.planning import DEFAULT_ROADMAP_PRESET
from kommunal_digital.planning.breakdown import ShareBasis, break_down, member_roadmap
from kommunal_digital.planning.roadmap import build_roadmap, record_milestone
from kommunal_digital.planning.schedule import schedule_measures
from kommunal_digital.units.money import split_amount

START = dt.date(2027, 1, 1)


@pytest.fixture(scope="module")
def standard(isolated_workspace: kd.Workspace) -> RoadmapPreset:
    """The default procedure: base-pack data, without plugins."""
    return isolated_workspace.roadmap_presets[DEFAULT_ROADMAP_PRESET]


def vg(*members: MemberMunicipality) -> Municipality:
    return Municipality(
        name="Verbandsgemeinde Test",
        kind=MunicipalityKind.VERBANDSGEMEINDE,
        land="Rheinland-Pfalz",
        members=members,
    )


def small_strategy() -> Strategy:
    members = (
        MemberMunicipality("Adorf", population=3000, cost_share=1.0),
        MemberMunicipality("Bdorf", population=1000, cost_share=3.0),
        MemberMunicipality("Cdorf", population=2000, cost_share=0.0),
    )
    return Strategy(
        municipality=vg(*members),
        action_fields=(ActionField("verwaltung", "Kommunale Verwaltung"),),
        measures=(
            Measure(
                "portal",
                "Serviceportal",
                "verwaltung",
                duration_months=6,
                cost=Cost(Decimal("10000.00"), Decimal("1000.00")),
                owner_role="Digitallotse",
            ),
            Measure(
                "app",
                "Dorf-App",
                "verwaltung",
                duration_months=4,
                cost=Cost(Decimal("1000.01")),
                depends_on=("portal",),
                members=("Adorf", "Bdorf"),
            ),
        ),
        profiles=(
            ProjectProfile(
                "portal",
                "Anträge online",
                milestones=(Milestone("Pilotbetrieb", dt.date(2027, 4, 1)),),
            ),
        ),
    )


def test_default_preset_has_the_three_phases(standard: RoadmapPreset) -> None:
    assert DEFAULT_ROADMAP_PRESET == "standard"
    assert [p.key for p in standard.phases] == ["verankern", "strukturen", "umsetzen"]
    assert [p.implementation for p in standard.phases] == [False, False, True]
    assert all(p.tasks for p in standard.phases)


def test_roadmap_dates_follow_the_start_and_carry_the_schedule(standard: RoadmapPreset) -> None:
    strategy = small_strategy()
    schedule = schedule_measures(strategy.measures, ScheduleLimits(start=START))
    roadmap = build_roadmap(strategy, START, preset=standard, schedule=schedule)
    anchor, structures, implement = roadmap.phases
    assert anchor.milestones[0].what == "Digitalstrategie vom Rat beschlossen"
    assert anchor.milestones[0].planned == dt.date(2027, 7, 1)
    # the structures phase starts after the six months of the first phase
    assert structures.milestones[0].planned == dt.date(2027, 9, 1)
    measure_tasks = [t for t in implement.tasks if t.what.startswith("Maßnahme umsetzen")]
    assert [t.what for t in measure_tasks] == [
        "Maßnahme umsetzen: Serviceportal",
        "Maßnahme umsetzen: Dorf-App",
    ]
    assert measure_tasks[0].who == "Digitallotse"
    assert measure_tasks[0].due == dt.date(2027, 6, 30)
    assert measure_tasks[1].due == dt.date(2027, 10, 31)
    assert [m.what for m in implement.milestones] == ["Serviceportal: Pilotbetrieb"]


def test_recording_a_milestone_returns_a_new_roadmap(standard: RoadmapPreset) -> None:
    roadmap = build_roadmap(small_strategy(), START, preset=standard)
    reached = record_milestone(
        roadmap, "strukturen", "Digitalbeauftragte/r ernannt", dt.date(2027, 8, 15)
    )
    assert reached.phases[1].milestones[0].reached_on == dt.date(2027, 8, 15)
    assert roadmap.phases[1].milestones[0].reached_on is None
    with pytest.raises(PlanningError, match="has no milestone 'Fest'"):
        record_milestone(roadmap, "strukturen", "Fest", dt.date(2027, 8, 15))
    with pytest.raises(PlanningError, match="has no phase 'feiern'"):
        record_milestone(roadmap, "feiern", "Fest", dt.date(2027, 8, 15))


def test_breakdown_by_population_is_exact() -> None:
    plans = {p.member: p for p in break_down(small_strategy())}
    assert plans["Adorf"].measures == ("portal", "app")
    assert plans["Cdorf"].measures == ("portal",)
    # portal: 10.000 € by 3000:1000:2000; app: 1.000,01 € by 3000:1000
    assert [s.one_off for s in plans["Adorf"].shares] == [Decimal("5000.00"), Decimal("750.01")]
    assert [s.one_off for s in plans["Bdorf"].shares] == [Decimal("1666.67"), Decimal("250.00")]
    assert plans["Cdorf"].one_off == Decimal("3333.33")
    assert sum((p.one_off for p in plans.values()), Decimal(0)) == Decimal("11000.01")
    assert sum((p.yearly for p in plans.values()), Decimal(0)) == Decimal("1000.00")


def test_breakdown_by_agreed_share_and_equal() -> None:
    agreed = {p.member: p.one_off for p in break_down(small_strategy(), ShareBasis.AGREED)}
    assert agreed["Cdorf"] == Decimal(0)
    assert agreed["Bdorf"] == Decimal("7500.00") + Decimal("750.01")
    equal = {p.member: p.one_off for p in break_down(small_strategy(), "equal")}
    assert equal["Cdorf"] == Decimal("3333.33")


def test_breakdown_needs_members_and_figures() -> None:
    strategy = small_strategy()
    lonely = Strategy(
        municipality=Municipality(name="Stadt X", kind=MunicipalityKind.STADT, land="Hessen")
    )
    with pytest.raises(PlanningError, match="no member municipalities"):
        break_down(lonely)
    no_population = Strategy(
        municipality=vg(MemberMunicipality("Adorf")),
        action_fields=strategy.action_fields,
        measures=strategy.measures[:1],
    )
    with pytest.raises(PlanningError, match="'Adorf' has no population"):
        break_down(no_population)
    assert strategy.municipality.members


def test_member_roadmap_shows_only_its_measures(standard: RoadmapPreset) -> None:
    strategy = small_strategy()
    schedule = schedule_measures(strategy.measures, ScheduleLimits(start=START))
    strategy = attrs.evolve(strategy, schedule=schedule)
    tasks = [
        t.what for t in member_roadmap(strategy, "Cdorf", START, preset=standard).phases[2].tasks
    ]
    assert "Maßnahme umsetzen: Serviceportal" in tasks
    assert "Maßnahme umsetzen: Dorf-App" not in tasks
    with pytest.raises(PlanningError, match="not a member municipality"):
        member_roadmap(strategy, "Zdorf", START, preset=standard)


@given(
    total=st.decimals(min_value=0, max_value=10**9, places=2),
    weights=st.lists(st.integers(0, 10**6), min_size=1, max_size=12).filter(any),
)
def test_split_never_loses_a_cent(total: Decimal, weights: list[int]) -> None:
    shares = split_amount(total, weights)
    assert sum(shares, Decimal(0)) == total
    assert all(s >= 0 for s in shares)
    weight_sum = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        assert abs(share - total * weight / weight_sum) < Decimal("0.01")


def test_demo_is_planned_and_round_trips_with_schedule_and_roadmap(tmp_path: Path) -> None:
    strategy = kd.demo_strategy()
    assert strategy.schedule is not None
    assert strategy.roadmap is not None
    schedule = strategy.schedule
    assert {p.measure for p in schedule.placed} | {u.measure for u in schedule.unplaced} | {
        d.measure for d in schedule.done
    } | set(schedule.dropped) == {m.key for m in strategy.measures}
    # The finished measure is reported as done, not scheduled again.
    assert [d.measure for d in schedule.done] == ["online-termine"]
    assert [p.key for p in strategy.roadmap.phases] == ["verankern", "strukturen", "umsetzen"]
    kd.dump_strategy(strategy, tmp_path / "plan.yaml")
    assert kd.load_strategy(tmp_path / "plan.yaml") == strategy
    # the legally required OZG measure is ranked first and starts at once
    assert strategy.ranking is not None
    ozg = strategy.schedule.entry(strategy.ranking.entries[0].measure)
    assert ozg is not None
    assert strategy.measure(ozg.measure).legal_driver == "OZG"
    assert ozg.start_month == 0


def test_replanning_keeps_reached_milestones(workspace: kd.Workspace) -> None:
    strategy = kd.demo_strategy()
    assert strategy.roadmap is not None
    reached = record_milestone(
        strategy.roadmap, "verankern", "Digitalstrategie vom Rat beschlossen", dt.date(2027, 6, 20)
    )
    again = kd.plan(attrs.evolve(strategy, roadmap=reached), workspace)
    assert again.roadmap is not None
    assert again.roadmap.phases[0].milestones[0].reached_on == dt.date(2027, 6, 20)


def test_planning_needs_limits(workspace: kd.Workspace) -> None:
    with pytest.raises(PlanningError, match="no 'limits'"):
        kd.plan(small_strategy(), workspace)


def test_demo_breakdown_adds_up_to_the_whole() -> None:
    strategy = kd.demo_strategy()
    plans = break_down(strategy)
    assert [p.member for p in plans] == ["Eichenberg", "Mühlbach am Wald"]
    total = sum((m.cost.one_off or Decimal(0) for m in strategy.measures), Decimal(0))
    assert all(m.cost.one_off is not None for m in strategy.measures)
    assert sum((p.one_off for p in plans), Decimal(0)) == total
    mitfahrbank = [p for p in plans if "mitfahrbank" in p.measures]
    assert [p.member for p in mitfahrbank] == ["Mühlbach am Wald"]
