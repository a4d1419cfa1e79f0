"""Ranking inputs (criteria, pairwise comparisons) and results (explained scores)."""

from __future__ import annotations

from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks
from kommunal_digital.model.labels import Direction as Direction  # re-exported

_SCALE = checks.magnitude(checks.MAX_WEIGHT)
_MEASURED = checks.magnitude(checks.MAX_MEASURED)


def _optional_measured(
    instance: object, attribute: attrs.Attribute[Any], value: float | None
) -> None:
    if value is not None:
        _MEASURED(instance, attribute, value)


@attrs.frozen
class Criterion:
    """A criterion measures are scored on in the workshop.

    Attributes:
        key: Identifier; measures carry their scores under it in ``scores``.
        title: German title, e.g. "Nutzen für die Bürgerschaft".
        weight: Relative importance (zero or more).
        scale_min: Lowest possible score.
        scale_max: Highest possible score.
        direction: ``benefit`` (higher is better) or ``cost`` (lower is better,
            e.g. effort).
    """

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    weight: float = attrs.field(default=1.0, validator=checks.up_to(checks.MAX_WEIGHT))
    scale_min: float = attrs.field(default=1.0, validator=_SCALE)
    scale_max: float = attrs.field(default=5.0, validator=_SCALE)
    direction: Direction = attrs.field(
        default=Direction.BENEFIT, validator=checks.member_of(Direction)
    )

    @scale_max.validator
    def _check_scale(self, attribute: attrs.Attribute[Any], value: float) -> None:
        if value <= self.scale_min:
            raise ModelValidationError(
                "scale_max", f"must be above scale_min ({self.scale_min:g}), got {value:g}"
            )


@attrs.frozen
class Comparison:
    """One pairwise judgement for AHP: ``more`` matters ``value`` times as much as ``less``.

    ``value`` is on Saaty's scale from 1 (equal) to 9 (extremely more
    important); a reciprocal such as 1/3 states the opposite.

    Attributes:
        more: Key of the criterion judged more important.
        less: Key of the other criterion.
        value: How many times as important, 1/9 to 9.
    """

    more: str = attrs.field(validator=checks.key)
    less: str = attrs.field(validator=checks.key)
    value: float = attrs.field(validator=[checks.finite, checks.between(1 / 9, 9)])

    @less.validator
    def _check_pair(self, attribute: attrs.Attribute[Any], value: str) -> None:
        if value == self.more:
            raise ModelValidationError(
                "less", f"a criterion cannot be compared with itself ({value!r})"
            )


@attrs.frozen
class RankingChoice:
    """Which ranking rule a strategy uses, with its options.

    Attributes:
        rule: Name of a registered rule, e.g. ``"nutzwert"``.
        options: Options of the rule (see the rule's documentation); plain data
            (text, finite numbers, booleans, null, lists, mappings), as in extensions.
    """

    rule: str = attrs.field(default="nutzwert", validator=checks.key)
    options: dict[str, Any] = attrs.field(factory=dict, hash=False)

    @options.validator
    def _check_options(self, attribute: attrs.Attribute[Any], value: dict[str, Any]) -> None:
        # Rules read their options themselves; the model keeps them plain data
        # with finite numbers, so that no file can hand a rule NaN or 1e400.
        if not isinstance(value, dict):
            raise ModelValidationError("options", f"expected a mapping, got {value!r}")
        for name, item in value.items():
            if not isinstance(name, str):
                raise ModelValidationError("options", f"the name {name!r} is not text")
            checks.check_plain(item, f"options.{name}")


