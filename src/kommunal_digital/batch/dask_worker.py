"""A batch job on a Dask worker: the worker's sampling profiler rests meanwhile.

A Dask worker samples the stacks of its running tasks every 10 ms
(``distributed.worker.profile.interval``) for the dashboard's profile page.
It walks the whole stack of the task's thread from its event loop, holding
the interpreter lock, and a document build has deep stacks (Jinja inside
docxtpl inside python-docx): besides a demo file's 0.42 s of CPU, the
worker's other threads used 21 ms with the profiler and 7 ms without. So
while at least one batch job runs on a worker, that worker's profiler is
paused; it resumes when the last one ends. Nothing else about the worker
changes, and outside a Dask worker this module does nothing (it never
imports Dask itself).
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from distributed import Worker
    from tornado.ioloop import PeriodicCallback

__all__ = ["profiler_paused"]

#: The worker's periodic callback that samples the running tasks' stacks.
_PROFILER = "profile"

_LOCK = threading.Lock()
#: Batch jobs running per worker (by ``id``), counted from the jobs' threads.
_RUNNING: dict[int, int] = {}
#: The profilers paused per worker; touched only on the workers' event loops.
_PAUSED: dict[int, PeriodicCallback] = {}


@contextlib.contextmanager
def profiler_paused() -> Iterator[None]:
    """Pause the current Dask worker's profiler while the block runs (nothing elsewhere).

    Jobs may overlap on a worker with several threads: the first to start
    pauses the profiler, the last to end resumes it.
    """
    worker = _current_worker()
    if worker is None:
        yield
        return
    key = id(worker)
    with _LOCK:
        _RUNNING[key] = _RUNNING.get(key, 0) + 1
        if _RUNNING[key] == 1:
            # Queued under the lock, so a pause and a resume reach the
            # event loop in the order the jobs started and ended.
            _on_loop(worker, _pause)
    try:
        yield
    finally:
        with _LOCK:
            _RUNNING[key] -= 1
            if not _RUNNING[key]:
                del _RUNNING[key]
                _on_loop(worker, _resume)


def _current_worker() -> Worker | None:
    if "distributed" not in sys.modules:
        return None  # not on a Dask worker; and Dask stays unimported
    from distributed import get_worker

    try:
        return get_worker()
    except ValueError:  # a thread that is not running a Dask task
        return None


def _on_loop(worker: Worker, action: Callable[[Worker], None]) -> None:
    # Tornado's callbacks are not thread-safe; add_callback is.
    with contextlib.suppress(RuntimeError):  # the worker's loop has closed
        worker.loop.add_callback(action, worker)


def _pause(worker: Worker) -> None:
    profiler = worker.periodic_callbacks.get(_PROFILER)
    if profiler is not None and profiler.is_running():
        profiler.stop()
        _PAUSED[id(worker)] = profiler


def _resume(worker: Worker) -> None:
    from distributed.core import Status

    profiler = _PAUSED.pop(id(worker), None)
    if (
        profiler is not None
        and worker.status in (Status.running, Status.paused)  # not while closing
        and worker.periodic_callbacks.get(_PROFILER) is profiler
    ):
        profiler.start()
