"""Applying a ranking rule, chosen by name from the registered rules, to a strategy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from kommunal_digital.errors import RankingError
from kommunal_digital.model import Strategy
from kommunal_digital.model.fingerprints import ranking_inputs
from kommunal_digital.model.ranking import Ranking, RankingChoice
from kommunal_digital.ranking.request import RankingRule, request_from_strategy

__all__ = ["DEFAULT_RULE", "rank_measures", "rank_strategy"]

#: The rule used when neither the call nor the strategy names one.
DEFAULT_RULE = "nutzwert"


def rank_measures(
    strategy: Strategy,
    rules: Mapping[str, RankingRule],
    rule: str | None = None,
    options: Mapping[str, Any] | None = None,
) -> Ranking:
    """Rank the strategy's measures (rejected ones left out).

    Args:
        strategy: Supplies measures, goals, criteria and comparisons.
        rules: The registered rules by name (``workspace.ranking_rules``).
        rule: Rule name; by default the strategy's ``ranking_rule``, else
            ``nutzwert``.
        options: Options of the rule; by default those of the strategy's
            ``ranking_rule`` when that names the same rule.

    Returns:
        The ranking. When the rule finds nothing to decide by (no votes, no
        criteria, no scores, no comparisons), ``assessed`` is false and the
        measures keep the order they were recorded in; see
        :func:`~kommunal_digital.ranking.build_ranking`.

    Raises:
        RankingError: Unknown rule, incomplete or inconsistent comparisons,
            criteria that do not fit the rule.
    """
    chosen = strategy.ranking_rule or RankingChoice(rule=DEFAULT_RULE)
    name = rule or chosen.rule
    if options is None:
        options = chosen.options if name == chosen.rule else {}
    request = request_from_strategy(strategy, rules, options)
    if name not in rules:
        known = ", ".join(sorted(rules)) or "none"
        raise RankingError(f"unknown ranking rule {name!r} (registered: {known})")
    return rules[name].rank(request)


def rank_strategy(
    strategy: Strategy,
    rules: Mapping[str, RankingRule],
    rule: str | None = None,
    options: Mapping[str, Any] | None = None,
) -> Strategy:
    """Return a copy of the strategy with its ranking (and the rule used) stored.

    The stored ranking carries the fingerprint of its inputs
    (``Ranking.inputs``, :func:`~kommunal_digital.model.fingerprints.ranking_inputs`
    of the returned strategy, i.e. with the rule finally stored), so a later
    change of the measures, criteria, comparisons or rule shows it is stale.

    Args:
        strategy: The strategy to rank.
        rules: The registered rules by name (``workspace.ranking_rules``).
        rule: Rule name; as in :func:`rank_measures`.
        options: Options of the rule; as in :func:`rank_measures`.
    """
    ranking = rank_measures(strategy, rules, rule, options)
    chosen = strategy.ranking_rule
    if rule is not None or options is not None or chosen is None:
        chosen = RankingChoice(
            rule=ranking.rule,
            options=dict(options if options is not None else (chosen.options if chosen else {})),
        )
    ranked = attrs.evolve(strategy, ranking=ranking, ranking_rule=chosen)
    return attrs.evolve(ranked, ranking=attrs.evolve(ranking, inputs=ranking_inputs(ranked)))
