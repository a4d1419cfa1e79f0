"""Breaking a strategy down to its member municipalities or to the partners of a joint strategy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from kommunal_digital.errors import PlanningError
from kommunal_digital.model import (
    CostSharing,
    Measure,
    MemberMunicipality,
    Partner,
    Roadmap,
    ShareBasis,
    Strategy,
)
from kommunal_digital.model.preset import RoadmapPreset
from kommunal_digital.planning.roadmap import build_roadmap
from kommunal_digital.units.money import split_amount

__all__ = [
    "MeasureShare",
    "MemberPlan",
    "PartnerPlan",
    "ShareBasis",
    "break_down",
    "member_roadmap",
    "partner_plans",
    "partner_weights",
]


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


@attrs.frozen
class PartnerPlan:
    """What a joint strategy means for one partner: its share of each measure it takes part in.

    Attributes:
        partner: The partner's key.
        name: The partner's name.
        shares: Its share of each measure it takes part in, in strategy order.
        staff: Its share of each of these measures' staff in full-time
            equivalents (hundredths, by the same weights), by measure key;
            ``None`` where the measure's staff is not estimated.
    """

    partner: str
    name: str
    shares: tuple[MeasureShare, ...]
    staff: dict[str, Decimal | None] = attrs.field(factory=dict, hash=False)

    @property
    def measures(self) -> tuple[str, ...]:
        """Keys of the measures the partner takes part in."""
        return tuple(share.measure for share in self.shares)

    @property
    def one_off(self) -> Decimal:
        """The partner's total share of the estimated one-off costs (see :attr:`uncosted`)."""
        return sum((s.one_off for s in self.shares if s.one_off is not None), Decimal(0))

    @property
    def yearly(self) -> Decimal:
        """The partner's total share of the estimated yearly costs (see :attr:`uncosted_yearly`)."""
        return sum((s.yearly for s in self.shares if s.yearly is not None), Decimal(0))

    @property
    def staff_fte(self) -> Decimal:
        """The partner's total share of the estimated staff (unestimated measures left out)."""
        return sum((v for v in self.staff.values() if v is not None), Decimal(0))

    @property
    def uncosted(self) -> tuple[str, ...]:
        """Keys of the partner's measures whose one-off cost is not estimated."""
        return tuple(s.measure for s in self.shares if s.one_off is None)

    @property
    def uncosted_yearly(self) -> tuple[str, ...]:
        """Keys of the partner's measures whose yearly cost is not estimated."""
        return tuple(s.measure for s in self.shares if s.yearly is None)

    def share(self, measure: str) -> MeasureShare | None:
        """The partner's share of one measure; ``None`` if it does not take part.

        Args:
            measure: The measure's key.
        """
        for item in self.shares:
            if item.measure == measure:
                return item
        return None


def partner_weights(strategy: Strategy, sharing: CostSharing | None) -> dict[str, Decimal]:
    """The partners taking part in a measure (or strategy funding) and their weights.

    A measure without ``sharing`` concerns all partners, shared by the
    strategy's ``cost_sharing``. Agreed shares come from the measure's
    ``sharing.shares``, else from the partners' ``cost_share``; when all
    weights are zero the partners share equally.

    Args:
        strategy: A joint strategy (with ``partners``).
        sharing: The measure's or funding's sharing, if any.

    Returns:
        The weights by partner key, in the order of the strategy's partners.

    Raises:
        PlanningError: The strategy has no partners, or a partner lacks the
            figure the basis needs (the model refuses such strategies).
    """
    if not strategy.partners:
        raise PlanningError(f"{strategy.municipality.name}: the strategy has no partners")
    named = sharing.partners if sharing is not None and sharing.partners else None
    taking_part: list[Partner] = [p for p in strategy.partners if named is None or p.key in named]
    basis = (sharing.basis if sharing is not None else None) or strategy.cost_sharing
    agreed = sharing.shares if sharing is not None else {}
    weights: list[Decimal] = []
    for partner in taking_part:
        if basis is ShareBasis.EQUAL:
            weights.append(Decimal(1))
            continue
        value: object
        if basis is ShareBasis.POPULATION:
            value = partner.population
        else:
            value = agreed.get(partner.key, partner.cost_share)
        if value is None:
            what = "population" if basis is ShareBasis.POPULATION else "agreed share"
            raise PlanningError(
                f"partner {partner.key!r} has no {what}; it is needed to share costs by "
                f"{basis.value}"
            )
        weights.append(Decimal(str(value)))
    if not any(weights):
        weights = [Decimal(1)] * len(taking_part)
    return {p.key: w for p, w in zip(taking_part, weights, strict=True)}


def partner_plans(strategy: Strategy) -> tuple[PartnerPlan, ...]:
    """Share every measure's costs and staff among the partners taking part in it.

    Like :func:`break_down`: each cost is split in cents by the largest
    remainder method, so the partners' shares of a measure add up to exactly
    its cost; an unknown cost stays unknown (``None``) in every share. Staff
    is split in hundredths of a full-time equivalent the same way.

    Args:
        strategy: A joint strategy (with ``partners``).

    Returns:
        One plan per partner, in the order of the strategy's partners.

    Raises:
        PlanningError: The strategy has no partners.
    """
    if not strategy.partners:
        raise PlanningError(f"{strategy.municipality.name}: the strategy has no partners")
    shares: dict[str, list[MeasureShare]] = {p.key: [] for p in strategy.partners}
    staff: dict[str, dict[str, Decimal | None]] = {p.key: {} for p in strategy.partners}
    for measure in strategy.measures:
        weights = partner_weights(strategy, measure.sharing)
        values = list(weights.values())
        one_off = _split(measure.cost.one_off, values)
        yearly = _split(measure.cost.yearly, values)
        fte = _split(None if measure.staff_fte is None else Decimal(str(measure.staff_fte)), values)
        for key, a, b, c in zip(weights, one_off, yearly, fte, strict=True):
            shares[key].append(MeasureShare(measure.key, a, b))
            staff[key][measure.key] = c
    return tuple(
        PartnerPlan(p.key, p.name, tuple(shares[p.key]), staff[p.key]) for p in strategy.partners
    )
