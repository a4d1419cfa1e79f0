"""Funding sources, the cash plan, the programme catalogue and funding warnings."""

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.documents import strategy_context
from kommunal_digital.errors import PlanningError
from kommunal_digital.funding import cash_plan, funding_warnings
from kommunal_digital.funding.cash_plan import external_funding
from kommunal_digital.io.converter import make_converter
from kommunal_digital.model import (
    FundingKind,
    FundingProgramme,
    FundingSource,
    MeasureStatus,
    Operator,
    ScheduleLimits,
)
from kommunal_digital.packs import TemplatePack
from kommunal_digital.planning import schedule_measures
from kommunal_digital.testing import strategies as kst

D = Decimal
TODAY = dt.date(2027, 3, 15)


def strategy_with(*measures: kd.Measure, **extra: Any) -> kd.Strategy:
    return kd.Strategy(
        municipality=kd.Municipality(
            name="Gemeinde Test", kind=kd.MunicipalityKind.GEMEINDE, land="Rheinland-Pfalz"
        ),
        action_fields=(kd.ActionField(key="verwaltung", title="Kommunale Verwaltung"),),
        measures=measures,
        **extra,
    )


def measure(key: str, **fields: Any) -> kd.Measure:
    return kd.Measure(key=key, title=f"Maßnahme {key.upper()}", action_field="verwaltung", **fields)


def programme_source(**fields: Any) -> FundingSource:
    return FundingSource(kind=FundingKind.FOERDERPROGRAMM, programme="foerder", **fields)


OWN = FundingSource(kind=FundingKind.EIGENMITTEL, name="Haushalt")

# --- funding sources in the model and in files ---------------------------------


def test_a_plain_text_source_loads_as_an_unclassified_source_and_is_written_back_as_text() -> None:
    text = """schema_version: 1
municipality: {name: Gemeinde Test, kind: gemeinde, land: Rheinland-Pfalz}
action_fields: [{key: verwaltung, title: Kommunale Verwaltung}]
measures:
  - key: a
    title: A
    action_field: verwaltung
    cost: {one_off: 1000}
    funding_sources:
      - Haushalt der Gemeinde
      - {kind: foerderprogramm, programme: leader, rate: 60, deadline: 2027-08-15}
"""
    loaded = kd.loads_strategy(text)
    plain, programme = loaded.measure("a").funding_sources
    assert plain == FundingSource(name="Haushalt der Gemeinde")
    assert plain.kind is FundingKind.OFFEN
    assert programme.rate == 60
    assert programme.deadline == dt.date(2027, 8, 15)
    assert programme.covers(D("1000.00")) == D("600.00")
    written = kd.dumps_strategy(loaded)
    assert "- Haushalt der Gemeinde\n" in written
    assert kd.loads_strategy(written) == loaded


def test_plain_texts_given_in_python_become_sources() -> None:
    item = measure("a", funding_sources=["Spende"])
    assert item.funding_sources == (FundingSource(name="Spende"),)


def test_external_money_above_the_one_off_cost_is_refused_with_the_path() -> None:
    text = """schema_version: 1
municipality: {name: Gemeinde Test, kind: gemeinde, land: Rheinland-Pfalz}
action_fields: [{key: verwaltung, title: Kommunale Verwaltung}]
measures:
  - key: a
    title: A
    action_field: verwaltung
    cost: {one_off: 1000}
    funding_sources:
      - {kind: foerderprogramm, programme: leader, share: 80}
      - {kind: drittmittel, name: Sparkasse, amount: 200.01}
"""
    with pytest.raises(kd.InputFileError) as info:
        kd.loads_strategy(text, source="s.yaml")
    assert info.value.problems == (
        "measures[0].funding_sources: third-party and programme money (1000.01 €) "
        "exceeds the one-off cost (1000.00 €)",
    )


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"amount": 5, "share": 10, "name": "x"}, "share", "not both"),
        ({"kind": FundingKind.EIGENMITTEL, "name": "x", "rate": 80}, "rate", "only a source"),
        ({"kind": FundingKind.DRITTMITTEL}, "name", "a name or a programme key"),
        ({"name": "x", "share": 0}, "share", "above 0 and at most 100"),
        ({"name": "x", "share": 100.5}, "share", "above 0 and at most 100"),
    ],
)
def test_inconsistent_sources_are_refused(fields: dict[str, Any], field: str, reason: str) -> None:
    with pytest.raises(kd.ModelValidationError) as info:
        FundingSource(**fields)
    assert info.value.field == field
    assert reason in info.value.reason


