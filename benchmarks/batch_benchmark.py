"""Batch benchmark: parallel efficiency on two cores and peak memory by batch size.

Run from the repository root (takes a few minutes)::

    .venv/bin/python benchmarks/batch_benchmark.py
    .venv/bin/python benchmarks/batch_benchmark.py --strategies 40 --documents 10 1000

1. Parallel efficiency: the same batch of demo variations (the demo strategy
   with another municipality name each) runs once with one worker and once
   with two; efficiency = t(1) / (2 * t(2)). Goal: at least 85 %.
2. Peak memory: for each size (a number of documents) a fresh Python process
   runs a batch with two workers while a thread samples the resident memory
   of that process and all its descendants (the forkserver and the
   workers). Goal: the peak at 1,000 documents at most 1.2 times the peak
   at 10. A batch always has at least two strategies, so both workers run.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import json
import math
import multiprocessing
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import attrs

import kommunal_digital as kd
from kommunal_digital.batch import BatchResult, run_batch

TODAY = dt.date(2027, 1, 15)


def write_variations(folder: Path, count: int) -> list[Path]:
    demo = kd.demo_strategy()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        municipality = attrs.evolve(demo.municipality, name=f"Verbandsgemeinde Probe {index:04d}")
        path = folder / f"probe-{index:04d}.yaml"
        kd.dump_strategy(attrs.evolve(demo, municipality=municipality), path)
        paths.append(path)
    return paths


def documents_per_strategy() -> int:
    demo = kd.demo_strategy()
    types = kd.load_installation().document_types()
    return sum(len(demo.measures) if kind.per_measure else 1 for kind in types.values())


def pool(workers: int) -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"))


def timed_batch(files: list[Path], out: Path, workers: int) -> tuple[float, BatchResult]:
    with pool(workers) as executor:
        # Warm up: start every worker and import the library before timing.
        list(executor.map(_warm, range(workers * 2)))
        started = time.perf_counter()
        result = run_batch(files, out, executor=executor, today=TODAY)
        return time.perf_counter() - started, result


def _warm(_: int) -> int:
    import kommunal_digital.documents.build  # noqa: F401  # what a worker imports first

    return 0


def efficiency(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = write_variations(Path(tmp) / "in", count)
        one, first = timed_batch(files, Path(tmp) / "out1", 1)
        two, second = timed_batch(files, Path(tmp) / "out2", 2)
    assert not first.failed, first.summary()
    assert not second.failed, second.summary()
    documents = sum(len(item.documents) for item in second.items)
    ratio = one / (2 * two)
    print(f"parallel efficiency, {count} strategies ({documents} documents):")
    print(f"  1 worker : {one:7.1f} s  ({one / count:.2f} s per strategy)")
    print(f"  2 workers: {two:7.1f} s")
    print(f"  efficiency t1 / (2 * t2) = {ratio:.1%}  (goal >= 85 %)")


def measure_memory(strategies: int) -> dict[str, float]:
    """Runs in a fresh process: a batch with two workers, sampling the process tree."""
    import psutil  # type: ignore[import-untyped]  # no stubs in the dev environment

    me = psutil.Process()
    peak = {"tree": 0.0, "parent": 0.0, "worker": 0.0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                parent = me.memory_info().rss
                children = [c.memory_info().rss for c in me.children(recursive=True)]
            except psutil.Error:
                continue
            peak["tree"] = max(peak["tree"], parent + sum(children))
            peak["parent"] = max(peak["parent"], parent)
            peak["worker"] = max(peak["worker"], max(children, default=0))
            time.sleep(0.02)

    with tempfile.TemporaryDirectory() as tmp:
        files = write_variations(Path(tmp) / "in", strategies)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        with pool(2) as executor:
            result = run_batch(files, Path(tmp) / "out", executor=executor, today=TODAY)
        stop.set()
        sampler.join()
    assert not result.failed, result.summary()
    documents = sum(len(item.documents) for item in result.items)
    return {"documents": documents, **{k: v / 2**20 for k, v in peak.items()}}


def memory(sizes: list[int]) -> None:
    per_strategy = documents_per_strategy()
    figures = []
    for size in sizes:
        strategies = max(2, math.ceil(size / per_strategy))
        output = subprocess.run(
            [sys.executable, __file__, "--measure-memory", str(strategies)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        figures.append((size, json.loads(output.strip().splitlines()[-1])))
    print("peak resident memory (parent + forkserver + 2 workers), MiB:")
    for size, figure in figures:
        print(
            f"  {size:5d} documents asked ({figure['documents']:5.0f} built): "
            f"tree {figure['tree']:7.1f}, parent {figure['parent']:6.1f}, "
            f"largest worker {figure['worker']:6.1f}"
        )
    base = figures[0][1]["tree"]
    for size, figure in figures[1:]:
        print(
            f"  ratio {size} / {figures[0][0]} documents: {figure['tree'] / base:.2f}"
            "  (goal <= 1.20)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--strategies", type=int, default=40, help="strategies for the efficiency run"
    )
    parser.add_argument("--documents", type=int, nargs="+", default=[10, 1000])
    parser.add_argument("--skip-efficiency", action="store_true")
    parser.add_argument("--measure-memory", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_memory:
        print(json.dumps(measure_memory(args.measure_memory)))
        return
    if not args.skip_efficiency:
        efficiency(args.strategies)
    memory(args.documents)


if __name__ == "__main__":
    main()
