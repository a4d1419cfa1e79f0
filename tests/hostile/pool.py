"""Running the corpus in a few worker processes, with a watchdog.

Each worker (:mod:`tests.hostile.worker`) imports the library once and
runs case after case; a fresh process per case would spend about half a
second on imports alone. The parent hands each idle worker the next case
and waits for its answer. A worker that does not answer in time (the
case's seconds plus :data:`GRACE`) is killed with its whole process group,
and a worker that dies is replaced; either way the case is a failure
naming what happened, and the run goes on.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["GRACE", "run_corpus"]

#: Seconds the parent waits beyond a case's own limit before it kills the worker.
GRACE = 10.0
#: Seconds a new worker may take to import the library and warm up.
STARTUP = 120.0
#: The repository: workers import ``tests.hostile`` from here.
ROOT = Path(__file__).resolve().parents[2]

Case = dict[str, Any]


@dataclass
class _Worker:
    number: int
    folder: Path
    process: subprocess.Popen[bytes]
    buffer: bytes = b""
    ready: bool = False
    case: Case | None = None
    deadline: float = 0.0
    started: float = field(default_factory=time.monotonic)


def _log_tail(folder: Path) -> str:
    try:
        lines = (folder / "worker.log").read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(lines[-3:])[-400:]


class _Pool:
    def __init__(self, base: Path, size: int, grace: float, warm_up: bool) -> None:
        self.base = base
        self.size = size
        self.grace = grace
        self.warm_up = warm_up
        self.failed_starts = 0
        self.count = 0
        self.selector = selectors.DefaultSelector()
        self.workers: list[_Worker] = []
        self.results: dict[str, dict[str, Any]] = {}
        self.clean_exits: list[Path] = []

    def start(self) -> _Worker:
        self.count += 1
        folder = self.base / f"w{self.count}"
        (folder / "tmp").mkdir(parents=True)
        env = dict(os.environ)
        env["TMPDIR"] = str(folder / "tmp")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        env.pop("COV_CORE_SOURCE", None)  # no coverage collection in the workers
        env["HOSTILE_WARM_UP"] = "1" if self.warm_up else "0"
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.hostile.worker", str(self.base), str(folder)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        worker = _Worker(self.count, folder, process, deadline=time.monotonic() + STARTUP)
        assert process.stdout is not None
        self.selector.register(process.stdout, selectors.EVENT_READ, worker)
        self.workers.append(worker)
        return worker

    def stop(self, worker: _Worker, *, kill: bool) -> None:
        assert worker.process.stdout is not None
        assert worker.process.stdin is not None
        self.selector.unregister(worker.process.stdout)
        self.workers.remove(worker)
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.process.pid, signal.SIGKILL)
        with contextlib.suppress(BrokenPipeError):
            worker.process.stdin.close()
        try:
            code = worker.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.process.pid, signal.SIGKILL)
            code = worker.process.wait()
        worker.process.stdout.close()
        if not kill and code == 0:
            self.clean_exits.append(worker.folder)

    def fail(self, worker: _Worker, problem: str) -> None:
        case = worker.case
        if case is None:
            self.failed_starts += 1
            if self.failed_starts > 3:
                raise RuntimeError(f"workers keep failing before any case: {problem}")
            return
        self.results[case["id"]] = {
            "id": case["id"],
            "problems": [problem],
            "seconds": round(time.monotonic() - worker.started, 3),
            "peak_mb": None,
            "outcome": problem,
        }

    def dispatch(self, worker: _Worker, case: Case) -> None:
        assert worker.process.stdin is not None
        worker.case = case
        worker.started = time.monotonic()
        seconds = float(case.get("limits", {}).get("seconds", 10))
        worker.deadline = worker.started + seconds + self.grace
        worker.process.stdin.write(json.dumps(case).encode("utf-8") + b"\n")
        worker.process.stdin.flush()

    def answer(self, worker: _Worker, line: bytes) -> None:
        message = json.loads(line)
        if message.get("ready"):
            worker.ready = True
            return
        self.results[message["id"]] = message
        worker.case = None
        if message.get("restart"):
            self.stop(worker, kill=False)

    def run(self, cases: Iterable[Case]) -> dict[str, dict[str, Any]]:
        pending = collections.deque(cases)
        for _ in range(min(self.size, len(pending))):
            self.start()
        while pending or any(w.case is not None for w in self.workers):
            while len(self.workers) < min(self.size, len(pending) + self._busy()):
                self.start()
            for worker in list(self.workers):
                if worker.ready and worker.case is None and pending:
                    self.dispatch(worker, pending.popleft())
            now = time.monotonic()
            waiting = [w.deadline for w in self.workers if w.case is not None or not w.ready]
            timeout = max(0.0, min(waiting, default=now + 1) - now)
            for key, _ in self.selector.select(timeout):
                worker = key.data
                chunk = os.read(key.fd, 1 << 16)
                if not chunk:
                    try:
                        code = worker.process.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        code = None
                    how = f"by signal {-code}" if code is not None and code < 0 else f"exit {code}"
                    self.fail(worker, f"the worker died ({how}): {_log_tail(worker.folder)}")
                    self.stop(worker, kill=True)
                    continue
                worker.buffer += chunk
                while b"\n" in worker.buffer and worker in self.workers:
                    line, worker.buffer = worker.buffer.split(b"\n", 1)
                    self.answer(worker, line)
            now = time.monotonic()
            for worker in list(self.workers):
                if now > worker.deadline and (worker.case is not None or not worker.ready):
                    self.fail(
                        worker, f"hang: no answer within {worker.deadline - worker.started:g} s"
                    )
                    self.stop(worker, kill=True)
        for worker in list(self.workers):
            self.stop(worker, kill=False)
        return self.results

    def _busy(self) -> int:
        return sum(1 for w in self.workers if w.case is not None)


def run_corpus(
    cases: Iterable[Case],
    base: Path,
    workers: int = 2,
    *,
    grace: float = GRACE,
    warm_up: bool = True,
) -> tuple[dict[str, dict[str, Any]], list[Path]]:
    """Run every case; return the results by case id and the folders of workers that ended cleanly.

    Args:
        cases: The cases, as in ``cases.json``.
        base: An empty folder; the workers make their folders (and
            temporary folders) below it.
        workers: How many worker processes run cases side by side.
        grace: Seconds beyond a case's limit before the watchdog kills its worker.
        warm_up: Whether workers load the library before their first case
            (the harness's own tests need none).
    """
    (base / "markers").mkdir(parents=True, exist_ok=True)
    pool = _Pool(base, workers, grace, warm_up)
    try:
        results = pool.run(cases)
    finally:
        for worker in list(pool.workers):
            pool.stop(worker, kill=True)
    return results, pool.clean_exits
