"""A cache on disk for work that gives the same bytes for the same inputs.

Every ``kommunal-digital build`` is a new process: without a cache on disk
it compiles each Word template and draws each picture anew, although
neither changed since the last build. Entries are kept by a key that holds
everything the result depends on (a hash of the inputs, and the versions of
Python, Jinja and kommunal-digital where the result is compiled code), so a
stale entry is never found; a changed input simply misses.

Where: ``KOMMUNAL_DIGITAL_CACHE`` names the folder; ``off`` (or an empty
value) switches the cache off. Without it the user's cache folder
(``platformdirs.user_cache_dir("kommunal-digital")``, on Linux
``~/.cache/kommunal-digital``). The folder is made private (``0700``); a
folder that another user owns or others may write to is not used, because
compiled templates are loaded from it. Each kind of entry keeps at most
:data:`MAX_ENTRIES` files; the oldest go first. Nothing here ever fails a
build: an entry that cannot be read or written is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
import tempfile
import threading
from pathlib import Path

__all__ = ["CACHE_VARIABLE", "MAX_ENTRIES", "DiskCache", "default_cache", "key_of"]

#: The environment variable naming the cache folder (``off`` switches it off).
CACHE_VARIABLE = "KOMMUNAL_DIGITAL_CACHE"
#: Files kept per kind of entry (``pictures``, ``templates``).
MAX_ENTRIES = 512
_KIND_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz-")


def key_of(*parts: str | bytes) -> str:
    """A hex key for the given parts (SHA-256 over their lengths and contents)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class DiskCache:
    """Entries by kind and key in one folder (see the module's description).

    Args:
        folder: The cache folder, made on first write; ``None`` for no cache.
    """

    def __init__(self, folder: str | os.PathLike[str] | None) -> None:
        self.folder = None if folder is None else Path(folder)
        self._usable: bool | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"DiskCache({self.folder!s})"

    def _ready(self) -> bool:
        """Whether the folder exists (made if not) and is private to this user."""
        if self.folder is None:
            return False
        with self._lock:
            if self._usable is None:
                self._usable = _private_folder(self.folder)
            return self._usable

    def _path(self, kind: str, key: str) -> Path | None:
        if not (set(kind) <= _KIND_CHARACTERS and key.isalnum()) or not self._ready():
            return None
        assert self.folder is not None
        return self.folder / kind / key

    def get(self, kind: str, key: str) -> bytes | None:
        """The entry's bytes, or ``None`` when it is missing or unreadable."""
        path = self._path(kind, key)
        if path is None:
            return None
        try:
            with open(path, "rb") as file:
                if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                    return None
                return file.read()
        except OSError:
            return None

    def put(self, kind: str, key: str, data: bytes) -> None:
        """Store an entry (atomically); does nothing when the cache cannot be written."""
        path = self._path(kind, key)
        if path is None:
            return
        with contextlib.suppress(OSError):
            path.parent.mkdir(mode=0o700, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(data)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
            _prune(path.parent)


def _private_folder(folder: Path) -> bool:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = os.stat(folder)
    except OSError:
        return False
    if sys.platform == "win32":  # pragma: no cover - the suite runs on Linux
        return stat.S_ISDIR(status.st_mode)
    return (
        stat.S_ISDIR(status.st_mode)
        and status.st_uid == os.getuid()
        and status.st_mode & 0o077 == 0
    )


def _prune(folder: Path) -> None:
    """Keep the newest :data:`MAX_ENTRIES` files of a kind."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    if len(entries) <= MAX_ENTRIES:
        return
    with contextlib.suppress(OSError):
        entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in entries[: len(entries) - MAX_ENTRIES]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


_DEFAULT: list[DiskCache] = []


def default_cache() -> DiskCache:
    """The cache named by ``KOMMUNAL_DIGITAL_CACHE``, else the user's cache folder.

    Read once per process; ``off`` or an empty value gives a cache that
    holds nothing.
    """
    if not _DEFAULT:
        chosen = os.environ.get(CACHE_VARIABLE)
        if chosen is None:
            import platformdirs  # lazy: only a build asks

            chosen = platformdirs.user_cache_dir("kommunal-digital", appauthor=False)
        folder = None if chosen.strip() in ("", "off") else chosen
        _DEFAULT.append(DiskCache(folder))
    return _DEFAULT[0]
