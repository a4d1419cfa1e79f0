"""Writing a document set into its folder as a whole.

The set is the files one build writes (documents, ``Steckbriefe/``,
``Bilder/``); other files in the folder are kept as they are. Everything
happens under the folder's lock (:func:`~kommunal_digital.io.folders.folder_lock`).

**Swapped whole** (where the system can swap two folders in one step,
Linux ``renameat2``): a new folder is made next to the output folder
(``.<name>.kd-swap-<random>/``), the folder's other files are linked into
it, the set is written into it, and then the two folders are exchanged in
one step. A reader, and a run killed at any moment, sees the complete old
folder or the complete new one. The old folder, now under the swap name,
is removed; a run killed before that leaves it, and the next run into the
folder removes it.

**Staged and moved** (other systems, and folders that cannot be swapped:
no room next to them, a mount point, set files that are links, too many
other files to carry over):

1. every file is written into a hidden staging folder inside the output
   folder (``.kd-staging-<random>/``, same file system), with a manifest
   listing the set;
2. the staging folder is renamed to ``.kd-commit-<random>/``: one atomic
   step that marks the new set as complete;
3. each file is renamed over its place in the output folder, and the
   commit folder is removed.

A run killed before step 2 leaves the old set untouched and a staging
folder, which the next run removes. A run killed during step 3 leaves a
commit folder: the next run into the folder first moves the rest of that
set into place (rolls forward), so the folder holds the whole new set.
Nothing here is specific to documents but the layout; ``build_documents``
is its one caller.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from kommunal_digital.errors import OutputError, OutputExistsError
from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.io.folders import exchange, folder_lock, is_locked, sync_folder

__all__ = [
    "COMMIT_PREFIX",
    "STAGING_PREFIX",
    "SWAP_INFIX",
    "existing_message",
    "recover",
    "write_set",
]

#: A set being written; removed by the next run when its writer died.
STAGING_PREFIX = ".kd-staging-"
#: A complete set being moved into place; finished by the next run.
COMMIT_PREFIX = ".kd-commit-"
#: A new folder next to the output folder (``.<name><infix><random>``), swapped
#: with it; after the swap it holds the old folder until that is removed.
SWAP_INFIX = ".kd-swap-"
#: Other entries (files, folders, links) a swap carries over into the new
#: folder at most; a folder holding more is written in place (staged and moved).
MAX_CARRIED = 10_000
#: The list of the set's files (relative POSIX paths) inside a staging or commit folder.
_MANIFEST = ".kd-manifest.json"


def existing_message(paths: Iterable[Path]) -> str:
    """The message of :class:`OutputExistsError` for files a build would overwrite."""
    found = [str(path) for path in paths]
    more = " …" if len(found) > 5 else ""
    return f"{', '.join(found[:5])}{more}: exist(s) already; pass force to overwrite"


def _leftovers(folder: Path) -> list[Path]:
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(
        folder / name for name in names if name.startswith((STAGING_PREFIX, COMMIT_PREFIX))
    )


def _manifest(commit: Path) -> list[str]:
    try:
        listed = json.loads((commit / _MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(listed, list):
        return []
    return [item for item in listed if isinstance(item, str)]


def _roll_forward(folder: Path, commit: Path) -> None:
    """Move every file of a committed set still in ``commit`` to its place, then drop ``commit``."""
    for relative in _manifest(commit):
        source = commit / relative
        if not source.is_file():
            continue  # moved before the run died
        target = folder / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
        except OSError as error:
            raise OutputError(
                f"{target}: cannot move the new document into place: "
                f"{error.strerror or error}; the rest of the set waits in {commit.name} "
                "and is moved on the next build into this folder"
            ) from error
    sync_folder(folder)
    shutil.rmtree(commit, ignore_errors=True)


def _swap_leftovers(folder: Path) -> list[Path]:
    real = Path(os.path.realpath(folder))
    prefix = f".{real.name}{SWAP_INFIX}"
    try:
        names = os.listdir(real.parent)
    except OSError:
        return []
    return sorted(real.parent / name for name in names if name.startswith(prefix))


def _recover_locked(folder: Path) -> None:
    for path in _leftovers(folder):
        if path.name.startswith(COMMIT_PREFIX) and path.is_dir():
            _roll_forward(folder, path)
        elif path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
    for path in _swap_leftovers(folder):
        # A swap folder is a killed run's half-made new folder or the old
        # folder it swapped out; neither is the folder anyone reads. One
        # still locked is being removed by the run that swapped it.
        if path.is_dir() and not path.is_symlink() and not is_locked(path):
            shutil.rmtree(path, ignore_errors=True)


def recover(folder: str | os.PathLike[str]) -> None:
    """Finish or remove what an interrupted build left in a folder.

    A committed set (``.kd-commit-*``) is moved into place, a staging
    folder (``.kd-staging-*``) and a swap folder next to the folder
    (``.<name>.kd-swap-*``) removed. Does nothing (and takes no lock)
    when there is nothing to do.

    Raises:
        OutputError: A committed file cannot be moved into place, or another
            run holds the folder for too long.
    """
    path = Path(folder)
    if not _leftovers(path) and not _swap_leftovers(path):
        return
    with folder_lock(path):
        _recover_locked(path)


class _CannotSwapError(Exception):
    """The folder cannot be swapped whole; the set is written in place instead."""


def _swappable(folder: Path, relative: set[str]) -> bool:
    """Whether every file of the set is missing or a regular file, under real folders.

    A set file that is a link is written through the link in place (as
    :func:`write_atomic` does); anything else in its way is refused there.
    """
    for name in relative:
        place = folder
        for part in Path(name).parts:
            place = place / part
            try:
                status = os.lstat(place)
            except FileNotFoundError:
                break
            except OSError:
                return False
            if place == folder / name:
                if not stat.S_ISREG(status.st_mode):
                    return False
            elif not stat.S_ISDIR(status.st_mode):
                return False
    return True


def _carry(source: Path, target: Path, skip: set[str], prefix: str = "", carried: int = 0) -> int:
    """Link every entry of ``source`` but the set's files into ``target``, folders made anew.

    Returns ``carried`` plus the entries carried here (refused above :data:`MAX_CARRIED`).
    """
    with os.scandir(source) as entries:
        listed = list(entries)
    for entry in listed:
        relative = f"{prefix}{entry.name}"
        if relative in skip or (not prefix and entry.name.startswith(".kd-")):
            continue
        carried += 1
        if carried > MAX_CARRIED:
            raise _CannotSwapError
        destination = target / entry.name
        try:
            if entry.is_symlink():
                os.symlink(os.readlink(entry.path), destination)
            elif entry.is_dir():
                os.mkdir(destination)
                carried = _carry(Path(entry.path), destination, skip, f"{relative}/", carried)
                shutil.copystat(entry.path, destination)
            elif entry.is_file():
                os.link(entry.path, destination)
            else:
                raise _CannotSwapError  # a FIFO, a socket, a device: not ours to move
        except OSError as error:
            raise _CannotSwapError from error
    return carried


def _keep_modes(old: Path, new: Path, relative: set[str]) -> None:
    """Give the set's files the permissions of the files they replace, the folder its own."""
    for name in relative:
        with contextlib.suppress(OSError):
            os.chmod(new / name, stat.S_IMODE(os.stat(old / name).st_mode))
    status = os.stat(old)
    os.chmod(new, stat.S_IMODE(status.st_mode))
    with contextlib.suppress(OSError):  # only the owner or root may
        os.chown(new, status.st_uid, status.st_gid)


