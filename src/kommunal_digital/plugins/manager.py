"""Building plugin managers and asking them for packs, fields and templates."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, TypeVar

import attrs
import pluggy

from kommunal_digital.errors import PackError, PluginError
from kommunal_digital.model import ActionField
from kommunal_digital.model.catalogue import CatalogueEntry, TextBlock
from kommunal_digital.model.funding import FundingProgramme
from kommunal_digital.model.preset import RoadmapPreset
from kommunal_digital.packs.pack import TemplatePack, load_pack
from kommunal_digital.plugins import builtin, hookspecs
from kommunal_digital.plugins.markers import PROJECT_NAME

T = TypeVar("T")

__all__ = [
    "available_packs",
    "describe_plugins",
    "document_template",
    "funding_programmes",
    "get_pack",
    "make_plugin_manager",
    "pack_action_fields",
    "pack_catalogue",
    "pack_text_blocks",
    "roadmap_presets",
]


def make_plugin_manager(
    *, load_entry_points: bool = True, plugins: Iterable[object] = ()
) -> pluggy.PluginManager:
    """Build a new plugin manager with the built-in plugin and installed plugins.

    Each call returns an independent manager, so tests and embedding
    applications never share state.

    Args:
        load_entry_points: Load plugins installed under the entry point group
            ``kommunal_digital``.
        plugins: Further plugin objects (modules, classes, instances) to
            register, in order, after the installed ones.

    Raises:
        PluginError: An installed plugin cannot be imported or registered;
            the message names its entry point and distribution.
    """
    manager = pluggy.PluginManager(PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    manager.register(builtin, name="kommunal_digital.builtin")
    if load_entry_points:
        for entry_point in entry_points(group=PROJECT_NAME):
            dist = entry_point.dist.name if entry_point.dist else "unknown distribution"
            if manager.get_plugin(entry_point.name) is not None:
                raise PluginError(
                    f"two installed plugins use the entry point name {entry_point.name!r} "
                    f"(the second comes from {dist})"
                )
            try:
                plugin = entry_point.load()
                manager.register(plugin, name=entry_point.name)
            except Exception as exc:
                raise PluginError(
                    f"plugin {entry_point.name!r} ({dist}) cannot be loaded: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
    for plugin in plugins:
        try:
            manager.register(plugin)
        except (ValueError, pluggy.PluginValidationError) as exc:
            raise PluginError(f"plugin {plugin!r} cannot be registered: {exc}") from exc
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"{exc} (is the hook name misspelt?)") from exc
    return manager


def describe_plugins(
    manager: pluggy.PluginManager | None = None,
) -> list[tuple[str, str, list[str]]]:
    """Name, version and implemented hooks of every registered plugin, sorted by name."""
    from kommunal_digital._version import __version__

    manager = manager or make_plugin_manager()
    versions = {plugin: dist.version for plugin, dist in manager.list_plugin_distinfo()}
    rows = []
    for name, plugin in manager.list_name_plugin():
        if plugin is None:  # pragma: no cover - blocked plugins
            continue
        hooks = sorted(caller.name for caller in manager.get_hookcallers(plugin) or ())
        version = versions.get(plugin) or (__version__ if name.startswith(PROJECT_NAME) else "-")
        rows.append((name, version, hooks))
    return sorted(rows)


def available_packs(manager: pluggy.PluginManager) -> dict[str, TemplatePack]:
    """Load every pack the plugins register, by name.

    Raises:
        PackError: A registered pack is broken; the message names it.
    """
    packs: dict[str, TemplatePack] = {}
    # pluggy returns results newest plugin first; reversing lets later
    # plugins override packs of the same name.
    for folders in reversed(manager.hook.kd_template_packs()):
        for folder in folders:
            pack = load_pack(folder)
            packs[pack.name] = pack
    return {name: _with_parents(pack, packs) for name, pack in packs.items()}


def _with_parents(
    pack: TemplatePack, packs: dict[str, TemplatePack], seen: tuple[str, ...] = ()
) -> TemplatePack:
    """Attach the chain of packs a pack extends, refusing unknown names and cycles."""
    parent_name = pack.manifest.extends
    if not parent_name:
        return pack
    if parent_name in (*seen, pack.name):
        chain = " -> ".join((*seen, pack.name, parent_name))
        raise PackError(f"{pack.name}: packs extend each other in a circle: {chain}")
    if parent_name not in packs:
        known = ", ".join(sorted(packs)) or "none"
        raise PackError(
            f"{pack.name}: extends {parent_name!r}, which is not registered (registered: {known})"
        )
    parent = _with_parents(packs[parent_name], packs, (*seen, pack.name))
    return attrs.evolve(pack, parent=parent)


def get_pack(
    name_or_path: str | Path | TemplatePack, manager: pluggy.PluginManager | None = None
) -> TemplatePack:
    """Find a pack by registered name, or load it from a folder.

    Raises:
        PackError: No pack of that name is registered and no such folder exists.
    """
    if isinstance(name_or_path, TemplatePack):
        return name_or_path
    manager = manager or make_plugin_manager()
    if isinstance(name_or_path, Path):
        return _resolve_loaded(load_pack(name_or_path), manager)
    # A registered name wins over a folder of the same name in the working
    # directory, so "rlp" always means the registered pack.
    packs = available_packs(manager)
    if name_or_path in packs:
        return packs[name_or_path]
    if Path(name_or_path).exists():
        return _resolve_loaded(load_pack(name_or_path), manager)
    known = ", ".join(sorted(packs)) or "none"
    raise PackError(
        f"no pack named {name_or_path!r} is registered (registered: {known}) "
        "and there is no such folder"
    )


def _resolve_loaded(pack: TemplatePack, manager: pluggy.PluginManager) -> TemplatePack:
    if not pack.manifest.extends:
        return pack
    packs = available_packs(manager)
    return _with_parents(pack, {**packs, pack.name: pack})


def merge_by_key(
    hook: str, batches: list[Any], item_type: type[T], *, key: str = "key"
) -> dict[str, T]:
    """Merge the results of a hook by an identifying attribute.

    pluggy answers newest plugin first; merging the batches in reverse lets
    a later-registered plugin replace an item of the same key.

    Raises:
        PluginError: An item is not of ``item_type``.
    """
    merged: dict[str, T] = {}
    for batch in reversed(batches):
        for item in batch:
            if not isinstance(item, item_type):
                raise PluginError(f"{hook} returned {item!r}, not a {item_type.__name__}")
            merged[getattr(item, key)] = item
    return merged


def _merged(hook: str, batches: list[Any], item_type: type[T]) -> tuple[T, ...]:
    return tuple(merge_by_key(hook, batches, item_type).values())


def pack_action_fields(
    pack: TemplatePack, manager: pluggy.PluginManager | None = None
) -> tuple[ActionField, ...]:
    """Collect a pack's action fields from all plugins, merged by key."""
    batches = (manager or make_plugin_manager()).hook.kd_action_fields(pack=pack)
    return _merged("kd_action_fields", batches, ActionField)