def test_an_operator_without_follow_on_costs_contradicts_yearly_costs() -> None:
    with pytest.raises(kd.ModelValidationError) as info:
        measure(
            "a",
            cost=kd.Cost(yearly=100),
            operator=Operator("IT-Abteilung", no_follow_on_costs=True),
        )
    assert info.value.field == "operator.no_follow_on_costs"


def test_the_render_context_shows_sources_as_german_text(workspace: kd.Workspace) -> None:
    item = measure(
        "a",
        cost=kd.Cost(one_off=100),
        funding_sources=("Spende", programme_source(name="LEADER", rate=60), OWN),
    )
    context = strategy_context(strategy_with(item), workspace, today=TODAY)
    assert context["measures"][0]["funding_sources"] == [
        "Spende",
        "LEADER (Förderprogramm)",
        "Haushalt (Eigenmittel)",
    ]


# --- the cash plan ---------------------------------------------------------------


def worked_example() -> kd.Strategy:
    """Three measures over three years from January 2027, checked by hand.

    A: 12 000 € one-off in Jan-Jun 2027, 80 % from a programme (9 600 €),
       2 400 €/year afterwards: 30 months = 6 000 € (1 200 + 2 400 + 2 400).
    B: after A, Jul 2027-Jun 2028, 30 000 € split 6/6 months (15 000 each),
       5 000 € from a sponsor split like the spending (2 500 each),
       1 200 €/year for 18 months = 1 800 € (600 in 2028, 1 200 in 2029).
    C: 1 000.01 € over Jan 2027-Mar 2028, 12 of 15 months in 2027:
       800.008 and 200.002 → 800.00 + 200.00 and the left cent to the larger
       remainder (2027): 800.01 and 200.00.
    """
    a = measure(
        "a",
        duration_months=6,
        cost=kd.Cost(one_off=12000, yearly=2400),
        funding_sources=(programme_source(rate=80), OWN),
    )
    b = measure(
        "b",
        duration_months=12,
        depends_on=("a",),
        cost=kd.Cost(one_off=30000, yearly=1200),
        funding_sources=(
            FundingSource(kind=FundingKind.DRITTMITTEL, name="Sparkasse", amount=5000),
            OWN,
        ),
    )
    c = measure("c", duration_months=15, cost=kd.Cost(one_off=D("1000.01")))
    rejected = measure("d", status=MeasureStatus.VERWORFEN, cost=kd.Cost(one_off=999))
    limits = ScheduleLimits(start=dt.date(2027, 1, 1), horizon_years=3)
    return strategy_with(a, b, c, rejected, limits=limits)


def test_worked_cash_plan_example() -> None:
    plan = cash_plan(worked_example())
    rows = [(y.year, y.one_off, y.follow_on, y.income, y.own_share) for y in plan.years]
    assert rows == [
        (2027, D("27800.01"), D("1200.00"), D("12100.00"), D("16900.01")),
        (2028, D("15200.00"), D("3000.00"), D("2500.00"), D("15700.00")),
        (2029, D("0.00"), D("3600.00"), D("0.00"), D("3600.00")),
    ]
    assert plan.one_off == D("43000.01")
    assert plan.follow_on == D("7800.00")
    assert plan.income == D("14600.00")
    assert plan.own_share == D("36200.01")
    b = plan.measure("b")
    assert (b.start, b.end) == (dt.date(2027, 7, 1), dt.date(2028, 6, 30))
    assert [(y.year, y.one_off, y.income) for y in b.years] == [
        (2027, D("15000.00"), D("2500.00")),
        (2028, D("15000.00"), D("2500.00")),
        (2029, D("0.00"), D("0.00")),
    ]
    assert plan.measure("c").years[0].one_off == D("800.01")
    assert [m.measure for m in plan.measures] == ["a", "c", "b"]
    with pytest.raises(KeyError):
        plan.measure("d")


