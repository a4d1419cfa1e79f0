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
from kommunal_digital.plugins.manager import (
    BUILTIN_NAME,
    DisabledPlugin,
    PluginInfo,
    PluginSet,
    describe_plugins,
    load_plugins,
    make_plugin_manager,
    merge_by_key,
)
from kommunal_digital.plugins.markers import PROJECT_NAME, hookimpl, hookspec

__all__ = [
    "BUILTIN_NAME",
    "DEFAULT_PACK",
    "DisabledPlugin",
    "Installation",
    "PROJECT_NAME",
    "PackSpec",
    "PluginInfo",
    "PluginSet",
    "describe_plugins",
    "hookimpl",
    "hookspec",
    "load_installation",
    "load_plugins",
    "make_plugin_manager",
    "merge_by_key",
    "open_workspace",
]
