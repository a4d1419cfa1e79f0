"""Building plugin managers and merging what their hooks answer."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import entry_points
from typing import Any, TypeVar

import pluggy

from kommunal_digital._version import __version__
from kommunal_digital.errors import PluginError
from kommunal_digital.plugins import builtin, hookspecs
from kommunal_digital.plugins.markers import PROJECT_NAME

T = TypeVar("T")

__all__ = ["describe_plugins", "make_plugin_manager", "merge_by_key"]


def make_plugin_manager(
    *, load_entry_points: bool = True, plugins: Iterable[object] = ()
) -> pluggy.PluginManager:
    """Build a new plugin manager with the built-in plugin and installed plugins.

    Each call returns an independent manager, so tests and embedding
    applications never share state. Applications rarely call this
    themselves: :func:`kommunal_digital.open_workspace` and
    :func:`kommunal_digital.load_installation` do.

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


def describe_plugins(manager: pluggy.PluginManager) -> list[tuple[str, str, list[str]]]:
    """Name, version and implemented hooks of every registered plugin, sorted by name."""
    versions = {plugin: dist.version for plugin, dist in manager.list_plugin_distinfo()}
    rows = []
    for name, plugin in manager.list_name_plugin():
        if plugin is None:  # pragma: no cover - blocked plugins
            continue
        hooks = sorted(caller.name for caller in manager.get_hookcallers(plugin) or ())
        version = versions.get(plugin) or (__version__ if name.startswith(PROJECT_NAME) else "-")
        rows.append((name, version, hooks))
    return sorted(rows)


def merge_by_key(
    hook: str, batches: Iterable[Any], item_type: type[T], *, key: str = "key"
) -> dict[str, T]:
    """Merge the results of a hook by an identifying attribute.

    pluggy answers newest plugin first; merging the batches in reverse lets
    a later-registered plugin replace an item of the same key.

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
