"""The keys of a render context, for tests that hold the documentation to them."""

from __future__ import annotations

from typing import Any

#: Variables whose keys are data, not names of the context: the keys of
#: ``text_blocks`` are the keys of the pack's text blocks, those of
#: ``roles`` the kinds of the organigram's roles and those of ``wording``
#: the terms the pack defines.
DATA_KEYED = frozenset({"text_blocks", "roles", "wording"})


def context_keys(value: Any) -> set[str]:
    """Every dictionary key anywhere in ``value`` (dicts and lists, recursively).

    The keys inside a variable of :data:`DATA_KEYED` are left out (the
    variable's own name is kept).
    """
    keys: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            keys.add(key)
            if key not in DATA_KEYED:
                keys |= context_keys(inner)
    elif isinstance(value, list):
        for item in value:
            keys |= context_keys(item)
    return keys
