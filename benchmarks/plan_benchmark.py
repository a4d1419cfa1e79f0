"""Benchmark of the planning engine: graph + critical path + schedule.

Generates N measures with about three dependencies each and plans them,
for N = 1,000 and 10,000, and prints the times and the ratio
time(10k) / time(1k) (goal: at most 12, i.e. close to linear).

The garbage collector is paused while timing (as timeit does); each size
runs --repeat times and the best run counts.

Run: python benchmarks/plan_benchmark.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import time
from decimal import Decimal

from kommunal_digital.model import Cost, Measure
from kommunal_digital.model.schedule import ScheduleLimits
from kommunal_digital.planning.critical_path import critical_path
from kommunal_digital.planning.dependencies import dependency_graph
from kommunal_digital.planning.schedule import schedule_measures

START = dt.date(2027, 1, 1)


def make_measures(count: int, seed: int = 7) -> list[Measure]:
    rng = random.Random(seed)
    measures = []
    layer_size = max(1, count // 8)  # eight waves: the critical path fits the horizon
    for index in range(count):
        window = range(index - index % layer_size)
        parents = sorted(rng.sample(window, min(3, len(window))))
        measures.append(
            Measure(
                key=f"m{index:05d}",
                title=f"Maßnahme {index}",
                action_field="f",
                duration_months=rng.randint(1, 12),
                cost=Cost(
                    one_off=Decimal(rng.randint(0, 50) * 1000),
                    yearly=Decimal(rng.randint(0, 20) * 100),
                ),
                staff_fte=rng.choice([0.0, 0.1, 0.25, 0.5]),
                depends_on=tuple(f"m{p:05d}" for p in parents),
            )
        )
    return measures


def plan(measures: list[Measure]) -> tuple[int, int]:
    graph = dependency_graph(measures)
    critical_path(graph, START)
    # Capacities grow with the number of measures so that most of them are placed
    # and the scheduler does real work rather than failing fast.
    count = len(measures)
    limits = ScheduleLimits(
        start=START,
        horizon_years=10,
        one_off_budget=Decimal(count * 3_000),
        staff_fte=count * 0.02,
    )
    schedule = schedule_measures(measures, limits)
    return len(schedule.placed), len(schedule.unplaced)


def best_time(measures: list[Measure], repeat: int) -> tuple[float, tuple[int, int]]:
    # Like timeit: the garbage collector is paused while timing, so that a
    # collection that happens to fall into one run does not decide the figure.
    best = float("inf")
    result = (0, 0)
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            began = time.perf_counter()
            result = plan(measures)
            best = min(best, time.perf_counter() - began)
        finally:
            gc.enable()
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per size; the best counts")
    args = parser.parse_args()
    times = {}
    for count in (1_000, 10_000):
        seconds, (placed, unplaced) = best_time(make_measures(count), args.repeat)
        times[count] = seconds
        print(f"{count:>6} measures: {seconds:.3f} s  (placed {placed}, unplaced {unplaced})")
    ratio = times[10_000] / times[1_000]
    print(f"ratio time(10k)/time(1k): {ratio:.2f}  (goal <= 12)")
    print(f"10k time: {times[10_000]:.3f} s  (goal < 2 s)")


if __name__ == "__main__":
    main()
