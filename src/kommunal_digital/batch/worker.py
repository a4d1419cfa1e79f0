"""Building one strategy file of a batch: the part that runs in a worker.

Only a :class:`BatchJob` (paths and options) crosses the process boundary;
the worker loads the file itself and returns a small :class:`BatchItem`.
Documents are built in a hidden folder next to their final place and moved
there only when every document succeeded, so a failed file leaves nothing.
A worker of the default pool watches the batch process and ends itself
when that process is gone, so a killed batch leaves no worker behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from kommunal_digital.batch.dask_worker import profiler_paused
from kommunal_digital.batch.result import BatchItem, BatchStatus
from kommunal_digital.documents.build import build_documents
from kommunal_digital.errors import (
    DocumentError,
    KommunalDigitalError,
    OutputError,
    OutputExistsError,
)
from kommunal_digital.german import slug
from kommunal_digital.io.files import load_strategy
from kommunal_digital.io.folders import exchange
from kommunal_digital.io.forked import FORK_VARIABLE
from kommunal_digital.model import PackReference, Strategy
from kommunal_digital.plugins.installation import Installation, load_installation
from kommunal_digital.plugins.manager import describe_fault, plugin_in_traceback
from kommunal_digital.workspace.check import content_diagnostics
from kommunal_digital.workspace.extensions import check_extensions
from kommunal_digital.workspace.freshness import refresh_derived
from kommunal_digital.workspace.workspace import Workspace

__all__ = [
    "OLD_SUFFIX",
    "STARTED_PREFIX",
    "BatchJob",
    "Builder",
    "build_one",
    "dedicate_worker",
    "folder_name",
]

#: A job's mark in its run's private folder while it runs (``<prefix><ticket>``):
#: a mark left behind by a worker that died names the files it was building.
STARTED_PREFIX = ".started-"
#: The suffix of the folder that holds a replaced municipality folder for a moment.
OLD_SUFFIX = ".old"


class BuildOutcome(Protocol):
    """What a builder returns: at least the documents it wrote."""

    @property
    def documents(self) -> Sequence[Path]:
        """The documents written."""
        ...  # pragma: no cover - a protocol


#: Builds a strategy's documents into a folder, like ``build_documents``.
Builder = Callable[..., BuildOutcome]


@attrs.frozen
class BatchJob:
    """Everything a worker needs for one file; all of it pickles cheaply.

    Attributes:
        source: The strategy file.
        root: The batch's output folder (absolute).
        claims: A folder private to this run where workers claim folder names.
        pack: The pack name or folder; ``None`` uses the pack each strategy
            records (else the installation's default pack).
        formats: The output formats.
        force: Replace a folder left by an earlier run.
        today: The date printed in the documents.
        builder: The function that builds the documents (a top-level
            function, so it pickles by reference); ``build_documents`` if ``None``.
        ticket: The job's name in ``claims`` while it runs (its index in
            the run); ``""`` leaves no mark.
    """

    source: Path
    root: Path
    claims: Path
    pack: str | Path | None = None
    formats: tuple[str, ...] = ("docx",)
    force: bool = False
    today: dt.date | None = None
    builder: Builder | None = None
    ticket: str = ""


def folder_name(strategy: Strategy, source: Path) -> str:
    """The folder of a strategy's documents: its municipality's slug, else the file's."""
    return slug(strategy.municipality.name) or slug(source.stem) or "strategie"


_DEDICATED = False
#: How often a worker looks whether the batch process still runs, in seconds.
_WATCH_INTERVAL = 0.25
#: The exit status of a worker that ends itself because the batch process is gone.
_ORPHANED = 70


