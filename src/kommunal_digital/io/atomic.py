"""Writing files so that readers never see a half-written file."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from kommunal_digital.errors import OutputError, OutputExistsError

__all__ = ["write_atomic"]


def _file_mode() -> int:
    # mkstemp creates files readable by the owner only; documents get the
    # permissions any new file would get under the process's umask.
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_MODE = _file_mode()


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _destination(target: Path) -> tuple[Path, os.stat_result | None]:
    """The file to replace (a symbolic link's target) and its status, if it exists.

    Raises:
        OutputError: A symbolic link that leads nowhere, or a target that is
            not a regular file (a folder, a FIFO, a device, a socket).
    """
    real = target
    if target.is_symlink():
        real = Path(os.path.realpath(target))
        if not real.exists():
            raise OutputError(
                f"{target}: a symbolic link to {real}, which does not exist; "
                "refusing to write through it"
            )
    try:
        status = os.stat(real)
    except FileNotFoundError:
        return real, None
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(status.st_mode):
        raise OutputError(
            f"{target}: is {_kind(status.st_mode)}, not a regular file; refusing to replace it"
        )
    return real, status


def write_atomic(path: str | os.PathLike[str], data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    The temporary file lives in the target folder, so the final
    :func:`os.replace` is atomic: the target either keeps its old content or
    gets the whole new content.

    A symbolic link stays a link: the file it points to is replaced (in
    that file's folder), so rewriting a linked strategy file in place keeps
    the link. A replaced file keeps its permissions. Anything other than a
    regular file (a folder, a FIFO, a device) is never replaced.

    Args:
        path: Where to write.
        data: The bytes to write.
        force: Overwrite an existing file. Without it an existing file is kept
            and :class:`OutputExistsError` is raised.

    Returns:
        The path written (``path`` as given, a link included).

    Raises:
        OutputExistsError: The file exists and ``force`` is false.
        OutputError: The file cannot be written; ``path`` is not a regular
            file, or a symbolic link to nothing.
    """
    target = Path(path)
    real, status = _destination(target)
    if status is not None and not force:
        raise OutputExistsError(f"{target}: exists already; pass force to overwrite it")
    mode = _MODE if status is None else status.st_mode & 0o777
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, real)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise OutputError(f"{target}: writing failed: {exc.strerror or exc}") from exc
        raise
    return target
