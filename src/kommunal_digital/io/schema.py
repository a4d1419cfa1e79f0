"""Schema versions of strategy files and migrations between them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kommunal_digital.errors import InputFileError, SchemaVersionError

__all__ = ["SCHEMA_VERSION", "migrate"]

#: The schema version this release writes.
SCHEMA_VERSION = 1

# Each entry lifts a document from version N to N + 1. Empty while only
# version 1 exists; the loader already runs the chain so that adding a
# version means adding one function here.
_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def migrate(data: dict[str, Any], source: str) -> dict[str, Any]:
    """Check ``schema_version`` and bring the data to :data:`SCHEMA_VERSION`.

    Returns:
        The data without the ``schema_version`` key, in the current schema.

    Raises:
        SchemaVersionError: The version is missing, malformed or newer than
            this release understands.
    """
    if "schema_version" not in data:
        raise SchemaVersionError(
            source,
            [f"schema_version: required field is missing (add 'schema_version: {SCHEMA_VERSION}')"],
        )
    body = dict(data)
    version = body.pop("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise SchemaVersionError(
            source, [f"schema_version: expected a whole number of 1 or more, got {version!r}"]
        )
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            source,
            [
                f"schema_version: the file has version {version}, this release of "
                f"kommunal-digital reads up to version {SCHEMA_VERSION}; please update"
            ],
        )
    while version < SCHEMA_VERSION:
        try:
            body = _MIGRATIONS[version](body)
        except KeyError:  # pragma: no cover - a gap in the chain is a programming error
            raise InputFileError(source, [f"no migration from schema version {version}"]) from None
        version += 1
    return body
