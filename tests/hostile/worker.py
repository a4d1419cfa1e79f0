"""A worker process of the hostile corpus: runs the cases it is sent, each within its limits.

Started by :mod:`tests.hostile.pool` as ``python -m tests.hostile.worker BASE
FOLDER``. It imports the library once, then reads one JSON case per line on
standard input and answers one JSON result per line on the standard output
it was started with (the code under test writes to a log instead). Per
case it sets the address-space limit (``RLIMIT_AS``), a CPU-time limit
(``RLIMIT_CPU``, answered by ``SIGXCPU``) and a wall-time alarm
(``SIGALRM``); both signals raise :class:`~tests.hostile.runner.CaseLimit`.
After a case that hit a limit the worker answers and exits, so that the
next case starts in a fresh process.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import Any

from tests.hostile.checks import snapshot
from tests.hostile.recipes import Places, base_data, build_inputs
from tests.hostile.runner import CaseLimit, installation, judge, observe

#: Defaults for a case that names no limits.
DEFAULT_SECONDS = 10.0
DEFAULT_MEMORY_MB = 1024

_LIMIT: list[str] = [""]


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise CaseLimit(f"ran longer than {_LIMIT[0]} s")


def _on_cpu(signum: int, frame: FrameType | None) -> None:
    raise CaseLimit(f"used more than {_LIMIT[0]} s of CPU time")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    """The process's peak resident memory since the last reset (``VmHWM``), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pragma: no cover


def _reset_peak() -> None:
    # Not Linux, or not allowed: the peak stays an upper bound.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _warm_up() -> None:
    """Import and load what nearly every case needs, so a case pays only for itself."""
    if os.environ.get("HOSTILE_WARM_UP") == "0":  # the harness's own tests need no library
        return
    import click.testing  # noqa: F401
    import docx  # noqa: F401
    import docxtpl  # noqa: F401
    import openpyxl  # noqa: F401

    import kommunal_digital as kd
    import kommunal_digital.cli.main
    from kommunal_digital.authoring.check import builtin_filter_names

    workspace = installation().workspace("rlp")
    base_data("demo")
    base_data("minimal")
    builtin_filter_names()
    # The first chart and the first Word document load matplotlib, fonts and docxtpl.
    with tempfile.TemporaryDirectory() as folder:
        demo = kd.demo_strategy(planned=False)
        kd.render_document(demo, Path(folder, "d.md"), workspace)
        kd.render_document(demo, Path(folder, "d.docx"), workspace)


def run_one(case: dict[str, Any], base: Path, folder: Path) -> dict[str, Any]:
    """Run one case within its limits; the result names every problem."""
    case_dir = folder / case["id"]
    places = Places(
        base=base,
        case=case_dir,
        inp=case_dir / "in",
        out=case_dir / "out",
        marker=base / "markers" / case["id"],
    )
    limits = case.get("limits", {})
    seconds = float(limits.get("seconds", DEFAULT_SECONDS))
    memory = int(limits.get("memory_mb", DEFAULT_MEMORY_MB)) << 20
    result: dict[str, Any] = {"id": case["id"], "problems": [], "restart": False}
    try:
        build_inputs(case.get("inputs", []), places)
    except Exception as error:
        result["problems"] = [f"the recipe failed: {type(error).__name__}: {error}"]
        shutil.rmtree(case_dir, ignore_errors=True)
        return result
    before = snapshot(places, folder)
    _, hard_as = resource.getrlimit(resource.RLIMIT_AS)
    _, hard_cpu = resource.getrlimit(resource.RLIMIT_CPU)
    outcome = "ok"
    started = time.perf_counter()
    child_peak = 0.0
    _reset_peak()
    try:
        _LIMIT[0] = f"{seconds:g}"
        resource.setrlimit(resource.RLIMIT_AS, (memory, hard_as))
        cpu_limit = math.ceil(_cpu_seconds() + seconds)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_limit, hard_cpu))
        signal.setitimer(signal.ITIMER_REAL, seconds)
        obs, child_peak = observe(case, places)
        signal.setitimer(signal.ITIMER_REAL, 0)
        result["problems"] = judge(case, obs)
        if obs.exit_code is not None:
            last = (obs.output.strip().splitlines() or [""])[-1]
            outcome = f"exit {obs.exit_code}: {last[:200]}"
        elif obs.error is not None:
            outcome = f"{obs.stage}: {type(obs.error).__name__}: {str(obs.error)[:300]}"
        elif obs.report:
            outcome = f"ok: {obs.report[:300]}"
    except CaseLimit as limit:
        signal.setitimer(signal.ITIMER_REAL, 0)
        result["problems"] = [f"limit: {limit}"]
        result["restart"] = True
        outcome = str(limit)
    except MemoryError:
        signal.setitimer(signal.ITIMER_REAL, 0)
        result["problems"] = [f"limit: ran out of its {memory >> 20} MiB of memory (MemoryError)"]
        result["restart"] = True
        outcome = "MemoryError"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        resource.setrlimit(resource.RLIMIT_CPU, (hard_cpu, hard_cpu))
        resource.setrlimit(resource.RLIMIT_AS, (hard_as, hard_as))
    result["seconds"] = round(time.perf_counter() - started, 3)
    result["peak_mb"] = round(max(_peak_mb(), child_peak), 1)
    result["outcome"] = outcome
    if places.marker.exists():
        result["problems"].append("code ran: the payload's marker file exists")
    outside = sorted(snapshot(places, folder) - before)
    if outside:
        result["problems"].append(f"wrote outside its folders: {outside[:3]}")
    shutil.rmtree(case_dir, ignore_errors=True)
    return result


def main() -> None:
    """Serve cases until standard input closes."""
    base, folder = Path(sys.argv[1]), Path(sys.argv[2])
    answers = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    log = os.open(folder / "worker.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(log, 1)
    os.dup2(log, 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGXCPU, _on_cpu)
    _warm_up()
    answers.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        case = json.loads(line)
        result = run_one(case, base, folder)
        answers.write(json.dumps(result, ensure_ascii=False) + "\n")
        if result["restart"]:
            break


if __name__ == "__main__":
    main()
