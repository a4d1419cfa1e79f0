"""Writing files so that readers never see a half-written file."""

from __future__ import annotations

import contextlib
import os
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


def write_atomic(path: str | os.PathLike[str], data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    The temporary file lives in the target folder, so the final
    :func:`os.replace` is atomic: the target either keeps its old content or
    gets the whole new content.

    Args:
        path: Where to write.
        data: The bytes to write.
        force: Overwrite an existing file. Without it an existing file is kept
            and :class:`OutputExistsError` is raised.

    Returns:
        The path written.
    """
    target = Path(path)
    if target.exists() and not force:
        raise OutputExistsError(f"{target}: exists already; pass force to overwrite it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), _MODE)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise OutputError(f"{target}: writing failed: {exc.strerror or exc}") from exc
        raise
    return target
