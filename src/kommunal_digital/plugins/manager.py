"""Registering plugins in a defined order, and leaving out the ones that cannot load.

The order is the merge order: the built-in plugin first, then the installed
plugins sorted by their priority (``KD_PRIORITY``, default 0) and name, then
the plugins an application passes in. Where two plugins supply the same key,
the later one wins, and the workspace reports the conflict.

An installed plugin that cannot be imported (whatever its import raises,
``SystemExit`` included), implements a hook that does not exist, or
implements one with wrong argument names is left out and reported
(:class:`DisabledPlugin`); every other plugin keeps working.
Plugins passed in by an application are its own code: their faults raise.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points
from typing import Any, TypeVar

import attrs
import pluggy

from kommunal_digital._version import __version__
from kommunal_digital.errors import PluginError
from kommunal_digital.plugins import builtin, hookspecs
from kommunal_digital.plugins.markers import PROJECT_NAME

T = TypeVar("T")

__all__ = [
    "BUILTIN_NAME",
    "DisabledPlugin",
    "PluginInfo",
    "PluginSet",
    "describe_fault",
    "describe_plugins",
    "installed_plugin_of",
    "plugin_in_traceback",
    "load_plugins",
    "make_plugin_manager",
    "merge_by_key",
]

#: The name the built-in plugin is registered under.
BUILTIN_NAME = "kommunal_digital.builtin"
_IMPL_MARKER = f"{PROJECT_NAME}_impl"


@attrs.frozen
class PluginInfo:
    """A registered plugin.

    Attributes:
        name: The name it is registered under (the entry point's name).
        distribution: The distribution that installed it; ``""`` for a
            plugin passed in by an application.
        version: The distribution's version (``""`` when unknown).
        priority: Its ``KD_PRIORITY`` (higher merges later, so it wins).
        installed: Whether it came from an entry point (then its
            contributions are scoped to the packs it ships or that enable it).
        hooks: The hooks it implements.
    """

    name: str
    distribution: str = ""
    version: str = ""
    priority: int = 0
    installed: bool = False
    hooks: tuple[str, ...] = ()


@attrs.frozen
class DisabledPlugin:
    """An installed plugin that was left out, and why.

    Attributes:
        name: The entry point's name.
        distribution: The distribution that installed it.
        version: The distribution's version.
        reason: What is wrong, e.g. ``unknown hook 'kd_action_feilds'``.
    """

    name: str
    distribution: str
    version: str
    reason: str

    def __str__(self) -> str:
        origin = " ".join(part for part in (self.distribution, self.version) if part)
        return (
            f"plugin {self.name!r} ({origin or 'unknown distribution'}) is disabled: {self.reason}"
        )


@attrs.frozen
class PluginSet:
    """The plugin manager with what was registered, left out and noticed.

    Attributes:
        manager: The pluggy manager, plugins registered in merge order.
        plugins: The registered plugins, in merge order.
        disabled: Installed plugins left out.
        warnings: Things a plugin author should fix that did not disable
            the plugin (a ``kd_*`` function without ``@hookimpl``).
    """

    manager: pluggy.PluginManager
    plugins: tuple[PluginInfo, ...]
    disabled: tuple[DisabledPlugin, ...] = ()
    warnings: tuple[str, ...] = ()

    def info(self, name: str) -> PluginInfo | None:
        """The registered plugin of that name, if any.

        Args:
            name: The plugin's name (its entry point name, or the name it
                was registered under).
        """
        return next((p for p in self.plugins if p.name == name), None)


def _priority(plugin: object) -> int:
    value = getattr(plugin, "KD_PRIORITY", 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _unmarked(name: str, plugin: object) -> list[str]:
    """``kd_*`` functions of a plugin that lack the marker (pluggy ignores them)."""
    found = []
    for attribute in dir(plugin):
        if not attribute.startswith("kd_"):
            continue
        value = getattr(plugin, attribute, None)
        if callable(value) and not hasattr(value, _IMPL_MARKER):
            found.append(f"plugin {name!r}: {attribute} has no @hookimpl marker and is ignored")
    return found


def _register(manager: pluggy.PluginManager, plugin: object, name: str | None) -> str:
    """Register a plugin and check its hooks; raises ValueError naming the fault."""
    try:
        registered = manager.register(plugin, name=name)
    except pluggy.PluginValidationError as exc:
        # pluggy's message spans lines: the hook, the definition, the fault.
        raise ValueError("; ".join(line.strip() for line in str(exc).splitlines())) from None
    assert registered is not None  # a plugin is never blocked here
    unknown = sorted(
        caller.name for caller in manager.get_hookcallers(plugin) or () if not caller.has_spec()
    )
    if unknown:
        manager.unregister(plugin)
        hooks = ", ".join(repr(hook) for hook in unknown)
        raise ValueError(f"unknown hook {hooks} (is the hook name misspelt?)")
    return registered


def _hooks(manager: pluggy.PluginManager, plugin: object) -> tuple[str, ...]:
    return tuple(sorted(caller.name for caller in manager.get_hookcallers(plugin) or ()))


def load_plugins(*, entry_points: bool = True, plugins: Iterable[object] = ()) -> PluginSet:
    """Register the built-in plugin, the installed plugins and the given ones.

    Args:
        entry_points: Load the plugins installed under the entry point group
            ``kommunal_digital``; those that fail are disabled and reported.
        plugins: Further plugin objects (modules, classes, instances),
            registered last in the order given.

    Raises:
        PluginError: A given plugin cannot be registered.
    """
    manager = pluggy.PluginManager(PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    manager.register(builtin, name=BUILTIN_NAME)
    infos = [
        PluginInfo(BUILTIN_NAME, "kommunal-digital", __version__, hooks=_hooks(manager, builtin))
    ]
    disabled: list[DisabledPlugin] = []
    warnings: list[str] = []
    if entry_points:
        loaded: list[tuple[int, str, object, EntryPoint]] = []
        for entry_point in _entry_points():
            dist, version = _origin(entry_point)
            try:
                plugin = entry_point.load()
                priority = _priority(plugin)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # plugin code: SystemExit included
                reason = f"cannot be imported: {describe_fault(exc)}"
                disabled.append(DisabledPlugin(entry_point.name, dist, version, reason))
                continue
            loaded.append((priority, entry_point.name, plugin, entry_point))
        seen: set[str] = set()
        for priority, name, plugin, entry_point in sorted(loaded, key=lambda item: item[:2]):
            dist, version = _origin(entry_point)
            if name in seen:
                reason = f"another installed plugin already uses the entry point name {name!r}"
                disabled.append(DisabledPlugin(name, dist, version, reason))
                continue
            seen.add(name)
            try:
                _register(manager, plugin, name)
                warnings.extend(_unmarked(name, plugin))
            except ValueError as exc:
                disabled.append(DisabledPlugin(name, dist, version, str(exc)))
                continue
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # plugin code run while registering (attributes)
                with contextlib.suppress(ValueError):
                    manager.unregister(name=name)
                reason = f"cannot be registered: {describe_fault(exc)}"
                disabled.append(DisabledPlugin(name, dist, version, reason))
                continue
            infos.append(PluginInfo(name, dist, version, priority, True, _hooks(manager, plugin)))
    for plugin in plugins:
        try:
            name = _register(manager, plugin, None)
        except ValueError as exc:
            raise PluginError(f"plugin {plugin!r} cannot be registered: {exc}") from None
        warnings.extend(_unmarked(name, plugin))
        infos.append(PluginInfo(name, priority=_priority(plugin), hooks=_hooks(manager, plugin)))
    return PluginSet(manager, tuple(infos), tuple(disabled), tuple(warnings))


def _entry_points() -> list[EntryPoint]:
    return list(entry_points(group=PROJECT_NAME))


def describe_fault(error: BaseException) -> str:
    """What plugin code raised, in one line: ``RuntimeError: ...``, ``SystemExit(3)``.

    A plugin that calls ``sys.exit()`` is said so, since that is never what a
    plugin should do; the code it passed is not the command's exit status.
    """
    if isinstance(error, SystemExit):
        return f"it called sys.exit({error.code!r}) (SystemExit); plugins must raise errors instead"
    try:
        text = str(error)
    except Exception:  # an exception whose __str__ raises: plugin code
        text = "(its message cannot be shown)"
    return f"{type(error).__name__}: {text}"


def plugin_in_traceback(error: BaseException) -> tuple[str, str, str] | None:
    """The installed plugin whose code raised ``error``: entry point name, distribution, version.

    The innermost frame of the traceback that belongs to an installed plugin
    (see :func:`installed_plugin_of`) names it; ``None`` when no plugin code
    is in the traceback.

    Args:
        error: An exception, with its traceback.
    """
    frames = []
    tb = error.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):
        module = frame.f_globals.get("__name__")
        if not isinstance(module, str) or module.startswith(("kommunal_digital.", "pluggy.")):
            continue
        found = installed_plugin_of(module)
        if found is not None:
            return found
    return None


def installed_plugin_of(module: str) -> tuple[str, str, str] | None:
    """The installed plugin a module belongs to: entry point name, distribution, version.

    A module belongs to a plugin when it is the plugin's module or lies in
    the same top-level package (``kd_lindenau.rules`` belongs to the plugin
    whose entry point is ``kd_lindenau.plugin``). Used to name the plugin
    when its code fails outside a hook call.

    Args:
        module: A module's ``__name__``.
    """
    top = module.partition(".")[0]
    for entry_point in _entry_points():
        if entry_point.module.partition(".")[0] == top:
            dist, version = _origin(entry_point)
            return entry_point.name, dist, version
    return None


def _origin(entry_point: EntryPoint) -> tuple[str, str]:
    dist = entry_point.dist
    if dist is None:
        return "", ""
    return str(dist.name), str(dist.version)


def make_plugin_manager(
    *, load_entry_points: bool = True, plugins: Iterable[object] = ()
) -> pluggy.PluginManager:
    """Build a new plugin manager (see :func:`load_plugins`, which also reports what it left out).

    Args:
        load_entry_points: Load the plugins installed under the entry point
            group ``kommunal_digital``.
        plugins: Further plugin objects, registered last in the order given.

    Raises:
        PluginError: A given plugin cannot be registered.
    """
    return load_plugins(entry_points=load_entry_points, plugins=plugins).manager


def describe_plugins(plugins: PluginSet) -> list[tuple[str, str, list[str]]]:
    """Name, version and implemented hooks of every registered plugin, sorted by name.

    Args:
        plugins: The registered plugins, from :func:`load_plugins`.
    """
    return sorted((p.name, p.version or "-", list(p.hooks)) for p in plugins.plugins)


def merge_by_key(
    hook: str, batches: Iterable[Any], item_type: type[T], *, key: str = "key"
) -> dict[str, T]:
    """Merge the results of a hook, oldest plugin first, by an identifying attribute.

    pluggy answers newest plugin first; merging the batches in reverse lets
    a later-registered plugin replace an item of the same key.

    Args:
        hook: The hook's name, for error messages.
        batches: What each plugin returned, newest plugin first (as pluggy
            answers).
        item_type: The type every item must have.
        key: The attribute that identifies an item.

    Raises:
        PluginError: An item is not of ``item_type``.
    """
    merged: dict[str, T] = {}
    for batch in reversed(list(batches)):
        for item in batch:
            if not isinstance(item, item_type):
                raise PluginError(f"{hook} returned {item!r}, not a {item_type.__name__}")
            merged[getattr(item, key)] = item
    return merged
