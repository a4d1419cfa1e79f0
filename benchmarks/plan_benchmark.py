"""Benchmark of ``plan_strategy`` as ``kommunal-digital plan`` runs it, step by step.

Generates strategies of N measures (eight waves, about three dependencies
each on measures of earlier waves, 1-12 months, costs and staff drawn with a
fixed seed) and times ``plan_strategy`` with the workspace's presets, for
N = 1,000, 10,000 and 100,000 (``--sizes``). Each step's share of the time
is printed (priority, schedule, roadmap, reached milestones, the two input
fingerprints, the rest), so a quadratic step cannot hide behind a fast one.

Baseline measured in the same run: a raw networkx pass of the critical path
method over the same dependency graph (topological order, forward and
backward pass). Goals: time(100k) / time(10k) <= 12, and at 100k at most
10 times the raw networkx pass.

The garbage collector is paused while timing (as timeit does); each size
runs --repeat times and the best run counts.

Run: python benchmarks/plan_benchmark.py [--sizes 1000 10000 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import functools
import gc
import itertools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import kommunal_digital as kd
from kommunal_digital.model import ActionField, Cost, Measure, Municipality, Strategy
from kommunal_digital.model.labels import MunicipalityKind
from kommunal_digital.model.schedule import ScheduleLimits
from kommunal_digital.planning import plan as plan_module

START = dt.date(2027, 1, 1)
#: The functions plan_strategy calls, timed one by one.
STEPS = (
    "default_priority",
    "schedule_measures",
    "build_roadmap",
    "_keep_reached",
    "schedule_inputs",
    "roadmap_inputs",
)


def make_strategy(count: int, seed: int = 7) -> Strategy:
    rng = random.Random(seed)
    measures = []
    layer_size = max(1, count // 8)  # eight waves: the critical path fits the horizon
    for index in range(count):
        window = range(index - index % layer_size)
        parents = sorted(rng.sample(window, min(3, len(window))))
        measures.append(
            Measure(
                key=f"m{index:06d}",
                title=f"Maßnahme {index}",
                action_field="verwaltung",
                duration_months=rng.randint(1, 12),
                cost=Cost(
                    one_off=Decimal(rng.randint(0, 50) * 1000),
                    yearly=Decimal(rng.randint(0, 20) * 100),
                ),
                staff_fte=rng.choice([0.0, 0.1, 0.25, 0.5]),
                depends_on=tuple(f"m{p:06d}" for p in parents),
            )
        )
    return Strategy(
        municipality=Municipality(
            name="Verbandsgemeinde Benchmark",
            kind=MunicipalityKind.VERBANDSGEMEINDE,
            land="Rheinland-Pfalz",
        ),
        action_fields=(ActionField(key="verwaltung", title="Verwaltung", chosen=True),),
        measures=tuple(measures),
        # Budgets grow with the strategy so that most measures are placed and
        # the scheduler does real work rather than failing fast.
        limits=ScheduleLimits(
            start=START,
            horizon_years=10,
            one_off_budget=Decimal(count * 3_000),
            staff_fte=count * 0.02,
        ),
    )


def networkx_cpm(strategy: Strategy) -> None:
    """A raw networkx critical path pass: the baseline."""
    import networkx as nx

    graph: Any = nx.DiGraph()
    for measure in strategy.measures:
        graph.add_node(measure.key, months=measure.duration_months or 0)
        for parent in measure.depends_on:
            graph.add_edge(parent, measure.key)
    order = list(nx.topological_sort(graph))
    earliest: dict[str, int] = {}
    for node in order:
        start = max((earliest[p] for p in graph.predecessors(node)), default=0)
        earliest[node] = start + graph.nodes[node]["months"]
    end = max(earliest.values(), default=0)
    latest: dict[str, int] = {}
    for node in reversed(order):
        finish = min((latest[s] - graph.nodes[s]["months"] for s in graph.successors(node)),
                     default=end)  # fmt: skip
        latest[node] = finish


@contextmanager
def instrumented(shares: dict[str, float]) -> Iterator[None]:
    """Time each step plan_strategy calls, by patching the names it looks up."""
    originals = {name: getattr(plan_module, name) for name in STEPS}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                shares[name] += time.perf_counter() - began

        return wrapper

    for name, function in originals.items():
        setattr(plan_module, name, timed(name, function))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(plan_module, name, function)


def best(function: Callable[[], Any], repeat: int) -> float:
    fastest = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            began = time.perf_counter()
            function()
            fastest = min(fastest, time.perf_counter() - began)
        finally:
            gc.enable()
    return fastest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the best counts")
    args = parser.parse_args()
    workspace = kd.open_workspace("rlp")
    presets = workspace.roadmap_presets
    times: dict[int, float] = {}
    for count in args.sizes:
        strategy = make_strategy(count)
        raw = best(functools.partial(networkx_cpm, strategy), args.repeat)
        shares: dict[str, float] = collections.defaultdict(float)
        ours = best(functools.partial(plan_module.plan_strategy, strategy, presets), args.repeat)
        with instrumented(shares):
            began = time.perf_counter()
            planned = plan_module.plan_strategy(strategy, presets)
            whole = time.perf_counter() - began
        times[count] = ours
        schedule = planned.schedule
        assert schedule is not None
        shares["rest (copying and checking the strategy)"] = whole - sum(shares.values())
        steps = ", ".join(
            f"{name.lstrip('_')} {value / whole * 100:.0f} %" for name, value in shares.items()
        )
        print(
            f"{count:>7} measures: plan_strategy {ours:.3f} s, raw networkx CPM {raw:.3f} s, "
            f"ratio {ours / raw:.1f} (placed {len(schedule.placed)}, "
            f"unplaced {len(schedule.unplaced)})"
        )
        print(f"{'':>17} steps (instrumented run): {steps}")
    sizes = sorted(times)
    for small, large in itertools.pairwise(sizes):
        print(
            f"ratio time({large:,})/time({small:,}): {times[large] / times[small]:.2f} "
            f"(goal <= {12 if large == 10 * small else 'n/a'})"
        )


if __name__ == "__main__":
    main()
