"""Breaking a Verbandsgemeinde's strategy down to its member municipalities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

import attrs

from kommunal_digital.errors import PlanningError
from kommunal_digital.model import Measure, MemberMunicipality, Roadmap, Strategy
from kommunal_digital.model.preset import RoadmapPreset
from kommunal_digital.planning.roadmap import build_roadmap
from kommunal_digital.units.money import split_amount

__all__ = ["MeasureShare", "MemberPlan", "ShareBasis", "break_down", "member_roadmap"]


class ShareBasis(StrEnum):
    """How costs are shared among the member municipalities of a measure."""

    POPULATION = "population"
    AGREED = "agreed"
    EQUAL = "equal"


@attrs.frozen
class MeasureShare:
    """One member's share of one measure's costs.

    Attributes:
        measure: The measure's key.
        one_off: The member's share of the one-off cost, in euros; ``None``
            while the measure's one-off cost is not estimated.
        yearly: The member's share of the yearly cost, in euros; ``None``
            while the measure's yearly cost is not estimated.
    """

    measure: str
    one_off: Decimal | None
    yearly: Decimal | None


@attrs.frozen
class MemberPlan:
    """What the strategy means for one member municipality.

    Attributes:
        member: The member's name.
        shares: Its share of each measure that applies to it, in strategy order.
    """

    member: str
    shares: tuple[MeasureShare, ...]

    @property
    def measures(self) -> tuple[str, ...]:
        """Keys of the measures that apply to the member."""
        return tuple(share.measure for share in self.shares)

    @property
    def one_off(self) -> Decimal:
        """The member's total share of the estimated one-off costs.

        Measures without an estimate are left out; :attr:`uncosted` names them.
        """
        return sum((s.one_off for s in self.shares if s.one_off is not None), Decimal(0))

    @property
    def yearly(self) -> Decimal:
        """The member's total share of the estimated yearly follow-on costs.

        Measures without an estimate are left out; :attr:`uncosted_yearly` names them.
        """
        return sum((s.yearly for s in self.shares if s.yearly is not None), Decimal(0))

    @property
    def uncosted(self) -> tuple[str, ...]:
        """Keys of the member's measures whose one-off cost is not estimated."""
        return tuple(s.measure for s in self.shares if s.one_off is None)

    @property
    def uncosted_yearly(self) -> tuple[str, ...]:
        """Keys of the member's measures whose yearly cost is not estimated."""
        return tuple(s.measure for s in self.shares if s.yearly is None)


def _applies(measure: Measure, members: tuple[MemberMunicipality, ...]) -> list[MemberMunicipality]:
    if not measure.members:
        return list(members)
    return [m for m in members if m.name in measure.members]


def _weights(members: list[MemberMunicipality], basis: ShareBasis) -> list[Decimal]:
    if basis is ShareBasis.EQUAL:
        return [Decimal(1)] * len(members)
    weights: list[Decimal] = []
    for member in members:
        value = member.population if basis is ShareBasis.POPULATION else member.cost_share
        if value is None:
            what = "population" if basis is ShareBasis.POPULATION else "cost_share"
            raise PlanningError(
                f"member municipality {member.name!r} has no {what}; "
                f"it is needed to share costs by {basis.value}"
            )
        weights.append(Decimal(str(value)))
    if not any(weights):
        weights = [Decimal(1)] * len(members)
    return weights


def _split(amount: Decimal | None, weights: list[Decimal]) -> list[Decimal | None]:
    if amount is None:
        return [None] * len(weights)
    return list(split_amount(amount, weights))


def break_down(
    strategy: Strategy, basis: ShareBasis | str = ShareBasis.POPULATION
) -> tuple[MemberPlan, ...]:
    """Share every measure's costs among the members it applies to.

    Each measure's one-off and yearly cost is split in cents by the largest
    remainder method, so the members' shares of a measure add up to exactly
    its cost and the members' totals add up to exactly the strategy's total
    of estimated costs. A cost not yet estimated stays unknown in every
    member's share (``None``, never 0 €); the members' plans name those
    measures (:attr:`MemberPlan.uncosted`). Rejected measures count like the
    others; filter them first if wanted.

    Args:
        strategy: The strategy of a Verbandsgemeinde or Kreis.
        basis: Share by ``population``, by the ``agreed`` ``cost_share`` of
            each member, or in ``equal`` parts.

    Raises:
        PlanningError: The municipality has no members, or a member lacks
            the figure the basis needs.
    """
    basis = ShareBasis(basis)
    members = strategy.municipality.members
    if not members:
        raise PlanningError(
            f"{strategy.municipality.name} has no member municipalities "
            "to break the strategy down to"
        )
    shares: dict[str, list[MeasureShare]] = {m.name: [] for m in members}
    for measure in strategy.measures:
        applicable = _applies(measure, members)
        weights = _weights(applicable, basis)
        one_off = _split(measure.cost.one_off, weights)
        yearly = _split(measure.cost.yearly, weights)
        for member, a, b in zip(applicable, one_off, yearly, strict=True):
            shares[member.name].append(MeasureShare(measure.key, a, b))
    return tuple(MemberPlan(name, tuple(items)) for name, items in shares.items())


def member_roadmap(
    strategy: Strategy,
    member: str,
    start: dt.date,
    *,
    preset: RoadmapPreset,
) -> Roadmap:
    """The roadmap as one member municipality sees it: only its measures.

    Args:
        strategy: The strategy, scheduled.
        member: The member municipality's name.
        start: The day the roadmap starts.
        preset: The procedure, e.g. ``workspace.roadmap_presets["standard"]``.

    Raises:
        PlanningError: ``member`` is not a member municipality.
    """
    names = [m.name for m in strategy.municipality.members]
    if member not in names:
        raise PlanningError(
            f"{member!r} is not a member municipality (members: {', '.join(names)})"
        )
    own = {
        m.key
        for m in strategy.measures
        if member in [x.name for x in _applies(m, strategy.municipality.members)]
    }
    schedule = strategy.schedule
    if schedule is not None:
        schedule = attrs.evolve(
            schedule, placed=tuple(p for p in schedule.placed if p.measure in own)
        )
    return build_roadmap(strategy, start, preset=preset, schedule=schedule)
