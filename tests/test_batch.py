"""Batch runs: documents for many municipalities from a folder of strategy files."""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import os
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import kommunal_digital as kd
from kommunal_digital.batch import BatchItem, BatchResult, BatchStatus, run_batch

FIELD = kd.ActionField("verwaltung", "Kommunale Verwaltung")


def small_strategy(name: str) -> kd.Strategy:
    return kd.Strategy(
        municipality=kd.Municipality(name, kind=kd.MunicipalityKind.GEMEINDE, land="Hessen"),
        action_fields=(FIELD,),
        measures=(kd.Measure("e-akte", "Einführung der E-Akte", action_field="verwaltung"),),
    )


@attrs.frozen
class FakeResult:
    documents: tuple[Path, ...]
    failures: tuple[str, ...] = ()


def fake_build(
    strategy: kd.Strategy, out_dir: Path, workspace: kd.Workspace, **options: Any
) -> FakeResult:
    """Writes one small file per strategy, like build_documents but fast.

    The file names the workspace's pack, so a test sees which pack a file was built with.
    """
    name = strategy.municipality.name
    if "Absturz" in name:
        raise RuntimeError("boom")
    if "Prozesstod" in name:
        os._exit(3)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "Digitalstrategie.txt"
    text = f"{name} {workspace.pack.name} {options['formats']} {options['today']}"
    target.write_text(text, encoding="utf-8")
    if "Teilweise" in name:
        return FakeResult((target,), failures=("beschlussvorlage (docx): template missing",))
    return FakeResult((target,))


