"""Sorting scored measures into a ranking, with the documented tie-break chain.

Every built-in rule scores the measures and hands them to
:func:`build_ranking`; a plugin's rule does the same, so that all rules
order and explain ties alike. Ties on the score are broken, in this order, by

1. the earlier legal deadline (a measure without one comes after),
2. more points in the workshop's dot voting,
3. the lower one-off cost (a measure without a cost estimate comes after),
4. the shorter duration (a measure without an estimated duration comes after),
5. the order in which the measures were recorded (the strategy file's
   order, which is the order the rules hand the measures over in).

A step only decides where the two measures differ in it, and the German
sentence of a tie (``RankingEntry.tie_break``) names only the step that
decided, with the fact that differs: "frühere gesetzliche Frist" only when
both measures have a deadline and the first one's is earlier, "für „A“
liegt eine gesetzliche Frist vor, für diese Maßnahme nicht" when only the
first one has one, and so on. Unknown costs and durations never count as
zero.

Measures a rule could not assess (no votes, no scores, no criteria; a
:class:`Scored` with ``assessed=False``) are not scored at all: within
their group they come after the assessed measures, in the order in which
they were recorded, with score ``0``, the note "noch nicht bewertet" and no
tie sentence. A ranking without any assessed measure has
``Ranking.assessed`` false.

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

__all__ = [
    "FILE_ORDER",
    "NOT_ASSESSED",
    "NOT_ASSESSED_EXPLANATION",
    "NO_MEASURES_EXPLANATION",
    "TIE_BREAKERS",
    "Scored",
    "build_ranking",
    "entry_assessed",
    "not_assessed_ranking",
    "order_scored",
    "tie_sentence",
]

_DIGITS = 9

#: The note of every measure a rule could not assess; notes of such entries start with it.
NOT_ASSESSED = "noch nicht bewertet"

#: The sentence closing the explanation of a ranking without any assessed measure.
NOT_ASSESSED_EXPLANATION = (
    "Die Maßnahmen sind noch nicht bewertet; die Liste folgt der Reihenfolge, "
    "in der sie erfasst wurden."
)

#: The explanation of a ranking of no measures at all.
NO_MEASURES_EXPLANATION = "Es sind noch keine Maßnahmen erfasst; eine Rangfolge gibt es nicht."

#: The label of the last tie-break step, which always decides.
FILE_ORDER = "die Reihenfolge, in der die Maßnahmen erfasst wurden"


@attrs.frozen
class Scored:
    """A measure with its score, before it is ordered.

    Attributes:
        measure: The measure.
        score: Its score; a higher score ranks first. Must be finite for an
            assessed measure; ignored (shown as ``0``) for one that is not.
        parts: The explanation of the score, line by line.
        group: Measures of a lower group come first whatever their score
            (e.g. legally required measures, or a quick-win quadrant);
            ``0`` for all when the rule has no groups.
        note: Further explanation (German), e.g. the quadrant.
        assessed: ``False`` when the rule had nothing to assess the measure
            by (e.g. it has no scores): it is then placed after the assessed
            measures of its group in the order given, and its note starts
            with "noch nicht bewertet".
    """

    measure: Measure
    score: float
    parts: tuple[ScorePart, ...] = ()
    group: int = 0
    note: str = ""
    assessed: bool = True


def _deadline(m: Measure) -> tuple[int, dt.date]:
    return (0, m.legal_deadline) if m.legal_deadline is not None else (1, dt.date.max)


def _cost(m: Measure) -> tuple[int, Any]:
    return (0, m.cost.one_off) if m.cost.one_off is not None else (1, 0)


def _duration(m: Measure) -> tuple[int, int]:
    return (0, m.duration_months) if m.duration_months is not None else (1, 0)


#: The fact steps of the tie-break chain, in order: a German label and the
#: sort key of a measure (lower first; a measure without the fact sorts
#: after those with it). After them, the order in which the measures were
#: recorded decides (:data:`FILE_ORDER`).
TIE_BREAKERS: Sequence[tuple[str, Callable[[Measure], Any]]] = (
    ("frühere gesetzliche Frist", _deadline),
    ("mehr Punkte in der Punktabfrage", lambda m: -m.votes),
    ("geringere einmalige Kosten", _cost),
    ("kürzere Dauer", _duration),
)

#: For each fact step: the fact when only the first measure has it
#: (``{first}`` is its title).
_ONLY_FIRST = (
    "für „{first}“ ist eine gesetzliche Frist erfasst, für diese Maßnahme nicht",
    "",  # votes are always known
    "für „{first}“ liegt eine Kostenschätzung vor, für diese Maßnahme noch nicht",
    "für „{first}“ ist die Dauer geschätzt, für diese Maßnahme noch nicht",
)


def _sort_key(item: Scored, position: int) -> tuple[Any, ...]:
    if not item.assessed:
        return (item.group, 1, position)
    return (
        item.group,
        0,
        -round(item.score, _DIGITS),
        *(key(item.measure) for _, key in TIE_BREAKERS),
        position,
    )


def _tie_break(before: Scored, after: Scored) -> str:
    """The sentence saying what decided between two neighbours tied on the score."""
    if not (before.assessed and after.assessed):
        return ""
    if before.group != after.group or round(before.score, _DIGITS) != round(after.score, _DIGITS):
        return ""
    lead = f"Punktgleich mit „{before.measure.title}“; entscheidend war: "
    for (label, key), only_first in zip(TIE_BREAKERS, _ONLY_FIRST, strict=True):
        first, second = key(before.measure), key(after.measure)
        if first == second:
            continue
        if only_first and first[0] != second[0]:
            # Only the first measure has the fact at all.
            return lead + only_first.format(first=before.measure.title) + "."
        return lead + label + "."
    return lead + FILE_ORDER + "."


def tie_sentence(before: Measure, after: Measure, score: float) -> str:
    """What decided between two assessed measures of one group tied on ``score``.

    The sentence :func:`build_ranking` writes into ``tie_break`` for such
    neighbours (a fact of the tie-break chain, else the recorded order).
    """
    return _tie_break(Scored(before, score), Scored(after, score))


def _ordered(items: Iterable[Scored], rule: str) -> list[Scored]:
    listed = list(items)
    for item in listed:
        if item.assessed and not math.isfinite(item.score):
            named = f"{rule}: " if rule else ""
            raise RankingError(
                f"{named}measure {item.measure.key!r} has no finite score ({item.score!r})"
            )
    positions = {id(item): index for index, item in enumerate(listed)}
    return sorted(listed, key=lambda item: _sort_key(item, positions[id(item)]))


def order_scored(items: Iterable[Scored], *, rule: str = "") -> list[Scored]:
    """Sort scored measures into ranking order, first place first.

    The order is: ``group`` ascending; within a group the assessed measures
    first, by ``score`` descending (compared rounded to nine decimal
    places), then by the tie-break chain of :data:`TIE_BREAKERS` (earlier
    legal deadline, more dot-voting points, lower one-off cost, shorter
    duration; unknown values after known ones), and last by the order of
    ``items``; then the measures that are not assessed, in the order of
    ``items``. Pass the measures in the order they were recorded (as
    ``RankingRequest.measures`` holds them): only measures that no score and
    no fact tells apart then depend on it.

    Args:
        items: The scored measures.
        rule: The rule's name, for error messages.

    Raises:
        RankingError: The score of an assessed measure is not a finite number.
    """
    return _ordered(items, rule)


def entry_assessed(entry: RankingEntry) -> bool:
    """Whether the rule assessed the entry's measure.

    An entry made by :func:`build_ranking` for a measure that was not
    assessed has a note starting with :data:`NOT_ASSESSED`.

    Args:
        entry: An entry of a ranking made by :func:`build_ranking`.
    """
    return not entry.note.startswith(NOT_ASSESSED)


def _note(item: Scored) -> str:
    if item.assessed:
        return item.note
    return f"{NOT_ASSESSED}. {item.note}" if item.note else NOT_ASSESSED


def _partly(missing: int, total: int) -> str:
    if missing == 1:
        return (
            f"Eine der {total} Maßnahmen ist noch nicht bewertet; sie steht hinter den "
            "bewerteten Maßnahmen."
        )
    return (
        f"{missing} der {total} Maßnahmen sind noch nicht bewertet; sie stehen hinter den "
        "bewerteten Maßnahmen, in der Reihenfolge, in der sie erfasst wurden."
    )


def _explanation(explanation: str, ordered: Sequence[Scored]) -> str:
    if not ordered:
        return NO_MEASURES_EXPLANATION
    if NOT_ASSESSED in explanation:
        return explanation  # the rule already says what is not assessed
    missing = sum(1 for item in ordered if not item.assessed)
    if not missing:
        return explanation
    sentence = (
        NOT_ASSESSED_EXPLANATION if missing == len(ordered) else _partly(missing, len(ordered))
    )
    return f"{explanation} {sentence}".strip()


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
    ``tie_break`` says in German what decided, naming only a fact that
    differs between the two, e.g. "Punktgleich mit „Dorf-App“; entscheidend
    war: mehr Punkte in der Punktabfrage."

    A measure the rule could not assess (``Scored.assessed`` false) gets
    score ``0``, no tie sentence and a note starting "noch nicht bewertet".
    The explanation is completed from the items: without any items it is
    :data:`NO_MEASURES_EXPLANATION`; when some or all measures are not
    assessed, a sentence saying how many (or :data:`NOT_ASSESSED_EXPLANATION`)
    is appended, unless the rule's explanation already mentions "noch nicht
    bewertet". ``Ranking.assessed`` is true when at least one measure is
    assessed.

    Args:
        rule: The rule's name, stored in the ranking.
        items: The scored measures, each measure once, in the order they
            were recorded (only measures no score or fact tells apart
            depend on it).
        weights: The criterion weights the rule used (summing to 1), if any.
        consistency_ratio: For weights from pairwise comparisons (AHP).
        explanation: How the rule works, in German, for the documents; for
            a ranking without any assessed measure, why nothing could be
            assessed (e.g. "Es sind keine Punkte aus einer Punktabfrage
            erfasst.").

    Returns:
        The ranking, first place first.

    Raises:
        RankingError: The score of an assessed measure is not a finite number.
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
    ordered = _ordered(items, rule)
    entries = []
    for index, item in enumerate(ordered):
        entries.append(
            RankingEntry(
                measure=item.measure.key,
                rank=index + 1,
                score=item.score if item.assessed else 0.0,
                parts=item.parts if item.assessed else (),
                tie_break=_tie_break(ordered[index - 1], item) if index else "",
                note=_note(item),
            )
        )
    assessed = any(item.assessed for item in ordered)
    return Ranking(
        rule=rule,
        entries=tuple(entries),
        weights=dict(weights or {}) if assessed else {},
        consistency_ratio=consistency_ratio if assessed else None,
        explanation=_explanation(explanation, ordered),
        assessed=assessed,
    )


def not_assessed_ranking(rule: str, measures: Iterable[Measure], reason: str) -> Ranking:
    """A ranking that assesses nothing: the measures in the order given, each "noch nicht bewertet".

    For a rule that finds nothing to decide by (no votes, no criteria, no
    scores): every entry has score ``0`` and the note "noch nicht bewertet",
    ``assessed`` is false and the explanation is ``reason`` followed by
    :data:`NOT_ASSESSED_EXPLANATION`.

    Args:
        rule: The rule's name, stored in the ranking.
        measures: The measures, in the order they were recorded.
        reason: Why nothing could be assessed (German), e.g. "Es sind keine
            Bewertungskriterien festgelegt."
    """
    return build_ranking(
        rule, [Scored(m, 0.0, assessed=False) for m in measures], explanation=reason
    )
