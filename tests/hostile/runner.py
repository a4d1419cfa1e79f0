"""Running one case's entry point and judging what happened against the case's expectation.

An entry point is an API function (``{"api": "load", ...}``), a command run
in-process with click's runner (``{"cli": [...]}``) or a command run as a
real ``python -m kommunal_digital`` process (``{"process": [...]}``). What
it did (the error, its stage, the exit code, the output, the files) is an
:class:`Observation`; :func:`judge` compares it with the case's ``expect``
and the rules every case shares: no traceback, no exception from outside
our error hierarchy, no file outside the case's folders, no marker file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib
import os
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.hostile.checks import CHECKS
from tests.hostile.recipes import Places, substitute

if TYPE_CHECKING:
    import kommunal_digital as kd

__all__ = ["CaseLimit", "Observation", "installation", "judge", "observe"]

Case = dict[str, Any]

#: The fixed DTSTAMP of calendars, so outputs are comparable.
NOW = dt.datetime(2027, 1, 1, 12, 0, tzinfo=dt.UTC)


class CaseLimit(BaseException):
    """The case ran out of its wall time or CPU time (raised by a signal handler)."""


@dataclass
class Observation:
    """What an entry point did.

    Attributes:
        stage: The step that was running last (``load``, ``plan``, ``build``, ...).
        error: The exception it raised, if any (never a ``SystemExit`` of the CLI).
        where: The last frames of an unexpected exception's traceback.
        report: Text the entry produced on success (pack problems, plugin notices).
        problems: How many problems a ``pack check`` reported.
        exit_code: The exit status of a command.
        output: Standard output and error of a command.
        notes: Problems found by the entry's own checks of its outputs.
    """

    stage: str = ""
    error: BaseException | None = None
    where: str = ""
    report: str = ""
    problems: int = 0
    exit_code: int | None = None
    output: str = ""
    notes: list[str] = field(default_factory=list)


# --- the API entry points ---------------------------------------------------------------


@functools.cache
def installation() -> kd.Installation:
    """The installation of the worker: the bundled packs and installed plugins, loaded once."""
    import kommunal_digital as kd

    return kd.load_installation()


def _load(obs: Observation, path: Path) -> kd.Strategy:
    import kommunal_digital as kd

    obs.stage = "load"
    return kd.load_strategy(path)


def _workspace(
    obs: Observation, strategy: kd.Strategy, pack: str | None
) -> tuple[kd.Strategy, kd.Workspace]:
    """The workspace of the strategy's pack (or ``pack``), and the strategy checked in it."""
    import kommunal_digital as kd

    obs.stage = "workspace"
    workspace = installation().workspace(pack if pack is not None else strategy.pack)
    checked = kd.workspace.check_extensions(strategy, workspace.extension_schemas, "strategy")
    return checked, workspace


def _strategy_file(entry: Case, places: Places) -> Path:
    name: str = entry.get("file", "strategy.yaml")
    return places.inp / name


def api_load(entry: Case, places: Places, obs: Observation) -> None:
    _load(obs, _strategy_file(entry, places))


def api_chain(entry: Case, places: Places, obs: Observation) -> None:
    """Load, plan, build (every context as JSON, the Digitalstrategie as Markdown), calendar."""
    import kommunal_digital as kd

    strategy = _load(obs, _strategy_file(entry, places))
    obs.stage = "workspace"
    workspace = installation().workspace(strategy.pack)
    steps = entry.get("steps", ["plan", "build", "calendar"])
    if "plan" in steps:
        obs.stage = "plan"
        strategy = kd.plan(strategy, workspace)
    if "build" in steps:
        obs.stage = "build"
        kd.build_documents(
            strategy, places.out / "json", workspace, formats=("json",), pictures=False, strict=True
        )
        kd.build_documents(
            strategy,
            places.out / "md",
            workspace,
            document_types=entry.get("types", ["digitalstrategie"]),
            formats=entry.get("formats", ["markdown"]),
            pictures=False,
            strict=True,
        )
    if "calendar" in steps:
        obs.stage = "calendar"
        kd.calendars.export_calendar(
            strategy,
            places.out / "kalender.ics",
            include=("roadmap", "profiles", "schedule"),
            now=NOW,
        )


def api_build(entry: Case, places: Places, obs: Observation) -> None:
    import kommunal_digital as kd

    strategy = _load(obs, _strategy_file(entry, places))
    pack = entry.get("pack")
    strategy, workspace = _workspace(obs, strategy, str(places.inp / pack) if pack else None)
    obs.stage = "build"
    kd.build_documents(
        strategy,
        places.out / "docs",
        workspace,
        document_types=entry.get("types"),
        formats=entry.get("formats", ["markdown"]),
        pictures=False,
        strict=True,
    )


