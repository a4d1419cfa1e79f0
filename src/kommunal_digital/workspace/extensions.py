"""Extension data: the shapes plugins declare for their data on measures, fields and entries."""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["EXTENDABLE", "ExtensionSchema"]

#: The objects that carry ``extensions`` data.
EXTENDABLE = frozenset({"measure", "action_field", "catalogue_entry"})


@attrs.frozen
class ExtensionSchema:
    """The shape of one plugin's extension data.

    Attributes:
        key: The key under ``extensions`` (usually the plugin's name, e.g. ``hessen``).
        shape: An attrs class; the data under the key is structured into it,
            so every field is checked with the usual file and field-path errors.
        applies_to: Which objects may carry it: ``measure``, ``action_field``,
            ``catalogue_entry``.
    """

    key: str
    shape: type[Any]
    applies_to: frozenset[str] = EXTENDABLE
