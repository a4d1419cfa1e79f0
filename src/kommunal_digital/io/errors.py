"""Turning structuring failures into messages that name the field path."""

from __future__ import annotations

from collections.abc import Iterator

from cattrs.errors import (
    AttributeValidationNote,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from kommunal_digital.errors import DependencyCycleError, ModelValidationError

__all__ = ["describe_problems"]


def _join(path: str, part: str) -> str:
    if not path:
        return part.lstrip(".")
    if not part:
        return path
    return path + part if part.startswith("[") else f"{path}.{part}"


def _step(note: object) -> str:
    if isinstance(note, AttributeValidationNote):
        return note.name
    if isinstance(note, IterableValidationNote):
        index = note.index
        return f"[{index}]" if isinstance(index, int) else str(index)
    return ""


def describe_problems(exc: BaseException, path: str = "") -> list[str]:
    """Flatten a (nested) structuring error into ``"path: message"`` lines."""
    return list(_walk(exc, path))


def _walk(exc: BaseException, path: str) -> Iterator[str]:
    if isinstance(exc, BaseExceptionGroup):
        for sub in exc.exceptions:
            sub_path = path
            for note in getattr(sub, "__notes__", ()):
                sub_path = _join(sub_path, _step(note))
            yield from _walk(sub, sub_path)
        return
    if isinstance(exc, ModelValidationError):
        where = _join(path, exc.field)
        yield f"{where}: {exc.reason}" if where else exc.reason
        return
    if isinstance(exc, DependencyCycleError):
        # Raised by a strategy's own check: the cycle lies in its measures.
        yield f"{_join(path, 'measures')}: {exc}"
        return
    if isinstance(exc, ForbiddenExtraKeysError):
        # YAML allows keys that are no text (1, ~, dates); show them as written.
        names = ", ".join(sorted(str(key) for key in exc.extra_fields))
        yield f"{path or 'top level'}: unknown field(s) {names}"
        return
    if isinstance(exc, KeyError):
        yield f"{path}: required field is missing"
        return
    yield f"{path}: {exc}" if path else str(exc)