def test_the_cash_plan_follows_the_schedule() -> None:
    demo = kd.demo_strategy()
    assert demo.schedule is not None
    plan = cash_plan(demo)
    assert [(y.year, y.one_off) for y in plan.years] == [
        (y.year, y.one_off) for y in demo.schedule.years
    ]
    placed = {item.measure for item in demo.schedule.placed}
    assert plan.one_off == sum(demo.measure(k).cost.one_off or D(0) for k in placed)
    assert plan.complete
    assert plan.unplaced == tuple(item.measure for item in demo.schedule.unplaced)
    start = {m.measure: m.start for m in plan.measures}
    assert start == {item.measure: item.start for item in demo.schedule.placed}


def test_a_cash_plan_without_schedule_or_start_is_refused() -> None:
    with pytest.raises(PlanningError, match="needs a start"):
        cash_plan(strategy_with(measure("a")))


@given(strategy=kst.strategies(), start=kst.dates(), horizon=st.integers(1, 12))
def test_cash_plan_totals_equal_the_sums_of_the_measures(
    strategy: kd.Strategy, start: dt.date, horizon: int
) -> None:
    strategy = attrs.evolve(strategy, limits=None)
    plan = cash_plan(strategy, start=start, horizon_years=horizon)
    to_do = {
        m.key
        for m in strategy.measures
        if m.status not in (MeasureStatus.VERWORFEN, MeasureStatus.ABGESCHLOSSEN)
    }
    # Every measure still to do is in the plan or listed as unplaced; no other is.
    assert {m.measure for m in plan.measures} | set(plan.unplaced) == to_do
    in_plan = [strategy.measure(m.measure) for m in plan.measures]
    # Unknown costs are named, never summed as zero.
    assert plan.uncosted == tuple(m.key for m in in_plan if m.cost.one_off is None)
    assert plan.one_off == sum((m.one_off for m in plan.measures if m.one_off is not None), D(0))
    assert plan.income == sum((m.income for m in plan.measures), D(0))
    whole = {m.measure for m in plan.measures if m.start >= plan.start}
    assert sum((m.income for m in plan.measures if m.measure in whole), D(0)) == sum(
        (external_funding(m) for m in in_plan if m.key in whole), D(0)
    )
    assert plan.follow_on == sum((m.follow_on for m in plan.measures if m.follow_on), D(0))
    assert plan.own_share == plan.total - plan.income
    for item, measure in zip(plan.measures, in_plan, strict=True):
        if item.start >= plan.start:  # nothing spent before the plan start
            assert item.one_off == measure.cost.one_off
        assert (item.follow_on is None) == (measure.cost.yearly is None)
        assert item.own_share is None or item.one_off is not None
        assert sum((y.one_off for y in item.years), D(0)) == (item.one_off or 0)
        assert sum((y.follow_on for y in item.years), D(0)) == (item.follow_on or 0)
        assert sum((y.income for y in item.years), D(0)) == item.income
        if item.one_off is not None:
            assert all(y.income <= y.one_off for y in item.years)
    for year in plan.years:
        running = [m for m in plan.measures for y in m.years if y.year == year.year and y.uncosted]
        assert year.uncosted == len(running)
        assert year.complete == (not year.uncosted and not year.uncosted_follow_on)


@given(strategy=kst.strategies(), limits=kst.schedule_limits())
def test_cash_plan_one_off_per_year_matches_the_schedule(
    strategy: kd.Strategy, limits: ScheduleLimits
) -> None:
    try:
        schedule = schedule_measures(strategy.measures, limits)
    except PlanningError:
        assume(False)
        raise
    plan = cash_plan(attrs.evolve(strategy, limits=limits, schedule=schedule))
    assert {y.year: y.one_off for y in plan.years if y.one_off} == {
        y.year: y.one_off for y in schedule.years if y.one_off
    }