def write_files(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, name in enumerate(names):
        path = folder / f"strategie-{index:02d}.yaml"
        kd.dump_strategy(small_strategy(name), path)
        paths.append(path)
    return paths


BROKEN_FIELD = """\
schema_version: 1
municipality: {name: Gemeinde Kaputt, kind: gemeinde, land: Hessen}
action_fields: [{key: verwaltung, title: Verwaltung}]
measures: [{key: a, title: A, action_field: bauhof}]
"""

BROKEN_TYPE = """\
schema_version: 1
municipality: {name: Gemeinde Falsch, kind: gemeinde, land: Hessen, population: viele}
"""


@pytest.fixture
def fifty(tmp_path: Path) -> Path:
    source = tmp_path / "strategien"
    write_files(source, [f"Gemeinde Ort {i}" for i in range(48)])
    (source / "kaputt.yaml").write_text(BROKEN_FIELD, encoding="utf-8")
    (source / "falsch.json").write_text(
        '{"schema_version": 1, "municipality": {"name": "Gemeinde Falsch",'
        ' "kind": "gemeinde", "land": "Hessen", "population": "viele"}}',
        encoding="utf-8",
    )
    (source / "notizen.txt").write_text("not a strategy", encoding="utf-8")
    (source / ".versteckt.yaml").write_text(BROKEN_TYPE, encoding="utf-8")
    return source


def test_fifty_files_two_broken(fifty: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    today = dt.date(2027, 3, 1)
    with cf.ThreadPoolExecutor(4) as pool:
        result = run_batch(fifty, out, executor=pool, builder=fake_build, today=today)
    assert len(result.items) == 50
    assert len(result.ok) == 48
    assert sorted(item.source.name for item in result.failed) == ["falsch.json", "kaputt.yaml"]
    folders = sorted(p.name for p in out.iterdir())
    assert folders == sorted(f"gemeinde-ort-{i}" for i in range(48))  # nothing hidden left over
    first = result.ok[0]
    assert first.out_dir == out.resolve() / "gemeinde-ort-0"
    assert first.documents == (first.out_dir / "Digitalstrategie.txt",)
    # The files record no pack: the installation's default pack, rlp, is used.
    assert (
        first.documents[0].read_text(encoding="utf-8") == "Gemeinde Ort 0 rlp ('docx',) 2027-03-01"
    )
    failures = {item.source.name: item for item in result.failed}
    assert "measures[0].action_field" in failures["kaputt.yaml"].error
    assert "'bauhof'" in failures["kaputt.yaml"].error
    assert "municipality.population" in failures["falsch.json"].error
    assert str(failures["kaputt.yaml"]).startswith(f"{fifty / 'kaputt.yaml'}: ")
    assert failures["kaputt.yaml"].out_dir is None
    assert [i.source for i in result.items] == sorted(i.source for i in result.items)


def test_summary_counts_and_lists_failures(fifty: Path, tmp_path: Path) -> None:
    with cf.ThreadPoolExecutor(2) as pool:
        result = run_batch(fifty, tmp_path / "out", executor=pool, builder=fake_build)
    lines = result.summary().splitlines()
    assert lines[0].startswith("48 of 50 strategies built (48 documents in ")
    assert lines[0].endswith(", 2 failed")
    assert any("kaputt.yaml" in line and "measures[0].action_field" in line for line in lines)


def test_unexpected_crash_is_reported_without_traceback(tmp_path: Path) -> None:
    files = write_files(tmp_path / "in", ["Gemeinde Gut", "Gemeinde Absturz", "Gemeinde Auch"])
    with cf.ThreadPoolExecutor(2) as pool:
        result = run_batch(files, tmp_path / "out", executor=pool, builder=fake_build)
    (crashed,) = result.failed
    assert crashed.source == files[1]
    assert crashed.error == "unexpected RuntimeError: boom"
    assert crashed.municipality == "Gemeinde Absturz"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["gemeinde-auch", "gemeinde-gut"]


def test_a_document_failure_keeps_nothing_of_that_municipality(tmp_path: Path) -> None:
    files = write_files(tmp_path / "in", ["Gemeinde Teilweise", "Gemeinde Ganz"])
    with cf.ThreadPoolExecutor(2) as pool:
        result = run_batch(files, tmp_path / "out", executor=pool, builder=fake_build)
    (failed,) = result.failed
    assert "1 document(s) failed, none kept: beschlussvorlage (docx)" in failed.error
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["gemeinde-ganz"]


def test_progress_is_called_once_per_item(fifty: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, int, BatchItem]] = []
    with cf.ThreadPoolExecutor(3) as pool:
        result = run_batch(
            fifty,
            tmp_path / "out",
            executor=pool,
            builder=fake_build,
            progress=lambda done, total, item: calls.append((done, total, item)),
        )
    assert [done for done, _, _ in calls] == list(range(1, 51))
    assert {total for _, total, _ in calls} == {50}
    assert sorted(str(item.source) for _, _, item in calls) == sorted(
        str(item.source) for item in result.items
    )


def test_existing_folder_needs_force(tmp_path: Path) -> None:
    files = write_files(tmp_path / "in", ["Gemeinde Mühlbach am Wald"])
    out = tmp_path / "out"
    old = out / "gemeinde-muehlbach-am-wald"
    old.mkdir(parents=True)
    (old / "alt.txt").write_text("von früher", encoding="utf-8")
    with cf.ThreadPoolExecutor(1) as pool:
        refused = run_batch(files, out, executor=pool, builder=fake_build)
        assert "exists already; pass force" in refused.failed[0].error
        assert (old / "alt.txt").exists()
        replaced = run_batch(files, out, executor=pool, builder=fake_build, force=True)
    assert replaced.ok[0].out_dir == old.resolve()
    assert sorted(p.name for p in old.iterdir()) == ["Digitalstrategie.txt"]
    assert sorted(p.name for p in out.iterdir()) == ["gemeinde-muehlbach-am-wald"]


def test_two_files_for_one_municipality(tmp_path: Path) -> None:
    files = write_files(tmp_path / "in", ["Stadt Doppelt", "Stadt Doppelt"])
    with cf.ThreadPoolExecutor(2) as pool:
        result = run_batch(files, tmp_path / "out", executor=pool, builder=fake_build)
    assert len(result.ok) == 1
    (failed,) = result.failed
    winner = result.ok[0].source
    assert f"another file of this batch ({winner}) is for the same municipality" in failed.error


def test_each_file_is_built_with_its_recorded_pack_unless_one_is_given(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    kd.dump_strategy(small_strategy("Gemeinde Ohne"), source / "ohne.yaml")
    recorded = attrs.evolve(small_strategy("Gemeinde Basis"), pack=kd.PackReference("base"))
    kd.dump_strategy(recorded, source / "basis.yaml")

    def packs_used(result: BatchResult) -> dict[str, str]:
        # fake_build writes "<two-word name> <pack> <formats> <date>".
        return {
            item.municipality: item.documents[0].read_text(encoding="utf-8").split()[2]
            for item in result.items
        }

    with cf.ThreadPoolExecutor(2) as pool:
        own = run_batch(source, tmp_path / "eigen", executor=pool, builder=fake_build)
        given = run_batch(source, tmp_path / "rlp", executor=pool, builder=fake_build, pack="rlp")
    assert packs_used(own) == {"Gemeinde Basis": "base", "Gemeinde Ohne": "rlp"}
    assert packs_used(given) == {"Gemeinde Basis": "rlp", "Gemeinde Ohne": "rlp"}


def test_missing_sources_are_refused(tmp_path: Path) -> None:
    with pytest.raises(kd.InputFileError, match="no such folder"):
        run_batch(tmp_path / "fehlt", tmp_path / "out")
    with pytest.raises(kd.InputFileError, match=r"fehlt\.yaml: no such file"):
        run_batch([tmp_path / "fehlt.yaml"], tmp_path / "out")


def test_empty_folder_gives_an_empty_result(tmp_path: Path) -> None:
    (tmp_path / "leer").mkdir()
    result = run_batch(tmp_path / "leer", tmp_path / "out")
    assert result.items == ()
    assert list((tmp_path / "out").iterdir()) == []


def test_real_documents_through_the_default_process_pool(tmp_path: Path) -> None:
    demo = kd.demo_strategy()
    source = tmp_path / "in"
    source.mkdir()
    for name in ("Gemeinde Ahorn", "Stadt Birke"):
        strategy = attrs.evolve(demo, municipality=attrs.evolve(demo.municipality, name=name))
        kd.dump_strategy(strategy, source / f"{name.split()[1].lower()}.yaml")
    (source / "kaputt.yaml").write_text(BROKEN_FIELD, encoding="utf-8")
    result = run_batch(source, tmp_path / "out", today=dt.date(2027, 1, 15))
    assert [item.status for item in result.items] == [
        BatchStatus.OK,
        BatchStatus.OK,
        BatchStatus.FAILED,
    ]
    assert "measures[0].action_field" in result.failed[0].error
    for item in result.ok:
        assert item.out_dir is not None
        main = item.out_dir / "Digitalstrategie.docx"
        assert main in item.documents
        assert all(path.is_file() for path in item.documents)
        with zipfile.ZipFile(main) as docx:
            body = docx.read("word/document.xml").decode("utf-8")
        assert item.municipality in body
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["gemeinde-ahorn", "stadt-birke"]


def test_a_dying_worker_process_only_fails_its_file(tmp_path: Path) -> None:
    files = write_files(tmp_path / "in", ["Gemeinde Eins", "Gemeinde Prozesstod", "Gemeinde Drei"])
    calls: list[int] = []
    result = run_batch(
        files, tmp_path / "out", builder=fake_build, progress=lambda d, t, i: calls.append(d)
    )
    (died,) = result.failed
    assert died.source == files[1]
    assert "the worker process died" in died.error
    assert len(result.ok) == 2
    assert calls == [1, 2, 3]
    # What the killed worker left half-built is gone too.
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "gemeinde-drei",
        "gemeinde-eins",
    ]


# The scheduler's HTTP server takes port 8787 even without a dashboard
# (dashboard_address=None); ":0" lets the system choose a free port. Without
# any network route (a sandbox) Dask cannot tell its own address and warns;
# the in-process cluster needs none.
@pytest.mark.filterwarnings("ignore:Couldn't detect a suitable IP address:RuntimeWarning")
def test_dask_executor(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    files = write_files(tmp_path / "in", [f"Gemeinde Dask {i}" for i in range(6)])
    (tmp_path / "in" / "kaputt.yaml").write_text(BROKEN_FIELD, encoding="utf-8")
    with distributed.Client(processes=False, dashboard_address=":0") as client:
        result = run_batch(
            tmp_path / "in", tmp_path / "out", executor=client.get_executor(), builder=fake_build
        )
    assert len(result.ok) == len(files)
    assert "measures[0].action_field" in result.failed[0].error
    assert len(list((tmp_path / "out").iterdir())) == len(files)


def _eventually(condition: Callable[[], bool], seconds: float = 10) -> bool:
    # The pause and the resume are queued on the worker's event loop.
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


#: What watching_build saw: each file's worker profiler and whether it was paused.
PROFILERS: list[tuple[Any, bool]] = []


def watching_build(
    strategy: kd.Strategy, out_dir: Path, workspace: kd.Workspace, **options: Any
) -> FakeResult:
    from distributed import get_worker

    profiler = get_worker().periodic_callbacks["profile"]
    PROFILERS.append((profiler, _eventually(lambda: not profiler.is_running())))
    return fake_build(strategy, out_dir, workspace, **options)


# Its stack sampling every 10 ms took the interpreter lock from the build.
@pytest.mark.filterwarnings("ignore:Couldn't detect a suitable IP address:RuntimeWarning")
def test_a_dask_worker_pauses_its_profiler_while_it_builds_a_file(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    files = write_files(tmp_path / "in", ["Gemeinde Profil Eins", "Gemeinde Profil Zwei"])
    PROFILERS.clear()
    with distributed.Client(processes=False, dashboard_address=":0") as client:
        executor = client.get_executor()
        result = run_batch(files, tmp_path / "out", executor=executor, builder=watching_build)
        assert len(result.ok) == len(files)
        assert [paused for _, paused in PROFILERS] == [True, True]
        assert all(_eventually(profiler.is_running) for profiler, _ in PROFILERS)


def _profiler_in_overlapping_jobs() -> tuple[bool, bool, bool, bool]:
    from distributed import get_worker

    from kommunal_digital.batch.dask_worker import profiler_paused

    profiler = get_worker().periodic_callbacks["profile"]
    before = profiler.is_running()
    with profiler_paused():
        with profiler_paused():
            paused = _eventually(lambda: not profiler.is_running())
        # One job still runs: the profiler stays paused.
        still = not _eventually(profiler.is_running, seconds=0.3)
    return before, paused, still, _eventually(profiler.is_running)


@pytest.mark.filterwarnings("ignore:Couldn't detect a suitable IP address:RuntimeWarning")
def test_the_last_of_overlapping_jobs_resumes_the_profiler() -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.Client(processes=False, dashboard_address=":0") as client:
        states = client.submit(_profiler_in_overlapping_jobs, pure=False).result()
    assert states == (True, True, True, True)


def test_outside_a_dask_worker_the_profiler_pause_does_nothing() -> None:
    from kommunal_digital.batch.dask_worker import profiler_paused

    with profiler_paused():
        pass


def test_frozen_objects_are_counted_only_until_some_are_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Counting them walks every frozen object: once per document it was a
    # third of a batch worker's time.
    import gc

    from kommunal_digital.documents import build

    counted: list[int] = []

    def count() -> int:
        counted.append(1)
        return 0 if len(counted) == 1 else 7

    monkeypatch.setattr(gc, "get_freeze_count", count)
    monkeypatch.setattr(build, "_FROZEN", [])
    assert not build._frozen()
    assert build._frozen()
    assert build._frozen()
    assert len(counted) == 2


def test_a_retried_file_replaces_the_folder_its_lost_run_built(tmp_path: Path) -> None:
    # A worker can finish a folder and die before its result arrives; the
    # retry of that same file (same claim) must not fail on its own folder.
    from kommunal_digital.batch.worker import BatchJob, build_one

    (source,) = write_files(tmp_path / "in", ["Gemeinde Wiederholt"])
    claims = tmp_path / "claims"
    claims.mkdir()
    (tmp_path / "out").mkdir()  # run_batch makes it before any job runs
    job = BatchJob(source=source, root=tmp_path / "out", claims=claims, builder=fake_build)
    first = build_one(job)
    retry = build_one(job)
    assert first.status is BatchStatus.OK
    assert retry.status is BatchStatus.OK, retry.error
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["gemeinde-wiederholt"]


def test_a_batch_worker_draws_its_pictures_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    from kommunal_digital.batch import worker
    from kommunal_digital.io.forked import FORK_VARIABLE, can_fork

    monkeypatch.setattr(worker, "_DEDICATED", False)  # restored after the test
    monkeypatch.setitem(os.environ, FORK_VARIABLE, "on")
    worker.dedicate_worker()
    # The batch keeps every core busy: no child per strategy on top.
    assert os.environ[FORK_VARIABLE] == "off"
    assert not can_fork()
