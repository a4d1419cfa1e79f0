"""The installation: the plugins and packs at hand, and the workspaces made from them.

This is the one place that asks the plugins for anything. It builds a
:class:`~kommunal_digital.workspace.Workspace` for a pack, and everything
below receives that workspace (or one of its registries).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import attrs
import pluggy

from kommunal_digital.errors import PackError
from kommunal_digital.model import ActionField, PackReference
from kommunal_digital.model.catalogue import CatalogueEntry, TextBlock
from kommunal_digital.model.funding import FundingProgramme
from kommunal_digital.model.maturity import Questionnaire
from kommunal_digital.model.organigram_preset import OrganigramPreset
from kommunal_digital.model.preset import RoadmapPreset
from kommunal_digital.organisation.findings import GovernanceCheck
from kommunal_digital.packs.chain import with_parents
from kommunal_digital.packs.guides import phase_guides
from kommunal_digital.packs.pack import TemplatePack, load_pack
from kommunal_digital.plugins.builtin import DEFAULT_PACK
from kommunal_digital.plugins.manager import make_plugin_manager, merge_by_key
from kommunal_digital.ranking.request import RankingRule
from kommunal_digital.workspace.extensions import ExtensionSchema
from kommunal_digital.workspace.workspace import (
    TEMPLATE_KINDS,
    ContextExtension,
    DocumentType,
    OutputFormat,
    PictureSource,
    Workspace,
)

__all__ = ["Installation", "PackSpec", "load_installation", "open_workspace"]

T = TypeVar("T")

#: How a pack can be named: a registered name, a folder or zip file, a loaded
#: pack, a strategy's recorded pack, or ``None`` for the default pack.
PackSpec = str | os.PathLike[str] | TemplatePack | PackReference | None


@attrs.frozen
class Installation:
    """The registered plugins and packs, from which workspaces are made.

    Attributes:
        manager: The plugin manager (built-in plugin, installed and given plugins).
        packs: Every registered pack by name, with its ``extends`` chain.
        default_pack: The pack used when neither the caller nor the strategy
            names one.
    """

    manager: pluggy.PluginManager
    packs: Mapping[str, TemplatePack]
    default_pack: str = DEFAULT_PACK

    def pack(self, spec: PackSpec = None) -> TemplatePack:
        """Find a pack by registered name, or load it from a folder or zip file.

        A registered name wins over a folder of the same name in the working
        directory, so ``"rlp"`` always means the registered pack. A pack
        loaded from a path gets its ``extends`` chain from the registered packs.

        Raises:
            PackError: No pack of that name is registered and no such
                folder exists, or the chain it extends is broken.
        """
        if isinstance(spec, TemplatePack):
            return spec
        if spec is None:
            spec = self.default_pack
        if isinstance(spec, PackReference):
            if spec.name not in self.packs:
                known = ", ".join(sorted(self.packs)) or "none"
                version = f" {spec.version}" if spec.version else ""
                raise PackError(
                    f"the strategy was made with the pack {spec.name!r}{version}, which is not "
                    f"installed (registered: {known}); install its plugin or name another pack"
                )
            return self.packs[spec.name]
        if isinstance(spec, str) and spec in self.packs:
            return self.packs[spec]
        path = Path(spec)
        if isinstance(spec, str) and not path.exists():
            known = ", ".join(sorted(self.packs)) or "none"
            raise PackError(
                f"no pack named {spec!r} is registered (registered: {known}) "
                "and there is no such folder"
            )
        loaded = load_pack(path)
        if not loaded.manifest.extends:
            return loaded
        return with_parents(loaded, {**self.packs, loaded.name: loaded})

    def document_types(self) -> dict[str, DocumentType]:
        """Every registered document type by name (later plugins replace earlier ones)."""
        batches = self.manager.hook.kd_document_types()
        return merge_by_key("kd_document_types", batches, DocumentType, key="name")

    def workspace(self, pack: PackSpec = None) -> Workspace:
        """Resolve every registry for a pack, once.

        Args:
            pack: A registered name, a pack folder or zip, a loaded pack, a
                strategy's :class:`~kommunal_digital.model.PackReference`, or
                ``None`` for :attr:`default_pack`.

        Raises:
            PackError: The pack cannot be found or its chain is broken.
            InputFileError: A data file of the pack is invalid.
            PluginError: A plugin answered a hook with the wrong kind of item.
        """
        loaded = self.pack(pack)
        hook = self.manager.hook
        types = self.document_types()
        return Workspace(
            pack=loaded,
            action_fields=_merged(
                "kd_action_fields", hook.kd_action_fields(pack=loaded), ActionField
            ),
            catalogue=_merged(
                "kd_catalogue_entries", hook.kd_catalogue_entries(pack=loaded), CatalogueEntry
            ),
            text_blocks=_merged("kd_text_blocks", hook.kd_text_blocks(pack=loaded), TextBlock),
            funding_programmes=_merged(
                "kd_funding_programmes", hook.kd_funding_programmes(pack=loaded), FundingProgramme
            ),
            questionnaires=_with_pack_data(
                loaded,
                "questionnaires",
                _merged(
                    "kd_maturity_questionnaires",
                    hook.kd_maturity_questionnaires(),
                    Questionnaire,
                ),
            ),
            phase_guides=phase_guides(loaded),
            roadmap_presets=_with_pack_data(
                loaded,
                "roadmap_presets",
                _merged("kd_roadmap_presets", hook.kd_roadmap_presets(), RoadmapPreset),
            ),
            organigram_presets=_with_pack_data(
                loaded,
                "organigram_presets",
                _merged("kd_organigram_presets", hook.kd_organigram_presets(), OrganigramPreset),
            ),
            ranking_rules=_merged(
                "kd_ranking_rules",
                hook.kd_ranking_rules(),
                RankingRule,  # type: ignore[type-abstract]  # a runtime-checkable protocol
                "name",
            ),
            governance_checks=_merged(
                "kd_governance_checks",
                hook.kd_governance_checks(),
                GovernanceCheck,  # type: ignore[type-abstract]  # a runtime-checkable protocol
                "name",
            ),
            document_types=types,
            output_formats=_merged(
                "kd_output_formats", hook.kd_output_formats(), OutputFormat, "name"
            ),
            templates=self._templates(loaded, types),
            extension_schemas=_merged(
                "kd_extension_schemas", hook.kd_extension_schemas(), ExtensionSchema
            ),
            context_extensions=tuple(
                _merged(
                    "kd_context_extensions",
                    hook.kd_context_extensions(),
                    ContextExtension,  # type: ignore[type-abstract]  # a runtime-checkable protocol
                    "name",
                ).values()
            ),
            picture_sources=tuple(
                _merged(
                    "kd_picture_sources",
                    hook.kd_picture_sources(),
                    PictureSource,  # type: ignore[type-abstract]  # a runtime-checkable protocol
                    "name",
                ).values()
            ),
            plugins=tuple(name for name, _ in self.manager.list_name_plugin()),
        )

    def _templates(
        self, pack: TemplatePack, types: Mapping[str, DocumentType]
    ) -> dict[tuple[str, str], Path]:
        found: dict[tuple[str, str], Path] = {}
        for kind in TEMPLATE_KINDS:
            caller = self.manager.hook.kd_document_template
            if kind != "docx":
                # Implementations written before template kinds existed answer
                # with Word templates; they are left out for other kinds.
                legacy = [
                    impl.plugin
                    for impl in caller.get_hookimpls()
                    if "template_kind" not in impl.argnames
                ]
                if legacy:
                    caller = self.manager.subset_hook_caller(
                        "kd_document_template", remove_plugins=legacy
                    )
            for name in types:
                path = caller(pack=pack, document_type=name, template_kind=kind)
                if path is not None:
                    found[(name, kind)] = Path(path)
        return found


def _merged(
    hook: str, batches: Iterable[Any], item_type: type[T], key: str = "key"
) -> Mapping[str, T]:
    return merge_by_key(hook, batches, item_type, key=key)


def _with_pack_data(pack: TemplatePack, kind: str, from_hooks: Mapping[str, T]) -> dict[str, T]:
    """The pack's data of a kind (its chain's), then the hooks' items (later wins)."""
    merged: dict[str, T] = {item.key: item for item in pack.data(kind)}
    merged.update(from_hooks)
    return merged


