"""Building an organigram from a preset for a strategy's chosen action fields."""

from __future__ import annotations

from importlib import resources

import pluggy

from kommunal_digital.errors import InputFileError, PlanningError
from kommunal_digital.model import Organigram, Relation, Role, Strategy
from kommunal_digital.model.organigram_preset import (
    FIELD_KEY,
    FIELD_TITLE,
    OrganigramPreset,
)

__all__ = ["build_organigram", "builtin_organigram_presets", "organigram_presets"]

# The RLP presets ship as data of the bundled rlp pack; Thüringen's model is
# built in too, so that every installation can compare both models.
_PRESET_FILES = ("thueringen-kernteam.yaml",)


def builtin_organigram_presets() -> tuple[OrganigramPreset, ...]:
    """The organigram presets built into the core (Thüringen's core-team model).

    The RLP presets come with the bundled ``rlp`` pack.
    """
    from kommunal_digital.io.converter import make_converter
    from kommunal_digital.io.errors import describe_problems
    from kommunal_digital.io.yaml_io import load_yaml

    converter = make_converter()
    presets = []
    folder = resources.files(__package__).joinpath("presets")
    for name in _PRESET_FILES:
        text = folder.joinpath(name).read_text(encoding="utf-8")
        try:
            presets.append(converter.structure(load_yaml(text), OrganigramPreset))
        except Exception as exc:  # pragma: no cover - the bundled files are tested
            raise InputFileError(f"presets/{name}", describe_problems(exc)) from None
    return tuple(presets)


def organigram_presets(manager: pluggy.PluginManager | None = None) -> dict[str, OrganigramPreset]:
    """All organigram presets by key: from registered packs, then from the hook.

    Presets from the hook replace pack presets with the same key, and later
    plugins replace earlier ones.
    """
    from kommunal_digital.plugins.manager import (
        available_packs,
        make_plugin_manager,
        merge_by_key,
    )

    manager = manager or make_plugin_manager()
    presets: dict[str, OrganigramPreset] = {
        preset.key: preset
        for pack in available_packs(manager).values()
        for preset in pack.data("organigram_presets")
    }
    batches = manager.hook.kd_organigram_presets()
    presets.update(merge_by_key("kd_organigram_presets", batches, OrganigramPreset))
    return presets


def build_organigram(preset: OrganigramPreset, strategy: Strategy) -> Organigram:
    """Instantiate a preset for a strategy: per-field roles once per chosen field.

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