def pack_catalogue(
    pack: TemplatePack, manager: pluggy.PluginManager | None = None
) -> tuple[CatalogueEntry, ...]:
    """Collect a pack's catalogue entries (Steckbriefe) from all plugins, merged by key."""
    batches = (manager or make_plugin_manager()).hook.kd_catalogue_entries(pack=pack)
    return _merged("kd_catalogue_entries", batches, CatalogueEntry)


def pack_text_blocks(
    pack: TemplatePack, manager: pluggy.PluginManager | None = None
) -> tuple[TextBlock, ...]:
    """Collect a pack's text blocks from all plugins, merged by key."""
    batches = (manager or make_plugin_manager()).hook.kd_text_blocks(pack=pack)
    return _merged("kd_text_blocks", batches, TextBlock)


def funding_programmes(
    pack: str | Path | TemplatePack = "rlp", manager: pluggy.PluginManager | None = None
) -> dict[str, FundingProgramme]:
    """The funding programme catalogue of a pack, from all plugins, by key.

    Args:
        pack: The pack (name, folder or loaded pack); the bundled ``rlp`` by default.
        manager: Plugin manager to ask; a new one by default.

    Raises:
        PackError: The pack cannot be found.
        PluginError: A plugin returned something other than funding programmes.
    """
    manager = manager or make_plugin_manager()
    loaded = get_pack(pack, manager)
    batches = manager.hook.kd_funding_programmes(pack=loaded)
    return merge_by_key("kd_funding_programmes", batches, FundingProgramme)


def roadmap_presets(manager: pluggy.PluginManager | None = None) -> dict[str, RoadmapPreset]:
    """All roadmap presets: from the hook and from the registered packs' data, by key."""
    manager = manager or make_plugin_manager()
    batches = list(manager.hook.kd_roadmap_presets())
    batches.insert(
        0, [p for pack in available_packs(manager).values() for p in pack.data("roadmap_presets")]
    )
    return merge_by_key("kd_roadmap_presets", batches, RoadmapPreset)


def document_template(
    pack: TemplatePack,
    document_type: str,
    manager: pluggy.PluginManager | None = None,
    template_kind: str = "docx",
) -> Path:
    """Return the template file for a document type.

    Args:
        pack: The pack to render with.
        document_type: E.g. ``"steckbrief"``.
        manager: The manager whose plugins may supply the template.
        template_kind: ``"docx"`` or ``"markdown"``.

    Raises:
        PackError: Neither a plugin nor the pack supplies such a template.
    """
    manager = manager or make_plugin_manager()
    caller = manager.hook.kd_document_template
    if template_kind != "docx":
        # Implementations written before template kinds existed answer with
        # Word templates; they are left out when another kind is asked for.
        legacy = [
            impl.plugin for impl in caller.get_hookimpls() if "template_kind" not in impl.argnames
        ]
        if legacy:
            caller = manager.subset_hook_caller("kd_document_template", remove_plugins=legacy)
    path = caller(pack=pack, document_type=document_type, template_kind=template_kind)
    if path is None:
        known = ", ".join(sorted(pack.documents())) or "none"
        kind = "" if template_kind == "docx" else f"{template_kind} "
        raise PackError(
            f"{pack.name}: no {kind}template for document type {document_type!r} "
            f"(available: {known})"
        )
    return Path(path)
