"""The organisation of the digital change: roles and their relations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks
from kommunal_digital.model.labels import RelationKind, RoleKind, RoleState, StakeholderGroup

_KIND_GROUPS = {
    RoleKind.MAYOR: StakeholderGroup.VERWALTUNG,
    RoleKind.DEPUTY: StakeholderGroup.VERWALTUNG,
    RoleKind.STAFF_UNIT: StakeholderGroup.VERWALTUNG,
    RoleKind.DIGITAL_OFFICER: StakeholderGroup.VERWALTUNG,
    RoleKind.CDO: StakeholderGroup.VERWALTUNG,
    RoleKind.CORE_TEAM: StakeholderGroup.VERWALTUNG,
    RoleKind.DEPARTMENT: StakeholderGroup.VERWALTUNG,
    RoleKind.IT: StakeholderGroup.VERWALTUNG,
    RoleKind.PRESS_OFFICE: StakeholderGroup.VERWALTUNG,
    RoleKind.PILOT: StakeholderGroup.VERWALTUNG,
    RoleKind.COUNCIL: StakeholderGroup.POLITIK,
    RoleKind.COMMITTEE: StakeholderGroup.POLITIK,
    RoleKind.TOPIC_SPONSOR: StakeholderGroup.BUERGERSCHAFT,
    RoleKind.VOLUNTEER: StakeholderGroup.BUERGERSCHAFT,
}

#: States in which a role has nobody holding it now.
_UNHELD = (RoleState.VACANT, RoleState.REJECTED)


def _optional_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        checks.check_date(value, attribute.name)


def _optional_count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ModelValidationError(
            attribute.name, f"expected a whole number from 1, got {checks.show_value(value)}"
        )
    if value > checks.MAX_COUNT:
        raise ModelValidationError(
            attribute.name,
            f"must be at most {checks.show_number(checks.MAX_COUNT)}, "
            f"got {checks.show_value(value)}",
        )


@attrs.frozen
class RoleHolding:
    """A former holder of a role (the current one is the role's ``holder``).

    Attributes:
        holder: The person who held the role.
        since: When they took it over, if known.
        until: When they left it, if known; not before ``since``.
        note: A remark, e.g. why they left.
    """

    holder: str = attrs.field(validator=checks.required_text)
    since: dt.date | None = attrs.field(default=None, validator=_optional_date)
    until: dt.date | None = attrs.field(default=None, validator=_optional_date)
    note: str = attrs.field(default="", validator=checks.text)

    @until.validator
    def _check_until(self, attribute: attrs.Attribute[Any], value: dt.date | None) -> None:
        if value is not None and self.since is not None and value < self.since:
            raise ModelValidationError(
                "until", f"{value.isoformat()} is before since {self.since.isoformat()}"
            )


@attrs.frozen
class Role:
    """A unit or role in the organigram.

    Attributes:
        key: Identifier, unique within the organigram.
        title: German title shown in the chart.
        kind: What sort of unit or role it is.
        holder: The person holding the role, if named.
        action_field: For pilots and sponsors: the action field they look after.
        group: The part of society the role stands for (used for the
            Digitalrat's composition); derived from ``kind`` when not given.
        state: Whether the role is planned, vacant, filled or was rejected;
            ``None`` when not recorded. A vacant or rejected role has no
            ``holder``.
        headcount: For a group of people (e.g. 36 Digitallotsen or the
            volunteers of a town): how many they are, if known.
        departments: Names of the departments the group's members come from.
        department_count: How many departments they come from, when more are
            involved than ``departments`` names (at least as many as named).
        history: Former holders, oldest first.
    """

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    kind: RoleKind = attrs.field(validator=checks.member_of(RoleKind))
    holder: str = attrs.field(default="", validator=checks.text)
    action_field: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(checks.key)
    )
    group: StakeholderGroup | None = attrs.field(
        default=None, validator=attrs.validators.optional(checks.member_of(StakeholderGroup))
    )
    state: RoleState | None = attrs.field(
        default=None, validator=attrs.validators.optional(checks.member_of(RoleState))
    )
    headcount: int | None = attrs.field(default=None, validator=_optional_count)
    departments: tuple[str, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=[checks.is_tuple, checks.texts]
    )
    department_count: int | None = attrs.field(default=None, validator=_optional_count)
    history: tuple[RoleHolding, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )

    def __attrs_post_init__(self) -> None:
        if self.state in _UNHELD and self.holder.strip():
            raise ModelValidationError(
                "holder",
                f"a {self.state.label} role has no holder; list former holders in history",
            )
        if len(set(self.departments)) != len(self.departments):
            raise ModelValidationError("departments", "a department is listed twice")
        if self.department_count is not None and self.department_count < len(self.departments):
            raise ModelValidationError(
                "department_count",
                f"{self.department_count} is fewer than the {len(self.departments)} "
                "departments named",
            )

    @property
    def departments_total(self) -> int | None:
        """How many departments the group draws on: ``department_count`` or those named."""
        if self.department_count is not None:
            return self.department_count
        return len(self.departments) or None

    @property
    def active(self) -> bool:
        """Whether the role exists or is meant to (every state but ``rejected``)."""
        return self.state is not RoleState.REJECTED

    @property
    def effective_group(self) -> StakeholderGroup | None:
        """``group``, or the group the role's kind implies (``None`` for external partners)."""
        if self.group is not None:
            return self.group
        return _KIND_GROUPS.get(self.kind)


@attrs.frozen
class Relation:
    """A directed relation: ``source`` *kind* ``target`` (e.g. reports to).

    Attributes:
        source: Key of the role the relation starts at.
        target: Key of the role it points to.
        kind: What the relation is, e.g. ``reports_to``.
    """

    source: str = attrs.field(validator=checks.key)
    target: str = attrs.field(validator=checks.key)
    kind: RelationKind = attrs.field(validator=checks.member_of(RelationKind))


@attrs.frozen
class Organigram:
    """Roles and the relations between them.

    Attributes:
        roles: The roles; keys are unique.
        relations: Relations between the roles (each one once, none from a
            role to itself).
    """

    roles: tuple[Role, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    relations: tuple[Relation, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )

    @roles.validator
    def _check_roles(self, attribute: attrs.Attribute[Any], value: tuple[Role, ...]) -> None:
        checks.unique_keys(value, "roles")

    @relations.validator
    def _check_relations(
        self, attribute: attrs.Attribute[Any], value: tuple[Relation, ...]
    ) -> None:
        known = {role.key for role in self.roles}
        seen: set[tuple[str, str, RelationKind]] = set()
        for index, relation in enumerate(value):
            for end in ("source", "target"):
                ref = getattr(relation, end)
                if ref not in known:
                    raise ModelValidationError(f"relations[{index}].{end}", f"unknown role {ref!r}")
            if relation.source == relation.target:
                raise ModelValidationError(
                    f"relations[{index}]", f"role {relation.source!r} cannot relate to itself"
                )
            triple = (relation.source, relation.target, relation.kind)
            if triple in seen:
                raise ModelValidationError(
                    f"relations[{index}]", "the same relation is listed twice"
                )
            seen.add(triple)

    def role(self, key: str) -> Role:
        """Return the role with this key.

        Args:
            key: The role's key.

        Raises:
            KeyError: No role has the key.
        """
        for role in self.roles:
            if role.key == key:
                return role
        raise KeyError(key)
