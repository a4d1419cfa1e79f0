"""Reading and writing strategy files: YAML, JSON or a workshop workbook.

The file's suffix chooses the format. The text formats come from
:mod:`kommunal_digital.io.strategy_text`, the workbook from
:mod:`kommunal_digital.io.excel`; both are imported here, never the other
way round.
"""

from __future__ import annotations

import os
from pathlib import Path

from kommunal_digital.errors import InputFileError
from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.io.excel import export_workbook, import_workbook
from kommunal_digital.io.strategy_text import Format, dumps_strategy, loads_strategy
from kommunal_digital.model import Strategy

__all__ = ["dump_strategy", "load_strategy"]

_WORKBOOK = ".xlsx"


def _format_of(path: Path, explicit: Format | None) -> Format:
    if explicit is not None:
        return explicit
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    raise InputFileError(
        str(path), [f"unknown file type {suffix or '(none)'!r}; use .yaml, .yml or .json"]
    )


def load_strategy(path: str | os.PathLike[str], *, format: Format | None = None) -> Strategy:
    """Read a strategy file (``.yaml``, ``.yml``, ``.json`` or an ``.xlsx`` workbook).

    Args:
        path: The file to read.
        format: Force a format instead of deciding by the file suffix.

    Raises:
        InputFileError: The file cannot be read or is not a valid strategy;
            the message starts with the file name and names the field path.
    """
    file = Path(path)
    if format is None and file.suffix.lower() == _WORKBOOK:
        return import_workbook(file)
    fmt = _format_of(file, format)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(str(file), ["file not found"]) from None
    except UnicodeDecodeError as exc:
        raise InputFileError(file.name, [f"not UTF-8 text (byte {exc.start})"]) from None
    except OSError as exc:
        raise InputFileError(file.name, [f"cannot read: {exc.strerror or exc}"]) from None
    return loads_strategy(text, format=fmt, source=file.name)


def dump_strategy(
    strategy: Strategy,
    path: str | os.PathLike[str],
    *,
    format: Format | None = None,
    force: bool = False,
) -> Path:
    """Write a strategy file atomically.

    Args:
        strategy: The strategy to write.
        path: Target file; its suffix decides the format unless ``format`` is
            given (``.xlsx`` writes a workshop workbook).
        format: ``"yaml"`` or ``"json"``.
        force: Overwrite an existing file.

    Returns:
        The path written.
    """
    file = Path(path)
    if format is None and file.suffix.lower() == _WORKBOOK:
        return export_workbook(strategy, file, force=force)
    fmt = _format_of(file, format)
    return write_atomic(file, dumps_strategy(strategy, format=fmt).encode("utf-8"), force=force)
