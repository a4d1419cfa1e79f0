"""The keys of a render context, for tests that hold the documentation to them."""

from __future__ import annotations

from typing import Any


def context_keys(value: Any) -> set[str]:
    """Every dictionary key anywhere in ``value`` (dicts and lists, recursively)."""
    keys: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            keys.add(key)
            keys |= context_keys(inner)
    elif isinstance(value, list):
        for item in value:
            keys |= context_keys(item)
    return keys
