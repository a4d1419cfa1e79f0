"""Maturity questionnaires (Digicheck): questions by dimension with scored answers."""

from __future__ import annotations

from typing import Any

import attrs

from kommunal_digital.model import checks


@attrs.frozen
class AnswerOption:
    """One possible answer and the points it gives."""

    label: str = attrs.field(validator=checks.required_text)
    score: int = attrs.field(validator=[checks.whole, checks.between(0, 10)])


_DEFAULT_ANSWERS = (
    AnswerOption("nein", 0),
    AnswerOption("in Ansätzen", 1),
    AnswerOption("überwiegend", 2),
    AnswerOption("ja, vollständig", 3),
)


@attrs.frozen
class MaturityQuestion:
    """A question of a maturity check.

    Attributes:
        key: Identifier, unique within the questionnaire.
        dimension: What it measures, e.g. ``strategie`` or ``daten``.
        text: The question in German.
        answers: Possible answers with their points (default: 0 to 3).
    """

    key: str = attrs.field(validator=checks.key)
    dimension: str = attrs.field(validator=checks.key)
    text: str = attrs.field(validator=checks.required_text)
    answers: tuple[AnswerOption, ...] = attrs.field(
        default=_DEFAULT_ANSWERS, converter=checks.to_tuple, validator=checks.is_tuple
    )


@attrs.frozen
class Questionnaire:
    """A maturity questionnaire (Digicheck) supplied by a pack or plugin."""

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    questions: tuple[MaturityQuestion, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )

    @questions.validator
    def _check_questions(
        self, attribute: attrs.Attribute[Any], value: tuple[MaturityQuestion, ...]
    ) -> None:
        checks.unique_keys(value, "questions")

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The dimensions asked about, in order of first appearance."""
        return tuple(dict.fromkeys(q.dimension for q in self.questions))
