"""Finding ranking rules through the plugin hook and applying them to a strategy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import pluggy

from kommunal_digital.errors import PluginError, RankingError
from kommunal_digital.model import Strategy
from kommunal_digital.model.ranking import Ranking, RankingChoice
from kommunal_digital.ranking.request import RankingRule, request_from_strategy

__all__ = ["DEFAULT_RULE", "rank_measures", "rank_strategy", "ranking_rules"]

#: The rule used when neither the call nor the strategy names one.
DEFAULT_RULE = "nutzwert"


def ranking_rules(manager: pluggy.PluginManager | None = None) -> dict[str, RankingRule]:
    """All ranking rules the plugins register, by name.

    A rule of a later-registered plugin replaces a built-in rule of the same name.

    Raises:
        PluginError: A plugin returned something that is not a ranking rule.
    """
    from kommunal_digital.plugins.manager import make_plugin_manager

    rules: dict[str, RankingRule] = {}
    for batch in reversed((manager or make_plugin_manager()).hook.kd_ranking_rules()):
        for rule in batch:
            if not isinstance(rule, RankingRule):
                raise PluginError(
                    f"kd_ranking_rules returned {rule!r}, which is not a ranking rule"
                )
            rules[rule.name] = rule
    return rules


def rank_measures(
    strategy: Strategy,
    rule: str | None = None,
    options: Mapping[str, Any] | None = None,
    *,
    manager: pluggy.PluginManager | None = None,
) -> Ranking:
    """Rank the strategy's measures (rejected ones left out).

    Args:
        strategy: Supplies measures, goals, criteria and comparisons.
        rule: Rule name; by default the strategy's ``ranking_rule``, else
            ``nutzwert``.
        options: Options of the rule; by default those of the strategy's
            ``ranking_rule`` when that names the same rule.
        manager: Plugin manager to find rules with.

    Raises:
        RankingError: Unknown rule, missing scores, inconsistent comparisons.
    """
    chosen = strategy.ranking_rule or RankingChoice(rule=DEFAULT_RULE)
    name = rule or chosen.rule
    if options is None:
        options = chosen.options if name == chosen.rule else {}
    rules = ranking_rules(manager)
    request = request_from_strategy(strategy, rules, options)
    if name not in rules:
        known = ", ".join(sorted(rules)) or "none"
        raise RankingError(f"unknown ranking rule {name!r} (registered: {known})")
    return rules[name].rank(request)


def rank_strategy(
    strategy: Strategy,
    rule: str | None = None,
    options: Mapping[str, Any] | None = None,
    *,
    manager: pluggy.PluginManager | None = None,
) -> Strategy:
    """Return a copy of the strategy with its ranking (and the rule used) stored."""
    ranking = rank_measures(strategy, rule, options, manager=manager)
    chosen = strategy.ranking_rule
    if rule is not None or options is not None or chosen is None:
        chosen = RankingChoice(
            rule=ranking.rule,
            options=dict(options if options is not None else (chosen.options if chosen else {})),
        )
    return attrs.evolve(strategy, ranking=ranking, ranking_rule=chosen)
