"""The workshop a strategy came from: when, who, moderated by whom, on what sources."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks

_SCHEMES = ("https://", "http://")


def _url(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    checks.text(instance, attribute, value)
    if value and (not value.startswith(_SCHEMES) or any(c.isspace() or c in '<>"`' for c in value)):
        raise ModelValidationError(
            attribute.name,
            f"expected a web address starting with https:// or http://, got {value!r}",
        )


@attrs.frozen
class Source:
    """A source the strategy draws on (a record, a study, a council paper).

    Attributes:
        title: What the source is.
        url: Where to find it (``https://`` or ``http://``), if online.
    """

    title: str = attrs.field(validator=checks.required_text)
    url: str = attrs.field(default="", validator=_url)


@attrs.frozen
class Workshop:
    """The workshop (e.g. Digital-Werkstatt) the strategy was worked out in.

    Every field is optional; documents print only what is recorded.

    Attributes:
        held_on: The (first) day of the workshop.
        ended_on: The last day, for a workshop over several days or sessions.
        participants: Who took part, e.g. "Verwaltung (6 Personen)", "Gemeinderat".
        participant_count: How many people took part in all.
        moderation: Who moderated, e.g. an agency or a named person.
        notes: Anything else worth recording.
        sources: Records and papers the strategy draws on.
    """

    held_on: dt.date | None = attrs.field(default=None, validator=checks.optional_date)
    ended_on: dt.date | None = attrs.field(default=None, validator=checks.optional_date)
    participants: tuple[str, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=[checks.is_tuple, checks.texts]
    )
    participant_count: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional([checks.whole, checks.between(1, 10**5)]),
    )
    moderation: str = attrs.field(default="", validator=checks.text)
    notes: str = attrs.field(default="", validator=checks.text)
    sources: tuple[Source, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )

    @ended_on.validator
    def _check_end(self, attribute: attrs.Attribute[Any], value: dt.date | None) -> None:
        if value is not None:
            if self.held_on is None:
                raise ModelValidationError("ended_on", "needs held_on, the first day")
            if value < self.held_on:
                raise ModelValidationError(
                    "ended_on",
                    f"{value.isoformat()} lies before held_on {self.held_on.isoformat()}",
                )