def _available_packs(manager: pluggy.PluginManager) -> dict[str, TemplatePack]:
    packs: dict[str, TemplatePack] = {}
    # pluggy returns results newest plugin first; reversing lets later
    # plugins override packs of the same name.
    for folders in reversed(manager.hook.kd_template_packs()):
        for folder in folders:
            pack = load_pack(folder)
            packs[pack.name] = pack
    return {name: with_parents(pack, packs) for name, pack in packs.items()}


def load_installation(
    *,
    plugins: Iterable[object] = (),
    entry_points: bool = True,
    manager: pluggy.PluginManager | None = None,
) -> Installation:
    """Register the plugins and load every pack they ship.

    Args:
        plugins: Further plugin objects to register after the installed ones.
        entry_points: Load the plugins installed under the entry point group
            ``kommunal_digital``.
        manager: A plugin manager built already (then ``plugins`` and
            ``entry_points`` are not used).

    Raises:
        PluginError: A plugin cannot be loaded or registered.
        PackError: A registered pack is broken; the message names it.
    """
    if manager is None:
        manager = make_plugin_manager(load_entry_points=entry_points, plugins=plugins)
    return Installation(manager=manager, packs=MappingProxyType(_available_packs(manager)))


def open_workspace(
    pack: PackSpec = None,
    *,
    plugins: Iterable[object] = (),
    entry_points: bool = True,
) -> Workspace:
    """Build the workspace for a pack: the usual way into the library.

    Args:
        pack: A registered pack name, a pack folder or zip, a loaded pack, a
            strategy's ``pack`` reference, or ``None`` for the default pack
            (``rlp`` with the bundled plugin).
        plugins: Further plugin objects to register after the installed ones.
        entry_points: Load the installed plugins (``False`` gives an isolated
            workspace: the built-in plugin and ``plugins`` only).

    Raises:
        PluginError: A plugin cannot be loaded or registered.
        PackError: The pack cannot be found or is broken.
    """
    return load_installation(plugins=plugins, entry_points=entry_points).workspace(pack)
