import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.errors import InconsistentComparisonsError
from kommunal_digital.model import (
    ActionField,
    Cost,
    Goal,
    Measure,
    Municipality,
    MunicipalityKind,
    RankingChoice,
    RankingEntry,
    ScheduleLimits,
)
from kommunal_digital.model.ranking import Comparison, Criterion, Direction, Ranking, ScorePart
from kommunal_digital.ranking import (
    RankChange,
    RankingRequest,
    RankingRule,
    ahp_weights,
    entry_assessed,
    rank_measures,
    sensitivity,
)
from kommunal_digital.ranking.ordering import FILE_ORDER

NUTZEN = Criterion("nutzen", "Nutzen", weight=3)
AUFWAND = Criterion("aufwand", "Aufwand", weight=1, direction=Direction.COST)


def measure(key: str, nutzen: float, aufwand: float, **extra: Any) -> Measure:
    return Measure(key, key.upper(), "f", scores={"nutzen": nutzen, "aufwand": aufwand}, **extra)


def strategy(
    *measures: Measure,
    criteria: tuple[Criterion, ...] = (NUTZEN, AUFWAND),
    goals: tuple[Goal, ...] = (),
    comparisons: tuple[Comparison, ...] = (),
) -> kd.Strategy:
    return kd.Strategy(
        municipality=Municipality(name="Gemeinde Test", kind=MunicipalityKind.GEMEINDE, land="RP"),
        action_fields=(ActionField("f", "Feld", goals=goals),),
        measures=measures,
        criteria=criteria,
        comparisons=comparisons,
    )


def order(ranking: Ranking) -> list[str]:
    return list(ranking.order)


def test_weighted_sum_worked_example(workspace: kd.Workspace) -> None:
    # weights 3:1 -> 0.75 / 0.25; aufwand is a cost criterion (5 = most effort)
    # a: nutzen 5 (1.0), aufwand 1 (1.0) -> 1.0
    # b: nutzen 3 (0.5), aufwand 3 (0.5) -> 0.5
    # c: nutzen 4 (0.75), aufwand 5 (0.0) -> 0.5625
    s = strategy(measure("a", 5, 1), measure("b", 3, 3), measure("c", 4, 5))
    ranking = rank_measures(s, workspace.ranking_rules, "nutzwert")
    assert order(ranking) == ["a", "c", "b"]
    assert [e.score for e in ranking.entries] == pytest.approx([1.0, 0.5625, 0.5])
    assert ranking.weights == pytest.approx({"nutzen": 0.75, "aufwand": 0.25})
    nutzen, aufwand = ranking.entry("c").parts
    assert nutzen == ScorePart("Nutzen", 4, 0.75, 0.75, 0.5625)
    assert aufwand.normalized == 0.0
    assert aufwand.contribution == 0.0


def test_goal_weights_and_tie_break_by_votes(workspace: kd.Workspace) -> None:
    goals = (Goal("g1", "Wichtig", weight=2), Goal("g2", "Weniger wichtig", weight=1))
    s = strategy(
        measure("a", 5, 1, goal="g2", votes=3),  # 1.0 * 1/2 = 0.5
        measure("b", 3, 3, goal="g1", votes=5),  # 0.5 * 1 = 0.5
        measure("c", 4, 5, goal="g1"),  # 0.5625
        goals=goals,
    )
    ranking = rank_measures(s, workspace.ranking_rules, "nutzwert")
    assert order(ranking) == ["c", "b", "a"]
    assert ranking.entry("a").tie_break == (
        "Punktgleich mit „B“; entscheidend war: mehr Punkte in der Punktabfrage."
    )
    assert ranking.entry("b").tie_break == ""
    assert ranking.entry("a").parts[-1].label == "Gewicht des Ziels"
    without = rank_measures(s, workspace.ranking_rules, "nutzwert", {"goal_weights": False})
    assert order(without) == ["a", "c", "b"]