def dedicate_worker(parent: int | None = None) -> None:
    """Prepare this process as a batch worker of its own (the default pool's initializer).

    Only then does :func:`build_one` freeze what survives a job (imports,
    caches) out of the garbage collector's reach, so that the collection
    after every document stays cheap and memory stays at one document's
    worth over thousands of documents. A caller's own process, running jobs
    on threads, is left alone.

    Args:
        parent: The batch process. When it is gone (killed, crashed) the
            worker ends itself at once, even in the middle of a file: what it
            was building is in the run's private folder, which the next run
            removes.

    A worker draws its pictures in its own process (``KOMMUNAL_DIGITAL_FORK``
    is set to ``off`` in it): the batch already keeps every core busy.
    """
    global _DEDICATED  # one flag per worker process
    _DEDICATED = True
    # The batch keeps every core busy with workers: a worker draws its
    # pictures itself rather than in a forked child (io/forked.py).
    os.environ[FORK_VARIABLE] = "off"
    if parent is not None:
        _watch(parent)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process by now: ours is gone
        return False
    return True


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent ends (``PR_SET_PDEATHSIG``)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # lazy: only worker processes ask for it
    import signal

    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1  # linux/prctl.h
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)


def _watch(parent: int) -> None:
    # The pool's parent may be a fork server rather than the batch process;
    # it ends with the batch process, so a changed parent means the same.
    # PR_SET_PDEATHSIG is immediate on Linux; the thread works everywhere.
    first = os.getppid()
    _die_with_parent()

    def watch() -> None:
        while True:
            if os.getppid() != first or not _alive(parent):
                os._exit(_ORPHANED)
            time.sleep(_WATCH_INTERVAL)

    threading.Thread(target=watch, name="kd-batch-parent-watch", daemon=True).start()


def _settle() -> None:
    if _DEDICATED:
        gc.collect()
        gc.freeze()


def build_one(job: BatchJob) -> BatchItem:
    """Load one strategy file and build its documents; never raises for the file's faults.

    Args:
        job: The file and the options.

    Returns:
        An ``ok`` item with the documents, or a ``failed`` item with the
        library's message (or the type and message of an unexpected error).
    """
    _settle()  # the previous job's garbage, before this job's work
    started = time.perf_counter()
    mark = _mark(job)
    try:
        with profiler_paused():  # on a Dask worker; nothing elsewhere
            return _build_item(job, started)
    finally:
        if mark is not None:
            with contextlib.suppress(OSError):
                mark.unlink()


def _mark(job: BatchJob) -> Path | None:
    # Written before the work starts and removed after it, whatever happens:
    # if the process dies, the mark stays and tells the run which file was
    # being built. A worker on another machine may not see the folder.
    if not job.ticket:
        return None
    mark = job.claims / f"{STARTED_PREFIX}{job.ticket}"
    try:
        mark.touch()
    except OSError:
        return None
    return mark


def _build_item(job: BatchJob, started: float) -> BatchItem:
    name = ""
    try:
        strategy = load_strategy(job.source)
        name = strategy.municipality.name
        folder = job.root / folder_name(strategy, job.source)
        retry = _claim(job, folder)
        documents, warnings = _build_into(folder, strategy, job, replace=retry)
    except KommunalDigitalError as error:
        message = str(error)
    except (Exception, SystemExit) as error:  # one file's crash must not stop the batch
        message = _unexpected(error)
    else:
        return BatchItem(
            source=job.source,
            status=BatchStatus.OK,
            out_dir=folder,
            documents=documents,
            seconds=time.perf_counter() - started,
            municipality=name,
            warnings=warnings,
        )
    return BatchItem(
        source=job.source,
        status=BatchStatus.FAILED,
        error=message,
        seconds=time.perf_counter() - started,
        municipality=name,
    )


def _unexpected(error: BaseException) -> str:
    """An error our code did not foresee, with the plugin whose code raised it, if any."""
    found = plugin_in_traceback(error)
    if found is None:
        return f"unexpected {type(error).__name__}: {error}"
    name, distribution, version = found
    origin = " ".join(part for part in (distribution, version) if part)
    return f"plugin {name!r} ({origin or 'unknown distribution'}) failed: {describe_fault(error)}"