def _write_by_swap(folder: Path, files: Mapping[Path, bytes]) -> bool:
    """Write the set into a new folder beside ``folder`` and swap the two; ``False`` if not."""
    real = Path(os.path.realpath(folder))
    relative = {path.relative_to(folder).as_posix() for path in files}
    if real.parent == real or not _swappable(real, relative):
        return False
    try:
        new = Path(tempfile.mkdtemp(prefix=f".{real.name}{SWAP_INFIX}", dir=real.parent))
    except OSError:
        return False  # no room next to the folder: write in place
    try:
        try:
            _carry(real, new, relative)
        except _CannotSwapError:
            return False
        for path, data in files.items():
            write_atomic(new / path.relative_to(folder), data)
        try:
            _keep_modes(real, new, relative)
            sync_folder(new)
            swapped = exchange(new, real)
        except OSError:
            return False  # a mount point, a folder of another owner: write in place
        if not swapped:
            return False
        sync_folder(real.parent)
        return True
    finally:
        # Before the swap the half-made new folder, after it the old one.
        shutil.rmtree(new, ignore_errors=True)


def _stage(folder: Path, files: Mapping[Path, bytes]) -> Path:
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
    except OSError as error:
        raise OutputError(f"{folder}: cannot write here: {error.strerror or error}") from error
    try:
        for path, data in files.items():
            write_atomic(staging / path.relative_to(folder), data)
        listed = [path.relative_to(folder).as_posix() for path in files]
        write_atomic(staging / _MANIFEST, json.dumps(listed, ensure_ascii=False).encode("utf-8"))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def write_set(folder: Path, files: Mapping[Path, bytes], *, force: bool) -> None:
    """Write a set of files into ``folder`` as a whole (see the module's description).

    Args:
        folder: The output folder (created if missing).
        files: The content of each file, by its path inside ``folder``.
        force: Replace files of an earlier run; without it an existing file
            is kept and nothing is written.

    Raises:
        OutputExistsError: A file exists and ``force`` is false (checked
            under the lock, so two runs cannot both pass the check).
        OutputError: The folder or a file cannot be written; the old set is
            untouched then.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}: cannot write here: {error.strerror or error}") from error
    with folder_lock(folder):
        _recover_locked(folder)
        if not force:
            existing = [path for path in files if path.exists() or path.is_symlink()]
            if existing:
                raise OutputExistsError(existing_message(existing))
        if _write_by_swap(folder, files):
            return
        staging = _stage(folder, files)
        commit = folder / (COMMIT_PREFIX + staging.name.removeprefix(STAGING_PREFIX))
        try:
            sync_folder(staging)
            os.rename(staging, commit)
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputError(f"{folder}: cannot write here: {error.strerror or error}") from error
        sync_folder(folder)
        _roll_forward(folder, commit)
