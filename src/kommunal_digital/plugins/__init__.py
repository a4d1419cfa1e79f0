"""The plugin system: hooks, markers, the built-in plugin and the installation.

The installation resolves the registered plugins and packs into workspaces
(:func:`open_workspace`); it is the only place that asks the plugins.
"""

from kommunal_digital.plugins.builtin import DEFAULT_PACK
from kommunal_digital.plugins.installation import (
    Installation,
    PackSpec,
    load_installation,
    open_workspace,
)
from kommunal_digital.plugins.manager import describe_plugins, make_plugin_manager, merge_by_key
from kommunal_digital.plugins.markers import PROJECT_NAME, hookimpl, hookspec

__all__ = [
    "DEFAULT_PACK",
    "Installation",
    "PROJECT_NAME",
    "PackSpec",
    "describe_plugins",
    "hookimpl",
    "hookspec",
    "load_installation",
    "make_plugin_manager",
    "merge_by_key",
    "open_workspace",
]
