"""Organigram presets: an agency's proposal for organising the digital change."""

from __future__ import annotations

from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks
from kommunal_digital.model.labels import RelationKind, RoleKind, StakeholderGroup

#: Placeholder in keys and titles of per-field roles.
FIELD_KEY = "{field}"
FIELD_TITLE = "{field_title}"


@attrs.frozen
class PresetRole:
    """A role of a preset.

    With ``per_field`` the role is repeated for every chosen action field:
    ``{field}`` in the key becomes the field's key and ``{field_title}`` in
    the title the field's title.

    Attributes:
        key: Key of the role it makes (with ``{field}`` when per field).
        title: German title (may use ``{field_title}`` when per field).
        kind: What sort of unit or role it is.
        per_field: Whether the role is repeated for every chosen action field.
        group: The part of society the role stands for; derived from
            ``kind`` when not given.
        holder: The person holding the role, if named.
    """

    key: str = attrs.field(validator=checks.required_text)
    title: str = attrs.field(validator=checks.required_text)
    kind: RoleKind = attrs.field(validator=checks.member_of(RoleKind))
    per_field: bool = attrs.field(default=False)
    group: StakeholderGroup | None = attrs.field(
        default=None, validator=attrs.validators.optional(checks.member_of(StakeholderGroup))
    )
    holder: str = attrs.field(default="", validator=checks.text)

    @per_field.validator
    def _check_placeholder(self, attribute: attrs.Attribute[Any], value: bool) -> None:
        if value and FIELD_KEY not in self.key:
            raise ModelValidationError("key", f"a per-field role needs {FIELD_KEY} in its key")
        if not value and FIELD_KEY in self.key:
            raise ModelValidationError("key", f"{FIELD_KEY} is only allowed in per-field roles")


@attrs.frozen
class PresetRelation:
    """A relation of a preset; keys may contain ``{field}`` (repeated per field).

    Attributes:
        source: Key of the role the relation starts at.
        target: Key of the role it points to.
        kind: What the relation is, e.g. ``reports_to``.
    """

    source: str = attrs.field(validator=checks.required_text)
    target: str = attrs.field(validator=checks.required_text)
    kind: RelationKind = attrs.field(validator=checks.member_of(RelationKind))


@attrs.frozen
class OrganigramPreset:
    """A proposal for the organisation of the digital change.

    Attributes:
        key: Identifier, e.g. ``"rlp-stabsstelle"``.
        title: German title.
        region: The region or agency that proposes it.
        description: What characterises it, in German.
        roles: The roles, some repeated per chosen action field.
        relations: The relations between them.
    """

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    region: str = attrs.field(default="", validator=checks.text)
    description: str = attrs.field(default="", validator=checks.text)
    roles: tuple[PresetRole, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    relations: tuple[PresetRelation, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )

    @roles.validator
    def _check_roles(self, attribute: attrs.Attribute[Any], value: tuple[PresetRole, ...]) -> None:
        checks.unique_keys(value, "roles")
