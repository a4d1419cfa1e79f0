"""Writing a document set into its folder as a whole: staged, committed, moved into place.

The set is the files one build writes (documents, ``Steckbriefe/``,
``Bilder/``); other files in the folder are never touched. Under the
folder's lock (:func:`~kommunal_digital.io.folders.folder_lock`):

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

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from kommunal_digital.errors import OutputError, OutputExistsError
from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.io.folders import folder_lock, sync_folder

__all__ = [
    "COMMIT_PREFIX",
    "STAGING_PREFIX",
    "existing_message",
    "recover",
    "write_set",
]

#: A set being written; removed by the next run when its writer died.
STAGING_PREFIX = ".kd-staging-"
#: A complete set being moved into place; finished by the next run.
COMMIT_PREFIX = ".kd-commit-"
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


def _recover_locked(folder: Path) -> None:
    for path in _leftovers(folder):
        if path.name.startswith(COMMIT_PREFIX) and path.is_dir():
            _roll_forward(folder, path)
        elif path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def recover(folder: str | os.PathLike[str]) -> None:
    """Finish or remove what an interrupted build left in a folder.

    A committed set (``.kd-commit-*``) is moved into place, a staging
    folder (``.kd-staging-*``) removed. Does nothing (and takes no lock)
    when there is nothing to do.

    Raises:
        OutputError: A committed file cannot be moved into place, or another
            run holds the folder for too long.
    """
    path = Path(folder)
    if not _leftovers(path):
        return
    with folder_lock(path):
        _recover_locked(path)


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
