"""Benchmark of the demo's document set as ``kommunal-digital build`` makes it, step by step.

Builds the demo strategy's full document set (Word, every document type,
PNG pictures in ``Bilder/``) into a fresh folder, --repeat times each way:

- **first build**: cold caches (no compiled template, no picture drawn, an
  empty disk cache), what the very first ``kommunal-digital build`` costs;
- **repeated build**: the caches in memory emptied (a new process), the
  disk cache kept from an earlier build, what every later ``build`` of an
  unchanged strategy costs (see ``kommunal_digital.io.disk_cache``).

and times the steps inside the same runs:

- docxtpl's own work: ``DocxTemplate.render`` and ``DocxTemplate.save``
  (the baseline: what rendering the documents with bare docxtpl costs);
- drawing the pictures (matplotlib) in this process, and waiting for
  pictures drawn aside in a forked child (``kommunal_digital.io.forked``:
  on Linux with two or more CPUs the child draws while this process renders
  the documents that show no picture; ``KOMMUNAL_DIGITAL_FORK=off`` keeps
  everything in one process);
- building the render contexts;
- the rest (compiling templates, checks, writing the set into place).

Each step counts its own time only (a picture drawn or waited for while
docxtpl renders counts as drawing or waiting). The warm-up build, not
counted, draws in this process, so imports and font caches are warm as
they would be after any earlier drawing.

Goal: the whole build at most 3 times docxtpl's own render + save time,
measured in the same run. The best run counts. The disk cache lives in a
temporary folder, never the user's.

Run: python benchmarks/build_benchmark.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import kommunal_digital as kd
from kommunal_digital.documents import build as build_module
from kommunal_digital.documents import charts
from kommunal_digital.documents.template_cache import clear_cache
from kommunal_digital.io import disk_cache, forked

TODAY = dt.date(2027, 3, 31)


@contextmanager
def timed_steps(shares: dict[str, float]) -> Iterator[None]:
    """Add the time of docxtpl's render and save, drawing, waiting and contexts to ``shares``.

    Each step counts its own time only: a picture drawn or waited for while
    docxtpl renders (pictures are read when a template shows them) counts
    as drawing or waiting, not as docxtpl's work.
    """
    from docxtpl import DocxTemplate

    patches: list[tuple[Any, str, str]] = [
        (DocxTemplate, "render", "docxtpl render"),
        (DocxTemplate, "save", "docxtpl save"),
        (charts, "organigram_image", "pictures"),
        (charts, "stakeholder_grid_image", "pictures"),
        (charts, "gantt_image", "pictures"),
        (charts, "strategy_maturity_image", "pictures"),
        (forked.ForkedWork, "get", "waiting for pictures"),
        (build_module, "_context", "contexts"),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    inner: list[float] = []  # time of the steps inside the running one

    def wrap(step: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            inner.append(0.0)
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.perf_counter() - began
                shares[step] += spent - inner.pop()
                if inner:
                    inner[-1] += spent

        return wrapper

    for (owner, name, step), (_, _, original) in zip(patches, originals, strict=True):
        setattr(owner, name, wrap(step, original))
    try:
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def one_build(
    strategy: kd.Strategy, workspace: kd.Workspace, cache_folder: Path
) -> tuple[float, dict[str, float]]:
    clear_cache()
    charts.clear_picture_cache()
    disk_cache._DEFAULT[:] = [disk_cache.DiskCache(cache_folder)]
    shares: dict[str, float] = collections.defaultdict(float)
    with tempfile.TemporaryDirectory() as folder, timed_steps(shares):
        began = time.perf_counter()
        result = kd.build_documents(strategy, Path(folder) / "out", workspace, today=TODAY)
        total = time.perf_counter() - began
    assert result.ok, result.failures
    return total, dict(shares)


def report(title: str, runs: list[tuple[float, dict[str, float]]]) -> None:
    total, shares = min(runs, key=lambda run: run[0])
    docxtpl = shares.get("docxtpl render", 0.0) + shares.get("docxtpl save", 0.0)
    rest = total - sum(shares.values())
    print(f"demo document set, {title}: {total:.2f} s (best of {len(runs)})")
    for step, seconds in sorted(shares.items(), key=lambda item: -item[1]):
        print(f"  {step:<16} {seconds:6.2f} s  {seconds / total * 100:4.0f} %")
    print(f"  {'rest':<16} {rest:6.2f} s  {rest / total * 100:4.0f} %")
    print(f"  build / docxtpl render+save: {total / docxtpl:.2f} (goal <= 3)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    workspace = kd.open_workspace("rlp")
    strategy = kd.demo_strategy(workspace)
    with tempfile.TemporaryDirectory() as caches:
        root = Path(caches)
        # Imports and font caches, not counted: drawn here, not in a child
        # (a forked child's warm caches end with it).
        before = os.environ.get(forked.FORK_VARIABLE)
        os.environ[forked.FORK_VARIABLE] = "off"
        one_build(strategy, workspace, root / "warm-up")
        if before is None:
            del os.environ[forked.FORK_VARIABLE]
        else:
            os.environ[forked.FORK_VARIABLE] = before
        aside = forked.can_fork()
        first = [one_build(strategy, workspace, root / f"cold-{n}") for n in range(args.repeat)]
        one_build(strategy, workspace, root / "kept")
        repeated = [one_build(strategy, workspace, root / "kept") for _ in range(args.repeat)]
    print(
        "pictures drawn aside in a forked child: "
        + (
            "yes"
            if aside
            else f"no (one process; {forked.FORK_VARIABLE}=off, one CPU or not Linux)"
        )
    )
    report("first build (cold caches)", first)
    report("repeated build (disk cache from an earlier build)", repeated)


if __name__ == "__main__":
    main()