def _claim(job: BatchJob, folder: Path) -> bool:
    # Two files of one run for the same municipality would write one folder;
    # the first to claim the name keeps it, the other fails and says why.
    # The claim is written aside and linked into place, so whoever finds it
    # taken always reads whose it is (never an empty, half-written marker).
    marker = job.claims / folder.name
    fd, draft = tempfile.mkstemp(prefix=".claim.", dir=job.claims)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(str(job.source))
    try:
        os.link(draft, marker)
    except FileExistsError:
        other = ""
        with contextlib.suppress(OSError):
            other = marker.read_text(encoding="utf-8")
        if other == str(job.source):
            # A retry after a worker process died: the folder, if any, is
            # this file's own from this run (its result was lost), so it
            # may be replaced.
            return True
        raise OutputExistsError(
            f"{folder}: another file of this batch ({other or 'unknown'}) is for the same "
            "municipality; give each municipality one file"
        ) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(draft)
    return False


def _default_builder(
    strategy: Strategy, out_dir: Path, workspace: Workspace, **options: Any
) -> BuildOutcome:
    return build_documents(strategy, out_dir, workspace, **options)


#: This process's installation and the workspaces made from it, by pack: a
#: worker resolves plugins and packs once, not once per file.
_INSTALLATION: list[Installation] = []
_WORKSPACES: dict[str, Workspace] = {}


def _workspace_for(strategy: Strategy, job: BatchJob) -> Workspace:
    spec = job.pack if job.pack is not None else strategy.pack
    key = str(spec.name if isinstance(spec, PackReference) else spec)
    if key not in _WORKSPACES:
        if not _INSTALLATION:
            _INSTALLATION.append(load_installation())
        _WORKSPACES[key] = _INSTALLATION[0].workspace(spec)
    return _WORKSPACES[key]


def _build_into(
    folder: Path, strategy: Strategy, job: BatchJob, *, replace: bool = False
) -> tuple[tuple[Path, ...], tuple[str, ...]]:
    if folder.exists() and not (job.force or replace):
        raise OutputExistsError(f"{folder}: exists already; pass force to replace it")
    try:
        # In the run's private folder, so what a killed worker leaves is
        # removed with it; on the same file system, so the move is atomic.
        staging = Path(
            tempfile.mkdtemp(prefix=f"{folder.name}.", suffix=".partial", dir=job.claims)
        )
    except OSError as error:
        raise OutputError(f"{job.root}: cannot write here: {error.strerror or error}") from error
    try:
        builder = job.builder or _default_builder
        workspace = _workspace_for(strategy, job)
        check_extensions(strategy, workspace.extension_schemas, job.source.name)
        # Like build: what the documents cannot say yet is warned about, and
        # stored rankings and schedules are recomputed in memory.
        warnings = [d.message for d in content_diagnostics(strategy, job.today)]
        refreshed = refresh_derived(strategy, workspace)
        strategy = refreshed.strategy
        warnings += refreshed.notices()
        # The staging folder is new and ours, so force only matters to the builder's checks.
        result = builder(
            strategy, staging, workspace, formats=job.formats, force=True, today=job.today
        )
        failures = tuple(getattr(result, "failures", ()))
        if failures:
            raise DocumentError(
                f"{len(failures)} document(s) failed, none kept: "
                + "; ".join(str(failure) for failure in failures)
            )
        documents = tuple(folder / Path(path).relative_to(staging) for path in result.documents)
        _replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return documents, tuple(warnings)


def _replace(staging: Path, folder: Path) -> None:
    try:
        if folder.exists():
            if exchange(staging, folder):
                # One step: readers see the old set or the new one, never neither.
                shutil.rmtree(staging, ignore_errors=True)
                return
            # Where the system cannot swap folders, the old one goes aside
            # into the run's private folder first; a run killed in between
            # leaves it there, and the next run puts it back (see run.py).
            old = Path(
                tempfile.mkdtemp(prefix=f"{folder.name}.", suffix=OLD_SUFFIX, dir=staging.parent)
            )
            os.replace(folder, old / folder.name)
            os.replace(staging, folder)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, folder)
    except OSError as error:
        raise OutputError(
            f"{folder}: cannot move the documents here: {error.strerror or error}"
        ) from error