# --- the programme catalogue -------------------------------------------------------


def test_the_rlp_pack_ships_programmes_with_rates_and_example_deadlines(
    isolated_workspace: kd.Workspace,
) -> None:
    assert isolated_workspace.pack.name == "rlp"
    programmes = dict(isolated_workspace.funding_programmes)
    assert {"digitalpakt-schule", "leader", "digital-botschafter"} <= set(programmes)
    assert programmes["digital-botschafter"].rate == 100
    for programme in programmes.values():
        assert programme.rate is not None
        assert list(programme.deadlines) == sorted(programme.deadlines)


class Plugin:
    @kd.hookimpl
    def kd_funding_programmes(self, pack: TemplatePack) -> list[FundingProgramme]:
        return [
            FundingProgramme("leader", "LEADER (eigene Fassung)", rate=70),
            FundingProgramme("kreisfonds", "Digitalfonds des Kreises", rate=50),
        ]


def test_plugins_add_and_replace_programmes_by_key() -> None:
    programmes = kd.open_workspace("rlp", entry_points=False, plugins=[Plugin()]).funding_programmes
    assert programmes["leader"].title == "LEADER (eigene Fassung)"
    assert programmes["kreisfonds"].rate == 50
    assert "digitalpakt-schule" in programmes


def test_a_plugin_returning_no_programme_is_named() -> None:
    class Broken:
        @kd.hookimpl
        def kd_funding_programmes(self, pack: TemplatePack) -> list[str]:
            return ["leader"]

    with pytest.raises(kd.PluginError, match="kd_funding_programmes returned 'leader'"):
        kd.open_workspace("rlp", entry_points=False, plugins=[Broken()])


def test_hypothesis_programmes_are_valid_pack_data() -> None:
    converter = make_converter()

    @given(programme=kst.funding_programmes())
    def round_trip(programme: FundingProgramme) -> None:
        data = converter.unstructure(programme)
        assert converter.structure(data, FundingProgramme) == programme

    round_trip()


# --- warnings ----------------------------------------------------------------------

CATALOGUE = {
    "foerder": FundingProgramme(
        "foerder", "Landesprogramm Digital", rate=80, deadlines=(dt.date(2027, 5, 31),)
    ),
    "voll": FundingProgramme("voll", "Vollförderung", rate=100),
}


def warnings_for(*sources: FundingSource, **extra: Any) -> list[tuple[str, str]]:
    item = measure("a", cost=kd.Cost(one_off=1000), funding_sources=sources)
    found = funding_warnings(strategy_with(item, **extra), CATALOGUE, today=TODAY)
    assert all(w.measure == "a" for w in found)
    return [(w.code, w.message) for w in found]


@pytest.mark.parametrize(
    ("deadline", "codes"),
    [
        (dt.date(2027, 3, 14), ["deadline_passed"]),
        (dt.date(2027, 3, 15), ["deadline_too_close"]),
        (dt.date(2027, 6, 14), ["deadline_too_close"]),
        (dt.date(2027, 6, 15), []),
    ],
)
def test_deadline_boundaries_with_three_months_lead(deadline: dt.date, codes: list[str]) -> None:
    found = warnings_for(programme_source(deadline=deadline), OWN)
    assert [code for code, _ in found] == codes


def test_deadline_messages_name_the_measure_and_the_programme() -> None:
    assert warnings_for(programme_source(deadline=dt.date(2027, 3, 1)), OWN) == [
        (
            "deadline_passed",
            "Maßnahme „Maßnahme A“: Die Antragsfrist für „Landesprogramm Digital“ ist am "
            "01.03.2027 abgelaufen.",
        )
    ]
    assert warnings_for(programme_source(), OWN) == [
        (
            "no_reachable_deadline",
            "Maßnahme „Maßnahme A“: Keine der bekannten Antragsfristen für „Landesprogramm "
            "Digital“ lässt noch 3 Monate für die Vorbereitung des Antrags.",
        )
    ]


