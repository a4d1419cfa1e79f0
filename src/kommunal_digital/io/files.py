"""Reading and writing strategy files: YAML, JSON or a workshop workbook.

The file's suffix chooses the format. The text formats come from
:mod:`kommunal_digital.io.strategy_text`, the workbook from
:mod:`kommunal_digital.io.excel`; both are imported here, never the other
way round.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kommunal_digital.errors import InputFileError
from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.io.excel import export_workbook, import_workbook
from kommunal_digital.io.strategy_text import Format, dumps_strategy, loads_strategy
from kommunal_digital.model import Strategy

__all__ = ["MAX_STRATEGY_FILE_BYTES", "check_regular_file", "dump_strategy", "load_strategy"]

_WORKBOOK = ".xlsx"

#: Largest YAML or JSON strategy file read, in bytes (50 MiB). A strategy of
#: a large Kreis with hundreds of measures is a few megabytes.
MAX_STRATEGY_FILE_BYTES = 50 * 1024 * 1024

# Opening must not wait: a named pipe without a writer would block forever.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def check_regular_file(path: str | os.PathLike[str]) -> os.stat_result:
    """Refuse anything but a regular file (or a link to one), without opening it.

    Reading a named pipe, a device such as ``/dev/zero`` or a socket could
    wait or read for ever; a folder cannot be read at all.

    Args:
        path: The file to check.

    Returns:
        The file's status (links followed).

    Raises:
        InputFileError: The path does not exist or is a folder, a named
            pipe, a socket or a device.
    """
    file = Path(path)
    try:
        info = file.stat()
    except FileNotFoundError:
        raise InputFileError(str(file), ["file not found"]) from None
    except OSError as exc:
        raise InputFileError(file.name, [f"cannot read: {exc.strerror or exc}"]) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputFileError(
            file.name, [f"is {_kind(info.st_mode)}, not a file; give the path of a strategy file"]
        )
    return info


def _read_text(file: Path) -> str:
    """Read a regular file of at most :data:`MAX_STRATEGY_FILE_BYTES` as UTF-8 text."""
    check_regular_file(file)
    try:
        descriptor = os.open(file, _OPEN_FLAGS)
    except FileNotFoundError:
        raise InputFileError(str(file), ["file not found"]) from None
    except OSError as exc:
        raise InputFileError(file.name, [f"cannot read: {exc.strerror or exc}"]) from None
    with os.fdopen(descriptor, "rb") as handle:
        # Checked again on the open file: the path may have been swapped meanwhile.
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(
                file.name,
                [f"is {_kind(info.st_mode)}, not a file; give the path of a strategy file"],
            )
        if info.st_size > MAX_STRATEGY_FILE_BYTES:
            raise InputFileError(file.name, [_too_large(info.st_size)])
        try:
            data = handle.read(MAX_STRATEGY_FILE_BYTES + 1)
        except OSError as exc:
            raise InputFileError(file.name, [f"cannot read: {exc.strerror or exc}"]) from None
    if len(data) > MAX_STRATEGY_FILE_BYTES:  # it grew while being read
        raise InputFileError(file.name, [_too_large(len(data))])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(file.name, [f"not UTF-8 text (byte {exc.start})"]) from None
    # The same line ends as Path.read_text: "\r\n" and "\r" become "\n".
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_large(size: int) -> str:
    return (
        f"the file has {size:,} bytes, more than the {MAX_STRATEGY_FILE_BYTES:,} bytes "
        "a strategy file may have"
    )


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
            A path that is not a regular file (a folder, a named pipe, a
            device) is refused before it is opened, and a YAML or JSON file
            larger than :data:`MAX_STRATEGY_FILE_BYTES`.
    """
    file = Path(path)
    if format is None and file.suffix.lower() == _WORKBOOK:
        check_regular_file(file)
        return import_workbook(file)
    fmt = _format_of(file, format)
    text = _read_text(file)
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
