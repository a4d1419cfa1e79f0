"""Who carries a measure: the organigram role that owns it."""

from __future__ import annotations

from kommunal_digital.model.labels import RoleKind
from kommunal_digital.model.measure import Measure
from kommunal_digital.model.organigram import Role
from kommunal_digital.model.strategy import Strategy

__all__ = ["FIELD_ROLE_KINDS", "OFFICER_KINDS", "held_role", "measure_owner", "role_of_kind"]

#: Kinds of roles that steer the digital change as a whole.
OFFICER_KINDS = (RoleKind.DIGITAL_OFFICER, RoleKind.CDO, RoleKind.STAFF_UNIT)

#: Kinds of roles that look after one action field.
FIELD_ROLE_KINDS = (RoleKind.PILOT, RoleKind.TOPIC_SPONSOR)


def measure_owner(strategy: Strategy, measure: Measure) -> Role | None:
    """The organigram role that carries a measure.

    ``owner_role`` may name a role by key or by title. When it is empty, the
    role that looks after the measure's action field (a Digitallotse or a
    Themenpate) carries it. ``None`` when no such role exists.

    Args:
        strategy: The strategy whose organigram is searched.
        measure: The measure, usually one of the strategy's.

    Returns:
        The role, or ``None`` when the strategy has no organigram or no role
        fits.
    """
    organigram = strategy.organigram
    if organigram is None:
        return None
    wanted = measure.owner_role.strip()
    for role in organigram.roles:
        if wanted and wanted in (role.key, role.title):
            return role
    if not wanted:
        for role in organigram.roles:
            if role.kind in FIELD_ROLE_KINDS and role.action_field == measure.action_field:
                return role
    return None


def role_of_kind(strategy: Strategy, kinds: tuple[RoleKind, ...]) -> Role | None:
    """The first organigram role of one of these kinds (in the order of ``kinds``).

    Args:
        strategy: The strategy whose organigram is searched.
        kinds: The kinds wanted, most preferred first.
    """
    if strategy.organigram is None:
        return None
    for kind in kinds:
        for role in strategy.organigram.roles:
            if role.kind is kind:
                return role
    return None


def held_role(strategy: Strategy, kinds: tuple[RoleKind, ...]) -> bool:
    """Whether the organigram has a role of one of these kinds with a named holder.

    Args:
        strategy: The strategy whose organigram is searched.
        kinds: The kinds of roles.
    """
    if strategy.organigram is None:
        return False
    return any(r.kind in kinds and r.holder.strip() for r in strategy.organigram.roles)
