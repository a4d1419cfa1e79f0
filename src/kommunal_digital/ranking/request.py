"""What a ranking rule receives, and the contract a rule fulfils."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

import attrs

from kommunal_digital.errors import RankingError
from kommunal_digital.model import Goal, Measure, MeasureStatus, Strategy
from kommunal_digital.model.ranking import Comparison, Criterion, Ranking

__all__ = ["RankingRequest", "RankingRule", "request_from_strategy"]


@attrs.frozen
class RankingRequest:
    """Everything a rule may use to rank measures.

    Attributes:
        measures: The measures to rank (rejected ones already left out).
        goals: All goals of the strategy, with their weights.
        criteria: Criterion definitions with scales and weights.
        comparisons: Pairwise comparisons of criteria (for AHP).
        options: Options of the rule, e.g. ``{"then": "nutzwert"}``.
        rules: All registered rules by name, so that rules can compose.
    """

    measures: tuple[Measure, ...]
    goals: tuple[Goal, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    options: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    rules: Mapping[str, RankingRule] = attrs.field(factory=dict, hash=False, repr=False)

    def option(self, name: str, default: Any) -> Any:
        """Return an option, or ``default`` when it is not set.

        Args:
            name: The option's name, e.g. ``"then"``.
            default: What to return when the option is not set.
        """
        return self.options.get(name, default)

    def rule(self, name: str) -> RankingRule:
        """Return another registered rule by name.

        Args:
            name: The rule's name, e.g. ``"nutzwert"``.

        Raises:
            RankingError: No rule of that name is registered.
        """
        try:
            return self.rules[name]
        except KeyError:
            known = ", ".join(sorted(self.rules)) or "none"
            raise RankingError(f"unknown ranking rule {name!r} (registered: {known})") from None

    def with_options(self, options: Mapping[str, Any]) -> RankingRequest:
        """A copy with other options (for rules that call other rules).

        Args:
            options: The options that replace the request's options.
        """
        return attrs.evolve(self, options=dict(options))


@runtime_checkable
class RankingRule(Protocol):
    """A ranking rule, as returned by the ``kd_ranking_rules`` hook."""

    @property
    def name(self) -> str:
        """The name strategies and packs select the rule by."""
        ...  # pragma: no cover - protocol

    @property
    def title(self) -> str:
        """German title for documents."""
        ...  # pragma: no cover - protocol

    def rank(self, request: RankingRequest) -> Ranking:
        """Rank ``request.measures`` and explain every score.

        Args:
            request: The measures and everything else the rule may use.

        Returns:
            The ranking, best first; usually made by
            :func:`~kommunal_digital.ranking.build_ranking`.
        """
        ...  # pragma: no cover - protocol


def request_from_strategy(
    strategy: Strategy, rules: Mapping[str, RankingRule], options: Mapping[str, Any]
) -> RankingRequest:
    """Collect the inputs of a ranking from a strategy."""
    return RankingRequest(
        measures=tuple(m for m in strategy.measures if m.status is not MeasureStatus.VERWORFEN),
        goals=tuple(goal for field in strategy.action_fields for goal in field.goals),
        criteria=strategy.criteria,
        comparisons=strategy.comparisons,
        options=dict(options),
        rules=rules,
    )
