"""Reading packs shipped as zip files, safely.

A zip pack is unpacked into a private temporary folder after every member
has been checked: no absolute paths, no ``..``, no links, at most
:data:`MAX_MEMBERS` members, at most :data:`MAX_TOTAL_BYTES` unpacked, and no
member that unpacks to more than :data:`MAX_RATIO` times its packed size
(zip bombs). The pack may sit at the top of the zip or in one folder.
"""

from __future__ import annotations

import atexit
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from kommunal_digital.errors import PackError, UnsafePathError

__all__ = ["MAX_MEMBERS", "MAX_RATIO", "MAX_TOTAL_BYTES", "unpack_zip_pack"]

MAX_MEMBERS = 2_000
MAX_TOTAL_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100

_UNPACKED: dict[tuple[str, float], Path] = {}


def _cleanup() -> None:  # pragma: no cover - runs at interpreter exit
    for folder in _UNPACKED.values():
        shutil.rmtree(folder.parent, ignore_errors=True)


atexit.register(_cleanup)


def check_zip(path: Path) -> list[str]:
    """Return the problems of a zip pack's members (empty when it is safe)."""
    problems: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                problems.append(f"{len(members)} members, more than the {MAX_MEMBERS} allowed")
            total = sum(m.file_size for m in members)
            if total > MAX_TOTAL_BYTES:
                problems.append(
                    f"unpacks to {total} bytes, more than the {MAX_TOTAL_BYTES} allowed"
                )
            for member in members:
                name = PurePosixPath(member.filename)
                if name.is_absolute() or ".." in name.parts or ":" in member.filename:
                    problems.append(f"{member.filename}: points outside the pack")
                mode = member.external_attr >> 16
                if stat.S_ISLNK(mode):
                    problems.append(f"{member.filename}: links are not allowed")
                if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
                    problems.append(
                        f"{member.filename}: compressed more than {MAX_RATIO}:1 (zip bomb?)"
                    )
    except zipfile.BadZipFile:
        problems.append("not a valid zip file")
    return problems


def unpack_zip_pack(path: Path) -> Path:
    """Unpack a checked zip pack and return the folder holding its ``pack.toml``.

    Raises:
        UnsafePathError: A member would land outside the pack.
        PackError: The zip is broken, too big, or holds no ``pack.toml``.
    """
    key = (str(path.resolve()), path.stat().st_mtime)
    if key in _UNPACKED:
        return _UNPACKED[key]
    problems = check_zip(path)
    if problems:
        error = (
            UnsafePathError if any("outside" in p or "link" in p for p in problems) else PackError
        )
        raise error(f"{path.name}: " + "; ".join(problems))
    target = Path(tempfile.mkdtemp(prefix="kd-pack-")) / "pack"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(target)
    if (target / "pack.toml").is_file():
        root = target
    else:
        candidates = [p.parent for p in target.glob("*/pack.toml")]
        if len(candidates) != 1:
            raise PackError(f"{path.name}: no pack.toml at the top or in one folder of the zip")
        root = candidates[0]
    _UNPACKED[key] = root
    return root
