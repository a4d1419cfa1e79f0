"""The quick-win matrix, dot voting and legal-driver precedence."""

from __future__ import annotations

import datetime as dt

import attrs

from kommunal_digital.errors import RankingError
from kommunal_digital.model.ranking import Direction, Ranking, ScorePart
from kommunal_digital.ranking.ordering import (
    NOT_ASSESSED,
    Scored,
    build_ranking,
    entry_assessed,
    not_assessed_ranking,
    tie_sentence,
)
from kommunal_digital.ranking.request import RankingRequest
from kommunal_digital.ranking.weighted_sum import (
    NO_CRITERIA,
    NO_SCORES,
    missing_note,
    missing_scores,
    normalised_weights,
    utility,
)

__all__ = ["NO_VOTES", "DotVoting", "LegalFirst", "QuickWin", "QUADRANTS"]

#: Quadrants of the impact/effort matrix, in ranking order.
QUADRANTS = ("Quick Win", "Großprojekt", "Lückenfüller", "Zeitfresser")

#: Why the dot-voting rule assessed nothing.
NO_VOTES = "Es sind keine Punkte aus einer Punktabfrage erfasst."


@attrs.frozen
class QuickWin:
    """Impact/effort matrix: quick wins first, thankless tasks last.

    Impact is the weighted mean of the normalised benefit criteria, effort
    that of the cost criteria (0 = least, 1 = most effort); options
    ``impact`` and ``effort`` name the criterion keys explicitly. A measure
    with impact at or above the ``threshold`` (default 0.5) and effort below
    it is a *Quick Win*; high impact and high effort a *Großprojekt*; low
    both a *Lückenfüller*; low impact and high effort a *Zeitfresser*.
    Measures are ordered by quadrant in that order, then by impact minus
    effort (the score).

    A measure lacking a score for one of these criteria is "noch nicht
    bewertet" and placed after all quadrants, in the order the measures
    were recorded; a missing score is never taken as any value. Without
    criteria, or when no measure has all its scores, the ranking is not
    assessed. Criteria that lack a benefit or a cost criterion are refused.
    """

    name: str = "quick-win"
    title: str = "Aufwand-Nutzen-Matrix (Quick Wins)"

    def rank(self, request: RankingRequest) -> Ranking:
        """Place measures into quadrants and order them; see the class documentation."""
        if not request.criteria:
            return not_assessed_ranking(self.name, request.measures, NO_CRITERIA)
        by_key = {c.key: c for c in request.criteria}
        impact_keys = request.option(
            "impact", [c.key for c in request.criteria if c.direction is Direction.BENEFIT]
        )
        effort_keys = request.option(
            "effort", [c.key for c in request.criteria if c.direction is Direction.COST]
        )
        try:
            impact_criteria = tuple(by_key[k] for k in impact_keys)
            effort_criteria = tuple(by_key[k] for k in effort_keys)
        except KeyError as exc:
            raise RankingError(f"quick-win: unknown criterion {exc.args[0]!r}") from None
        if not impact_criteria or not effort_criteria:
            raise RankingError(
                "quick-win needs at least one benefit criterion (impact) and one cost "
                "criterion (effort)"
            )
        threshold = float(request.option("threshold", 0.5))
        impact_weights = normalised_weights(impact_criteria, request.option("weights", None))
        effort_weights = normalised_weights(effort_criteria, request.option("weights", None))
        needed = tuple(dict.fromkeys((*impact_criteria, *effort_criteria)))
        gaps = {m.key: missing_scores(m, needed) for m in request.measures}
        if request.measures and all(gaps.values()):
            return not_assessed_ranking(self.name, request.measures, NO_SCORES)
        items = []
        for measure in request.measures:
            if gaps[measure.key]:
                note = missing_note(gaps[measure.key], needed)
                items.append(Scored(measure, 0.0, group=len(QUADRANTS), note=note, assessed=False))
                continue
            impact, impact_parts = utility(measure, impact_criteria, impact_weights)
            ease, effort_parts = utility(measure, effort_criteria, effort_weights)
            effort = 1.0 - ease
            quadrant = (
                (0 if effort < threshold else 1)
                if impact >= threshold
                else (2 if effort < threshold else 3)
            )
            parts = (
                ScorePart(label="Nutzen", normalized=impact, contribution=impact),
                *impact_parts,
                ScorePart(label="Aufwand", normalized=effort, contribution=-effort),
                *effort_parts,
            )
            items.append(
                Scored(
                    measure,
                    impact - effort,
                    parts,
                    group=quadrant,
                    note=f"Quadrant: {QUADRANTS[quadrant]}",
                )
            )
        complete = not any(gaps.values())
        return build_ranking(
            self.name,
            items,
            weights={**impact_weights, **effort_weights},
            explanation=(
                ("Die Maßnahmen wurden" if complete else "Die bewerteten Maßnahmen wurden")
                + " nach Nutzen und Aufwand in vier Felder eingeordnet: "
                "zuerst Quick Wins (großer Nutzen, geringer Aufwand), dann Großprojekte, "
                "Lückenfüller und zuletzt Zeitfresser; innerhalb eines Feldes zählt der "
                "Nutzen abzüglich des Aufwands."
            ),
        )