def api_render(entry: Case, places: Places, obs: Observation) -> None:
    import kommunal_digital as kd

    strategy = _load(obs, _strategy_file(entry, places))
    pack = entry.get("pack")
    strategy, workspace = _workspace(obs, strategy, str(places.inp / pack) if pack else None)
    obs.stage = "render"
    kd.render_document(
        strategy,
        places.out / entry.get("out", "Digitalstrategie.md"),
        workspace,
        document_type=entry.get("type", "digitalstrategie"),
        output_format=entry.get("format"),
    )


def api_calendar(entry: Case, places: Places, obs: Observation) -> None:
    import kommunal_digital as kd

    strategy = _load(obs, _strategy_file(entry, places))
    obs.stage = "calendar"
    kd.calendars.export_calendar(
        strategy,
        places.out / "kalender.ics",
        include=entry.get("include", ("roadmap", "profiles", "schedule")),
        now=NOW,
    )


def api_import(entry: Case, places: Places, obs: Observation) -> None:
    import kommunal_digital as kd

    obs.stage = "import"
    strategy = kd.io.import_workbook(places.inp / entry.get("file", "hostile.xlsx"))
    # Written out so that checks can look for what must not have come through (XXE).
    kd.dump_strategy(strategy, places.out / "imported.yaml")
    if entry.get("export"):
        obs.stage = "export"
        kd.io.export_workbook(strategy, places.out / "export.xlsx")


def api_pack_check(entry: Case, places: Places, obs: Observation) -> None:
    """``pack check`` through the API, as the command does it."""
    import kommunal_digital as kd

    installed = installation()
    path = places.inp / entry["pack"]
    obs.stage = "workspace"
    supplied: list[tuple[str, str]] = []
    filters: list[str] = []
    try:
        opened = installed.workspace(str(path))
        types = dict(opened.document_types)
        supplied = list(opened.templates)
        filters = list(opened.template_filters)
    except kd.KommunalDigitalError:
        types = installed.document_types()
    obs.stage = "check"
    problems = kd.authoring.check_pack(
        path, packs=installed.packs, document_types=types, supplied=supplied, filters=filters
    )
    obs.problems = len(problems)
    obs.report = "\n".join(str(problem) for problem in problems)


@contextlib.contextmanager
def _site(places: Places, entry: Case) -> Iterator[None]:
    """Put a case's plugin folder (``entry["site"]``) on ``sys.path`` for the entry's duration."""
    if "site" not in entry:
        yield
        return
    site = str(places.inp / entry["site"])
    sys.path.insert(0, site)
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path.remove(site)
        # The case's plugin modules go too: a later case may have modules of the same name.
        for name, module in list(sys.modules.items()):
            if str(getattr(module, "__file__", None) or "").startswith(site):
                del sys.modules[name]
        importlib.invalidate_caches()


def api_installation(entry: Case, places: Places, obs: Observation) -> None:
    """Load the installation with the case's plugins and open a workspace; report what it says."""
    import kommunal_digital as kd

    obs.stage = "installation"
    installed = kd.load_installation()
    lines = [str(notice) for notice in installed.notices()]
    obs.stage = "workspace"
    workspace = installed.workspace(entry.get("pack"))
    lines.extend(str(problem) for problem in workspace.problems)
    obs.report = "\n".join(lines)


def api_selftest(entry: Case, places: Places, obs: Observation) -> None:
    """Misbehaviour on purpose, for the harness's own tests: each limit must catch its case."""
    action = entry["do"]
    obs.stage = action
    if action in ("spin", "hang"):
        signal.signal(signal.SIGALRM, signal.SIG_IGN)  # the worker exits after this case
    if action == "hang":
        signal.signal(signal.SIGXCPU, signal.SIG_IGN)
    if action == "sleep" or action == "hang":
        time.sleep(600)
    elif action == "spin":
        while True:
            pass
    elif action == "allocate":
        obs.report = str(len(bytearray(4 << 30)))
    elif action == "die":
        os._exit(3)
    elif action == "marker":
        places.marker.touch()
    elif action == "outside":
        (places.base / "entkommen.txt").write_text("x", encoding="utf-8")
    elif action == "raise":
        raise KeyError("selftest")


API: dict[str, Callable[[Case, Places, Observation], None]] = {
    "selftest": api_selftest,
    "load": api_load,
    "chain": api_chain,
    "build": api_build,
    "render": api_render,
    "calendar": api_calendar,
    "import": api_import,
    "pack_check": api_pack_check,
    "installation": api_installation,
}


# --- commands ---------------------------------------------------------------------------


def run_cli(args: list[str], obs: Observation) -> None:
    """A command in this process, through click's test runner."""
    from click.testing import CliRunner

    from kommunal_digital.cli.main import cli

    obs.stage = "cli"
    result = CliRunner().invoke(cli, args, catch_exceptions=True)
    obs.exit_code = result.exit_code
    obs.output = result.stdout + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        obs.error = result.exception
        if result.exc_info is not None:
            obs.where = _frames(result.exc_info[2])