def test_quick_win_worked_example(workspace: kd.Workspace) -> None:
    s = strategy(
        measure("e", 1, 5),  # impact 0, effort 1: Zeitfresser
        measure("d", 2, 2),  # 0.25 / 0.25: Lückenfüller
        measure("c", 4, 5),  # 0.75 / 1.0: Großprojekt, score -0.25
        measure("b", 3, 3),  # 0.5 / 0.5: Großprojekt, score 0
        measure("a", 5, 1),  # 1.0 / 0.0: Quick Win
    )
    ranking = rank_measures(s, workspace.ranking_rules, "quick-win")
    assert order(ranking) == ["a", "b", "c", "d", "e"]
    assert [e.note for e in ranking.entries] == [
        "Quadrant: Quick Win",
        "Quadrant: Großprojekt",
        "Quadrant: Großprojekt",
        "Quadrant: Lückenfüller",
        "Quadrant: Zeitfresser",
    ]
    assert [e.score for e in ranking.entries] == pytest.approx([1.0, 0.0, -0.25, 0.0, -1.0])


def test_quick_win_needs_effort_criterion(workspace: kd.Workspace) -> None:
    s = strategy(
        measure("a", 5, 1), criteria=(NUTZEN, attrs.evolve(AUFWAND, direction=Direction.BENEFIT))
    )
    with pytest.raises(kd.RankingError, match="cost criterion"):
        rank_measures(s, workspace.ranking_rules, "quick-win")


def test_dot_voting_with_cost_tie_break(workspace: kd.Workspace) -> None:
    s = strategy(
        measure("a", 1, 1, votes=3),
        measure("b", 1, 1, votes=5, cost=Cost(Decimal(9000))),
        measure("c", 1, 1, votes=5, cost=Cost(Decimal(1000))),
    )
    ranking = rank_measures(s, workspace.ranking_rules, "punktabfrage")
    assert order(ranking) == ["c", "b", "a"]
    assert ranking.entry("b").tie_break.endswith("entscheidend war: geringere einmalige Kosten.")
    assert [e.score for e in ranking.entries] == [5.0, 5.0, 3.0]


def test_legal_drivers_come_first_by_deadline(workspace: kd.Workspace) -> None:
    s = strategy(
        measure("a", 5, 1),
        measure("b", 3, 3),
        measure("c", 4, 5, legal_driver="OZG", legal_deadline=dt.date(2028, 12, 31)),
        measure("d", 1, 5, legal_driver="OZG", legal_deadline=dt.date(2027, 6, 30)),
        measure("e", 2, 2, legal_driver="EGovG NRW"),
    )
    ranking = rank_measures(s, workspace.ranking_rules, "gesetz-zuerst", {"then": "nutzwert"})
    assert order(ranking) == ["d", "c", "e", "a", "b"]
    assert ranking.entry("d").note.startswith("Gesetzlich vorgeschrieben: OZG, Frist 30.06.2027")
    # the score shown is the one of the inner rule
    assert ranking.entry("a").score == pytest.approx(1.0)
    by_votes = rank_measures(s, workspace.ranking_rules, "gesetz-zuerst", {"then": "punktabfrage"})
    assert order(by_votes)[:3] == ["d", "c", "e"]


