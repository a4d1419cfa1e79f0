"""Action fields (Handlungsfelder), their goals and indicators."""

from __future__ import annotations

from typing import Any

import attrs

from kommunal_digital.model import checks

_MEASURED = checks.magnitude(checks.MAX_MEASURED)


def _optional_number(
    instance: object, attribute: attrs.Attribute[Any], value: float | None
) -> None:
    if value is not None:
        _MEASURED(instance, attribute, value)


@attrs.frozen
class Indicator:
    """A measurable sign of progress towards a goal.

    Attributes:
        name: What is measured, e.g. "Online beantragbare Leistungen".
        unit: Unit of the values, e.g. "Anzahl" or "%".
        baseline: Value at the start, if known.
        target: Value to reach, if set.
    """

    name: str = attrs.field(validator=checks.required_text)
    unit: str = attrs.field(default="", validator=checks.text)
    baseline: float | None = attrs.field(default=None, validator=_optional_number)
    target: float | None = attrs.field(default=None, validator=_optional_number)


@attrs.frozen
class Goal:
    """A goal the municipality sets for an action field.

    Attributes:
        key: Identifier, unique within the strategy.
        statement: The goal in one or two sentences.
        weight: Relative importance (zero or more) used by rankings.
        indicators: How reaching the goal is measured.
    """

    key: str = attrs.field(validator=checks.key)
    statement: str = attrs.field(validator=checks.required_text)
    weight: float = attrs.field(default=1.0, validator=checks.up_to(checks.MAX_WEIGHT))
    indicators: tuple[Indicator, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )


@attrs.frozen
class ActionField:
    """An action field (Handlungsfeld) of the strategy.

    Attributes:
        key: Identifier, unique within the strategy, e.g. "verwaltung".
        title: German title, e.g. "Kommunale Verwaltung".
        description: What the field covers.
        goals: Goals set for this field in the workshop.
        chosen: Whether the municipality works on this field.
        extensions: Plugins' own data, one mapping per plugin key; plain
            data only, checked by the workspace against the shapes the
            plugins declare.
    """

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    description: str = attrs.field(default="", validator=checks.text)
    goals: tuple[Goal, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    chosen: bool = True
    extensions: checks.Extensions = attrs.field(
        factory=dict, converter=checks.to_extensions, hash=False
    )

    @goals.validator
    def _check_goals(self, attribute: attrs.Attribute[Any], value: tuple[Goal, ...]) -> None:
        checks.unique_keys(value, "goals")
