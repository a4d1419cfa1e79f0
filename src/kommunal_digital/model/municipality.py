"""The municipality a strategy is written for."""

from __future__ import annotations

import re
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks
from kommunal_digital.model.labels import MaturityPhase, MunicipalityKind

#: Kinds of local authority that have member municipalities (``unbekannt``
#: may have them too: the kind is simply not recorded).
MEMBER_KINDS = (
    MunicipalityKind.VERBANDSGEMEINDE,
    MunicipalityKind.VERWALTUNGSGEMEINSCHAFT,
    MunicipalityKind.AMT,
    MunicipalityKind.KREIS,
    MunicipalityKind.UNBEKANNT,
)

# Amtlicher Gemeindeschlüssel (8 digits) or Regionalschlüssel (12 digits).
_OFFICIAL_KEY = re.compile(r"[0-9]{8}|[0-9]{12}")


def _official_key(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not (isinstance(value, str) and _OFFICIAL_KEY.fullmatch(value)):
        raise ModelValidationError(
            attribute.name,
            f"{value!r} is neither an 8-digit AGS nor a 12-digit ARS",
        )


def _optional_population(
    instance: object, attribute: attrs.Attribute[Any], value: int | None
) -> None:
    checks.population(instance, attribute, value)


_SHARE = checks.up_to(checks.MAX_SHARE)


def _optional_share(instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None:
        _SHARE(instance, attribute, value)


@attrs.frozen
class MemberMunicipality:
    """A member of a Verbandsgemeinde, Verwaltungsgemeinschaft or Amt, or of a Kreis.

    Attributes:
        name: Name, unique among the members.
        official_key: AGS or ARS, if known.
        population: Inhabitants, used to share costs by population.
        cost_share: An agreed share (any non-negative weight) used instead
            of the population when costs are shared by agreement.
    """

    name: str = attrs.field(validator=checks.name)
    official_key: str | None = attrs.field(default=None, validator=_official_key)
    population: int | None = attrs.field(default=None, validator=_optional_population)
    cost_share: float | None = attrs.field(default=None, validator=_optional_share)


@attrs.frozen
class Municipality:
    """The local authority the strategy belongs to.

    Attributes:
        name: Official name, e.g. "Verbandsgemeinde Eichenberg".
        kind: Gemeinde, Stadt, Verbandsgemeinde, Verwaltungsgemeinschaft,
            Amt or Kreis; ``unbekannt`` when not recorded.
        land: The federal state (Bundesland), e.g. "Rheinland-Pfalz".
        official_key: AGS (8 digits) or ARS (12 digits), if known.
        population: Number of inhabitants, if known.
        members: Ortsgemeinden of a Verbandsgemeinde, member Gemeinden of a
            Verwaltungsgemeinschaft or an Amt, or Gemeinden of a Kreis.
        maturity: Current phase of digital maturity, if assessed.
    """

    name: str = attrs.field(validator=checks.name)
    kind: MunicipalityKind = attrs.field(validator=checks.member_of(MunicipalityKind))
    land: str = attrs.field(validator=checks.required_text)
    official_key: str | None = attrs.field(default=None, validator=_official_key)
    population: int | None = attrs.field(default=None, validator=_optional_population)
    members: tuple[MemberMunicipality, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    maturity: MaturityPhase | None = attrs.field(
        default=None, validator=attrs.validators.optional(checks.member_of(MaturityPhase))
    )

    @members.validator
    def _check_members(
        self, attribute: attrs.Attribute[Any], value: tuple[MemberMunicipality, ...]
    ) -> None:
        if value and self.kind not in MEMBER_KINDS:
            raise ModelValidationError(
                "members",
                f"a {self.kind.label} has no member municipalities; only a "
                "Verbandsgemeinde, Verwaltungsgemeinschaft, Amt or Kreis has them",
            )
        checks.unique_keys(value, "members", attribute="name")