def saaty_drinks() -> tuple[list[str], list[Comparison]]:
    # Saaty (2008), "Decision making with the analytic hierarchy process",
    # Int. J. Services Sciences 1(1), 83-98: relative consumption of drinks in the US.
    keys = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
    rows: list[list[float]] = [
        [1, 9, 5, 2, 1, 1, 1 / 2],
        [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
        [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
        [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [1, 9, 4, 2, 1, 2, 1 / 2],
        [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [2, 9, 9, 3, 2, 3, 1],
    ]
    comparisons = []
    for i in range(7):
        for j in range(i + 1, 7):
            value = rows[i][j]
            if value >= 1:
                comparisons.append(Comparison(keys[i], keys[j], value))
            else:
                comparisons.append(Comparison(keys[j], keys[i], 1 / value))
    return keys, comparisons


def test_ahp_reproduces_saatys_published_drinks_example() -> None:
    keys, comparisons = saaty_drinks()
    result = ahp_weights(keys, comparisons)
    published = {
        "coffee": 0.177,
        "wine": 0.019,
        "tea": 0.042,
        "beer": 0.116,
        "soda": 0.190,
        "milk": 0.129,
        "water": 0.327,
    }
    assert {k: round(v, 3) for k, v in result.weights.items()} == published
    assert round(result.consistency_ratio, 3) == 0.022
    assert sum(result.weights.values()) == pytest.approx(1.0)


def test_ahp_rule_uses_derived_weights(workspace: kd.Workspace) -> None:
    s = strategy(
        measure("a", 5, 5),
        measure("b", 1, 1),
        comparisons=(Comparison("aufwand", "nutzen", 3),),
    )
    ranking = rank_measures(s, workspace.ranking_rules, "ahp")
    assert ranking.weights == pytest.approx({"nutzen": 0.25, "aufwand": 0.75})
    assert ranking.consistency_ratio == 0.0
    assert order(ranking) == ["b", "a"]


def test_ahp_refuses_inconsistent_judgements_naming_pairs(workspace: kd.Workspace) -> None:
    # Consistent judgements would be a:b:c:d = 8:4:2:1; "d over c = 9" reverses one pair.
    criteria = tuple(Criterion(k, k.upper()) for k in "abcd")
    comparisons = (
        Comparison("a", "b", 2),
        Comparison("a", "c", 4),
        Comparison("a", "d", 8),
        Comparison("b", "c", 2),
        Comparison("b", "d", 4),
        Comparison("d", "c", 9),
    )
    s = strategy(
        Measure("m", "M", "f", scores=dict.fromkeys("abcd", 1)),
        criteria=criteria,
        comparisons=comparisons,
    )
    with pytest.raises(InconsistentComparisonsError) as info:
        rank_measures(s, workspace.ranking_rules, "ahp")
    assert info.value.consistency_ratio == pytest.approx(0.441, abs=1e-3)
    assert info.value.worst_pairs[0] == ("d", "c")
    assert "CR = 0.441 > 0.1" in str(info.value)
    assert "most inconsistent: d gegenüber c: beurteilt 9, die Gewichte ergeben 2.61" in str(
        info.value
    )


def test_ahp_needs_every_pair(workspace: kd.Workspace) -> None:
    criteria = (Criterion("a", "A"), Criterion("b", "B"), Criterion("c", "C"))
    s = strategy(
        Measure("m", "M", "f", scores={"a": 1, "b": 1, "c": 1}),
        criteria=criteria,
        comparisons=(Comparison("a", "b", 2),),
    )
    with pytest.raises(kd.RankingError, match="missing: a/c, b/c"):
        rank_measures(s, workspace.ranking_rules, "ahp")


def test_missing_score_is_not_assessed_and_unknown_rule_is_clear(
    workspace: kd.Workspace,
) -> None:
    # A missing score is never taken as a value: the measure is "noch nicht bewertet".
    s = strategy(Measure("m", "M", "f", scores={"nutzen": 3}))
    ranking = rank_measures(s, workspace.ranking_rules, "nutzwert")
    assert not ranking.assessed
    assert ranking.entry("m").note == "noch nicht bewertet"
    with pytest.raises(kd.RankingError, match="unknown ranking rule 'los'"):
        rank_measures(s, workspace.ranking_rules, "los")


def test_scores_outside_the_scale_are_refused_at_construction() -> None:
    with pytest.raises(
        kd.ModelValidationError, match=r"measures\[0\]\.scores\.nutzen: 7 lies outside"
    ):
        strategy(measure("a", 7, 1))


def test_sensitivity_worked_example(workspace: kd.Workspace) -> None:
    # weights nutzen 1.0, aufwand 1.1 (cost). a: 5/2 -> (1 + 0.825) ; b: 4/1 -> (0.75 + 1.1).
    # b leads; a overtakes once nutzen gains more than 10 % or aufwand loses more than ~9.1 %.
    criteria = (
        Criterion("nutzen", "Nutzen", weight=1.0),
        Criterion("aufwand", "Aufwand", weight=1.1, direction=Direction.COST),
    )
    s = strategy(
        measure("a", 5, 2, cost=Cost(Decimal(5000))),
        measure("b", 4, 1, cost=Cost(Decimal(1000))),
        criteria=criteria,
    )
    report = sensitivity(s, workspace.ranking_rules, rule="nutzwert", top=2, max_change=0.2)
    found = {(f.criterion, f.change): f.changes for f in report.findings}
    assert set(found) == {("nutzen", 0.11), ("aufwand", -0.1)}
    assert found["nutzen", 0.11] == (RankChange("b", 1, 2), RankChange("a", 2, 1))
    assert not report.stable
    calm = sensitivity(s, workspace.ranking_rules, rule="nutzwert", top=2, max_change=0.05)
    assert calm.stable


def test_plugin_rule_is_used_by_name_without_core_changes() -> None:
    @attrs.frozen
    class Alphabet:
        name: str = "alphabet"
        title: str = "Alphabetisch"

        def rank(self, request: RankingRequest) -> Ranking:
            keys = sorted(m.key for m in request.measures)
            return Ranking(
                rule=self.name,
                entries=tuple(
                    RankingEntry(key, i + 1, float(len(keys) - i)) for i, key in enumerate(keys)
                ),
            )

    class Plugin:
        @kd.hookimpl
        def kd_ranking_rules(self) -> list[Alphabet]:
            return [Alphabet()]

    workspace = kd.open_workspace(entry_points=False, plugins=[Plugin()])
    assert "alphabet" in workspace.ranking_rules
    s = strategy(measure("zeta", 5, 1), measure("alpha", 1, 5))
    ranked = kd.rank(s, workspace, "alphabet")
    assert ranked.ranking is not None
    assert ranked.ranking.order == ("alpha", "zeta")
    assert ranked.ranking_rule == RankingChoice("alphabet")


def test_ranking_is_stored_and_round_trips_and_feeds_planning(workspace: kd.Workspace) -> None:
    demo = kd.demo_strategy()
    assert demo.ranking is not None
    assert demo.ranking.rule == "gesetz-zuerst"
    assert demo.ranking.entries[0].measure == "ozg-leistungen"
    assert kd.loads_strategy(kd.dumps_strategy(demo)) == demo
    assert kd.loads_strategy(kd.dumps_strategy(demo, format="json"), format="json") == demo
    limits = ScheduleLimits(start=dt.date(2027, 1, 1), horizon_years=10)
    planned = kd.plan(attrs.evolve(demo, limits=limits), workspace)
    assert planned.schedule is not None
    # the ranking's first measure is running: it keeps its recorded start
    first_measure = demo.measure(demo.ranking.entries[0].measure)
    assert first_measure.start_on is not None
    first = planned.schedule.entry(first_measure.key)
    assert first is not None
    assert first.start == first_measure.start_on
    # with unlimited money and staff, the first planned measure starts at once
    assert min(p.start_month for p in planned.schedule.placed if not p.fixed_start) == 0


# ---------------------------------------------------------------- properties


@st.composite
def ranking_inputs(draw: st.DrawFn) -> kd.Strategy:
    count = draw(st.integers(1, 4))
    criteria = tuple(
        Criterion(
            f"k{i}",
            f"K{i}",
            weight=draw(st.integers(0, 10)),
            direction=draw(st.sampled_from(Direction)),
        )
        for i in range(count)
    )
    assume(any(c.weight for c in criteria))
    goals = tuple(Goal(f"g{i}", f"G{i}", weight=draw(st.integers(0, 5))) for i in range(3))
    measures = []
    for index in range(draw(st.integers(1, 8))):
        measures.append(
            Measure(
                f"m{index}",
                f"M{index}",
                "f",
                goal=draw(st.sampled_from([None, "g0", "g1", "g2"])),
                scores={c.key: draw(st.integers(1, 5)) for c in criteria},
                votes=draw(st.integers(0, 5)),
                legal_driver=draw(st.sampled_from(["", "OZG"])),
                cost=Cost(
                    draw(st.one_of(st.none(), st.integers(0, 5).map(lambda n: Decimal(n * 1000))))
                ),
                duration_months=draw(st.one_of(st.none(), st.integers(1, 24))),
            )
        )
    return strategy(*measures, criteria=criteria, goals=goals)


def scaled(s: kd.Strategy, factor: float) -> kd.Strategy:
    field = s.action_fields[0]
    goals = tuple(attrs.evolve(g, weight=g.weight * factor) for g in field.goals)
    return attrs.evolve(
        s,
        criteria=tuple(attrs.evolve(c, weight=c.weight * factor) for c in s.criteria),
        action_fields=(attrs.evolve(field, goals=goals),),
    )


RULES = ["nutzwert", "quick-win", "gesetz-zuerst", "punktabfrage"]


def rank_or_none(s: kd.Strategy, rules: Mapping[str, RankingRule], rule: str) -> Ranking | None:
    try:
        return rank_measures(s, rules, rule)
    except kd.RankingError:
        return None


@given(ranking_inputs(), st.floats(0.01, 100), st.sampled_from(RULES))
def test_scaling_all_weights_keeps_the_order(
    workspace: kd.Workspace, s: kd.Strategy, factor: float, rule: str
) -> None:
    before = rank_or_none(s, workspace.ranking_rules, rule)
    after = rank_or_none(scaled(s, factor), workspace.ranking_rules, rule)
    assert (before is None) == (after is None)
    if before is not None and after is not None:
        assert before.order == after.order


def depends_on_recorded_order(ranking: Ranking) -> bool:
    """Whether some measures are told apart by nothing but the order they were recorded in."""
    unassessed = sum(1 for entry in ranking.entries if not entry_assessed(entry))
    return unassessed > 1 or any(FILE_ORDER in entry.tie_break for entry in ranking.entries)


@given(ranking_inputs(), st.randoms(), st.sampled_from(RULES))
def test_input_order_does_not_matter(
    workspace: kd.Workspace, s: kd.Strategy, rnd: Any, rule: str
) -> None:
    shuffled = list(s.measures)
    rnd.shuffle(shuffled)
    before = rank_or_none(s, workspace.ranking_rules, rule)
    after = rank_or_none(attrs.evolve(s, measures=tuple(shuffled)), workspace.ranking_rules, rule)
    assert (before is None) == (after is None)
    if before is None or after is None:
        return
    if depends_on_recorded_order(before) or depends_on_recorded_order(after):
        # Only measures that no score and no fact tell apart may change places.
        assert sorted(before.order) == sorted(after.order)
        assert {e.measure: e.score for e in before.entries} == {
            e.measure: e.score for e in after.entries
        }
        assert (before.assessed, before.explanation) == (after.assessed, after.explanation)
    else:
        assert before == after


@given(ranking_inputs())
def test_adding_a_dominated_measure_keeps_the_others_in_order(
    workspace: kd.Workspace, s: kd.Strategy
) -> None:
    worst = {
        c.key: (c.scale_min if c.direction is Direction.BENEFIT else c.scale_max)
        for c in s.criteria
    }
    dominated = Measure("zz-dominated", "Dominiert", "f", scores=worst)
    before = rank_measures(s, workspace.ranking_rules, "nutzwert")
    after = rank_measures(
        attrs.evolve(s, measures=(*s.measures, dominated)), workspace.ranking_rules, "nutzwert"
    )
    assert tuple(k for k in after.order if k != "zz-dominated") == before.order
    assert after.order[-1] == "zz-dominated" or after.entry("zz-dominated").score == min(
        e.score for e in after.entries
    )
