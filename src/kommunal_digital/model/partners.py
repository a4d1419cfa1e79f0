"""Joint strategies: the partner municipalities and how a measure's costs are shared."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks
from kommunal_digital.model.labels import LabelledEnum, MunicipalityKind
from kommunal_digital.model.municipality import (
    _official_key,
    _optional_population,
    _optional_share,
)

__all__ = ["CostSharing", "Partner", "ShareBasis"]


class ShareBasis(LabelledEnum):
    """How the costs of a measure are shared among the municipalities taking part."""

    POPULATION = "population"
    AGREED = "agreed"
    EQUAL = "equal"

    @property
    def label(self) -> str:
        """The German label shown in documents."""
        return _BASIS_LABELS[self]


_BASIS_LABELS = {
    ShareBasis.POPULATION: "nach Einwohnerzahl",
    ShareBasis.AGREED: "nach vereinbarten Anteilen",
    ShareBasis.EQUAL: "zu gleichen Teilen",
}


@attrs.frozen
class Partner:
    """A municipality that works out and adopts a joint strategy with its own council.

    Attributes:
        key: Identifier the measures' ``sharing`` refers to, e.g. ``"vg-nord"``.
        name: Official name, e.g. "Verbandsgemeinde Nord".
        kind: Gemeinde, Stadt, Verbandsgemeinde, Kreis, ...; gives the council's name.
        council: The council that adopts the strategy, e.g. "Stadtrat";
            by default the usual name for the kind.
        official_key: AGS (8 digits) or ARS (12 digits), if known.
        population: Inhabitants, used to share costs by population.
        cost_share: The agreed share (any non-negative weight) used when
            costs are shared by agreement and a measure names no own shares.
    """

    key: str = attrs.field(validator=checks.key)
    name: str = attrs.field(validator=checks.name)
    kind: MunicipalityKind = attrs.field(validator=checks.member_of(MunicipalityKind))
    council: str = attrs.field(default="", validator=checks.text)
    official_key: str | None = attrs.field(default=None, validator=_official_key)
    population: int | None = attrs.field(default=None, validator=_optional_population)
    cost_share: float | None = attrs.field(default=None, validator=_optional_share)


def _weights(value: dict[str, Any]) -> dict[str, Decimal]:
    if not isinstance(value, dict):
        return value  # refused by the validator with the field name
    shares: dict[str, Decimal] = {}
    for name, weight in value.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float | Decimal | str):
            raise ModelValidationError(f"shares.{name}", f"expected a number, got {weight!r}")
        try:
            number = Decimal(str(weight))
        except ArithmeticError:
            raise ModelValidationError(
                f"shares.{name}", f"expected a number, got {weight!r}"
            ) from None
        if not number.is_finite() or number < 0:
            raise ModelValidationError(
                f"shares.{name}", f"must be a number of zero or more, got {weight!r}"
            )
        if number > checks.MAX_SHARE:
            raise ModelValidationError(
                f"shares.{name}",
                f"must be at most {checks.show_number(checks.MAX_SHARE)}, got {weight!r}",
            )
        shares[name] = number
    return shares


@attrs.frozen
class CostSharing:
    """Which partners of a joint strategy take part in a measure and how they share its costs.

    Attributes:
        partners: Keys of the partners taking part; empty means all of them.
        basis: Share by ``population``, by ``agreed`` shares or in
            ``equal`` parts; ``None`` means the strategy's ``cost_sharing``.
        shares: Agreed shares of this measure by partner key (any
            non-negative weights, e.g. ``{stadt: 2, vg-nord: 1}``); used
            when the basis is ``agreed``, instead of the partners' ``cost_share``.
    """

    partners: tuple[str, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=[checks.is_tuple, checks.keys]
    )
    basis: ShareBasis | None = attrs.field(
        default=None, validator=attrs.validators.optional(checks.member_of(ShareBasis))
    )
    shares: dict[str, Decimal] = attrs.field(factory=dict, converter=_weights, hash=False)

    @partners.validator
    def _check_partners(self, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        seen: set[str] = set()
        for index, key in enumerate(value):
            if key in seen:
                raise ModelValidationError(f"partners[{index}]", f"partner {key!r} is named twice")
            seen.add(key)

    @shares.validator
    def _check_shares(self, attribute: attrs.Attribute[Any], value: dict[str, Decimal]) -> None:
        if not isinstance(value, dict):
            raise ModelValidationError("shares", f"expected a mapping, got {value!r}")
        for key in value:
            if not isinstance(key, str) or not checks.is_key(key):
                raise ModelValidationError("shares", f"{key!r} is not a valid partner key")
            if self.partners and key not in self.partners:
                raise ModelValidationError(
                    f"shares.{key}", f"partner {key!r} does not take part in the measure"
                )
