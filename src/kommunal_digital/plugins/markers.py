"""The pluggy markers of the ``kommunal_digital`` project."""

from __future__ import annotations

import pluggy

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

#: Project name used for hook markers and the entry point group.
PROJECT_NAME = "kommunal_digital"

#: Marks a hook specification in ``hookspecs.py`` (for the library itself, not plugins).
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
#: Decorate a plugin function with this to implement a hook.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
