"""The public Hypothesis strategies: unknown values, measure dates and thin strategies.

Validity of every generated object is checked in ``test_model``; here: the
new values are consistent (dates fit the status) and every kind of gap the
documents must cope with is actually generated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, find, given, seed, settings
from hypothesis import strategies as st

from kommunal_digital.model import Measure, MeasureStatus, RoleState, ShareBasis, Strategy
from kommunal_digital.planning import partner_plans, partner_weights
from kommunal_digital.testing import strategies as kst

# Generation only: shrinking whole strategies to a minimal example takes long.
_FIND = settings(
    max_examples=2000,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _found(strategy: st.SearchStrategy[Any], condition: Callable[[Any], bool]) -> Any:
    return find(strategy, condition, settings=_FIND)


@given(measure=kst.measures())
def test_measure_dates_fit_the_status(measure: Measure) -> None:
    if measure.status is not MeasureStatus.ABGESCHLOSSEN:
        assert measure.finished_on is None
    if measure.start_on is not None:
        for later in (measure.target_on, measure.deadline, measure.finished_on):
            assert later is None or later >= measure.start_on
    if measure.target_on is not None and measure.deadline is not None:
        assert measure.deadline >= measure.target_on


@given(measure=kst.measures())
def test_no_follow_on_costs_only_where_the_yearly_cost_is_known_to_be_zero(
    measure: Measure,
) -> None:
    if measure.operator is not None and measure.operator.no_follow_on_costs:
        assert measure.cost.yearly == 0


@given(cost=kst.costs(known=True))
def test_known_costs_are_always_estimated(cost: Any) -> None:
    assert cost.known


def test_measures_sometimes_lack_estimates_and_have_the_new_dates() -> None:
    _found(kst.costs(), lambda c: c.one_off is None and c.yearly is not None)
    _found(kst.costs(), lambda c: c.one_off is not None and c.yearly is None)
    _found(kst.measures(), lambda m: m.duration_months is None and m.staff_fte is None)
    _found(
        kst.measures(),
        lambda m: m.status is MeasureStatus.ABGESCHLOSSEN and m.finished_on is not None,
    )
    _found(
        kst.measures(),
        lambda m: m.status is MeasureStatus.IN_UMSETZUNG and m.start_on is not None,
    )
    _found(kst.measures(), lambda m: m.target_on is not None and m.deadline is not None)


def test_a_grant_may_name_an_amount_while_the_cost_is_unknown() -> None:
    _found(
        kst.measures(),
        lambda m: (
            m.cost.one_off is None
            and any(s.amount is not None and s.kind.external for s in m.funding_sources)
        ),
    )


def test_strategies_sometimes_record_a_workshop() -> None:
    _found(kst.strategies(max_measures=1), lambda s: s.workshop is not None)
    _found(kst.workshops(), lambda w: w.sources and any(s.url for s in w.sources))
    _found(kst.workshops(), lambda w: w.ended_on is not None)


def _some_chosen_field_empty(s: Strategy) -> bool:
    return bool(s.measures) and any(not s.measures_in(f.key) for f in s.chosen_fields)


THIN_CASES: dict[str, Callable[[Strategy], bool]] = {
    "chosen fields but no measures": lambda s: bool(s.chosen_fields) and not s.measures,
    "no action fields at all": lambda s: not s.action_fields,
    "a chosen field without measures beside one with": _some_chosen_field_empty,
    "every cost unknown": lambda s: (
        len(s.measures) >= 2
        and all(m.cost.one_off is None and m.cost.yearly is None for m in s.measures)
    ),
    "some costs known, some not": lambda s: (
        any(m.cost.known for m in s.measures) and any(m.cost.one_off is None for m in s.measures)
    ),
    "every duration unknown": lambda s: (
        len(s.measures) >= 2 and all(m.duration_months is None for m in s.measures)
    ),
    "every staff figure unknown": lambda s: (
        len(s.measures) >= 2 and all(m.staff_fte is None for m in s.measures)
    ),
    "every estimate known": lambda s: (
        len(s.measures) >= 2
        and all(m.cost.known and m.duration_months and m.staff_fte is not None for m in s.measures)
    ),
    "no votes": lambda s: len(s.measures) >= 2 and all(m.votes == 0 for m in s.measures),
    "all voted": lambda s: len(s.measures) >= 2 and all(m.votes > 0 for m in s.measures),
    "no criteria": lambda s: bool(s.measures) and not s.criteria,
    "criteria but no scores": lambda s: (
        bool(s.measures) and bool(s.criteria) and not any(m.scores for m in s.measures)
    ),
    "partly scored": lambda s: (
        any(m.scores for m in s.measures) and any(not m.scores for m in s.measures)
    ),
    "no goals": lambda s: bool(s.chosen_fields) and not any(f.goals for f in s.action_fields),
    "no stakeholders": lambda s: bool(s.measures) and not s.stakeholders,
    "no organigram": lambda s: s.organigram is None,
    "no workshop": lambda s: s.workshop is None,
    "an empty workshop record": lambda s: (
        s.workshop is not None and s.workshop == type(s.workshop)()
    ),
    "a workshop with sources": lambda s: s.workshop is not None and bool(s.workshop.sources),
    "a finished measure": lambda s: any(
        m.status is MeasureStatus.ABGESCHLOSSEN for m in s.measures
    ),
    "empty vision": lambda s: s.vision == "",
}


def test_thin_strategies_generate_every_kind_of_gap() -> None:
    # One pass over many generated strategies (a fixed seed: the same every
    # run, wherever the checkout lies; derandomize hashes the test, path and
    # all) instead of a search per case, which would take long for whole strategies.
    seen: set[str] = set()

    @seed(20261204)
    @settings(
        max_examples=600,
        derandomize=False,  # the seed decides
        database=None,
        phases=[Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(strategy=kst.thin_strategies(max_measures=4))
    def collect(strategy: Strategy) -> None:
        seen.update(name for name, condition in THIN_CASES.items() if condition(strategy))

    collect()
    _find_the_rest(kst.thin_strategies(max_measures=4), THIN_CASES, seen)


@given(strategy=kst.thin_strategies())
def test_thin_strategies_are_consistent(strategy: Strategy) -> None:
    keys = [m.key for m in strategy.measures]
    chosen = {f.key for f in strategy.chosen_fields}
    for index, measure in enumerate(strategy.measures):
        assert measure.action_field in chosen
        assert set(measure.depends_on) <= set(keys[:index])  # no cycles
    criteria = {c.key: c for c in strategy.criteria}
    for measure in strategy.measures:
        for key, score in measure.scores.items():
            assert criteria[key].scale_min <= score <= criteria[key].scale_max
    assert strategy.ranking is None
    assert strategy.schedule is None


def test_thin_strategies_respect_max_measures() -> None:
    @given(strategy=kst.thin_strategies(max_measures=0))
    def never_any(strategy: Strategy) -> None:
        assert not strategy.measures

    never_any()


JOINT_CASES: dict[str, Callable[[Strategy], bool]] = {
    "joint strategy": lambda s: bool(s.partners),
    "single municipality": lambda s: not s.partners,
    "by population": lambda s: s.partners != () and s.cost_sharing is ShareBasis.POPULATION,
    "by agreed shares": lambda s: s.partners != () and s.cost_sharing is ShareBasis.AGREED,
    "partner without population": lambda s: any(p.population is None for p in s.partners),
    "measure shared by some partners": lambda s: any(
        m.sharing is not None and m.sharing.partners for m in s.measures
    ),
    "measure with own agreed shares": lambda s: any(
        m.sharing is not None and m.sharing.basis is ShareBasis.AGREED and m.sharing.shares
        for m in s.measures
    ),
    "measure shared by the strategy's basis": lambda s: any(
        m.sharing is None for m in s.measures if s.partners
    ),
    "strategy funding": lambda s: bool(s.funding),
    "strategy funding with unknown amount": lambda s: any(f.amount is None for f in s.funding),
    "strategy funding shared": lambda s: any(f.sharing is not None for f in s.funding),
    "external milestone without date": lambda s: any(
        e.expected_on is None and e.reached_on is None for e in s.external_milestones
    ),
    "measure waits": lambda s: any(m.waits_for for m in s.measures),
    "vacant role": lambda s: (
        s.organigram is not None and any(r.state is RoleState.VACANT for r in s.organigram.roles)
    ),
    "role group with departments": lambda s: (
        s.organigram is not None and any(r.headcount and r.departments for r in s.organigram.roles)
    ),
    "former holders": lambda s: (
        s.organigram is not None and any(r.history for r in s.organigram.roles)
    ),
}


def test_strategies_generate_partners_funding_milestones_and_org_states() -> None:
    seen: set[str] = set()

    @seed(20261204)  # fixed, as above
    @settings(
        max_examples=300,
        derandomize=False,  # the seed decides
        database=None,
        phases=[Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(strategy=kst.strategies(max_measures=4))
    def collect(strategy: Strategy) -> None:
        seen.update(name for name, condition in JOINT_CASES.items() if condition(strategy))

    collect()
    _find_the_rest(kst.strategies(max_measures=4), JOINT_CASES, seen)


def _find_the_rest(
    drawn: st.SearchStrategy[Strategy],
    cases: dict[str, Callable[[Strategy], bool]],
    seen: set[str],
) -> None:
    """Search for each case the common pass did not meet; every one must be found.

    Which examples one pass draws varies between installations, so a case
    the pass happens to miss gets a search of its own instead of failing.
    """
    for name in sorted(set(cases) - seen):
        find(
            drawn,
            cases[name],
            settings=settings(
                max_examples=3000,
                database=None,
                derandomize=False,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            ),
        )  # raises NoSuchExample, naming nothing found, when the case cannot be drawn


@given(strategy=kst.strategies(max_measures=4))
def test_joint_strategies_are_consistent_and_share_every_cost(strategy: Strategy) -> None:
    if not strategy.partners:
        return
    assert not strategy.municipality.members
    keys = [p.key for p in strategy.partners]
    plans = partner_plans(strategy)  # never fails for a missing figure
    assert [p.partner for p in plans] == keys
    for measure in strategy.measures:
        if measure.sharing is not None:
            assert set(measure.sharing.partners) <= set(keys)
            assert set(measure.sharing.shares) <= set(keys)
    for funding in strategy.funding:
        partner_weights(strategy, funding.sharing)
