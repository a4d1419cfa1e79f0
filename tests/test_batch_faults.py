"""Batch runs whose processes die: a dead worker costs one file, a dead batch leaves no worker."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.batch import BatchStatus, run_batch
from kommunal_digital.batch.run import RUN_PREFIX
from kommunal_digital.batch.worker import STARTED_PREFIX, folder_name
from kommunal_digital.cli.main import cli
from kommunal_digital.io.folders import folder_lock

FIELD = kd.ActionField("verwaltung", "Kommunale Verwaltung")
TODAY = dt.date(2027, 1, 15)
OLD_DAY = dt.date(2026, 1, 1)


def small_strategy(name: str, measures: int = 1) -> kd.Strategy:
    return kd.Strategy(
        municipality=kd.Municipality(name, kind=kd.MunicipalityKind.GEMEINDE, land="Hessen"),
        action_fields=(FIELD,),
        measures=tuple(
            kd.Measure(f"m{i}", f"Maßnahme {i}", action_field="verwaltung") for i in range(measures)
        ),
        stakeholders=(kd.Stakeholder("rat", "Gemeinderat"),),
    )


@attrs.frozen
class Written:
    documents: tuple[Path, ...]


def dying_build(
    strategy: kd.Strategy, out_dir: Path, workspace: kd.Workspace, **options: Any
) -> Written:
    """Writes one file, after a moment; the process dies for the municipality "Prozesstod".

    Every attempt leaves a mark in ``<batch root>/../versuche`` (the build
    folder is ``<root>/.kd-batch-*/<name>.*.partial``).
    """
    name = strategy.municipality.name
    tries = Path(out_dir).parents[2] / "versuche"
    tries.mkdir(exist_ok=True)
    (tries / f"{name}-{os.getpid()}").touch()
    time.sleep(0.2)  # so that several files are in flight when one dies
    if "Prozesstod" in name:
        os._exit(9)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "Digitalstrategie.txt"
    target.write_text(name, encoding="utf-8")
    return Written((target,))


def write_files(folder: Path, names: list[str], measures: int = 1) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        kd.dump_strategy(small_strategy(name, measures), folder / f"s{index:02d}.yaml")
        for index, name in enumerate(names)
    ]


def test_a_dead_worker_costs_only_its_file_with_several_workers(tmp_path: Path) -> None:
    names = [f"Gemeinde {n}" for n in ("Eins", "Zwei", "Prozesstod", "Vier", "Fünf", "Sechs")]
    files = write_files(tmp_path / "in", names)
    done: list[int] = []
    result = run_batch(
        files,
        tmp_path / "out",
        workers=2,
        builder=dying_build,
        progress=lambda count, total, item: done.append(count),
    )
    assert [item.status for item in result.items] == [
        BatchStatus.OK,
        BatchStatus.OK,
        BatchStatus.FAILED,
        BatchStatus.OK,
        BatchStatus.OK,
        BatchStatus.OK,
    ]
    (died,) = result.failed
    assert died.source == files[2]
    assert "the worker process died while building this file" in died.error
    assert "tried once more on its own" in died.error
    assert done == [1, 2, 3, 4, 5, 6]
    # Tried twice, the second time alone; no other file failed for it.
    tries = sorted(p.name for p in (tmp_path / "versuche").iterdir())
    assert len([t for t in tries if t.startswith("Gemeinde Prozesstod-")]) == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "gemeinde-eins",
        "gemeinde-fuenf",
        "gemeinde-sechs",
        "gemeinde-vier",
        "gemeinde-zwei",
    ]


def test_the_workers_option_sizes_the_batch_s_own_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def fake_run_batch(*args: Any, **options: Any) -> kd.batch.BatchResult:
        seen.update(options)
        return kd.batch.BatchResult(out_dir=tmp_path)

    monkeypatch.setattr(kd.batch, "run_batch", fake_run_batch)
    (source,) = write_files(tmp_path / "in", ["Gemeinde Eins"])
    result = CliRunner().invoke(
        cli, ["batch", str(source), "--out", str(tmp_path / "out"), "--workers", "3"]
    )
    assert result.exit_code == 0, result.output
    # No executor of the command's own: run_batch's pool survives dead workers.
    assert seen["executor"] is None
    assert seen["workers"] == 3


def _state(pid: int) -> str | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return None
    return text.rpartition(")")[2].split()[0]


def descendants(pid: int) -> set[int]:
    """The processes below ``pid`` (children, their children, ...), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text(encoding="utf-8").rpartition(")")[2].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def running(pids: set[int]) -> set[int]:
    return {pid for pid in pids if _state(pid) not in (None, "Z")}


