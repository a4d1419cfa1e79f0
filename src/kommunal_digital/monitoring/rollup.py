"""Rolling progress up: measure → goal → action field → strategy.

Every figure is a weighted mean of the progress of the measures beneath it,
so a goal, its action field and the whole strategy use the same weights and
stay consistent with each other. The weight of a measure depends on the
:class:`~kommunal_digital.model.progress.Weighting`:

- ``gleich``: every measure weighs 1.
- ``kosten``: one-off cost plus one year of follow-on cost, in euros.
- ``zielgewicht``: the weight of the measure's goal, shared equally among
  the goal's measures (so each goal weighs its own weight). The measures of
  an action field that serve no goal share a weight of 1 (a goal's default
  weight) in the same way.

Measures without a goal count in their action field and the strategy, not
in any goal. Dropped measures (``verworfen``) count nowhere and are listed
as excluded. When all weights in a figure are zero (costs estimated at
zero, goal weights of zero), every measure of the figure weighs the same,
and the explanation says so. Weighting by cost needs every cost: when the
one-off or yearly cost of a measure counted in a figure is not estimated,
its weight is unknown (``None``, not 0), the figure falls back to equal
weights, names those measures (``unknown_weights``) and its explanation
says why, since a guessed weight would make the figure say more than is
known. Sums use :func:`math.fsum`, so the order of the
measures does not change a figure.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import attrs

from kommunal_digital.model import Measure, Strategy
from kommunal_digital.model.progress import Weighting
from kommunal_digital.monitoring.progress import (
    MeasureFigure,
    ProgressSource,
    format_percent,
    measure_progress,
)

__all__ = ["Level", "ProgressFigure", "Rollup", "RollupPart", "roll_up_progress"]


class Level:
    """The levels a figure can belong to (plain ids, used in the render data)."""

    STRATEGY = "strategie"
    FIELD = "handlungsfeld"
    GOAL = "ziel"


@attrs.frozen
class RollupPart:
    """One measure's part in a rolled-up figure.

    Attributes:
        measure: The measure's key.
        title: Its title.
        progress: Its progress in percent.
        source: Where that progress comes from.
        weight: Its weight under the chosen weighting (euros for ``kosten``);
            ``None`` when its cost is not estimated.
        share: Its share of the figure's total weight, 0 to 1.
        contribution: ``share * progress``: percentage points it adds.
    """

    measure: str
    title: str
    progress: float
    source: ProgressSource
    weight: float | None
    share: float
    contribution: float


@attrs.frozen
class ProgressFigure:
    """A rolled-up progress figure with the way it came about.

    Attributes:
        level: ``strategie``, ``handlungsfeld`` or ``ziel``.
        key: Key of the action field or goal; empty for the strategy.
        title: Title of the strategy or action field, or the goal's statement.
        action_field: For a goal, the key of its action field.
        progress: Percent complete, 0 to 100; ``None`` when no measure counts.
        weighting: The weighting used.
        equal_fallback: All weights were zero, or some unknown, so every
            measure counted the same.
        parts: The measures counted, with weight, share and progress.
        excluded: Keys of dropped measures (``verworfen``) left out.
        explanation: A German explanation for the report.
        unknown_weights: Keys of counted measures whose weight is unknown
            (cost not estimated under ``kosten``); then ``equal_fallback`` is set.
    """

    level: str
    key: str
    title: str
    progress: float | None
    weighting: Weighting
    equal_fallback: bool
    parts: tuple[RollupPart, ...]
    excluded: tuple[str, ...]
    explanation: str
    action_field: str | None = None
    unknown_weights: tuple[str, ...] = ()


@attrs.frozen
class Rollup:
    """All figures of one roll-up.

    Attributes:
        weighting: The weighting used.
        measures: The figure of every measure, by key, in the strategy's order.
        overall: The strategy as a whole.
        fields: One figure per chosen action field, in the strategy's order.
        goals: One figure per goal of a chosen action field, in order.
    """

    weighting: Weighting
    measures: dict[str, MeasureFigure]
    overall: ProgressFigure
    fields: tuple[ProgressFigure, ...]
    goals: tuple[ProgressFigure, ...]


def _cost_weight(measure: Measure) -> float | None:
    one_off, yearly = measure.cost.one_off, measure.cost.yearly
    if one_off is None or yearly is None:
        return None
    return float(one_off + yearly)


def _weights(
    strategy: Strategy, included: Sequence[Measure], weighting: Weighting
) -> dict[str, float | None]:
    if weighting is Weighting.EQUAL:
        return {m.key: 1.0 for m in included}
    if weighting is Weighting.COST:
        return {m.key: _cost_weight(m) for m in included}
    # Goal weights: each goal (and each field's goal-less group) weighs its
    # weight once, shared among its counted measures.
    groups = Counter((m.action_field, m.goal) for m in included)
    weights: dict[str, float | None] = {}
    for m in included:
        group_weight = 1.0 if m.goal is None else strategy.goal(m.goal).weight
        weights[m.key] = group_weight / groups[m.action_field, m.goal]
    return weights


def _figure(
    level: str,
    key: str,
    title: str,
    members: Sequence[Measure],
    figures: dict[str, MeasureFigure],
    weights: dict[str, float | None],
    weighting: Weighting,
    action_field: str | None = None,
    groups: dict[str, str] | None = None,
) -> ProgressFigure:
    counted = [m for m in members if figures[m.key].progress is not None]
    excluded = tuple(m.key for m in members if figures[m.key].progress is None)
    unknown = tuple(m.key for m in counted if weights[m.key] is None)
    total = math.fsum(weights[m.key] or 0.0 for m in counted)
    fallback = bool(counted) and (total <= 0 or bool(unknown))
    own = {m.key: (1.0 if fallback else weights[m.key] or 0.0) for m in counted}
    if fallback:
        total = float(len(counted))
    parts = []
    for m in counted:
        progress = figures[m.key].progress
        assert progress is not None  # counted measures have a figure
        share = own[m.key] / total
        parts.append(
            RollupPart(
                measure=m.key,
                title=m.title,
                progress=progress,
                source=figures[m.key].source,
                weight=weights[m.key],
                share=share,
                contribution=share * progress,
            )
        )
    value = None
    if counted:
        value = math.fsum(own[m.key] * (figures[m.key].progress or 0.0) for m in counted) / total
        value = min(100.0, max(0.0, value))
    explanation = _explain(value, weighting, fallback, parts, excluded, members, groups, unknown)
    return ProgressFigure(
        level=level,
        key=key,
        title=title,
        progress=value,
        weighting=weighting,
        equal_fallback=fallback,
        parts=tuple(parts),
        excluded=excluded,
        explanation=explanation,
        action_field=action_field,
        unknown_weights=unknown,
    )


def _explain(
    value: float | None,
    weighting: Weighting,
    fallback: bool,
    parts: Sequence[RollupPart],
    excluded: Sequence[str],
    members: Sequence[Measure],
    groups: dict[str, str] | None,
    unknown: Sequence[str] = (),
) -> str:
    titles = {m.key: m.title for m in members}
    dropped = ", ".join(titles[k] for k in excluded)
    if value is None:
        text = "Keine Maßnahme zählt mit, daher gibt es keinen Fortschrittswert."
        return f"{text} Verworfen: {dropped}." if dropped else text
    count = "1 Maßnahme" if len(parts) == 1 else f"{len(parts)} Maßnahmen"
    how = Weighting.EQUAL.label if fallback else weighting.label
    text = f"{format_percent(value)} aus {count}, Gewichtung: {how}."
    if unknown:
        names = ", ".join(f"„{titles[k]}“" for k in unknown)
        text += (
            f" Die Kosten von {names} sind noch nicht geschätzt, daher zählt jede Maßnahme gleich."
        )
    elif fallback:
        text += " Alle Gewichte sind null, daher zählt jede Maßnahme gleich."
    text += f" Anteile: {_listing(parts, members, groups)}."
    if dropped:
        text += f" Verworfen und nicht mitgezählt: {dropped}."
    return text


def _listing(
    parts: Sequence[RollupPart], members: Sequence[Measure], groups: dict[str, str] | None
) -> str:
    """List the parts, or with ``groups`` (field key to title) one entry per group."""
    if groups is None:
        entries = [(p.title, p.progress, p.share) for p in parts]
    else:
        field_of = {m.key: m.action_field for m in members}
        shares: dict[str, list[RollupPart]] = {}
        for part in parts:
            shares.setdefault(field_of[part.measure], []).append(part)
        entries = []
        for key, inside in shares.items():
            share = math.fsum(p.share for p in inside)
            points = math.fsum(p.contribution for p in inside)
            entries.append((groups[key], points / share if share > 0 else 0.0, share))
    return "; ".join(
        f"{title} {format_percent(progress)} bei {format_percent(100 * share)} Anteil"
        for title, progress, share in entries
    )


def roll_up_progress(strategy: Strategy, weighting: Weighting | None = None) -> Rollup:
    """Roll the progress of the measures up to goals, action fields and the strategy.

    Args:
        strategy: The strategy.
        weighting: How measures are weighted; by default
            ``strategy.reporting.weighting``.

    Returns:
        The figures of every level, each with its parts and a German
        explanation.
    """
    chosen = weighting or strategy.reporting.weighting
    figures = {m.key: measure_progress(strategy, m) for m in strategy.measures}
    included = [m for m in strategy.measures if figures[m.key].progress is not None]
    weights = _weights(strategy, included, chosen)
    fields = []
    goals = []
    for field in strategy.chosen_fields:
        in_field = strategy.measures_in(field.key)
        fields.append(
            _figure(Level.FIELD, field.key, field.title, in_field, figures, weights, chosen)
        )
        for goal in field.goals:
            serving = [m for m in in_field if m.goal == goal.key]
            goals.append(
                _figure(
                    Level.GOAL,
                    goal.key,
                    goal.statement,
                    serving,
                    figures,
                    weights,
                    chosen,
                    action_field=field.key,
                )
            )
    overall = _figure(
        Level.STRATEGY,
        "",
        strategy.title,
        strategy.measures,
        figures,
        weights,
        chosen,
        groups={f.key: f.title for f in strategy.action_fields},
    )
    return Rollup(
        weighting=chosen,
        measures=figures,
        overall=overall,
        fields=tuple(fields),
        goals=tuple(goals),
    )