def test_the_first_reachable_programme_deadline_counts() -> None:
    catalogue = {
        "foerder": FundingProgramme(
            "foerder", "P", deadlines=(dt.date(2027, 4, 1), dt.date(2027, 6, 15))
        )
    }
    item = measure("a", cost=kd.Cost(one_off=1000), funding_sources=(programme_source(rate=100),))
    assert funding_warnings(strategy_with(item), catalogue, today=TODAY) == ()
    late = funding_warnings(strategy_with(item), catalogue, today=TODAY, lead_months=4)
    assert [w.code for w in late] == ["no_reachable_deadline"]


@pytest.mark.parametrize(
    ("deadline", "codes"),
    [(dt.date(2027, 7, 1), []), (dt.date(2027, 7, 2), ["deadline_after_start"])],
)
def test_deadline_after_the_planned_start(deadline: dt.date, codes: list[str]) -> None:
    item = measure(
        "a",
        duration_months=6,
        cost=kd.Cost(one_off=1000),
        funding_sources=(programme_source(deadline=deadline), OWN),
    )
    limits = ScheduleLimits(start=dt.date(2027, 7, 1))
    strategy = strategy_with(item, limits=limits)
    strategy = attrs.evolve(strategy, schedule=schedule_measures(strategy.measures, limits))
    found = funding_warnings(strategy, CATALOGUE, today=TODAY)
    assert [w.code for w in found] == codes


@pytest.mark.parametrize(
    ("source", "with_own", "warned"),
    [
        (programme_source(rate=99.5, deadline=dt.date(2027, 12, 1)), False, True),
        (programme_source(rate=99.5, deadline=dt.date(2027, 12, 1)), True, False),
        (programme_source(rate=100, deadline=dt.date(2027, 12, 1)), False, False),
        (  # the programme's rate (80 %) applies when the source has none
            programme_source(deadline=dt.date(2027, 12, 1)),
            False,
            True,
        ),
        (
            programme_source(rate=80, co_financing_required=False, deadline=dt.date(2027, 12, 1)),
            False,
            False,
        ),
    ],
)
def test_co_financing_boundaries(source: FundingSource, with_own: bool, warned: bool) -> None:
    sources = (source, OWN) if with_own else (source,)
    assert [c for c, _ in warnings_for(*sources)] == (["co_financing_missing"] if warned else [])


def test_co_financing_message_names_the_rate() -> None:
    found = warnings_for(programme_source(rate=62.5, deadline=dt.date(2027, 12, 1)))
    assert found == [
        (
            "co_financing_missing",
            "Maßnahme „Maßnahme A“: „Landesprogramm Digital“ verlangt einen Eigenanteil "
            "(Fördersatz 62,5 %), aber keine Finanzierungsquelle ist als Eigenmittel "
            "ausgewiesen.",
        )
    ]


def test_unknown_programme_keys_are_reported() -> None:
    source = FundingSource(kind=FundingKind.FOERDERPROGRAMM, programme="gibt-es-nicht", rate=100)
    assert warnings_for(source) == [
        (
            "unknown_programme",
            "Maßnahme „Maßnahme A“: Das Förderprogramm „gibt-es-nicht“ ist im "
            "Programmkatalog nicht bekannt.",
        )
    ]


def test_the_demo_has_no_programme_warnings_until_sources_are_classified(
    isolated_workspace: kd.Workspace,
) -> None:
    programmes = isolated_workspace.funding_programmes
    demo = kd.demo_strategy()
    assert funding_warnings(demo, programmes, today=TODAY) == ()
    wlan = demo.measure("wlan-schulen")
    pakt = FundingSource(kind=FundingKind.FOERDERPROGRAMM, programme="digitalpakt-schule", share=90)
    changed = attrs.evolve(
        demo,
        measures=tuple(
            attrs.evolve(m, funding_sources=(pakt,)) if m is wlan else m for m in demo.measures
        ),
    )
    codes = [w.code for w in funding_warnings(changed, programmes, today=TODAY)]
    assert "co_financing_missing" in codes
