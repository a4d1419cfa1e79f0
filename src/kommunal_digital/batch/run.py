"""Building the documents of many municipalities at once, in parallel."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kommunal_digital.batch.result import BatchItem, BatchResult, BatchStatus
from kommunal_digital.batch.worker import (
    OLD_SUFFIX,
    STARTED_PREFIX,
    BatchJob,
    Builder,
    build_one,
    dedicate_worker,
)
from kommunal_digital.errors import InputFileError, OutputError
from kommunal_digital.io.folders import folder_lock, is_locked

__all__ = ["RUN_PREFIX", "STRATEGY_SUFFIXES", "clean_stale_runs", "run_batch", "strategy_files"]

#: The files a source folder is searched for (Excel through ``load_strategy``).
STRATEGY_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")

#: Called after each file: files done, files in total, the file's outcome.
Progress = Callable[[int, int, BatchItem], None]

#: The run's private folder inside ``out_dir`` (claims, staging, marks).
RUN_PREFIX = ".kd-batch-"
#: Rounds in a row in which the pool broke before any file started: then
#: the remaining files are reported instead of being tried again for ever.
_STALLS = 2


def strategy_files(
    sources: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
) -> list[Path]:
    """The strategy files of a folder (sorted, hidden and lock files skipped) or of a list.

    Raises:
        InputFileError: A folder or a listed file does not exist.
    """
    if isinstance(sources, str | os.PathLike):
        folder = Path(sources)
        if not folder.is_dir():
            raise InputFileError(str(folder), ["no such folder"])
        return sorted(
            path
            for path in folder.iterdir()
            if path.is_file()
            and path.suffix.lower() in STRATEGY_SUFFIXES
            and not path.name.startswith((".", "~$"))
        )
    files = [Path(source) for source in sources]
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        raise InputFileError(", ".join(missing), ["no such file"])
    return files


def run_batch(
    sources: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    executor: cf.Executor | None = None,
    workers: int | None = None,
    pack: str | Path | None = None,
    formats: Iterable[str] = ("docx",),
    force: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    builder: Builder | None = None,
) -> BatchResult:
    """Build the documents of many strategy files, one folder per municipality.

    Each file's documents go to ``out_dir/<slug>/``, the slug made from the
    municipality's name (``Verbandsgemeinde Eichenberg`` becomes
    ``verbandsgemeinde-eichenberg``), or from the file name if the name
    gives none. A file that fails leaves no folder behind and never stops
    the others; its item says why.

    A worker process that dies (killed, out of memory) costs only its own
    file: the pool is rebuilt, the files it was building are tried once
    more, each alone in a fresh process, and the files not yet started run
    as before. A file whose process dies again is reported as failed. If
    the batch process itself is killed, the workers of its own pool end
    themselves, and the next run into ``out_dir`` removes what the killed
    run left.

    Args:
        sources: A folder (its ``.yaml``, ``.yml``, ``.json`` and ``.xlsx``
            files, not its sub-folders) or a list of files.
        out_dir: The folder for the municipalities' folders (created if missing).
        executor: Where to run the files, any :class:`concurrent.futures.Executor`
            (a thread pool, a process pool, ``dask.distributed.Client.get_executor()``).
            By default a process pool of this function's own, shut down at the
            end. When a given executor breaks (a process pool whose worker
            died), the files it did not finish run in pools of this function's own.
        workers: The number of worker processes of the default pool; one
            per CPU (at most one per file) by default. Ignored with ``executor``.
        pack: The pack name or folder whose templates are used; by default
            the pack each strategy file records (else the installation's
            default pack). Each worker resolves a pack once.
        formats: The output formats, e.g. ``("docx", "html")``.
        force: Replace a municipality's folder left by an earlier run (the
            whole folder, once its new documents are complete).
        today: The date printed in the documents; today by default.
        progress: Called in this process after each file with the number of
            files done, the total and the file's :class:`BatchItem`.
        builder: The function that builds one strategy's documents into a
            folder, called as ``builder(strategy, folder, workspace, formats=...,
            force=..., today=...)``; ``build_documents`` by default. For a
            process pool it must be a top-level function.

    Returns:
        One item per file, in the order of the sources.

    Raises:
        InputFileError: The source folder or a listed file does not exist.
        OutputError: ``out_dir`` cannot be created.
    """
    started = time.perf_counter()
    files = strategy_files(sources)
    root = Path(out_dir).resolve()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{root}: cannot write here: {error.strerror or error}") from error
    with contextlib.ExitStack() as stack:
        # Under the lock of out_dir a new run's folder is made and locked,
        # so a run cleaning up never takes a starting run's folder for a dead one.
        with folder_lock(root):
            clean_stale_runs(root)
            try:
                claims = Path(tempfile.mkdtemp(prefix=RUN_PREFIX, dir=root))
            except OSError as error:
                raise OutputError(
                    f"{root}: cannot write here: {error.strerror or error}"
                ) from error
            stack.callback(shutil.rmtree, claims, ignore_errors=True)
            stack.enter_context(folder_lock(claims, wait=0))
        jobs = [
            BatchJob(
                source=path,
                root=root,
                claims=claims,
                pack=pack,
                formats=tuple(formats),
                force=force,
                today=today,
                builder=builder,
                ticket=str(index),
            )
            for index, path in enumerate(files)
        ]
        items = _Items(jobs, progress)
        _execute(items, executor, workers)
    return BatchResult(out_dir=root, items=items.collected(), seconds=time.perf_counter() - started)


def clean_stale_runs(root: Path) -> None:
    """Remove the private folders that killed runs left in ``root``.

    A run's folder is stale when no live process holds its lock. A
    municipality folder that a killed run had set aside to replace it (on
    systems that cannot swap folders in one step) is put back first, unless
    its new folder is in place already.
    """
    for folder in sorted(root.glob(f"{RUN_PREFIX}*")):
        if not folder.is_dir() or is_locked(folder):
            continue
        for old in folder.glob(f"*{OLD_SUFFIX}"):
            for kept in old.iterdir() if old.is_dir() else ():
                with contextlib.suppress(OSError):
                    if not (root / kept.name).exists():
                        os.replace(kept, root / kept.name)
        shutil.rmtree(folder, ignore_errors=True)


class _Items:
    """The items of a run as they arrive, and the progress callback."""

    def __init__(self, jobs: list[BatchJob], progress: Progress | None) -> None:
        self.jobs = jobs
        self.progress = progress
        self.items: list[BatchItem | None] = [None] * len(jobs)
        self.done = 0

    def record(self, index: int, item: BatchItem) -> None:
        self.items[index] = item
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, len(self.jobs), item)

    def collected(self) -> tuple[BatchItem, ...]:
        return tuple(item for item in self.items if item is not None)


@contextlib.contextmanager
def _process_pool(jobs: int, workers: int | None = None) -> Iterator[cf.ProcessPoolExecutor]:
    # forkserver (or spawn) rather than fork: the parent may run threads
    # (a progress bar, a web server) that fork would copy in a broken state.
    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else "spawn"
    count = max(1, min(workers or os.cpu_count() or 1, jobs))
    pool = cf.ProcessPoolExecutor(
        max_workers=count,
        mp_context=multiprocessing.get_context(method),
        initializer=dedicate_worker,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    except BaseException:
        # Interrupted: do not wait for the files in progress.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _crashed(job: BatchJob, error: BaseException) -> BatchItem:
    return BatchItem(
        source=job.source,
        status=BatchStatus.FAILED,
        error=f"the worker failed: {type(error).__name__}: {error}",
    )


def _died(job: BatchJob) -> BatchItem:
    return BatchItem(
        source=job.source,
        status=BatchStatus.FAILED,
        error="the worker process died while building this file (killed, or out of "
        "memory), and again when the file was tried once more on its own",
    )


def _execute(items: _Items, executor: cf.Executor | None, workers: int | None) -> None:
    """Run every job; when a pool breaks, retry its started files alone and go on with the rest."""
    jobs = items.jobs
    pending = list(range(len(jobs)))
    given = executor
    stalls = 0
    while pending:
        if given is not None:
            lost = _round(given, items, pending)
            given = None  # a broken executor is not used again
        else:
            with _process_pool(len(pending), workers) as pool:
                lost = _round(pool, items, pending)
        if not lost:
            return
        marks = {job.ticket for job in (jobs[index] for index in lost) if _was_started(job)}
        suspects = [index for index in lost if jobs[index].ticket in marks]
        pending = [index for index in lost if jobs[index].ticket not in marks]
        if suspects:
            stalls = 0
            _alone(items, suspects)
        else:
            stalls += 1
            if stalls >= _STALLS:
                for index in pending:
                    items.record(index, _crashed(jobs[index], _pool_died()))
                return


def _pool_died() -> BaseException:
    return RuntimeError("the worker processes died before they started the file")


def _was_started(job: BatchJob) -> bool:
    mark = job.claims / f"{STARTED_PREFIX}{job.ticket}"
    if not mark.exists():
        return False
    with contextlib.suppress(OSError):
        mark.unlink()  # cleared for the retry
    return True


def _round(executor: cf.Executor, items: _Items, indices: list[int]) -> list[int]:
    """Run some jobs on an executor; the indices of those lost because it broke."""
    jobs = items.jobs
    futures: dict[cf.Future[BatchItem], int] = {}
    lost: list[int] = []
    try:
        for position, index in enumerate(indices):
            try:
                futures[executor.submit(build_one, jobs[index])] = index
            except cf.BrokenExecutor:
                lost.extend(indices[position:])
                break
        for future in cf.as_completed(futures):
            index = futures[future]
            try:
                item = future.result()
            except cf.BrokenExecutor:
                lost.append(index)
                continue
            except Exception as error:  # pickling, a lost worker, ...
                item = _crashed(jobs[index], error)
            items.record(index, item)
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return sorted(lost)


def _alone(items: _Items, suspects: list[int]) -> None:
    # The files that were being built when a worker died, each tried once
    # more in a process of its own: a file that kills its process again is
    # reported, the others succeed.
    jobs = items.jobs
    with contextlib.ExitStack() as stack:
        running = []
        for index in suspects:
            pool = stack.enter_context(_process_pool(1, workers=1))
            running.append((index, pool.submit(build_one, jobs[index])))
        for index, future in running:
            try:
                item = future.result()
            except cf.BrokenExecutor:
                item = _died(jobs[index])
            except Exception as error:  # as in _round
                item = _crashed(jobs[index], error)
            items.record(index, item)
