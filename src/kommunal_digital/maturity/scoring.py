"""Scoring a maturity check and placing the municipality in a Bausteinkonzept phase.

The rule (documented in ``docs/maturity.md``):

1. Every answered question gives the points of the chosen answer; an
   unanswered question gives 0 points but still counts with its maximum,
   so a gap never improves the result. Unanswered questions are reported.
2. A dimension's share is its points reached over its points possible; the
   overall share is the sum over all questions.
3. The overall share gives the phase: below the first threshold
   *Orientierung*, from the first *Start*, from the second *Strategie*,
   from the third *Wachstum* (default 25, 50 and 75 %).
4. Key dimensions (default ``strategie`` and ``organisation``, where the
   questionnaire has them) cap the result: the placement lies at most
   ``cap_steps`` phases (default one) above the phase the key dimension's
   own share gives.

Shares are compared exactly (whole points against whole percentages), so a
share exactly on a threshold belongs to the higher phase.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.maturity.ozg import OzgSummary, ozg_summary
from kommunal_digital.model.labels import MaturityPhase
from kommunal_digital.model.maturity import (
    AnswerOption,
    MaturityCheck,
    MaturityQuestion,
    PhaseGuide,
    Questionnaire,
)
from kommunal_digital.model.strategy import Strategy

__all__ = [
    "DimensionScore",
    "MaturityAssessment",
    "PhaseRule",
    "assess_maturity",
    "format_percent",
]

_PHASES = tuple(MaturityPhase)
_STEP_WORDS = {1: "eine Phase", 2: "zwei Phasen", 3: "drei Phasen"}


def _check_thresholds(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        not isinstance(value, tuple)
        or len(value) != len(_PHASES) - 1
        or not all(isinstance(t, int) and not isinstance(t, bool) for t in value)
    ):
        raise ModelValidationError("thresholds", f"expected three whole percentages, got {value!r}")
    if not 0 < value[0] < value[1] < value[2] <= 100:
        raise ModelValidationError(
            "thresholds", f"must rise strictly within 1 to 100 %, got {value!r}"
        )


@attrs.frozen
class PhaseRule:
    """How shares of points turn into a maturity phase.

    Attributes:
        thresholds: Overall share (in whole percent) from which *Start*,
            *Strategie* and *Wachstum* begin.
        key_dimensions: Dimensions that cap the placement when weak; ignored
            where the questionnaire does not ask about them.
        cap_steps: How many phases the placement may lie above the phase of
            the weakest key dimension.
    """

    thresholds: tuple[int, int, int] = attrs.field(
        default=(25, 50, 75), validator=_check_thresholds
    )
    key_dimensions: tuple[str, ...] = attrs.field(
        default=("strategie", "organisation"), converter=tuple
    )
    cap_steps: int = attrs.field(default=1)

    @cap_steps.validator
    def _check_cap_steps(self, attribute: attrs.Attribute[Any], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3:
            raise ModelValidationError("cap_steps", f"must be 0 to 3, got {value!r}")

    def phase_for(self, reached: int, possible: int) -> MaturityPhase:
        """The phase a share of ``reached`` out of ``possible`` points gives on its own.

        Args:
            reached: The points reached.
            possible: The points possible; zero or less gives the first phase.
        """
        if possible <= 0:
            return _PHASES[0]
        index = sum(1 for t in self.thresholds if reached * 100 >= t * possible)
        return _PHASES[index]

    def band(self, phase: MaturityPhase) -> str:
        """The range of shares that gives ``phase``, in German (``ab 25 % bis unter 50 %``).

        Args:
            phase: The maturity phase.
        """
        index = _PHASES.index(phase)
        if index == 0:
            return f"unter {self.thresholds[0]} %"
        if index == len(self.thresholds):
            return f"ab {self.thresholds[-1]} %"
        return f"ab {self.thresholds[index - 1]} % bis unter {self.thresholds[index]} %"


@attrs.frozen
class DimensionScore:
    """Points of one dimension.

    Attributes:
        dimension: The dimension's key.
        title: Its German title.
        reached: Points of the given answers.
        possible: Most points of all its questions (answered or not).
        questions: How many questions it has.
        answered: How many of them were answered.
        phase: The phase its share alone would give.
    """

    dimension: str
    title: str
    reached: int
    possible: int
    questions: int
    answered: int
    phase: MaturityPhase

    @property
    def percent(self) -> float:
        """Share of the possible points, 0 to 100."""
        return 100 * self.reached / self.possible if self.possible else 0.0


@attrs.frozen
class MaturityAssessment:
    """The result of a maturity check.

    Attributes:
        questionnaire: Key of the questionnaire answered.
        title: Its title.
        dimensions: Points per dimension, in the questionnaire's order.
        reached: Points reached in total.
        possible: Points possible in total.
        score_phase: The phase the overall share alone gives.
        phase: The placement, after the cap by key dimensions.
        reasons: German sentences explaining the placement.
        unanswered: Keys of the questions left unanswered, in questionnaire order.
        guide: The pack's guide for the placement's phase, if guides were given.
        ozg: Summary of the OZG service maturity, if services were rated.
    """

    questionnaire: str
    title: str
    dimensions: tuple[DimensionScore, ...]
    reached: int
    possible: int
    score_phase: MaturityPhase
    phase: MaturityPhase
    reasons: tuple[str, ...]
    unanswered: tuple[str, ...] = ()
    guide: PhaseGuide | None = None
    ozg: OzgSummary | None = None

    @property
    def percent(self) -> float:
        """Overall share of the possible points, 0 to 100."""
        return 100 * self.reached / self.possible if self.possible else 0.0

    def dimension(self, key: str) -> DimensionScore:
        """Return the score of one dimension.

        Args:
            key: The dimension's key.

        Raises:
            KeyError: The questionnaire has no such dimension.
        """
        for score in self.dimensions:
            if score.dimension == key:
                return score
        raise KeyError(key)


def format_percent(value: float) -> str:
    """A share in German notation, cut (not rounded) to one decimal: ``24,9 %``.

    Cutting keeps a share just below a threshold from being shown as the
    threshold itself.

    Args:
        value: The share, 0 to 100.
    """
    tenths = math.floor(value * 10 + 1e-9)
    whole, tenth = divmod(tenths, 10)
    return f"{whole} %" if tenth == 0 else f"{whole},{tenth} %"


def _resolve(question: MaturityQuestion, answer: str | int) -> AnswerOption:
    for option in question.answers:
        if (isinstance(answer, str) and option.label == answer) or (
            isinstance(answer, int) and option.score == answer
        ):
            return option
    allowed = ", ".join(f"{o.label!r} ({o.score})" for o in question.answers)
    raise ModelValidationError(
        f"maturity_check.answers.{question.key}",
        f"{answer!r} is no answer to this question (answers: {allowed})",
    )


def _check_of(source: Strategy | MaturityCheck) -> MaturityCheck:
    if isinstance(source, MaturityCheck):
        return source
    if source.maturity_check is None:
        raise ModelValidationError("maturity_check", "the strategy has no maturity check")
    return source.maturity_check


def _guides_of(
    guides: Iterable[PhaseGuide] | Mapping[MaturityPhase, PhaseGuide] | None,
) -> dict[MaturityPhase, PhaseGuide]:
    if guides is None:
        return {}
    if isinstance(guides, Mapping):
        return dict(guides)
    return {guide.phase: guide for guide in guides}


def assess_maturity(
    source: Strategy | MaturityCheck,
    questionnaire: Questionnaire,
    *,
    guides: Iterable[PhaseGuide] | Mapping[MaturityPhase, PhaseGuide] | None = None,
    rule: PhaseRule | None = None,
) -> MaturityAssessment:
    """Score a maturity check and place the municipality in a phase.

    Args:
        source: A strategy with a ``maturity_check``, or the check itself.
        questionnaire: The questionnaire answered (``workspace.questionnaire(key)``
            finds the one the check names).
        guides: Phase guides to recommend goals and methods from: guides,
            or guides by phase (``workspace.phase_guides``).
        rule: Thresholds and key dimensions; :class:`PhaseRule` by default.

    Returns:
        Points per dimension and in total, the phase with its reasons, the
        unanswered questions, the phase's guide and the OZG summary.

    Raises:
        ModelValidationError: The strategy has no check, the questionnaire
            is unknown or another than the one answered, or an answer names
            an unknown question or is no answer of its question; the message
            names the field, e.g. ``maturity_check.answers.daten-offen``.
    """
    check = _check_of(source)
    rule = rule or PhaseRule()
    if questionnaire.key != check.questionnaire:
        raise ModelValidationError(
            "maturity_check.questionnaire",
            f"the answers are for {check.questionnaire!r}, "
            f"not for questionnaire {questionnaire.key!r}",
        )
    if not questionnaire.questions:
        raise ModelValidationError(
            "maturity_check.questionnaire", f"questionnaire {questionnaire.key!r} has no questions"
        )
    known = {q.key for q in questionnaire.questions}
    for key in check.answers:
        if key not in known:
            raise ModelValidationError(
                f"maturity_check.answers.{key}",
                f"questionnaire {questionnaire.key!r} has no question {key!r} "
                f"(questions: {', '.join(q.key for q in questionnaire.questions)})",
            )
    chosen = {
        q.key: _resolve(q, check.answers[q.key])
        for q in questionnaire.questions
        if q.key in check.answers
    }
    dimensions = tuple(
        _dimension_score(questionnaire, dimension, chosen, rule)
        for dimension in questionnaire.dimensions
    )
    reached = sum(d.reached for d in dimensions)
    possible = sum(d.possible for d in dimensions)
    score_phase = rule.phase_for(reached, possible)
    phase, reasons = _place(rule, dimensions, reached, possible, score_phase)
    unanswered = tuple(q.key for q in questionnaire.questions if q.key not in chosen)
    if unanswered:
        count = len(questionnaire.questions)
        verb = "ist" if len(unanswered) == 1 else "sind"
        counted = "zählt" if len(unanswered) == 1 else "zählen"
        reasons.append(
            f"{len(unanswered)} von {count} Fragen {verb} unbeantwortet und {counted} "
            f"mit 0 Punkten: {', '.join(unanswered)}."
        )
    return MaturityAssessment(
        questionnaire=questionnaire.key,
        title=questionnaire.title,
        dimensions=dimensions,
        reached=reached,
        possible=possible,
        score_phase=score_phase,
        phase=phase,
        reasons=tuple(reasons),
        unanswered=unanswered,
        guide=_guides_of(guides).get(phase),
        ozg=ozg_summary(check.ozg_services) if check.ozg_services else None,
    )


def _dimension_score(
    questionnaire: Questionnaire,
    dimension: str,
    chosen: Mapping[str, AnswerOption],
    rule: PhaseRule,
) -> DimensionScore:
    questions = [q for q in questionnaire.questions if q.dimension == dimension]
    reached = sum(chosen[q.key].score for q in questions if q.key in chosen)
    possible = sum(max((o.score for o in q.answers), default=0) for q in questions)
    return DimensionScore(
        dimension=dimension,
        title=questionnaire.dimension_title(dimension),
        reached=reached,
        possible=possible,
        questions=len(questions),
        answered=sum(1 for q in questions if q.key in chosen),
        phase=rule.phase_for(reached, possible),
    )


def _place(
    rule: PhaseRule,
    dimensions: tuple[DimensionScore, ...],
    reached: int,
    possible: int,
    score_phase: MaturityPhase,
) -> tuple[MaturityPhase, list[str]]:
    share = format_percent(100 * reached / possible if possible else 0.0)
    reasons = [
        f"Gesamtwert {reached} von {possible} Punkten ({share}): das entspricht der "
        f"Phase „{score_phase.label}“ ({rule.band(score_phase)})."
    ]
    index = _PHASES.index(score_phase)
    keys = [d for d in dimensions if d.dimension in rule.key_dimensions]
    binding: list[tuple[DimensionScore, int]] = []
    for score in keys:
        cap = _PHASES.index(score.phase) + rule.cap_steps
        if cap < index:
            binding.append((score, cap))
    if binding:
        final = min(cap for _, cap in binding)
        steps = _STEP_WORDS.get(rule.cap_steps)
        limit = f"höchstens {steps} darüber liegen" if steps else "nicht darüber liegen"
        for score, cap in binding:
            reasons.append(
                f"Die Schlüsseldimension „{score.title}“ erreicht nur "
                f"{format_percent(score.percent)} (Phase „{score.phase.label}“); die "
                f"Einstufung kann {limit} und wird auf „{_PHASES[cap].label}“ begrenzt."
            )
        index = final
    elif keys:
        named = " und ".join(
            f"„{d.title}“ ({format_percent(d.percent)}, Phase „{d.phase.label}“)" for d in keys
        )
        noun = "Die Schlüsseldimension" if len(keys) == 1 else "Die Schlüsseldimensionen"
        verb = "lässt" if len(keys) == 1 else "lassen"
        steps = _STEP_WORDS.get(rule.cap_steps)
        limit = f"höchstens {steps} über der eigenen" if steps else "keine Phase über der eigenen"
        reasons.append(f"{noun} {named} {verb} diese Einstufung zu ({limit}).")
    if len(dimensions) > 1:
        strongest = max(dimensions, key=lambda d: d.percent)
        weakest = min(dimensions, key=lambda d: d.percent)
        if strongest.percent > weakest.percent:
            reasons.append(
                f"Stärkste Dimension ist „{strongest.title}“ mit "
                f"{format_percent(strongest.percent)}, schwächste „{weakest.title}“ mit "
                f"{format_percent(weakest.percent)}."
            )
    return _PHASES[index], reasons