def run_process(entry: Case, places: Places, seconds: float, obs: Observation) -> float:
    """A command as its own ``python -m kommunal_digital`` process; returns its peak memory in MiB.

    It inherits the worker's resource limits; it is killed with everything
    it started when it runs longer than ``seconds``.
    """
    obs.stage = "process"
    log = places.inp / ".process.log"
    peak = 0.0
    env = {**os.environ, **entry.get("env", {})}
    with log.open("wb") as output:
        child = subprocess.Popen(
            [sys.executable, *entry.get("flags", []), "-m", "kommunal_digital", *entry["process"]],
            cwd=places.case,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + seconds
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                child.returncode = os.waitstatus_to_exitcode(status)
                peak = usage.ru_maxrss / 1024
                break
            if time.monotonic() > deadline:
                os.killpg(child.pid, signal.SIGKILL)
                obs.notes.append(f"the command did not finish within {seconds:g} s")
                deadline = float("inf")
            time.sleep(0.02)
    obs.exit_code = child.returncode
    obs.output = log.read_text(encoding="utf-8", errors="replace")
    log.unlink()
    return peak


def _frames(tb: Any) -> str:
    frames = traceback.extract_tb(tb)[-3:]
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))


# --- running and judging ----------------------------------------------------------------


def observe(case: Case, places: Places) -> tuple[Observation, float]:
    """Run a case's entry point; return what happened and a child process's peak MiB (or 0)."""
    entry = substitute(case["entry"], places)
    obs = Observation()
    child_peak = 0.0
    if "site" in entry:
        installation.cache_clear()
    try:
        with _site(places, entry), contextlib.chdir(places.case):
            if "api" in entry:
                API[entry["api"]](entry, places, obs)
            elif "cli" in entry:
                run_cli(entry["cli"], obs)
            else:
                seconds = case.get("limits", {}).get("seconds", 10)
                child_peak = run_process(entry, places, seconds, obs)
    except (CaseLimit, MemoryError):
        raise
    except BaseException as error:
        obs.error = error
        obs.where = _frames(error.__traceback__)
    finally:
        if "site" in entry:
            installation.cache_clear()
    for check in case.get("expect", {}).get("checks", []):
        obs.notes.extend(CHECKS[check["check"]](places, substitute(check, places)))
    return obs, child_peak


def _error_class(name: str) -> type[BaseException]:
    import kommunal_digital.errors as errors

    found: type[BaseException] = getattr(errors, name)
    return found


def _missing(fragments: list[Any], text: str) -> list[Any]:
    """The fragments ``text`` lacks; a list among them is satisfied by any one of its items."""
    return [
        f
        for f in fragments
        if not (any(a in text for a in f) if isinstance(f, list) else f in text)
    ]


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def judge(case: Case, obs: Observation) -> list[str]:
    """Everything that is wrong with what the entry did; empty when the case passes."""
    from kommunal_digital.errors import KommunalDigitalError

    expect = case.get("expect", {})
    problems = list(obs.notes)
    fragments: list[Any] = expect.get("fragments", [])
    if obs.exit_code is not None:  # a command
        if obs.error is not None:
            problems.append(f"uncaught {_describe(obs.error)[:300]} at {obs.where}")
        if "Traceback" in obs.output:
            tail = obs.output.strip().splitlines()[-1][:200]
            problems.append(f"traceback in the output: {tail}")
        codes = expect.get("exit", [0])
        if obs.exit_code not in codes:
            last = obs.output.strip().splitlines()[-1:] or [""]
            problems.append(f"exit code {obs.exit_code}, expected {codes}: {last[0][:300]}")
        missing = _missing(fragments, obs.output)
        if missing:
            problems.append(f"output lacks {missing}: {obs.output.strip()[-300:]!r}")
        return problems
    outcome = expect.get("outcome", "ok")
    error = obs.error
    if error is not None and not isinstance(error, KommunalDigitalError):
        problems.append(f"{obs.stage}: escaped {_describe(error)[:300]} at {obs.where}")
        return problems
    if error is None:
        if outcome == "error":
            problems.append(f"no error; expected {expect.get('error')} naming {fragments}")
        if outcome == "problems" and not obs.problems:
            problems.append(f"no problem reported; expected one naming {fragments}")
        report = expect.get("report", fragments if outcome == "problems" else [])
        missing = _missing(report, obs.report)
        if missing:
            problems.append(f"the report lacks {missing}: {obs.report[:300]!r}")
        return problems
    message = str(error)
    if outcome in ("ok", "problems"):
        problems.append(f"{obs.stage}: unexpected {_describe(error)[:300]}")
        return problems
    wanted = expect.get("error", "KommunalDigitalError")
    classes = tuple(
        _error_class(name) for name in ([wanted] if isinstance(wanted, str) else wanted)
    )
    if not isinstance(error, classes):
        problems.append(f"{obs.stage}: {_describe(error)[:200]}; expected {wanted}")
    missing = _missing(fragments, message)
    if missing:
        problems.append(f"{obs.stage}: the message lacks {missing}: {message[:300]!r}")
    stage = expect.get("stage")
    if stage and obs.stage != stage:
        problems.append(f"raised while {obs.stage!r}, expected while {stage!r}: {message[:200]!r}")
    return problems
