"""Start-up benchmark: import and --help times against docxtpl and click, in one run.

Run from the repository root (about half a minute)::

    .venv/bin/python benchmarks/startup_benchmark.py
    .venv/bin/python benchmarks/startup_benchmark.py --runs 30 --json

Five commands, each started ``--runs`` times (default 15) as a fresh
subprocess of the interpreter running this script (``sys.executable``):

1. ``python -c pass``: the interpreter's own start-up, subtracted from the
   others to give their net time;
2. ``python -c "import kommunal_digital"``;
3. ``python -c "import docxtpl"``;
4. ``python -c "import click"``;
5. ``kommunal-digital --help``: the console script installed next to
   ``sys.executable``, run by that interpreter (``python -m kommunal_digital
   --help`` where there is no such script), output discarded.

The runs are interleaved, one round of all five commands at a time with the
order rotated each round, so load from other processes falls on all of them
alike; one untimed round first writes bytecode caches and warms the file
cache. Each command's figure is the median wall time of its runs; its net
time is that median minus the median of ``python -c pass``.

Goals (ratios of net times, measured in the same run):

- ``import kommunal_digital`` / ``import docxtpl``: at most 0.5;
- ``kommunal-digital --help`` / ``import click``: at most 1.5.

It also lists which of some heavy or notable dependencies a plain
``import kommunal_digital`` loads, and how many modules it loads. The exit
status is 1 when a ratio misses its goal, 0 otherwise, so the script can
serve as a check (2 when a command fails and nothing could be measured);
``--json`` prints the figures as JSON instead of a table.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PASS = "python -c pass"
IMPORT_KD = "import kommunal_digital"
IMPORT_DOCXTPL = "import docxtpl"
IMPORT_CLICK = "import click"
HELP = "kommunal-digital --help"

WATCHED = (
    "networkx",
    "babel",
    "openpyxl",
    "icalendar",
    "rich",
    "click",
    "docxtpl",
    "lxml",
    "matplotlib",
    "yaml",
    "cattrs",
    "pluggy",
)

# Runs in a fresh interpreter. The module count is taken before json is
# imported for the output, so the probe itself does not inflate it.
PROBE = f"""\
import sys
bare = len(sys.modules)
import kommunal_digital
names = sorted(sys.modules)
import json
print(json.dumps({{
    "bare_interpreter": bare,
    "all": len(names),
    "kommunal_digital": sum(n.startswith("kommunal_digital.") for n in names),
    "loaded": {{w: w in names for w in {WATCHED!r}}},
}}))
"""


@dataclass(frozen=True)
class Command:
    label: str
    argv: list[str]


@dataclass(frozen=True)
class Timing:
    command: Command
    times: list[float]
    raw: float
    net: float


@dataclass(frozen=True)
class Ratio:
    numerator: str
    denominator: str
    value: float
    target: float

    @property
    def passed(self) -> bool:
        return self.value <= self.target


def commands() -> list[Command]:
    python = sys.executable
    script = Path(python).parent / "kommunal-digital"
    if script.is_file():
        # Through sys.executable rather than the script's shebang, so that all
        # five commands are sure to run on the same interpreter.
        help_argv = [python, str(script), "--help"]
    else:  # Windows (a .exe launcher) or not installed as a distribution
        help_argv = [python, "-m", "kommunal_digital", "--help"]
    return [
        Command(PASS, [python, "-c", "pass"]),
        Command(IMPORT_KD, [python, "-c", "import kommunal_digital"]),
        Command(IMPORT_DOCXTPL, [python, "-c", "import docxtpl"]),
        Command(IMPORT_CLICK, [python, "-c", "import click"]),
        Command(HELP, help_argv),
    ]


def run_once(command: Command) -> float:
    began = time.perf_counter()
    completed = subprocess.run(
        command.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - began
    if completed.returncode != 0:
        stderr = completed.stderr.decode(errors="replace").strip()
        print(f"{command.label!r} failed (exit status {completed.returncode}):", file=sys.stderr)
        print(stderr, file=sys.stderr)
        sys.exit(2)  # not 1, which means a goal was missed
    return elapsed


def measure(runs: int) -> list[Timing]:
    cmds = commands()
    for command in cmds:  # warm-up: bytecode caches, file cache; also fails early
        run_once(command)
    times: dict[str, list[float]] = {command.label: [] for command in cmds}
    for round_ in range(runs):
        shift = round_ % len(cmds)
        for command in cmds[shift:] + cmds[:shift]:
            times[command.label].append(run_once(command))
    baseline = statistics.median(times[PASS])
    timings = []
    for command in cmds:
        raw = statistics.median(times[command.label])
        timings.append(Timing(command, times[command.label], raw, raw - baseline))
    return timings


def ratio(net: dict[str, float], numerator: str, denominator: str, target: float) -> Ratio:
    below = net[denominator]
    value = net[numerator] / below if below > 0 else float("inf")
    return Ratio(numerator, denominator, value, target)


def probe_modules() -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, Any] = json.loads(output)
    return result


def print_table(runs: int, timings: list[Timing], ratios: list[Ratio]) -> None:
    print(
        f"start-up, median of {runs} interleaved runs each "
        f"({sys.executable}, Python {platform.python_version()}):"
    )
    width = max(len(timing.command.label) for timing in timings)
    print(f"  {'command':<{width}}  {'raw ms':>8}  {'net ms':>8}")
    for timing in timings:
        print(
            f"  {timing.command.label:<{width}}  {timing.raw * 1000:8.1f}  {timing.net * 1000:8.1f}"
        )
    print("net ratios:")
    for item in ratios:
        verdict = "PASS" if item.passed else "FAIL"
        name = f"{item.numerator} / {item.denominator}"
        print(f"  {name:<50} {item.value:6.2f}  (goal <= {item.target})  {verdict}")


def print_modules(modules: dict[str, Any]) -> None:
    loaded: dict[str, bool] = modules["loaded"]
    print(
        f"{IMPORT_KD} leaves {modules['all']} modules in sys.modules "
        f"(bare interpreter: {modules['bare_interpreter']}), "
        f"{modules['kommunal_digital']} of them kommunal_digital.*"
    )
    print("  loaded:     " + (", ".join(name for name, yes in loaded.items() if yes) or "-"))
    print("  not loaded: " + (", ".join(name for name, yes in loaded.items() if not yes) or "-"))


def as_json(runs: int, timings: list[Timing], ratios: list[Ratio], modules: dict[str, Any]) -> str:
    return json.dumps(
        {
            "python": sys.executable,
            "python_version": platform.python_version(),
            "runs": runs,
            "commands": [
                {
                    "label": timing.command.label,
                    "argv": timing.command.argv,
                    "median_raw_s": timing.raw,
                    "median_net_s": timing.net,
                    "times_s": timing.times,
                }
                for timing in timings
            ],
            "ratios": [
                {
                    "numerator": item.numerator,
                    "denominator": item.denominator,
                    "value": item.value,
                    "target": item.target,
                    "passed": item.passed,
                }
                for item in ratios
            ],
            "modules": modules,
            "passed": all(item.passed for item in ratios),
        },
        indent=2,
    )


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=positive, default=15, help="runs per command (15)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    runs: int = args.runs
    timings = measure(runs)
    net = {timing.command.label: timing.net for timing in timings}
    ratios = [
        ratio(net, IMPORT_KD, IMPORT_DOCXTPL, 0.5),
        ratio(net, HELP, IMPORT_CLICK, 1.5),
    ]
    modules = probe_modules()
    if args.json:
        print(as_json(runs, timings, ratios, modules))
    else:
        print_table(runs, timings, ratios)
        print_modules(modules)
    return 0 if all(item.passed for item in ratios) else 1


if __name__ == "__main__":
    sys.exit(main())
