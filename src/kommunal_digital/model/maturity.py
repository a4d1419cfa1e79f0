"""Maturity checks (Digicheck): questionnaires, answers, OZG services, phase guides."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks
from kommunal_digital.model.labels import MaturityPhase


@attrs.frozen
class AnswerOption:
    """One possible answer and the points it gives.

    Attributes:
        label: The answer as the questionnaire shows it, e.g. ``"überwiegend"``.
        score: Its points, 0 to 10.
    """

    label: str = attrs.field(validator=checks.required_text)
    score: int = attrs.field(validator=[checks.whole, checks.between(0, 10)])  # MAX_ANSWER_SCORE


#: Most points a single answer can give.
MAX_ANSWER_SCORE = 10

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
    """A maturity questionnaire (Digicheck) supplied by a pack or plugin.

    Attributes:
        key: Identifier, e.g. ``digicheck``.
        title: Title shown in documents.
        questions: The questions, grouped by their ``dimension``.
        dimension_titles: German titles of the dimensions by key; a dimension
            without one is shown with its key capitalised.
    """

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    questions: tuple[MaturityQuestion, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    dimension_titles: dict[str, str] = attrs.field(factory=dict, hash=False)

    @dimension_titles.validator
    def _check_dimension_titles(
        self, attribute: attrs.Attribute[Any], value: dict[str, str]
    ) -> None:
        for key, title in value.items():
            if not isinstance(key, str) or not checks.is_key(key):
                raise ModelValidationError("dimension_titles", f"{key!r} is not a valid key")
            if not isinstance(title, str) or not title.strip():
                raise ModelValidationError(
                    f"dimension_titles.{key}", f"expected a non-empty text, got {title!r}"
                )

    def dimension_title(self, dimension: str) -> str:
        """The German title of a dimension (its key capitalised if none is given).

        Args:
            dimension: The dimension's key.
        """
        return self.dimension_titles.get(dimension) or dimension[:1].upper() + dimension[1:]

    def question(self, key: str) -> MaturityQuestion:
        """Return the question with this key.

        Args:
            key: The question's key.

        Raises:
            KeyError: No question has the key.
        """
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(key)

    @questions.validator
    def _check_questions(
        self, attribute: attrs.Attribute[Any], value: tuple[MaturityQuestion, ...]
    ) -> None:
        checks.unique_keys(value, "questions")

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The dimensions asked about, in order of first appearance."""
        return tuple(dict.fromkeys(q.dimension for q in self.questions))


#: Highest level of the OZG maturity model (fully digital, once-only).
OZG_MAX_LEVEL = 4


@attrs.frozen
class OzgService:
    """An administrative service rated on the OZG maturity model.

    Each criterion (e.g. ``information``, ``antrag``, ``bezahlung``,
    ``bescheid``) is rated on the levels 0 to 4; the service reaches the
    level of its weakest criterion.

    Attributes:
        key: Identifier, unique within the check.
        title: Name of the service, e.g. ``Meldebescheinigung``.
        criteria: Level 0 to 4 by criterion key; at least one criterion.
    """

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    criteria: dict[str, int] = attrs.field(factory=dict, hash=False)

    @criteria.validator
    def _check_criteria(self, attribute: attrs.Attribute[Any], value: dict[str, int]) -> None:
        if not value:
            raise ModelValidationError("criteria", "rate at least one criterion (levels 0 to 4)")
        for name, level in value.items():
            if not isinstance(name, str) or not checks.is_key(name):
                raise ModelValidationError("criteria", f"{name!r} is not a valid criterion key")
            if isinstance(level, bool) or not isinstance(level, int):
                raise ModelValidationError(
                    f"criteria.{name}", f"expected a whole number, got {level!r}"
                )
            if not 0 <= level <= OZG_MAX_LEVEL:
                raise ModelValidationError(
                    f"criteria.{name}", f"must be between 0 and {OZG_MAX_LEVEL}, got {level}"
                )

    @property
    def level(self) -> int:
        """The service's level: the lowest level of its criteria."""
        return min(self.criteria.values())

    @property
    def limiting(self) -> tuple[str, ...]:
        """The criteria at the service's level, which hold it there (in file order)."""
        return tuple(name for name, level in self.criteria.items() if level == self.level)


@attrs.frozen
class MaturityCheck:
    """The answers a municipality gave to a maturity questionnaire.

    The model cannot see packs or plugins, so it checks only the form of the
    answers; :func:`kommunal_digital.assess_maturity` checks them against the
    questionnaire.

    Attributes:
        questionnaire: Key of the questionnaire answered (default ``digicheck``).
        answered_on: The date the questions were answered, if known.
        answers: Per question key, the answer's label (``"überwiegend"``) or
            its points (``2``); unanswered questions are left out.
        ozg_services: Administrative services rated on the OZG maturity model.
    """

    questionnaire: str = attrs.field(default="digicheck", validator=checks.key)
    answered_on: date | None = attrs.field(default=None, validator=checks.optional_date)
    answers: dict[str, str | int] = attrs.field(factory=dict, hash=False)
    ozg_services: tuple[OzgService, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )

    @answers.validator
    def _check_answers(self, attribute: attrs.Attribute[Any], value: dict[str, str | int]) -> None:
        for key, answer in value.items():
            if not isinstance(key, str) or not checks.is_key(key):
                raise ModelValidationError("answers", f"{key!r} is not a valid question key")
            if isinstance(answer, bool) or not isinstance(answer, str | int):
                raise ModelValidationError(
                    f"answers.{key}", f"expected an answer label or points, got {answer!r}"
                )
            if isinstance(answer, str):
                try:
                    checks.required_text(self, attribute, answer)
                except ModelValidationError as exc:
                    raise ModelValidationError(f"answers.{key}", exc.reason) from None
            if isinstance(answer, int) and not 0 <= answer <= MAX_ANSWER_SCORE:
                raise ModelValidationError(
                    f"answers.{key}",
                    f"points must be between 0 and {MAX_ANSWER_SCORE}, got {answer}",
                )

    @ozg_services.validator
    def _check_services(
        self, attribute: attrs.Attribute[Any], value: tuple[OzgService, ...]
    ) -> None:
        checks.unique_keys(value, "ozg_services")


@attrs.frozen
class PhaseGuide:
    """What a pack recommends for one maturity phase (Bausteinkonzept).

    Packs ship one guide per phase as data kind ``phase_guide``.

    Attributes:
        phase: The phase the guide is for.
        situation: How a municipality in this phase typically stands.
        goals: Goals worth pursuing in this phase.
        methods: Methods and formats that reach them.
        results: What the municipality can expect at the end of the phase.
    """

    phase: MaturityPhase = attrs.field(validator=checks.member_of(MaturityPhase))
    situation: str = attrs.field(default="", validator=checks.text)
    goals: tuple[str, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=[checks.is_tuple, checks.texts]
    )
    methods: tuple[str, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=[checks.is_tuple, checks.texts]
    )
    results: str = attrs.field(default="", validator=checks.text)

    @property
    def key(self) -> str:
        """The phase's identifier, so packs can replace a parent's guide per phase."""
        return self.phase.value