@attrs.frozen
class ScorePart:
    """One line of a score's explanation.

    Attributes:
        label: What the line is about (German), e.g. a criterion title.
        value: The raw input, e.g. the workshop score.
        normalized: The input on a 0-to-1 scale, if the rule normalises.
        weight: The weight applied, if any.
        contribution: What the line adds to the total score.
    """

    label: str = attrs.field(validator=checks.required_text)
    value: float | None = attrs.field(default=None, validator=_optional_measured)
    normalized: float | None = attrs.field(default=None, validator=_optional_measured)
    weight: float | None = attrs.field(default=None, validator=_optional_measured)
    contribution: float | None = attrs.field(default=None, validator=_optional_measured)


@attrs.frozen
class RankingEntry:
    """A measure's place in a ranking and how it came about.

    Attributes:
        measure: The measure's key.
        rank: 1 for the first place.
        score: The total score (its meaning depends on the rule).
        parts: The breakdown of the score.
        tie_break: If the measure tied with its predecessor on the score,
            what decided between them (German), else ``""``.
        note: Further explanation by the rule (German), e.g. a quadrant.
    """

    measure: str = attrs.field(validator=checks.key)
    rank: int = attrs.field(validator=[checks.whole, checks.between(1, checks.MAX_COUNT)])
    score: float = attrs.field(validator=_MEASURED)
    parts: tuple[ScorePart, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    tie_break: str = attrs.field(default="", validator=checks.text)
    note: str = attrs.field(default="", validator=checks.text)


@attrs.frozen
class Ranking:
    """The result of a ranking rule.

    Attributes:
        rule: Name of the rule that produced it.
        entries: The measures from first to last.
        weights: The criterion weights used, normalised to sum to 1.
        consistency_ratio: For AHP-derived weights, Saaty's consistency ratio.
        explanation: How the rule works, in German, for the documents.
        assessed: ``False`` when the rule found nothing to decide by (no
            votes, no scores, no criteria): the entries then keep the order
            the measures were recorded in (``gesetz-zuerst``: legally
            required ones first) and documents say the measures are not yet
            assessed instead of presenting a ranking.
        inputs: Fingerprint of the data the ranking was computed from (see
            :func:`kommunal_digital.model.fingerprints.ranking_inputs`);
            ``""`` in files written before fingerprints were recorded.
    """

    rule: str = attrs.field(validator=checks.key)
    entries: tuple[RankingEntry, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    weights: dict[str, float] = attrs.field(factory=dict, hash=False)
    consistency_ratio: float | None = attrs.field(default=None, validator=_optional_measured)
    explanation: str = attrs.field(default="", validator=checks.text)
    assessed: bool = True
    inputs: str = attrs.field(default="", validator=checks.text)

    @entries.validator
    def _check_entries(
        self, attribute: attrs.Attribute[Any], value: tuple[RankingEntry, ...]
    ) -> None:
        checks.unique_keys(value, "entries", attribute="measure")
        for index, entry in enumerate(value):
            if entry.rank != index + 1:
                raise ModelValidationError(
                    f"entries[{index}].rank", f"expected {index + 1}, got {entry.rank}"
                )

    @weights.validator
    def _check_weights(self, attribute: attrs.Attribute[Any], value: dict[str, float]) -> None:
        if not isinstance(value, dict):
            raise ModelValidationError("weights", f"expected a mapping, got {value!r}")
        for name, weight in value.items():
            if not isinstance(name, str):
                raise ModelValidationError("weights", f"{name!r} is not a criterion key")
            if not checks.is_finite_number(weight) or abs(weight) > checks.MAX_MEASURED:
                raise ModelValidationError(
                    f"weights.{name}",
                    f"expected a finite number up to {checks.show_number(checks.MAX_MEASURED)}, "
                    f"got {weight!r}",
                )

    @property
    def order(self) -> tuple[str, ...]:
        """The measure keys from first to last."""
        return tuple(entry.measure for entry in self.entries)

    def entry(self, measure: str) -> RankingEntry:
        """Return the entry of a measure.

        Args:
            measure: The measure's key.

        Raises:
            KeyError: The measure is not ranked.
        """
        for item in self.entries:
            if item.measure == measure:
                return item
        raise KeyError(measure)
