"""Reading packs shipped as zip files, safely.

A zip pack is checked by :mod:`kommunal_digital.io.zipguard` before
anything is unpacked: no absolute paths, no ``..``, no links, at most
:data:`MAX_MEMBERS` members, no member over :data:`MAX_MEMBER_BYTES`, at
most :data:`MAX_TOTAL_BYTES` unpacked, no member that unpacks to more than
:data:`MAX_RATIO` times its packed size (zip bombs), no encrypted, damaged
or unreadable member, and the Word templates inside checked as Office files
(:data:`~kommunal_digital.io.zipguard.OFFICE_LIMITS`). The pack may sit at
the top of the zip or in one folder.

It is then unpacked into a private temporary folder, ``kd-pack-<pid>-...``,
which is removed when the process ends (also a worker process of
:mod:`multiprocessing`, which ends without running ``atexit``). A process that is killed cannot
remove its folder; the next process that unpacks a pack removes the
folders of processes that are gone (on POSIX systems, where that can be
told without harm).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from kommunal_digital.errors import PackError, UnsafePathError
from kommunal_digital.io.zipguard import ZipLimits, ZipProblem, zip_problems

__all__ = [
    "FOLDER_PREFIX",
    "MAX_MEMBERS",
    "MAX_MEMBER_BYTES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "check_zip",
    "sweep_stale_folders",
    "unpack_zip_pack",
    "zip_pack_problems",
]

_MIB = 1024 * 1024
MAX_MEMBERS = 2_000
MAX_TOTAL_BYTES = 50 * _MIB
MAX_MEMBER_BYTES = 50 * _MIB
MAX_RATIO = 100
#: The prefix of the folders packs are unpacked to; the process id follows.
FOLDER_PREFIX = "kd-pack-"
_OWN_FOLDER = re.compile(re.escape(FOLDER_PREFIX) + r"(\d+)-")

_UNPACKED: dict[tuple[str, int, int], Path] = {}
#: The folders unpacked to, with the process that made each.
_FOLDERS: list[tuple[int, Path]] = []
#: Processes that have swept stale folders and set up their own clean-up.
_PREPARED: set[int] = set()


def _limits() -> ZipLimits:
    # Built on each use, so that the module's limits can be changed (tests).
    return ZipLimits(
        members=MAX_MEMBERS,
        directory_bytes=4 * _MIB,
        member_bytes=MAX_MEMBER_BYTES,
        total_bytes=MAX_TOTAL_BYTES,
        ratio=MAX_RATIO,
        ratio_floor=0,
        # A .docx template in the pack, and a workbook embedded in the template.
        nesting=2,
        work_bytes=4 * MAX_TOTAL_BYTES,
        refuse_doctype=False,
        container="the pack",
    )


def _cleanup() -> None:
    # A process forked from this one inherits the list, but not the folders.
    me = os.getpid()
    for owner, folder in list(_FOLDERS):
        if owner == me:
            shutil.rmtree(folder, ignore_errors=True)
            _FOLDERS.remove((owner, folder))
    _UNPACKED.clear()


atexit.register(_cleanup)


def _watch_exit() -> None:
    """Also clean up in worker processes, which end without running ``atexit``."""
    from multiprocessing import util  # lazy: only once a pack is unpacked

    util.Finalize(None, _cleanup, exitpriority=10)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, but belongs to someone else
    return True


def sweep_stale_folders(folder: Path | None = None) -> list[Path]:
    """Remove the unpacked packs of processes that are gone; return the folders removed.

    Only folders named ``kd-pack-<pid>-...`` that belong to the current user
    and whose process no longer runs are removed, and only on POSIX systems
    (elsewhere asking whether a process runs could harm it).

    Args:
        folder: Where to look; the system's temporary folder by default.
    """
    if os.name != "posix":  # pragma: no cover - the suite runs on POSIX
        return []
    where = Path(folder or tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError):
        for entry in where.iterdir():
            match = _OWN_FOLDER.match(entry.name)
            if match is None or int(match.group(1)) == os.getpid():
                continue
            try:
                info = entry.lstat()
            except OSError:
                continue
            if not entry.is_dir() or entry.is_symlink() or info.st_uid != os.getuid():
                continue
            if not _alive(int(match.group(1))):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


def zip_pack_problems(path: Path) -> list[ZipProblem]:
    """The problems of a zip pack's members (empty when it is safe)."""
    return zip_problems(path, _limits())


def check_zip(path: Path) -> list[str]:
    """Return the problems of a zip pack's members (empty when it is safe)."""
    return [str(problem) for problem in zip_pack_problems(path)]


def unpack_zip_pack(path: Path) -> Path:
    """Unpack a checked zip pack and return the folder holding its ``pack.toml``.

    The folder is removed when the process ends (see the module's notes).

    Raises:
        UnsafePathError: A member would land outside the pack.
        PackError: The zip is broken, too big, or holds no ``pack.toml``.
    """
    info = path.stat()
    key = (str(path.resolve()), info.st_mtime_ns, info.st_size)
    if key in _UNPACKED and _UNPACKED[key].is_dir():
        return _UNPACKED[key]
    problems = zip_pack_problems(path)
    if problems:
        unsafe = any(p.unsafe and len(p.where) == 1 for p in problems)
        error = UnsafePathError if unsafe else PackError
        raise error(f"{path.name}: " + "; ".join(str(p) for p in problems))
    me = os.getpid()
    if me not in _PREPARED:
        _PREPARED.add(me)
        sweep_stale_folders()
        _watch_exit()
    folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{me}-"))
    _FOLDERS.append((me, folder))
    target = folder / "pack"
    try:
        with zipfile.ZipFile(path) as archive:
            archive.extractall(target)
        root = _pack_root(path, target)
    except BaseException as exc:
        shutil.rmtree(folder, ignore_errors=True)
        _FOLDERS.remove((me, folder))
        if isinstance(exc, (OSError, zipfile.BadZipFile)):
            raise PackError(f"{path.name}: cannot be unpacked: {exc}") from None
        raise
    _UNPACKED[key] = root
    return root


def _pack_root(path: Path, target: Path) -> Path:
    if (target / "pack.toml").is_file():
        return target
    candidates = [p.parent for p in target.glob("*/pack.toml")]
    if len(candidates) != 1:
        raise PackError(f"{path.name}: no pack.toml at the top or in one folder of the zip")
    return candidates[0]
