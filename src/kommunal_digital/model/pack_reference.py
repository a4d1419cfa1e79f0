"""Which template pack a strategy was made with."""

from __future__ import annotations

import re
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks

__all__ = ["PackReference"]

# Versions are words such as 0.1.0, 1.2rc1, 2024.1+lindenau or v3: no spaces.
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+!_-]*")


def _version(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str):
        raise ModelValidationError(attribute.name, f"expected text, got {value!r}")
    if value and not _VERSION.fullmatch(value):
        raise ModelValidationError(
            attribute.name,
            f"{value!r} is not a version (such as 0.1.0: letters, digits, '.', '+', '!', "
            "'-' and '_', no spaces)",
        )


@attrs.frozen
class PackReference:
    """A template pack by name, with the version used.

    Attributes:
        name: The pack's name, a key such as ``rlp`` (as in its ``pack.toml``).
        version: The pack's version, e.g. ``0.1.0``; ``""`` when unknown.
    """

    name: str = attrs.field(validator=checks.key)
    version: str = attrs.field(default="", validator=_version)
