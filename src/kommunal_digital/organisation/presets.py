"""Building an organigram from a preset for a strategy's chosen action fields."""

from __future__ import annotations

from kommunal_digital.errors import PlanningError
from kommunal_digital.model import Organigram, Relation, Role, Strategy
from kommunal_digital.model.organigram_preset import (
    FIELD_KEY,
    FIELD_TITLE,
    OrganigramPreset,
)

__all__ = ["build_organigram"]


def build_organigram(preset: OrganigramPreset, strategy: Strategy) -> Organigram:
    """Instantiate a preset for a strategy: per-field roles once per chosen field.

    Args:
        preset: The organigram preset, e.g. one of ``workspace.organigram_presets``.
        strategy: The strategy whose chosen action fields the per-field roles
            are made for.

    Raises:
        PlanningError: A relation of the preset names a role the preset lacks,
            or a generated key is invalid.
    """
    roles: list[Role] = []
    fields = strategy.chosen_fields
    for role in preset.roles:
        if role.per_field:
            roles.extend(
                Role(
                    key=role.key.replace(FIELD_KEY, field.key),
                    title=role.title.replace(FIELD_TITLE, field.title),
                    kind=role.kind,
                    holder=role.holder,
                    action_field=field.key,
                    group=role.group,
                )
                for field in fields
            )
        else:
            roles.append(
                Role(
                    key=role.key,
                    title=role.title,
                    kind=role.kind,
                    holder=role.holder,
                    group=role.group,
                )
            )
    known = {role.key for role in roles}
    relations: list[Relation] = []
    for relation in preset.relations:
        per_field = FIELD_KEY in relation.source or FIELD_KEY in relation.target
        keys = [field.key for field in fields] if per_field else [""]
        for field_key in keys:
            source = relation.source.replace(FIELD_KEY, field_key)
            target = relation.target.replace(FIELD_KEY, field_key)
            for ref in (source, target):
                if ref not in known:
                    raise PlanningError(
                        f"organigram preset {preset.key!r}: relation names unknown role {ref!r}"
                    )
            relations.append(Relation(source=source, target=target, kind=relation.kind))
    return Organigram(roles=tuple(roles), relations=tuple(relations))
