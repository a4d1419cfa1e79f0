"""Funding: where a measure's money comes from, who runs it later, and programmes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks
from kommunal_digital.model.labels import LabelledEnum
from kommunal_digital.model.partners import CostSharing

__all__ = [
    "FundingKind",
    "FundingProgramme",
    "FundingSource",
    "Operator",
    "StrategyFunding",
    "to_funding_sources",
]

_CENT = Decimal("0.01")


class FundingKind(LabelledEnum):
    """What kind of money a funding source is."""

    EIGENMITTEL = "eigenmittel"
    DRITTMITTEL = "drittmittel"
    FOERDERPROGRAMM = "foerderprogramm"
    OFFEN = "offen"

    @property
    def label(self) -> str:
        """The German label shown in documents."""
        return _KIND_LABELS[self]

    @property
    def external(self) -> bool:
        """Whether the money comes from outside the municipality's own budget."""
        return self in (FundingKind.DRITTMITTEL, FundingKind.FOERDERPROGRAMM)


_KIND_LABELS = {
    FundingKind.EIGENMITTEL: "Eigenmittel",
    FundingKind.DRITTMITTEL: "Drittmittel",
    FundingKind.FOERDERPROGRAMM: "Förderprogramm",
    FundingKind.OFFEN: "nicht eingeordnet",
}


def _amount(value: checks.Money | None) -> Decimal | None:
    return None if value is None else checks.to_money(value, "amount")


def _max_amount(value: checks.Money | None) -> Decimal | None:
    return None if value is None else checks.to_money(value, "max_amount")


def _optional_money(
    instance: object, attribute: attrs.Attribute[Any], value: Decimal | None
) -> None:
    if value is not None:
        checks.money(instance, attribute, value)


def _optional_percent(
    instance: object, attribute: attrs.Attribute[Any], value: float | None
) -> None:
    if value is None:
        return
    if not checks.is_finite_number(value):
        raise ModelValidationError(attribute.name, f"expected a percentage, got {value!r}")
    if not 0 < value <= 100:
        raise ModelValidationError(
            attribute.name, f"must be above 0 and at most 100 percent, got {value:g}"
        )


def percent_of(amount: Decimal, percent: float) -> Decimal:
    """``percent`` percent of ``amount``, rounded half up to the cent."""
    return (amount * Decimal(repr(float(percent))) / 100).quantize(_CENT, rounding=ROUND_HALF_UP)


@attrs.frozen
class FundingSource:
    """One source of money for a measure's one-off cost.

    How much the source covers is given by ``amount`` (euros) or ``share``
    (percent of the one-off cost), not both. A programme source with neither
    covers ``rate`` percent of the one-off cost.

    Attributes:
        kind: Own budget, third-party money or a funding programme.
        name: The source in words, e.g. "Haushalt der Verbandsgemeinde".
        programme: Key of the funding programme in the catalogue (programmes only).
        amount: Euros the source covers.
        share: Percent of the measure's one-off cost the source covers.
        rate: Funding rate of the programme in percent, e.g. 80.
        deadline: The application deadline for this measure.
        co_financing_required: Whether the programme requires the municipality
            to pay a share itself; ``None`` means "if the rate is below 100".
    """

    kind: FundingKind = attrs.field(
        default=FundingKind.OFFEN, validator=checks.member_of(FundingKind)
    )
    name: str = attrs.field(default="", validator=checks.text)
    programme: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(checks.key)
    )
    amount: Decimal | None = attrs.field(default=None, converter=_amount, validator=_optional_money)
    share: float | None = attrs.field(default=None, validator=_optional_percent)
    rate: float | None = attrs.field(default=None, validator=_optional_percent)
    deadline: date | None = attrs.field(default=None, validator=checks.optional_date)
    co_financing_required: bool | None = None

    def __attrs_post_init__(self) -> None:
        if self.amount is not None and self.share is not None:
            raise ModelValidationError("share", "give either an amount or a share, not both")
        programme_only = {
            "programme": self.programme,
            "rate": self.rate,
            "deadline": self.deadline,
            "co_financing_required": self.co_financing_required,
        }
        if self.kind is not FundingKind.FOERDERPROGRAMM:
            for name, value in programme_only.items():
                if value is not None:
                    raise ModelValidationError(
                        name, f"only a source of kind 'foerderprogramm' has a {name}"
                    )
        if not self.name.strip() and self.programme is None:
            raise ModelValidationError("name", "a source needs a name or a programme key")

    @property
    def label(self) -> str:
        """The source in German for documents, e.g. "DigitalPakt Schule (Förderprogramm)"."""
        what = self.name.strip() or str(self.programme)
        if self.kind is FundingKind.OFFEN:
            return what
        return f"{what} ({self.kind.label})"

    def covers(self, one_off: Decimal | None) -> Decimal | None:
        """Euros of a one-off cost this source covers; ``None`` if not quantified.

        Args:
            one_off: The measure's one-off cost, in euros (a ``share`` or
                funding ``rate`` is a percentage of it); ``None`` while the
                cost is unknown, when only a fixed ``amount`` is quantified.
        """
        if self.amount is not None:
            return self.amount
        if one_off is None:
            return None
        if self.share is not None:
            return percent_of(one_off, self.share)
        if self.kind is FundingKind.FOERDERPROGRAMM and self.rate is not None:
            return percent_of(one_off, self.rate)
        return None


def to_funding_sources(value: Iterable[FundingSource | str]) -> tuple[FundingSource, ...]:
    """Convert a list of sources, plain texts becoming unclassified sources (attrs converter).

    Raises:
        ModelValidationError: A text is blank or holds characters a document cannot hold.
    """
    if isinstance(value, str | bytes):
        return value  # type: ignore[return-value]  # refused by is_tuple with the field name
    sources = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            if not item.strip():
                raise ModelValidationError(f"funding_sources[{index}]", "must not be empty")
            try:
                item = FundingSource(name=item)
            except ModelValidationError as exc:
                raise ModelValidationError(f"funding_sources[{index}]", exc.reason) from None
        sources.append(item)
    return tuple(sources)


