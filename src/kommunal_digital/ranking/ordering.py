"""Sorting scored measures into a ranking, with documented tie-breaking.

Ties on the score are broken, in this order, by

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
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from kommunal_digital.model import Measure
from kommunal_digital.model.ranking import Ranking, RankingEntry, ScorePart

__all__ = ["Scored", "build_ranking"]

_DIGITS = 9


@attrs.frozen
class Scored:
    """A measure with its score before ordering.

    Attributes:
        measure: The measure.
        score: Its score; higher ranks first.
        parts: The explanation of the score.
        group: Measures of a lower group come first whatever their score
            (e.g. legally required measures, or a quick-win quadrant).
        note: Further explanation.
    """

    measure: Measure
    score: float
    parts: tuple[ScorePart, ...] = ()
    group: int = 0
    note: str = ""


_TieBreaker = tuple[str, Callable[[Measure], Any]]

_TIE_BREAKERS: Sequence[_TieBreaker] = (
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
        *(key(item.measure) for _, key in _TIE_BREAKERS),
    )


def _tie_break(before: Scored, after: Scored) -> str:
    if before.group != after.group or round(before.score, _DIGITS) != round(after.score, _DIGITS):
        return ""
    for label, key in _TIE_BREAKERS:
        if key(before.measure) != key(after.measure):
            return f"Punktgleich mit „{before.measure.title}“; entscheidend war: {label}."
    return ""  # pragma: no cover - keys are unique


def build_ranking(
    rule: str,
    items: Iterable[Scored],
    *,
    weights: dict[str, float] | None = None,
    consistency_ratio: float | None = None,
    explanation: str = "",
) -> Ranking:
    """Order scored measures and number them from 1."""
    ordered = sorted(items, key=_sort_key)
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
