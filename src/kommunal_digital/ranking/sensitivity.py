"""How stable the top of a ranking is when criterion weights move."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from kommunal_digital.errors import RankingError
from kommunal_digital.model import Strategy
from kommunal_digital.model.ranking import Ranking
from kommunal_digital.ranking.registry import rank_measures
from kommunal_digital.ranking.request import RankingRule

__all__ = ["RankChange", "SensitivityFinding", "SensitivityReport", "sensitivity"]


@attrs.frozen
class RankChange:
    """A measure whose place changed.

    Attributes:
        measure: The measure's key.
        rank_before: Its place in the ranking as made (1 is first).
        rank_after: Its place with the changed weight.
    """

    measure: str
    rank_before: int
    rank_after: int


@attrs.frozen
class SensitivityFinding:
    """The smallest change of one criterion's weight that reorders the top.

    Attributes:
        criterion: The criterion whose weight moved.
        change: The relative change, e.g. ``0.05`` for +5 % or ``-0.1`` for -10 %.
        changes: The measures whose rank changed (within or into the top).
    """

    criterion: str
    change: float
    changes: tuple[RankChange, ...]


@attrs.frozen
class SensitivityReport:
    """The result of :func:`sensitivity`.

    Attributes:
        rule: The rule examined.
        top: How many places were watched.
        max_change: The largest relative weight change tried.
        findings: Per criterion and direction, the first change that reorders
            the top; criteria and directions without a finding are stable.
    """

    rule: str
    top: int
    max_change: float
    findings: tuple[SensitivityFinding, ...]

    @property
    def stable(self) -> bool:
        """Whether no weight change within the range reorders the top."""
        return not self.findings


def _changes(before: Ranking, after: Ranking, top: int) -> tuple[RankChange, ...]:
    old = {e.measure: e.rank for e in before.entries}
    new = {e.measure: e.rank for e in after.entries}
    watched = [e.measure for e in before.entries[:top]] + [
        e.measure for e in after.entries[:top] if old[e.measure] > top
    ]
    return tuple(
        RankChange(measure, old[measure], new[measure])
        for measure in watched
        if old[measure] != new[measure]
    )


def sensitivity(
    strategy: Strategy,
    rules: Mapping[str, RankingRule],
    *,
    rule: str | None = None,
    options: Mapping[str, Any] | None = None,
    top: int = 5,
    max_change: float = 0.2,
    step: float = 0.01,
) -> SensitivityReport:
    """Move each criterion weight up and down and report when the top N changes.

    Each criterion's weight is multiplied by ``1 ± k * step`` for
    ``k = 1, 2, ...`` up to ``max_change``, the others stay, and the ranking
    is made again. For every criterion and direction the first change that
    alters the order of the first ``top`` places is reported. An AHP ranking
    is examined with its derived weights under the weighted sum.

    Args:
        strategy: The strategy, with criteria and scores.
        rules: The registered rules by name (``workspace.ranking_rules``).
        rule: The rule's name; by default the strategy's ``ranking_rule``,
            else ``nutzwert``.
        options: Options of the rule; by default those of the strategy's
            ``ranking_rule`` when that names the same rule.
        top: How many places at the top must keep their order.
        max_change: The largest relative change tried, e.g. ``0.2`` for ±20 %.
        step: The relative change between two tries.

    Raises:
        RankingError: The rule does not work with criterion weights, or the
            ranking is not assessed (nothing to decide by, so nothing to vary).
    """
    if not 0 < step <= max_change:
        raise RankingError("sensitivity needs 0 < step <= max_change")
    base = rank_measures(strategy, rules, rule, options)
    name = base.rule
    if not base.assessed:
        raise RankingError(
            f"the {name!r} ranking is not assessed (nothing to decide by); nothing to vary"
        )
    if not base.weights:
        raise RankingError(f"rule {name!r} uses no criterion weights; nothing to vary")
    perturbed_rule = "nutzwert" if name == "ahp" else name
    base_options = dict(options if options is not None else _options(strategy, name))
    steps = round(max_change / step)
    findings = []
    for criterion in base.weights:
        for sign in (1, -1):
            for k in range(1, steps + 1):
                change = sign * k * step
                weights = dict(base.weights)
                weights[criterion] = max(weights[criterion] * (1 + change), 0.0)
                moved = rank_measures(
                    strategy, rules, perturbed_rule, {**base_options, "weights": weights}
                )
                if moved.order[:top] != base.order[:top]:
                    findings.append(
                        SensitivityFinding(criterion, round(change, 6), _changes(base, moved, top))
                    )
                    break
    return SensitivityReport(rule=name, top=top, max_change=max_change, findings=tuple(findings))


def _options(strategy: Strategy, name: str) -> Mapping[str, Any]:
    chosen = strategy.ranking_rule
    return chosen.options if chosen is not None and chosen.rule == name else {}