def check_funding(
    sources: tuple[FundingSource, ...], one_off: Decimal | None, field: str = "funding_sources"
) -> None:
    """Refuse sources of the wrong type and external money above the one-off cost.

    While the one-off cost is unknown (``None``), a grant may name its amount:
    nothing can exceed a cost nobody has estimated yet.
    """
    external = Decimal(0)
    for index, source in enumerate(sources):
        if not isinstance(source, FundingSource):
            raise ModelValidationError(
                f"{field}[{index}]", f"expected a funding source, got {source!r}"
            )
        covered = source.covers(one_off)
        if covered is not None and source.kind.external:
            external += covered
    if one_off is not None and external > one_off:
        raise ModelValidationError(
            field,
            f"third-party and programme money ({external} €) exceeds the one-off cost "
            f"({one_off} €)",
        )


@attrs.frozen
class Operator:
    """Who runs a measure's result after the project ends.

    The yearly follow-on cost is the measure's ``cost.yearly``; the operator
    says who carries it.

    Attributes:
        name: The unit or partner that operates the result, e.g. "IT-Abteilung".
        budget: Where the follow-on cost is budgeted, e.g. "Teilhaushalt IT".
        no_follow_on_costs: States explicitly that running it costs nothing
            (``cost.yearly`` must then be zero).
    """

    name: str = attrs.field(validator=checks.required_text)
    budget: str = attrs.field(default="", validator=checks.text)
    no_follow_on_costs: bool = False


def _deadlines(value: Iterable[date]) -> tuple[date, ...]:
    if isinstance(value, str | bytes):
        return value  # refused by is_tuple with the field name
    items = tuple(value)
    for index, item in enumerate(items):
        # Checked before sorting: a text among dates could not be compared.
        checks.check_date(item, f"deadlines[{index}]")
    return tuple(sorted(items))


@attrs.frozen
class FundingProgramme:
    """A funding programme (Förderprogramm) from a pack's or plugin's catalogue.

    Attributes:
        key: Identifier that funding sources refer to.
        title: German name of the programme.
        provider: Who grants the money, e.g. "Land Rheinland-Pfalz".
        description: What the programme funds, in a few sentences.
        rate: Highest funding rate in percent of the eligible cost.
        max_amount: Highest grant per project in euros, if capped.
        deadlines: Application deadlines, earliest first.
        co_financing_required: Whether the municipality must pay a share itself;
            ``None`` means "if the rate is below 100".
    """

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    provider: str = attrs.field(default="", validator=checks.text)
    description: str = attrs.field(default="", validator=checks.text)
    rate: float | None = attrs.field(default=None, validator=_optional_percent)
    max_amount: Decimal | None = attrs.field(
        default=None, converter=_max_amount, validator=_optional_money
    )
    deadlines: tuple[date, ...] = attrs.field(
        default=(), converter=_deadlines, validator=[checks.is_tuple, checks.dates]
    )
    co_financing_required: bool | None = None


def needs_co_financing(source: FundingSource, programme: FundingProgramme | None) -> bool:
    """Whether a programme source needs an own share, from the source or the programme."""
    required = source.co_financing_required
    if required is None and programme is not None:
        required = programme.co_financing_required
    if required is not None:
        return required
    rate = source.rate if source.rate is not None else (programme.rate if programme else None)
    return rate is not None and rate < 100


def _volume(value: checks.Money | None) -> Decimal | None:
    return None if value is None else checks.to_money(value, "amount")


@attrs.frozen
class StrategyFunding:
    """Money for the strategy as a whole, not for one measure.

    For example a Smart-City programme of several million euros at 10 %
    own share, or a state grant for the strategy process itself. Unknown
    stays unknown: without ``amount`` or ``own_share`` the documents say
    the figure is still open.

    Attributes:
        key: Identifier, unique among the strategy's funding.
        title: The programme or grant in words, e.g. "Modellprojekte Smart Cities".
        programme: Key of the funding programme in the catalogue, if it has one.
        provider: Who grants the money, e.g. "Bund (BMWSB)".
        amount: The volume of the funded work in euros (grant plus own share).
        own_share: Percent of ``amount`` the municipality (or the partners
            together) pays itself, e.g. 10.
        start: First day of the funding period.
        end: Last day of the funding period.
        sharing: In a joint strategy, which partners carry the own share
            and how; ``None`` means all partners by the strategy's ``cost_sharing``.
    """

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    programme: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(checks.key)
    )
    provider: str = attrs.field(default="", validator=checks.text)
    amount: Decimal | None = attrs.field(default=None, converter=_volume, validator=_optional_money)
    own_share: float | None = attrs.field(default=None, validator=_optional_percent)
    start: date | None = attrs.field(default=None, validator=checks.optional_date)
    end: date | None = attrs.field(default=None, validator=checks.optional_date)
    sharing: CostSharing | None = None

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ModelValidationError(
                "end", f"the funding period ends ({self.end}) before it starts ({self.start})"
            )

    @property
    def own_amount(self) -> Decimal | None:
        """Euros the municipality pays itself; ``None`` while amount or share is unknown."""
        if self.amount is None or self.own_share is None:
            return None
        return percent_of(self.amount, self.own_share)

    @property
    def grant(self) -> Decimal | None:
        """Euros the programme pays; ``None`` while amount or share is unknown."""
        own = self.own_amount
        if own is None or self.amount is None:
            return None
        return self.amount - own