@attrs.frozen
class DotVoting:
    """Punktabfrage: the measures with the most workshop points come first.

    When no measure has a point (no dot voting recorded), the ranking is not
    assessed: the measures keep the order they were recorded in, each "noch
    nicht bewertet", and the explanation says so instead of citing points.
    """

    name: str = "punktabfrage"
    title: str = "Punktabfrage im Workshop"

    def rank(self, request: RankingRequest) -> Ranking:
        """Order by ``Measure.votes``; see the class documentation."""
        if not any(measure.votes for measure in request.measures):
            return not_assessed_ranking(self.name, request.measures, NO_VOTES)
        items = [
            Scored(
                measure,
                float(measure.votes),
                (ScorePart(label="Punkte", value=measure.votes, contribution=measure.votes),),
            )
            for measure in request.measures
        ]
        return build_ranking(
            self.name,
            items,
            explanation="Die Reihenfolge folgt den Punkten, die die Teilnehmenden im "
            "Workshop vergeben haben.",
        )


def _strip_marker(note: str) -> str:
    """A note without its leading "noch nicht bewertet" (build_ranking adds it again)."""
    if note.startswith(NOT_ASSESSED):
        return note[len(NOT_ASSESSED) :].lstrip(". ")
    return note


@attrs.frozen
class LegalFirst:
    """Measures required by law come first, earliest deadline first.

    Measures with a ``legal_driver`` (e.g. OZG) are placed before all others,
    ordered by ``legal_deadline`` (those without a deadline after those with
    one). Within the same deadline, and among all other measures, the order
    of the rule named by option ``then`` (default ``nutzwert``) decides.

    What the inner rule could not assess stays "noch nicht bewertet" (in the
    order the measures were recorded, legally required ones still first);
    the ranking is assessed only when the inner rule assessed something,
    since a legal requirement places a measure but does not assess it.
    """

    name: str = "gesetz-zuerst"
    title: str = "Gesetzliche Pflichten zuerst"

    def rank(self, request: RankingRequest) -> Ranking:
        """Rank by the inner rule, then lift legally required measures."""
        inner_name = str(request.option("then", "nutzwert"))
        if inner_name == self.name:
            raise RankingError("gesetz-zuerst cannot use itself as its 'then' rule")
        options = {k: v for k, v in request.options.items() if k != "then"}
        inner = request.rule(inner_name).rank(request.with_options(options))
        by_key = {m.key: m for m in request.measures}
        legal = [m for m in request.measures if m.legal_driver]
        deadlines = sorted({m.legal_deadline or dt.date.max for m in legal})
        items = []
        for entry in inner.entries:
            measure = by_key[entry.measure]
            parts = entry.parts
            assessed = inner.assessed and entry_assessed(entry)
            note = entry.note if assessed else _strip_marker(entry.note)
            # Keep the inner order within a group: later inner ranks score lower.
            score = float(len(inner.entries) - entry.rank)
            group = len(deadlines)
            if measure.legal_driver:
                group = deadlines.index(measure.legal_deadline or dt.date.max)
                deadline = (
                    f", Frist {measure.legal_deadline.strftime('%d.%m.%Y')}"
                    if measure.legal_deadline
                    else ""
                )
                requirement = f"Gesetzlich vorgeschrieben: {measure.legal_driver}{deadline}"
                parts = (ScorePart(label=requirement), *parts)
                note = f"{requirement}. {note}".strip()
            items.append(Scored(measure, score, parts, group=group, note=note, assessed=assessed))
        if not legal:
            lead = "Für keine Maßnahme ist eine gesetzliche Pflicht erfasst. "
        elif any(m.legal_deadline for m in legal):
            lead = (
                "Gesetzlich vorgeschriebene Maßnahmen stehen vorn, die mit der frühesten "
                "Frist zuerst. Im Übrigen gilt: "
            )
        else:
            lead = "Gesetzlich vorgeschriebene Maßnahmen stehen vorn. Im Übrigen gilt: "
        ranking = build_ranking(
            self.name,
            items,
            weights=inner.weights,
            consistency_ratio=inner.consistency_ratio,
            explanation=lead + inner.explanation,
        )
        # The score shown is the inner rule's, the position the combined one; a
        # tie-break of the inner rule still holds where the neighbours are the same.
        inner_by_key = {e.measure: e for e in inner.entries}
        inner_previous = {
            e.measure: inner.entries[i - 1].measure if i else None
            for i, e in enumerate(inner.entries)
        }
        entries = []
        groups = {item.measure.key: item.group for item in items}
        for index, entry in enumerate(ranking.entries):
            previous = ranking.entries[index - 1].measure if index else None
            original = inner_by_key[entry.measure]
            tie_break = original.tie_break if previous == inner_previous[entry.measure] else ""
            if (
                previous is not None
                and not tie_break
                and groups[previous] == groups[entry.measure]
                and entry_assessed(original)
                and entry_assessed(inner_by_key[previous])
                and round(inner_by_key[previous].score, 9) == round(original.score, 9)
            ):
                # Lifting the legally required measures out of the inner order
                # made two measures neighbours that the inner rule had tied:
                # say what decided between them there.
                tie_break = tie_sentence(by_key[previous], by_key[entry.measure], original.score)
            entries.append(attrs.evolve(entry, score=original.score, tie_break=tie_break))
        return attrs.evolve(ranking, entries=tuple(entries))
