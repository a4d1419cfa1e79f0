"""Folders that several runs may write at once, and runs that may die half-way.

Two helpers, used by ``build_documents`` and ``run_batch``:

- :func:`folder_lock` holds an exclusive lock on a folder (``flock`` on the
  folder itself, so no lock file is left behind). The operating system
  releases it when the process ends, however it ends, so a killed run
  never blocks the next one.
- :func:`exchange` swaps two folders in one step where the system can
  (Linux ``renameat2`` with ``RENAME_EXCHANGE``), so a reader sees the old
  folder or the new one, never neither.

See ``docs/documents.md`` ("What happens when a build is interrupted").
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from kommunal_digital.errors import OutputError

__all__ = ["LOCK_WAIT", "exchange", "folder_lock", "is_locked", "sync_folder"]

#: Seconds a run waits for another run to finish writing into the same
#: folder before it gives up with :class:`OutputError`.
LOCK_WAIT = 120.0
#: How often a waiting run tries the lock again, in seconds.
_POLL = 0.05


def _open_folder(folder: Path) -> int:
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        return os.open(folder, flags)
    except OSError as error:
        raise OutputError(f"{folder}: cannot open the folder: {error.strerror or error}") from error


if sys.platform == "win32":  # pragma: no cover - the suite runs on Linux
    import msvcrt

    def _try_lock(folder: Path) -> object | None:
        # Windows cannot lock a folder: a lock file in it stands in for it.
        handle = open(folder / ".kd-lock", "a+b")  # noqa: SIM115  # held while locked
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            handle.close()
            return None
        return handle

    def _unlock(token: object) -> None:
        handle = token
        assert hasattr(handle, "close")
        handle.close()  # closing the file releases its lock

else:
    import fcntl

    def _still_there(fd: int, folder: Path) -> bool:
        # A run that swaps the whole folder (see documents/output_set.py)
        # puts another folder under the name; a lock on the one it replaced
        # guards nothing any more.
        try:
            held, named = os.fstat(fd), os.stat(folder)
        except OSError:
            return True  # gone: the caller's next step says so
        return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)

    def _try_lock(folder: Path) -> object | None:
        fd = _open_folder(folder)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except OSError as error:
            if error.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                # A file system without locks (some network shares): go on
                # unlocked rather than refuse every run.
                return fd
            os.close(fd)
            raise OutputError(f"{folder}: cannot lock the folder: {error.strerror}") from error
        if not _still_there(fd, folder):
            os.close(fd)
            return None  # swapped while we opened it: try the new one
        return fd

    def _unlock(token: object) -> None:
        assert isinstance(token, int)
        os.close(token)  # closing the descriptor releases its lock


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike[str], *, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold an exclusive lock on an existing folder while the block runs.

    Runs that write into one folder take turns: a second run waits until the
    first has finished (at most ``wait`` seconds). The lock belongs to the
    process; the operating system releases it when the process dies.

    Args:
        folder: The folder (it must exist).
        wait: Seconds to wait for another run's lock.

    Raises:
        OutputError: Another run held the lock for longer than ``wait``, or
            the folder cannot be opened.
    """
    path = Path(folder)
    deadline = time.monotonic() + wait
    token = _try_lock(path)
    while token is None:
        if time.monotonic() >= deadline:
            raise OutputError(
                f"{path}: another run is writing into this folder (waited {wait:.0f} s); "
                "try again when it has finished"
            )
        time.sleep(_POLL)
        token = _try_lock(path)
    try:
        yield
    finally:
        _unlock(token)


def is_locked(folder: str | os.PathLike[str]) -> bool:
    """Whether a live process holds the lock of :func:`folder_lock` on a folder.

    A folder whose lock is free belongs to no running process: what a
    killed run left there may be cleaned up.
    """
    try:
        token = _try_lock(Path(folder))
    except OutputError:
        return False  # gone or unreadable: nobody works in it
    if token is None:
        return True
    _unlock(token)
    return False


def sync_folder(folder: str | os.PathLike[str]) -> None:
    """Make the renames inside a folder durable (``fsync`` of the folder, where supported)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


#: ``renameat2`` flags and the "current directory" descriptor (linux/fs.h, fcntl.h).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2(first: Path, second: Path) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # lazy: only a batch with force swaps folders

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # an old C library
        return False
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    status = function(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if status == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # the kernel or the file system cannot exchange
    raise OSError(code, os.strerror(code), str(second))


def exchange(first: str | os.PathLike[str], second: str | os.PathLike[str]) -> bool:
    """Swap two existing paths on one file system in a single step, where the system can.

    Args:
        first: One path.
        second: The other path.

    Returns:
        ``True`` when they were swapped; ``False`` when the system cannot
        swap atomically (then nothing changed and the caller falls back to
        two renames).

    Raises:
        OSError: The swap failed for another reason (a missing path, no
            permission).
    """
    return _renameat2(Path(first), Path(second))
