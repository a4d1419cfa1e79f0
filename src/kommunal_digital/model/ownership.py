"""Who carries a measure: the organigram role that owns it."""

from __future__ import annotations

from kommunal_digital.model.labels import RoleKind
from kommunal_digital.model.measure import Measure
from kommunal_digital.model.organigram import Role
from kommunal_digital.model.strategy import Strategy

__all__ = ["FIELD_ROLE_KINDS", "measure_owner"]

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
