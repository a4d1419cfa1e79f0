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

import kommunal_digital as kd
from kommunal_digital.model import MeasureStatus, Strategy
from kommunal_digital.ranking import RankingRule, rank_measures
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

    # The same input gives the same ranking, and so does the file in another order.
    assert rank_measures(strategy, rules, rule) == ranking
    shuffled = attrs.evolve(strategy, measures=tuple(reversed(strategy.measures)))
    assert rank_measures(shuffled, rules, rule) == ranking
