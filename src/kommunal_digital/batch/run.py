"""Building the documents of many municipalities at once, in parallel."""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from kommunal_digital.batch.result import BatchItem, BatchResult, BatchStatus
from kommunal_digital.batch.worker import BatchJob, Builder, build_one, dedicate_worker
from kommunal_digital.errors import InputFileError, OutputError

__all__ = ["STRATEGY_SUFFIXES", "run_batch", "strategy_files"]

#: The files a source folder is searched for (Excel through ``load_strategy``).
STRATEGY_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")

#: Called after each file: files done, files in total, the file's outcome.
Progress = Callable[[int, int, BatchItem], None]


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

    Args:
        sources: A folder (its ``.yaml``, ``.yml``, ``.json`` and ``.xlsx``
            files, not its sub-folders) or a list of files.
        out_dir: The folder for the municipalities' folders (created if missing).
        executor: Where to run the files, any :class:`concurrent.futures.Executor`
            (a thread pool, a process pool, ``dask.distributed.Client.get_executor()``).
            By default a process pool with one worker per CPU, shut down at the end.
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
        claims = Path(tempfile.mkdtemp(prefix=".kd-batch-", dir=root))
    except OSError as error:
        raise OutputError(f"{root}: cannot write here: {error.strerror or error}") from error
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
        )
        for path in files
    ]
    try:
        if executor is not None:
            items = _run(executor, jobs, progress, retry_broken=False)
        elif jobs:
            with _process_pool(len(jobs)) as pool:
                items = _run(pool, jobs, progress, retry_broken=True)
        else:
            items = []
    finally:
        shutil.rmtree(claims, ignore_errors=True)
    return BatchResult(out_dir=root, items=tuple(items), seconds=time.perf_counter() - started)


def _process_pool(jobs: int, workers: int | None = None) -> cf.ProcessPoolExecutor:
    # forkserver (or spawn) rather than fork: the parent may run threads
    # (a progress bar, a web server) that fork would copy in a broken state.
    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else "spawn"
    count = workers or min(os.cpu_count() or 1, jobs)
    return cf.ProcessPoolExecutor(
        max_workers=count,
        mp_context=multiprocessing.get_context(method),
        initializer=dedicate_worker,
    )


def _crashed(job: BatchJob, error: BaseException) -> BatchItem:
    return BatchItem(
        source=job.source,
        status=BatchStatus.FAILED,
        error=f"the worker failed: {type(error).__name__}: {error}",
    )


def _run(
    executor: cf.Executor,
    jobs: list[BatchJob],
    progress: Progress | None,
    *,
    retry_broken: bool,
) -> list[BatchItem]:
    items: list[BatchItem | None] = [None] * len(jobs)
    done = 0

    def record(index: int, item: BatchItem) -> None:
        nonlocal done
        items[index] = item
        done += 1
        if progress is not None:
            progress(done, len(jobs), item)

    futures = {executor.submit(build_one, job): index for index, job in enumerate(jobs)}
    broken: list[int] = []
    try:
        for future in cf.as_completed(futures):
            index = futures[future]
            try:
                item = future.result()
            except cf.BrokenExecutor:
                if retry_broken:
                    broken.append(index)
                    continue
                item = _crashed(jobs[index], _died())
            except Exception as error:  # pickling, a lost worker, ...
                item = _crashed(jobs[index], error)
            record(index, item)
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    if broken:
        _isolate(jobs, sorted(broken), record)
    return [item for item in items if item is not None]


def _died() -> BaseException:
    return RuntimeError("the worker process died (killed or out of memory)")


def _isolate(
    jobs: list[BatchJob], pending: list[int], record: Callable[[int, BatchItem], None]
) -> None:
    # A worker process died and took the pool down with it. Run the files
    # that were caught up in it again, one at a time in a fresh process, so
    # only the file that kills its process is reported.
    while pending:
        again: list[int] = []
        with _process_pool(1, workers=1) as solo:
            futures = [(index, solo.submit(build_one, jobs[index])) for index in pending]
            blamed = False
            for index, future in futures:
                try:
                    item = future.result()
                except cf.BrokenExecutor:
                    if blamed:
                        again.append(index)
                        continue
                    blamed = True
                    item = _crashed(jobs[index], _died())
                except Exception as error:  # as in _run
                    item = _crashed(jobs[index], error)
                record(index, item)
        pending = again