def folder_sets(root: Path) -> dict[str, dict[str, bytes]]:
    return {
        folder.name: {
            path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        }
        for folder in sorted(root.iterdir())
        if not folder.name.startswith(".")
    }


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_a_killed_batch_leaves_no_worker_and_whole_folders(tmp_path: Path) -> None:
    names = [f"Gemeinde {n}" for n in ("Ahorn", "Birke", "Eiche", "Linde")]
    files = write_files(tmp_path / "in", names, measures=3)
    out = tmp_path / "out"
    workspace = kd.open_workspace()
    old: dict[str, dict[str, bytes]] = {}
    new: dict[str, dict[str, bytes]] = {}
    for path in files:
        strategy = kd.load_strategy(path)
        slug = folder_name(strategy, path)
        for sets, day in ((old, OLD_DAY), (new, TODAY)):
            folder = tmp_path / f"ref-{day}" / slug
            kd.build_documents(strategy, folder, workspace, formats=("json",), today=day)
            sets[slug] = folder_sets(folder.parent)[slug]
        kd.build_documents(strategy, out / slug, workspace, formats=("json",), today=OLD_DAY)
    command = [
        *(sys.executable, "-m", "kommunal_digital"),
        *("batch", str(tmp_path / "in"), "--out", str(out), "--workers", "2"),
        *("--format", "json", "--date", TODAY.isoformat(), "--force"),
    ]
    # stdout is a pipe: a worker left behind would hold it open.
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    family: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        # Kill once the workers are building (their marks are there), at a random moment.
        while not list(out.glob(f"{RUN_PREFIX}*/{STARTED_PREFIX}*")) and child.poll() is None:
            assert time.monotonic() < deadline, "no worker started"
            family |= descendants(child.pid)
            time.sleep(0.01)
        time.sleep(random.Random(19).uniform(0.0, 0.5))
        family |= descendants(child.pid)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert family, "the batch started no processes"
        deadline = time.monotonic() + 10
        while running(family) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert running(family) == set()
        child.communicate(timeout=10)  # end of file: nobody holds the pipe any more
    finally:
        child.kill()
        for pid in running(family):  # never leave a process behind, even when failing
            os.kill(pid, signal.SIGKILL)
        child.communicate(timeout=30)
    # Every municipality's folder holds its whole old set or its whole new one.
    for slug, files_now in folder_sets(out).items():
        assert files_now in (old[slug], new[slug]), slug
    # The next run removes what the killed run left.
    assert run_batch([], out).items == ()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_the_next_run_cleans_up_a_dead_run_and_keeps_a_live_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    dead = out / f"{RUN_PREFIX}tot"
    # A killed run had set a municipality's folder aside to replace it.
    aside = dead / "gemeinde-ahorn.x1.old" / "gemeinde-ahorn"
    aside.mkdir(parents=True)
    (aside / "Digitalstrategie.docx").write_bytes(b"old set")
    (dead / "gemeinde-ahorn.x2.partial").mkdir()
    (dead / f"{STARTED_PREFIX}0").touch()
    live = out / f"{RUN_PREFIX}lebt"
    live.mkdir()
    with folder_lock(live, wait=0):
        result = run_batch([], out)
        assert result.items == ()
        assert sorted(p.name for p in out.iterdir()) == [f"{RUN_PREFIX}lebt", "gemeinde-ahorn"]
    assert (out / "gemeinde-ahorn" / "Digitalstrategie.docx").read_bytes() == b"old set"
    run_batch([], out)
    assert sorted(p.name for p in out.iterdir()) == ["gemeinde-ahorn"]
