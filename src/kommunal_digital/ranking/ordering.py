"""Sorting scored measures into a ranking, with the documented tie-break chain.

Every built-in rule scores the measures and hands them to
:func:`build_ranking`; a plugin's rule does the same, so that all rules
order and explain ties alike. Ties on the score are broken, in this order, by

1. the earlier legal deadline (a measure without one comes after),
2. more points in the workshop's dot voting,
3. the lower one-off cost,
4. the shorter duration,
5. the key in alphabetical order (always decides; keys are unique).

Scores are compared rounded to nine decimal places, so that floating-point
noise (e.g. from scaling all weights) never decides a place.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from kommunal_digital.errors import RankingError
from kommunal_digital.model import Measure
from kommunal_digital.model.ranking import Ranking, RankingEntry, ScorePart

__all__ = ["TIE_BREAKERS", "Scored", "build_ranking", "order_scored"]

_DIGITS = 9


@attrs.frozen
class Scored:
    """A measure with its score, before it is ordered.

    Attributes:
        measure: The measure.
        score: Its score; a higher score ranks first. Must be finite.
        parts: The explanation of the score, line by line.
        group: Measures of a lower group come first whatever their score
            (e.g. legally required measures, or a quick-win quadrant);
            ``0`` for all when the rule has no groups.
        note: Further explanation (German), e.g. the quadrant.
    """

    measure: Measure
    score: float
    parts: tuple[ScorePart, ...] = ()
    group: int = 0
    note: str = ""


#: The tie-break chain, in order: a German label (as printed in
#: ``RankingEntry.tie_break``) and the sort key of a measure (lower first).
TIE_BREAKERS: Sequence[tuple[str, Callable[[Measure], Any]]] = (
    ("frühere gesetzliche Frist", lambda m: m.legal_deadline or dt.date.max),
    ("mehr Punkte in der Punktabfrage", lambda m: -m.votes),
    ("geringere einmalige Kosten", lambda m: m.cost.one_off),
    ("kürzere Dauer", lambda m: m.duration_months),
    ("alphabetische Reihenfolge des Schlüssels", lambda m: m.key),
)


def _sort_key(item: Scored) -> tuple[Any, ...]:
    return (
        item.group,
        -round(item.score, _DIGITS),
        *(key(item.measure) for _, key in TIE_BREAKERS),
    )


def _tie_break(before: Scored, after: Scored) -> str:
    if before.group != after.group or round(before.score, _DIGITS) != round(after.score, _DIGITS):
        return ""
    for label, key in TIE_BREAKERS:
        if key(before.measure) != key(after.measure):
            return f"Punktgleich mit „{before.measure.title}“; entscheidend war: {label}."
    return ""  # pragma: no cover - keys are unique


def order_scored(items: Iterable[Scored], *, rule: str = "") -> list[Scored]:
    """Sort scored measures into ranking order, first place first.

    The order is: ``group`` ascending, then ``score`` descending (compared
    rounded to nine decimal places), then the tie-break chain of
    :data:`TIE_BREAKERS` (earlier legal deadline, more dot-voting points,
    lower one-off cost, shorter duration, key). The result does not depend
    on the order of ``items``.

    Args:
        items: The scored measures.
        rule: The rule's name, for error messages.

    Raises:
        RankingError: A score is not a finite number.
    """
    listed = list(items)
    for item in listed:
        if not math.isfinite(item.score):
            named = f"{rule}: " if rule else ""
            raise RankingError(
                f"{named}measure {item.measure.key!r} has no finite score ({item.score!r})"
            )
    return sorted(listed, key=_sort_key)


def build_ranking(
    rule: str,
    items: Iterable[Scored],
    *,
    weights: Mapping[str, float] | None = None,
    consistency_ratio: float | None = None,
    explanation: str = "",
) -> Ranking:
    """Order scored measures, number them from 1 and explain every tie.

    This is how every built-in rule finishes, and how a plugin's rule should:
    score each measure (a :class:`Scored` with the lines of its
    explanation), then let this function order them (see
    :func:`order_scored` for the order and the tie-break chain). Where a
    measure ties with the one before it (same group, same score), its entry's
    ``tie_break`` says in German what decided, e.g. "Punktgleich mit
    „Dorf-App“; entscheidend war: mehr Punkte in der Punktabfrage."

    Args:
        rule: The rule's name, stored in the ranking.
        items: The scored measures, in any order; each measure once.
        weights: The criterion weights the rule used (summing to 1), if any.
        consistency_ratio: For weights from pairwise comparisons (AHP).
        explanation: How the rule works, in German, for the documents.

    Returns:
        The ranking, first place first.

    Raises:
        RankingError: A score is not a finite number.
        ModelValidationError: A measure is scored twice.

    Example:
        >>> from kommunal_digital.model import Measure
        >>> from kommunal_digital.ranking import Scored, build_ranking
        >>> a = Measure(key="a", title="A", action_field="f", votes=3)
        >>> b = Measure(key="b", title="B", action_field="f", votes=5)
        >>> ranking = build_ranking("beispiel", [Scored(a, 1.0), Scored(b, 1.0)])
        >>> ranking.order
        ('b', 'a')
        >>> ranking.entries[1].tie_break
        'Punktgleich mit „B“; entscheidend war: mehr Punkte in der Punktabfrage.'
    """
    ordered = order_scored(items, rule=rule)
    entries = []
    for index, item in enumerate(ordered):
        entries.append(
            RankingEntry(
                measure=item.measure.key,
                rank=index + 1,
                score=item.score,
                parts=item.parts,
                tie_break=_tie_break(ordered[index - 1], item) if index else "",
                note=item.note,
            )
        )
    return Ranking(
        rule=rule,
        entries=tuple(entries),
        weights=dict(weights or {}),
        consistency_ratio=consistency_ratio,
        explanation=explanation,
    )
