"""The installation: the plugins and packs at hand, and the workspaces made from them.

This is the one place that asks the plugins for anything. It builds a
:class:`~kommunal_digital.workspace.Workspace` for a pack, and everything
below receives that workspace (or one of its registries).

Three rules make many agencies' plugins live side by side:

* **Scope.** An installed plugin contributes to a workspace only when the
  workspace's pack (or a pack it extends) is shipped by that plugin or
  enables it in ``pack.toml`` (``[plugins] enable``). The built-in plugin and
  plugins an application passes in apply everywhere.
* **Isolation.** An installed plugin that cannot load, ships a broken pack,
  or fails while answering a hook is left out and reported; the rest works.
* **Order.** Contributions merge in plugin order (built-in, installed by
  priority and name, given); a later source replaces an earlier one with
  the same key, and every such replacement is reported as a conflict.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar, cast

import attrs
import pluggy

from kommunal_digital.authoring.check import builtin_filter_names
from kommunal_digital.errors import KommunalDigitalError, PackError, PluginError
from kommunal_digital.model import ActionField, PackReference
from kommunal_digital.model.catalogue import CatalogueEntry, TextBlock
from kommunal_digital.model.funding import FundingProgramme
from kommunal_digital.model.labels import Severity
from kommunal_digital.model.maturity import Questionnaire
from kommunal_digital.model.organigram_preset import OrganigramPreset
from kommunal_digital.model.preset import RoadmapPreset
from kommunal_digital.organisation.findings import GovernanceCheck
from kommunal_digital.organisation.governance import SeverityOverride
from kommunal_digital.packs.chain import with_parents
from kommunal_digital.packs.data import DATA_KINDS
from kommunal_digital.packs.guides import phase_guides
from kommunal_digital.packs.pack import TemplatePack, load_pack
from kommunal_digital.plugins.builtin import DEFAULT_PACK
from kommunal_digital.plugins.manager import (
    BUILTIN_NAME,
    DisabledPlugin,
    PluginInfo,
    PluginSet,
    describe_fault,
    load_plugins,
)
from kommunal_digital.ranking.request import RankingRule
from kommunal_digital.workspace.extensions import ExtensionSchema
from kommunal_digital.workspace.workspace import (
    TEMPLATE_KINDS,
    Conflict,
    ContextExtension,
    DocumentType,
    OutputFormat,
    PictureSource,
    TemplateFilter,
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
        plugins: The registered plugins (and the pluggy manager).
        packs: Every registered pack by name, with its ``extends`` chain.
        pack_sources: The plugin that registered each pack.
        disabled: Installed plugins left out, with the reason.
        warnings: Notes for plugin authors that did not disable a plugin.
        conflicts: Packs of the same name registered by several plugins.
        default_pack: The pack used when neither the caller nor the strategy
            names one.
    """

    plugins: PluginSet
    packs: Mapping[str, TemplatePack]
    pack_sources: Mapping[str, str] = attrs.field(factory=dict)
    disabled: tuple[DisabledPlugin, ...] = ()
    warnings: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    default_pack: str = DEFAULT_PACK

    @property
    def manager(self) -> pluggy.PluginManager:
        """The pluggy plugin manager."""
        return self.plugins.manager

    def notices(self) -> tuple[str, ...]:
        """One line per disabled plugin and per warning, for a command to print."""
        return (*(str(d) for d in self.disabled), *self.warnings)

    def pack(self, spec: PackSpec = None) -> TemplatePack:
        """Find a pack by registered name, or load it from a folder or zip file.

        A registered name wins over a folder of the same name in the working
        directory, so ``"rlp"`` always means the registered pack. A pack
        loaded from a path gets its ``extends`` chain from the registered packs.

        Args:
            spec: A registered name, a pack folder or zip, a loaded pack, a
                strategy's :class:`~kommunal_digital.model.PackReference`, or
                ``None`` for :attr:`default_pack`.

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

    def in_scope(self, plugin: PluginInfo, pack: TemplatePack) -> bool:
        """Whether a plugin contributes to workspaces of this pack.

        The built-in plugin and plugins passed in by the application apply to
        every pack; an installed plugin applies to the packs it ships (and
        packs extending them) and to packs that enable it in ``[plugins]``.

        Args:
            plugin: One of the registered plugins.
            pack: The pack, with its ``extends`` chain.
        """
        if not plugin.installed:
            return True
        chain = pack.chain()
        shipped = any(self.pack_sources.get(p.name) == plugin.name for p in chain)
        return shipped or plugin.name in pack.enabled_plugins()

    def document_types(self, pack: PackSpec = None) -> dict[str, DocumentType]:
        """The document types registered for a pack (the default pack when ``None``).

        Args:
            pack: Any pack :meth:`workspace` accepts.
        """
        return dict(self.workspace(pack).document_types)

    def workspace(self, pack: PackSpec = None) -> Workspace:
        """Resolve every registry for a pack, once.

        Args:
            pack: A registered name, a pack folder or zip, a loaded pack, a
                strategy's :class:`~kommunal_digital.model.PackReference`, or
                ``None`` for :attr:`default_pack`.

        Raises:
            PackError: The pack cannot be found or its chain is broken.
            InputFileError: A data file of the pack is invalid.
            PluginError: A plugin passed in by the application answered a
                hook wrongly (installed plugins are left out instead).
        """
        loaded = self.pack(pack)
        resolver = _Resolver(self, loaded)
        return resolver.workspace()


class _Resolver:
    """Asks the plugins in scope for a pack, one plugin at a time."""

    def __init__(self, installation: Installation, pack: TemplatePack) -> None:
        self.installation = installation
        self.pack = pack
        self.scope = [p for p in installation.plugins.plugins if installation.in_scope(p, pack)]
        self.names = {p.name for p in self.scope}
        self.conflicts: list[Conflict] = []
        self.problems: list[str] = []

    def workspace(self) -> Workspace:
        pack = self.pack
        types = self.merge("document_types", "kd_document_types", DocumentType, "name")
        checks = self.merge(
            "governance_checks",
            "kd_governance_checks",
            GovernanceCheck,  # type: ignore[type-abstract]  # a runtime-checkable protocol
            "name",
        )
        disabled = pack.disabled_checks()
        for name in disabled:
            checks.pop(name, None)
        for name, severity in pack.check_severities().items():
            if name in checks:
                checks[name] = SeverityOverride(checks[name], Severity(severity))
            elif name not in disabled:
                self.problems.append(
                    f"pack {pack.name!r}: [checks] gives a severity to {name!r}, "
                    "which is no registered governance check"
                )
        return Workspace(
            pack=pack,
            action_fields=self.merge("action_fields", "kd_action_fields", ActionField),
            catalogue=self.merge("catalogue", "kd_catalogue_entries", CatalogueEntry),
            text_blocks=self.merge("text_blocks", "kd_text_blocks", TextBlock),
            funding_programmes=self.merge(
                "funding_programmes", "kd_funding_programmes", FundingProgramme
            ),
            questionnaires=self.merge(
                "questionnaires", "kd_maturity_questionnaires", Questionnaire, data=True
            ),
            phase_guides=phase_guides(pack),
            roadmap_presets=self.merge(
                "roadmap_presets", "kd_roadmap_presets", RoadmapPreset, data=True
            ),
            organigram_presets=self.merge(
                "organigram_presets", "kd_organigram_presets", OrganigramPreset, data=True
            ),
            ranking_rules=self.merge(
                "ranking_rules",
                "kd_ranking_rules",
                RankingRule,  # type: ignore[type-abstract]  # a runtime-checkable protocol
                "name",
            ),
            governance_checks=checks,
            document_types=types,
            output_formats=self.merge("output_formats", "kd_output_formats", OutputFormat, "name"),
            templates=self.templates(types),
            extension_schemas=self.merge(
                "extension_schemas", "kd_extension_schemas", ExtensionSchema
            ),
            context_extensions=tuple(
                self.merge(
                    "context_extensions",
                    "kd_context_extensions",
                    ContextExtension,  # type: ignore[type-abstract]  # a runtime-checkable protocol
                    "name",
                ).values()
            ),
            picture_sources=tuple(
                self.merge(
                    "picture_sources",
                    "kd_picture_sources",
                    PictureSource,  # type: ignore[type-abstract]  # a runtime-checkable protocol
                    "name",
                ).values()
            ),
            template_filters=self.merge(
                "template_filters",
                "kd_template_filters",
                TemplateFilter,
                "name",
                refuse=_refused_filter,
            ),
            plugins=tuple(p.name for p in self.scope),
            conflicts=tuple(self.conflicts),
            problems=tuple(self.problems),
        )

    def _impls(self, hook: str) -> list[pluggy.HookImpl]:
        """The hook's implementations of plugins in scope, oldest plugin first."""
        manager = self.installation.manager
        caller = getattr(manager.hook, hook)
        # pluggy calls the newest first; its list is in registration order.
        return [impl for impl in caller.get_hookimpls() if impl.plugin_name in self.names]

    def _installed(self, plugin: str) -> bool:
        info = self.installation.plugins.info(plugin)
        return info is not None and info.installed

    def _ask(self, impl: pluggy.HookImpl, hook: str, arguments: Mapping[str, Any]) -> Any:
        """One plugin's answer; a failing installed plugin is reported and answers ``None``.

        Raises:
            PluginError: A plugin the application passed in failed.
        """
        try:
            return impl.function(**{a: arguments[a] for a in impl.argnames if a in arguments})
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # plugin code: SystemExit included
            if impl.plugin_name == BUILTIN_NAME and isinstance(exc, KommunalDigitalError):
                # The built-in plugin reports the pack's own faults (an unsafe
                # template path, a broken data file) with the pack's error.
                raise
            if not self._installed(impl.plugin_name):
                raise PluginError(
                    f"plugin {impl.plugin_name!r} failed in {hook}: {describe_fault(exc)}"
                ) from exc
            self.problems.append(
                f"plugin {self._origin(impl.plugin_name)} failed in {hook} and is left out "
                f"of it: {describe_fault(exc)}"
            )
            return None

    def _origin(self, plugin: str) -> str:
        """``'name'`` with its distribution and version: ``'wackel' (kd-wackel 0.3)``."""
        info = self.installation.plugins.info(plugin)
        origin = " ".join(p for p in (info.distribution, info.version) if p) if info else ""
        return f"{plugin!r} ({origin})" if origin else repr(plugin)

    def call(self, hook: str, **arguments: Any) -> Iterator[tuple[str, Any]]:
        """Each plugin's answer, oldest first; a failing installed plugin is left out."""
        for impl in self._impls(hook):
            answer = self._ask(impl, hook, arguments)
            if answer is not None:
                yield impl.plugin_name, answer

    def merge(
        self,
        registry: str,
        hook: str,
        item_type: type[T],
        key: str = "key",
        *,
        data: bool = False,
        refuse: Callable[[T], str | None] | None = None,
    ) -> dict[str, T]:
        """Merge a registry: the pack chain's data first (with ``data``), then the hooks.

        ``refuse`` tells why an item cannot be used (``None`` when it can);
        such an item is left out like one of the wrong type.
        """
        sources: list[tuple[str, Iterable[Any]]] = []
        if data:
            sources.append((f"pack {self.pack.name}", self.pack.data(registry)))
        sources.extend(
            (f"plugin {plugin}", items) for plugin, items in self.call(hook, pack=self.pack)
        )
        merged: dict[str, T] = {}
        supplied: dict[str, list[str]] = {}
        for source, answer in sources:
            items = self._listed(source, hook, answer)
            for item in items:
                if not isinstance(item, item_type):
                    reason: str | None = (
                        f"{hook} returned {_shown(item)}, not a {item_type.__name__}"
                    )
                elif refuse is not None:
                    reason = refuse(item)
                else:
                    reason = None
                if reason is not None:
                    plugin = source.removeprefix("plugin ")
                    if not self._installed(plugin):
                        raise PluginError(f"plugin {plugin!r}: {reason}")
                    self.problems.append(f"plugin {self._origin(plugin)}: {reason}; left out")
                    continue
                name = str(getattr(item, key))
                if name not in merged:
                    supplied[name] = [source]
                elif merged[name] != item:
                    supplied[name].append(source)
                merged[name] = item
        for name, origins in supplied.items():
            if len(origins) > 1:
                self.conflicts.append(Conflict(registry, name, origins[-1], tuple(origins[:-1])))
        return merged

    def _listed(self, source: str, hook: str, answer: Iterable[Any]) -> list[Any]:
        """A plugin's answer as a list; one that fails while iterated counts as failing."""
        if not source.startswith("plugin "):
            return list(answer)
        plugin = source.removeprefix("plugin ")
        try:
            return list(answer)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # plugin code: a generator may raise anything
            if not self._installed(plugin):
                raise PluginError(
                    f"plugin {plugin!r} failed in {hook}: {describe_fault(exc)}"
                ) from exc
            self.problems.append(
                f"plugin {self._origin(plugin)} failed in {hook} and is left out "
                f"of it: {describe_fault(exc)}"
            )
            return []

    def templates(self, types: Mapping[str, DocumentType]) -> dict[tuple[str, str], Path]:
        found: dict[tuple[str, str], Path] = {}
        for kind in TEMPLATE_KINDS:
            # Newest plugin first, the built-in (trylast) last: the first answer wins.
            impls = list(reversed(self._impls("kd_document_template")))
            if kind != "docx":
                # Implementations written before template kinds existed answer
                # with Word templates; they are left out for other kinds.
                impls = [impl for impl in impls if "template_kind" in impl.argnames]
            for name in types:
                path = self._first(impls, name, kind)
                if path is not None:
                    found[(name, kind)] = Path(path)
        return found

    def _first(self, impls: list[pluggy.HookImpl], name: str, kind: str) -> Any:
        arguments = {"pack": self.pack, "document_type": name, "template_kind": kind}
        for impl in impls:
            answer = self._ask(impl, "kd_document_template", arguments)
            if answer is not None:
                return answer
        return None


