"""Weighted-sum utility analysis (Nutzwertanalyse)."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from kommunal_digital.errors import RankingError
from kommunal_digital.model import Measure
from kommunal_digital.model.ranking import Criterion, Direction, Ranking, ScorePart
from kommunal_digital.ranking.ordering import Scored, build_ranking, not_assessed_ranking
from kommunal_digital.ranking.request import RankingRequest

__all__ = [
    "NO_CRITERIA",
    "NO_SCORES",
    "WeightedSum",
    "missing_note",
    "missing_scores",
    "normalise",
    "normalised_weights",
    "utility",
]


def normalise(criterion: Criterion, score: float) -> float:
    """Map a score onto 0 (worst) to 1 (best) along the criterion's fixed scale."""
    span = criterion.scale_max - criterion.scale_min
    share = (score - criterion.scale_min) / span
    return 1.0 - share if criterion.direction is Direction.COST else share


def normalised_weights(
    criteria: tuple[Criterion, ...], weights: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Criterion weights scaled to sum to 1 (``weights`` overrides the criteria's own).

    Raises:
        RankingError: There are no criteria or all weights are zero.
    """
    raw = {c.key: (weights or {}).get(c.key, c.weight) for c in criteria}
    total = sum(raw.values())
    if not criteria or total <= 0:
        raise RankingError("the ranking needs criteria with a weight above zero")
    return {key: value / total for key, value in raw.items()}


def _score(measure: Measure, criterion: Criterion) -> float:
    try:
        return measure.scores[criterion.key]
    except KeyError:
        raise RankingError(
            f"measure {measure.key!r} has no score for criterion {criterion.key!r}"
        ) from None


def utility(
    measure: Measure, criteria: tuple[Criterion, ...], weights: Mapping[str, float]
) -> tuple[float, tuple[ScorePart, ...]]:
    """The weighted sum of a measure's normalised scores, with one part per criterion."""
    parts = []
    total = 0.0
    for criterion in criteria:
        value = _score(measure, criterion)
        normalised = normalise(criterion, value)
        contribution = weights[criterion.key] * normalised
        total += contribution
        parts.append(
            ScorePart(
                label=criterion.title,
                value=value,
                normalized=normalised,
                weight=weights[criterion.key],
                contribution=contribution,
            )
        )
    return total, tuple(parts)


def _goal_factors(request: RankingRequest) -> dict[str, float]:
    top = max((goal.weight for goal in request.goals), default=0.0)
    if top <= 0:
        return {}
    return {goal.key: goal.weight / top for goal in request.goals}


#: Why a rule based on criterion scores assessed nothing: no criteria.
NO_CRITERIA = "Es sind keine Bewertungskriterien festgelegt."

#: Why a rule based on criterion scores assessed nothing: no measure is scored.
NO_SCORES = "Für die Maßnahmen liegen noch keine Bewertungen nach den Kriterien vor."


def missing_scores(measure: Measure, criteria: tuple[Criterion, ...]) -> tuple[Criterion, ...]:
    """The criteria the measure has no score for.

    Args:
        measure: The measure.
        criteria: The criteria a rule needs scores for.
    """
    return tuple(c for c in criteria if c.key not in measure.scores)


def missing_note(missing: tuple[Criterion, ...], criteria: tuple[Criterion, ...]) -> str:
    """The note of a measure that lacks some scores ("" when it lacks all of them).

    Args:
        missing: The criteria without a score.
        criteria: All criteria the rule needs.
    """
    if len(missing) == len(criteria):
        return ""
    return "Es fehlt die Bewertung nach: " + ", ".join(f"„{c.title}“" for c in missing) + "."


@attrs.frozen
class WeightedSum:
    """Nutzwertanalyse: weighted sum of normalised criterion scores.

    Each score is mapped onto 0 to 1 along its criterion's fixed scale
    (reversed for cost criteria such as effort), multiplied by the
    criterion's share of all weights and summed. With the option
    ``goal_weights`` (default true) the sum is then multiplied by the weight
    of the measure's goal relative to the heaviest goal, so measures serving
    more important goals move up. Option ``weights`` overrides criterion
    weights by key.

    A measure needs a score for every criterion to be assessed; a missing
    score is never taken as zero or as any other value. Measures lacking
    scores are "noch nicht bewertet": they follow the assessed ones in the
    order they were recorded, and their note names the missing criteria
    when some scores exist. Without criteria, or when no measure has all
    its scores, the ranking is not assessed (``Ranking.assessed`` false)
    and keeps the recorded order.
    """

    name: str = "nutzwert"
    title: str = "Nutzwertanalyse"

    def rank(self, request: RankingRequest) -> Ranking:
        """Rank by weighted sum; see the class documentation."""
        if not request.criteria:
            return not_assessed_ranking(self.name, request.measures, NO_CRITERIA)
        weights = normalised_weights(request.criteria, request.option("weights", None))
        gaps = {m.key: missing_scores(m, request.criteria) for m in request.measures}
        if request.measures and all(gaps.values()):
            return not_assessed_ranking(self.name, request.measures, NO_SCORES)
        factors = _goal_factors(request) if request.option("goal_weights", True) else {}
        goal_weighted = False
        items = []
        for measure in request.measures:
            if gaps[measure.key]:
                note = missing_note(gaps[measure.key], request.criteria)
                items.append(Scored(measure, 0.0, note=note, assessed=False))
                continue
            total, parts = utility(measure, request.criteria, weights)
            if factors and measure.goal in factors:
                goal_weighted = True
                factor = factors[measure.goal]
                parts = (
                    *parts,
                    ScorePart(
                        label="Gewicht des Ziels",
                        value=factor,
                        weight=factor,
                        contribution=total * factor - total,
                    ),
                )
                total *= factor
            items.append(Scored(measure, total, parts))
        complete = not any(gaps.values())
        return build_ranking(
            self.name,
            items,
            weights=weights,
            explanation=(
                (
                    "Jede Maßnahme wurde je Kriterium bewertet. "
                    if complete
                    else "Die bewerteten Maßnahmen haben je Kriterium eine Bewertung. "
                )
                + "Die Bewertungen werden auf 0 bis 1 "
                "umgerechnet (bei Aufwandskriterien umgekehrt), mit dem Gewicht des Kriteriums "
                "multipliziert und addiert"
                + (
                    " und mit dem Gewicht des Ziels der Maßnahme gewichtet."
                    if goal_weighted
                    else "."
                )
            ),
        )
