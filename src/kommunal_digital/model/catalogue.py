"""What agencies ship in packs: catalogue entries (Steckbriefe) and text blocks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks


@attrs.frozen
class CostRange:
    """A range of money in euros, from ``low`` to ``high``.

    Attributes:
        low: The lower end, in euros.
        high: The upper end, in euros; not below ``low``.
    """

    low: Decimal = attrs.field(
        default=Decimal("0.00"), converter=checks.low_amount, validator=checks.money
    )
    high: Decimal = attrs.field(
        default=Decimal("0.00"), converter=checks.high_amount, validator=checks.money
    )

    @high.validator
    def _check_order(self, attribute: attrs.Attribute[Any], value: Decimal) -> None:
        if value < self.low:
            raise ModelValidationError("high", f"{value} is below low ({self.low})")


@attrs.frozen
class TextBlock:
    """A reusable text (Textbaustein) for writing up a strategy.

    Attributes:
        key: Identifier, unique within the pack.
        title: German title.
        text: The text; paragraphs separated by blank lines.
    """

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    text: str = attrs.field(validator=checks.required_text)


@attrs.frozen
class CatalogueEntry:
    """An example measure from an agency's catalogue (Steckbrief).

    Attributes:
        key: Identifier, unique within the pack.
        action_field: Key of the action field it belongs to.
        title: German title.
        goal: What the measure aims at.
        description: What is done.
        duration_months: Typical implementation time in months; ``None``
            when the pack gives none (a measure made from it then has an
            unknown duration, never a made-up one).
        one_off: Typical range of one-off costs; ``None`` when not given.
        yearly: Typical range of yearly follow-on costs; ``None`` when not given.
        roles: Who is typically involved.
        steps: The usual steps, in order.
        text_block: Key of the text block describing it, if any.
        legal_driver: A law that requires it, e.g. "OZG".
        extensions: Plugins' own data, one mapping per plugin key; plain
            data only, checked by the workspace against the shapes the
            plugins declare. A starter strategy copies it into the measure
            made from the entry.
    """

    key: str = attrs.field(validator=checks.key)
    action_field: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    goal: str = attrs.field(default="", validator=checks.text)
    description: str = attrs.field(default="", validator=checks.text)
    duration_months: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(
            [checks.whole, checks.between(1, checks.MAX_DURATION_MONTHS)]
        ),
    )
    one_off: CostRange | None = None
    yearly: CostRange | None = None
    roles: tuple[str, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=[checks.is_tuple, checks.texts]
    )
    steps: tuple[str, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=[checks.is_tuple, checks.texts]
    )
    text_block: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(checks.key)
    )
    legal_driver: str = attrs.field(default="", validator=checks.text)
    extensions: checks.Extensions = attrs.field(
        factory=dict, converter=checks.to_extensions, hash=False
    )


@attrs.frozen
class NeedsQuestion:
    """A question of a needs analysis (Bedarfsanalyse) for one action field.

    Attributes:
        key: Unique key of the question.
        action_field: Key of the action field it belongs to.
        question: The question, in German.
        hint: A note for whoever asks it (what to look for); may be empty.
    """

    key: str = attrs.field(validator=checks.key)
    action_field: str = attrs.field(validator=checks.key)
    question: str = attrs.field(validator=checks.required_text)
    hint: str = attrs.field(default="", validator=checks.text)