def _shown(item: object) -> str:
    """``repr`` of a plugin's object, even one whose ``repr`` raises."""
    try:
        return repr(item)[:200]
    except Exception:  # plugin code
        return f"a {type(item).__name__} object"


def _refused_filter(item: TemplateFilter) -> str | None:
    """Why a plugin's template filter cannot be used, or ``None``."""
    name = item.name
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
        return f"kd_template_filters: {name!r} is not a valid filter name (a Python identifier)"
    if name in builtin_filter_names():
        return f"kd_template_filters: {name!r} is the name of a built-in filter"
    if not callable(item.function):
        return f"kd_template_filters: the filter {name!r} has no function to call"
    return None


def _check_pack_data(pack: TemplatePack) -> None:
    """Read every data file a pack declares, so a broken one shows at once."""
    for kind in pack.manifest.data:
        if kind in DATA_KINDS:
            pack.own_data(kind)


def _load_packs(
    plugins: PluginSet, disable: Callable[[str, str], None]
) -> tuple[dict[str, TemplatePack], dict[str, str], list[Conflict]]:
    """Load every plugin's packs; a plugin whose pack is broken is disabled."""
    packs: dict[str, TemplatePack] = {}
    sources: dict[str, str] = {}
    suppliers: dict[str, list[str]] = {}
    caller = plugins.manager.hook.kd_template_packs
    for impl in caller.get_hookimpls():  # oldest plugin first: later ones win
        plugin = impl.plugin_name
        info = plugins.info(plugin)
        try:
            folders = cast(Iterable[Any], impl.function())
            loaded = [load_pack(folder) for folder in folders]
            if info is not None and info.installed:
                for pack in loaded:
                    _check_pack_data(pack)
        except (KommunalDigitalError, OSError) as exc:
            if info is None or not info.installed:
                raise
            disable(plugin, f"its pack is broken: {exc}")
            continue
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # plugin code: SystemExit included
            if info is None or not info.installed:
                if isinstance(exc, Exception):
                    raise
                raise PluginError(
                    f"plugin {plugin!r} failed in kd_template_packs: {describe_fault(exc)}"
                ) from exc
            disable(plugin, f"kd_template_packs failed: {describe_fault(exc)}")
            continue
        for pack in loaded:
            packs[pack.name] = pack
            sources[pack.name] = plugin
            suppliers.setdefault(pack.name, []).append(f"plugin {plugin}")
    conflicts = [
        Conflict("packs", name, origins[-1], tuple(origins[:-1]))
        for name, origins in suppliers.items()
        if len(origins) > 1
    ]
    return packs, sources, conflicts


