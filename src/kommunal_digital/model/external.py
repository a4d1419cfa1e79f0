"""Milestones outside the municipality that measures wait for."""

from __future__ import annotations

import datetime as dt

import attrs

from kommunal_digital.model import checks

__all__ = ["ExternalMilestone"]


@attrs.frozen
class ExternalMilestone:
    """Something outside the municipality a measure has to wait for.

    For example the Land's service portal an online form is built on, a
    broadband expansion by the county, or a funding decision. Measures name
    it in their ``waits_for``; the scheduler does not start them before the
    milestone is expected (or was reached).

    Attributes:
        key: Identifier the measures' ``waits_for`` refers to, e.g. ``"servicekonto-rlp"``.
        title: What is expected, in German, e.g. "Servicekonto des Landes verfügbar".
        owner: Who outside the municipality delivers it, e.g. "Land Rheinland-Pfalz".
        expected_on: When it is expected; ``None`` while nobody knows.
        reached_on: When it was reached, once it has been.
        note: Anything else worth saying, e.g. where the date comes from.
    """

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    owner: str = attrs.field(default="", validator=checks.text)
    expected_on: dt.date | None = attrs.field(default=None, validator=checks.optional_date)
    reached_on: dt.date | None = attrs.field(default=None, validator=checks.optional_date)
    note: str = attrs.field(default="", validator=checks.text)

    @property
    def reached(self) -> bool:
        """Whether the milestone has been reached."""
        return self.reached_on is not None

    @property
    def available_from(self) -> dt.date | None:
        """The day measures waiting for it may start from.

        The day it was reached, else the day it is expected; ``None`` while
        it is neither reached nor dated.
        """
        return self.reached_on or self.expected_on
