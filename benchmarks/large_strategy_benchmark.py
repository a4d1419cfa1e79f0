"""Benchmark: load, plan and render a strategy of 10,000 measures, with peak memory.

Writes a strategy of N measures (default 10,000; see plan_benchmark.py for
its shape) as YAML, then runs in a fresh Python process what a user runs:
``load_strategy``, ``plan_strategy`` with the workspace's presets, and
``render_document`` of the Digitalstrategie as Word. It prints each step's
time and the peak resident memory of that process (``ru_maxrss``).

Goals: load + plan + render under 60 s, peak memory under 1 GiB.

Run: python benchmarks/large_strategy_benchmark.py [--measures 10000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from plan_benchmark import make_strategy  # type: ignore[import-not-found]  # sibling script

import kommunal_digital as kd

_CHILD = """
import datetime as dt, json, resource, sys, time
import kommunal_digital as kd
from kommunal_digital.planning.plan import plan_strategy
path, out = sys.argv[1], sys.argv[2]
times = {}
began = time.perf_counter()
strategy = kd.load_strategy(path)
times["load"] = time.perf_counter() - began
workspace = kd.open_workspace("rlp")
began = time.perf_counter()
strategy = plan_strategy(strategy, workspace.roadmap_presets)
times["plan"] = time.perf_counter() - began
began = time.perf_counter()
kd.render_document(strategy, out, workspace, today=dt.date(2027, 3, 31))
times["render"] = time.perf_counter() - began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"times": times, "peak": peak}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = kd.dump_strategy(make_strategy(args.measures), Path(folder) / "gross.yaml")
        out = Path(folder) / "Digitalstrategie.docx"
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), str(out)],
            capture_output=True,
            text=True,
            check=True,
        )
        size = out.stat().st_size
    report = json.loads(done.stdout.strip().splitlines()[-1])
    times = report["times"]
    total = sum(times.values())
    print(f"{args.measures:,} measures; Digitalstrategie.docx {size / 1e6:.1f} MB")
    for step, seconds in times.items():
        print(f"  {step:<7} {seconds:7.2f} s  {seconds / total * 100:4.0f} %")
    print(f"  total   {total:7.2f} s  (goal < 60 s)")
    print(f"peak memory {report['peak'] / 2**30:.2f} GiB (goal < 1 GiB)")


if __name__ == "__main__":
    main()
