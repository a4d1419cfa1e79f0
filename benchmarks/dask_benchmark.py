"""Dask benchmark: the same batch on a Dask LocalCluster and on the process pool.

Run from the repository root (about two minutes)::

    .venv/bin/python benchmarks/dask_benchmark.py
    .venv/bin/python benchmarks/dask_benchmark.py --strategies 16 --workers 2 --rounds 5

Both executors get the same number of single-threaded worker processes:

- **pool**: the pool ``run_batch`` makes itself (``forkserver``, each worker
  dedicated with ``dedicate_worker``), passed in so that it can be warmed;
- **dask**: ``LocalCluster(n_workers=N, threads_per_worker=1,
  processes=True)`` and ``Client.get_executor()``, the Dask defaults otherwise.

Each executor first builds a warm-up batch of other files (a fresh worker
imports the library, opens the workspace and draws the pictures on its first
file), so the rounds compare warmed workers. Each round runs the batch on
both, back to back, in alternating order, and gives one ratio. The figure is
``dask / pool``, the median of these ratios (goal: at most 1.10). On a
machine shared with other jobs a round's wall time depends on whether a
neighbour held a core just then; pairing the rounds and taking the median
keeps most of that out, and the CPU time of each executor's processes
(the pool's workers and fork server; the cluster's workers and nannies; each
with this process, which holds the Dask scheduler), hardly affected by
neighbours, is printed as a check. So is the pickled size of one job and of
one result, which is all that crosses to a worker and back.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import logging
import multiprocessing
import os
import pickle
import statistics
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import attrs
from batch_benchmark import TODAY, write_variations

from kommunal_digital.batch import run_batch
from kommunal_digital.batch.worker import BatchJob, dedicate_worker


def descendants() -> set[int]:
    import psutil  # type: ignore[import-untyped]  # no stubs in the dev environment

    return {child.pid for child in psutil.Process().children(recursive=True)}


def cpu_of(pids: set[int]) -> float:
    """User + system CPU seconds of this process and of the given ones."""
    import psutil

    total = sum(psutil.Process().cpu_times()[:2])
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            total += sum(psutil.Process(pid).cpu_times()[:2])
    return float(total)


@attrs.frozen
class Contender:
    """An executor and its processes (this one's aside)."""

    executor: cf.Executor
    pids: set[int]

    def timed(self, files: list[Path], out: Path) -> tuple[float, float]:
        cpu = cpu_of(self.pids)
        started = time.perf_counter()
        result = run_batch(files, out, executor=self.executor, today=TODAY)
        wall = time.perf_counter() - started
        assert not result.failed, result.summary()
        return wall, cpu_of(self.pids) - cpu


@contextlib.contextmanager
def contenders(workers: int, warm: list[Path], out: Path) -> Iterator[dict[str, Contender]]:
    """The pool and the Dask cluster, each warmed with a batch of its own."""
    from dask.distributed import Client, LocalCluster

    with contextlib.ExitStack() as stack:
        pool = stack.enter_context(
            cf.ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=dedicate_worker,
                initargs=(os.getpid(),),
            )
        )
        run_batch(warm, out / "warm-pool", executor=pool, today=TODAY)
        pool_pids = descendants()
        # A machine without a network route warns that it cannot tell its address.
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore", RuntimeWarning)
        cluster = stack.enter_context(
            LocalCluster(  # type: ignore[no-untyped-call]  # unannotated in distributed
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port
            )
        )
        client = stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]  # idem
        dask = client.get_executor()
        run_batch(warm, out / "warm-dask", executor=dask, today=TODAY)
        yield {
            "pool": Contender(pool, pool_pids),
            "dask": Contender(dask, descendants() - pool_pids),
        }


def sizes(files: list[Path], out: Path) -> tuple[int, int]:
    """Pickled bytes of one job and of its result (built in this process)."""
    from kommunal_digital.batch.worker import build_one

    claims = out / "claims"
    claims.mkdir(parents=True)
    job = BatchJob(source=files[0], root=out, claims=claims, today=TODAY, ticket="0")
    item = build_one(job)
    assert item.ok, item.error
    return len(pickle.dumps(job)), len(pickle.dumps(item))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strategies", type=int, default=12, help="strategies per batch")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of each")
    parser.add_argument("--rounds", type=int, default=7, help="timed batches per executor")
    args = parser.parse_args()
    logging.getLogger("distributed").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = write_variations(root / "in", args.strategies)
        warm = write_variations(root / "warm", 2 * args.workers)
        job_bytes, item_bytes = sizes(files, root / "sizes")
        walls: dict[str, list[float]] = {"pool": [], "dask": []}
        cpus: dict[str, list[float]] = {"pool": [], "dask": []}
        with contenders(args.workers, warm, root) as found:
            for number in range(args.rounds):
                order = list(found) if number % 2 == 0 else list(reversed(found))
                for name in order:
                    wall, cpu = found[name].timed(files, root / f"{name}-{number}")
                    walls[name].append(wall)
                    cpus[name].append(cpu)
                    print(f"  round {number + 1} {name:4s}: {wall:6.2f} s, CPU {cpu:6.2f} s")
    ratios = [dask / pool for pool, dask in zip(walls["pool"], walls["dask"], strict=True)]
    print(
        f"{args.strategies} strategies, {args.workers} workers each, "
        f"{args.rounds} warmed rounds (medians):"
    )
    for name in ("pool", "dask"):
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"  {name}: {wall:6.2f} s, CPU {cpu:6.2f} s")
    print(f"  per file: job {job_bytes} bytes pickled, result {item_bytes} bytes")
    cpu_ratio = statistics.median(cpus["dask"]) / statistics.median(cpus["pool"])
    print(f"  CPU dask / pool = {cpu_ratio:.3f}")
    print(f"  dask / pool = {statistics.median(ratios):.3f}  (median of the rounds; goal <= 1.10)")


if __name__ == "__main__":
    main()
