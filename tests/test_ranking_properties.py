"""Every built-in ranking rule ranks every generated strategy: completely and deterministically.

``kommunal_digital.testing.strategies.strategies()`` promises strategies that
every built-in rule can rank; these properties hold it to that, and hold the
rules to the documented ranking contract.
"""

from __future__ import annotations

import functools

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.errors import RankingError
from kommunal_digital.model import MeasureStatus, Strategy
from kommunal_digital.model.ranking import Ranking
from kommunal_digital.ranking import RankingRule, entry_assessed, rank_measures
from kommunal_digital.ranking.ordering import FILE_ORDER
from kommunal_digital.testing import strategies as kst


@functools.cache
def builtin_rules() -> dict[str, RankingRule]:
    """The rules of the built-in plugin alone (no installed plugins)."""
    return dict(kd.open_workspace(entry_points=False).ranking_rules)


def test_the_built_in_rules_are_the_documented_five() -> None:
    assert sorted(builtin_rules()) == [
        "ahp",
        "gesetz-zuerst",
        "nutzwert",
        "punktabfrage",
        "quick-win",
    ]


@pytest.mark.parametrize("rule", sorted(builtin_rules()))
@given(strategy=kst.strategies())
def test_every_built_in_rule_ranks_every_generated_strategy(rule: str, strategy: Strategy) -> None:
    rules = builtin_rules()
    ranking = rank_measures(strategy, rules, rule)

    ranked = [m.key for m in strategy.measures if m.status is not MeasureStatus.VERWORFEN]
    assert sorted(ranking.order) == sorted(ranked)
    assert len(set(ranking.order)) == len(ranking.order)
    assert [entry.rank for entry in ranking.entries] == list(range(1, len(ranked) + 1))
    assert ranking.rule == rule

    # The same input gives the same ranking, and so does the file in another
    # order, except for measures that nothing but that order tells apart.
    assert rank_measures(strategy, rules, rule) == ranking
    shuffled = attrs.evolve(strategy, measures=tuple(reversed(strategy.measures)))
    reversed_ranking = rank_measures(shuffled, rules, rule)
    if depends_on_recorded_order(ranking) or depends_on_recorded_order(reversed_ranking):
        assert sorted(reversed_ranking.order) == sorted(ranking.order)
        assert {e.measure: e.score for e in reversed_ranking.entries} == {
            e.measure: e.score for e in ranking.entries
        }
        assert reversed_ranking.assessed == ranking.assessed
    else:
        assert reversed_ranking == ranking


def depends_on_recorded_order(ranking: Ranking) -> bool:
    """Whether some measures are told apart by nothing but the order they were recorded in."""
    unassessed = sum(1 for entry in ranking.entries if not entry_assessed(entry))
    return unassessed > 1 or any(FILE_ORDER in entry.tie_break for entry in ranking.entries)


@pytest.mark.skipif(
    not hasattr(kst, "thin_strategies"), reason="kst.thin_strategies is not available"
)
@pytest.mark.parametrize("rule", sorted(builtin_rules()))
@given(data=st.data())
def test_thin_strategies_never_get_a_ranking_by_points_without_votes(
    rule: str, data: st.DataObject
) -> None:
    strategy = data.draw(kst.thin_strategies())
    try:
        ranking = rank_measures(strategy, builtin_rules(), rule)
    except RankingError:
        # Only a misfit of rule and criteria (e.g. quick-win without a cost
        # criterion) or incomplete pairwise comparisons may refuse.
        assert strategy.criteria
        return
    ranked = [m for m in strategy.measures if m.status is not MeasureStatus.VERWORFEN]
    if "Punkten, die die Teilnehmenden" in ranking.explanation:
        assert any(m.votes for m in ranked)
    if not ranking.assessed:
        assert all(not entry_assessed(entry) for entry in ranking.entries)
        assert all(entry.tie_break == "" for entry in ranking.entries)