def load_installation(
    *,
    plugins: Iterable[object] = (),
    entry_points: bool = True,
) -> Installation:
    """Register the plugins and load every pack they ship.

    Installed plugins that cannot be used are left out and listed in
    :attr:`Installation.disabled`; nothing an installed plugin does wrong
    stops the others.

    Args:
        plugins: Further plugin objects to register after the installed ones
            (they apply to every pack; their faults raise).
        entry_points: Load the plugins installed under the entry point group
            ``kommunal_digital``.

    Raises:
        PluginError: A given plugin cannot be registered.
        PackError: A pack of the built-in or a given plugin is broken.
    """
    plugin_set = load_plugins(entry_points=entry_points, plugins=plugins)
    disabled = list(plugin_set.disabled)

    def disable(name: str, reason: str) -> None:
        info = plugin_set.info(name)
        plugin_set.manager.unregister(name=name)
        disabled.append(
            DisabledPlugin(
                name, info.distribution if info else "", info.version if info else "", reason
            )
        )

    packs, sources, conflicts = _load_packs(plugin_set, disable)
    resolved: dict[str, TemplatePack] = {}
    for name, pack in packs.items():
        try:
            resolved[name] = with_parents(pack, packs)
        except PackError as exc:
            source = sources[name]
            info = plugin_set.info(source)
            if info is None or not info.installed:
                raise
            disable(source, str(exc))
    live = {name: pack for name, pack in resolved.items() if sources[name] not in _names(disabled)}
    active = tuple(p for p in plugin_set.plugins if p.name not in _names(disabled))
    return Installation(
        plugins=attrs.evolve(plugin_set, plugins=active, disabled=tuple(disabled)),
        packs=MappingProxyType(live),
        pack_sources=MappingProxyType({n: s for n, s in sources.items() if n in live}),
        disabled=tuple(disabled),
        warnings=plugin_set.warnings,
        conflicts=tuple(conflicts),
    )


def _names(disabled: Iterable[DisabledPlugin]) -> set[str]:
    return {d.name for d in disabled}


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
        PluginError: A given plugin cannot be registered.
        PackError: The pack cannot be found or is broken.
    """
    return load_installation(plugins=plugins, entry_points=entry_points).workspace(pack)
