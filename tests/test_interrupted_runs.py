"""Builds that die or run at the same time: the folder holds one whole set, never a mix.

The subprocess tests run the real command line in a child whose ``os.replace``
is slowed down (a slow disk), so the moments when files move are long enough
for a kill or a second build to land in them.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kommunal_digital as kd
from kommunal_digital.documents import output_set
from kommunal_digital.errors import OutputError
from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.io.folders import exchange

FIELD = kd.ActionField("verwaltung", "Kommunale Verwaltung")
OLD = "Gemeinde Altdorf"
NEW = "Gemeinde Neudorf"
DATE = "2027-01-15"
TODAY = dt.date(2027, 1, 15)

#: The command line in a child whose file moves take 25 ms each.
SLOW_CLI = """
import os, sys, time
_replace = os.replace
def _slow(*args, **kwargs):
    time.sleep(0.025)
    return _replace(*args, **kwargs)
os.replace = _slow
from kommunal_digital.cli.main import cli
cli(sys.argv[1:])
"""


#: The strategy files and their sets: old and new.
Sets = tuple[Path, Path, dict[str, bytes], dict[str, bytes]]


def small_strategy(name: str) -> kd.Strategy:
    # Six measures and a stakeholder: eleven documents, two pictures.
    return kd.Strategy(
        municipality=kd.Municipality(name, kind=kd.MunicipalityKind.GEMEINDE, land="Hessen"),
        action_fields=(FIELD,),
        measures=tuple(
            kd.Measure(f"m{i}", f"Maßnahme {i}", action_field="verwaltung") for i in range(6)
        ),
        stakeholders=(kd.Stakeholder("rat", "Gemeinderat"),),
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the set (what build writes), by relative path; leftovers not included."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.relative_to(folder).parts[0].startswith(".kd-")
    }


def leftovers(folder: Path) -> list[str]:
    """What a run leaves while it writes: staging folders in the folder, swap folders beside it."""
    inside = [p.name for p in folder.iterdir() if p.name.startswith(".kd-")]
    swap = f".{folder.name}{output_set.SWAP_INFIX}"
    beside = [p.name for p in folder.parent.iterdir() if p.name.startswith(swap)]
    return sorted(inside + beside)


def swaps_folders(tmp_path: Path) -> bool:
    """Whether this system and file system swap two folders in one step."""
    first, second = tmp_path / "probe-a", tmp_path / "probe-b"
    first.mkdir()
    second.mkdir()
    try:
        return exchange(first, second)
    finally:
        first.rmdir()
        second.rmdir()


def restore(folder: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def build_command(strategy: Path, out: Path, *more: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        SLOW_CLI,
        "build",
        str(strategy),
        "--out",
        str(out),
        "--format",
        "json",
        "--date",
        DATE,
        *more,
    ]


@pytest.fixture(scope="module")
def sets(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    """The two strategy files and their complete sets (what the command line writes)."""
    root = tmp_path_factory.mktemp("sets")
    workspace = kd.open_workspace()
    files = []
    built = []
    for name, stem in ((OLD, "alt"), (NEW, "neu")):
        strategy = small_strategy(name)
        files.append(kd.dump_strategy(strategy, root / f"{stem}.yaml"))
        kd.build_documents(strategy, root / stem, workspace, formats=("json",), today=TODAY)
        built.append(snapshot(root / stem))
    old_set, new_set = built
    assert set(old_set) == set(new_set)
    assert "Bilder/Stakeholder-Matrix.png" in old_set
    assert any(name.startswith("Steckbriefe/") for name in old_set)
    return files[0], files[1], old_set, new_set


def whose(files: dict[str, bytes]) -> set[str]:
    """The municipalities the documents of a set are about."""
    found = set()
    for name, data in files.items():
        if name.endswith(".json"):
            found |= {town for town in (OLD, NEW) if town.encode() in data}
    return found


def test_a_killed_build_leaves_the_old_or_the_new_set(sets: Sets, tmp_path: Path) -> None:
    if not swaps_folders(tmp_path):
        pytest.skip("this file system cannot swap two folders in one step (renameat2)")
    _, new, old_set, new_set = sets
    out = tmp_path / "out"
    out.mkdir()
    (out / "notizen.txt").write_text("meine Notizen", encoding="utf-8")
    moments = random.Random(19)
    workspace = kd.open_workspace(entry_points=False)
    for _ in range(4):
        restore(out, old_set)
        child = subprocess.Popen(
            build_command(new, out, "--force"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            # Wait for the writing to begin, then kill at a random moment of it
            # (13 files written at 25 ms each, the swap, the old folder's removal).
            deadline = time.monotonic() + 30
            while not leftovers(out) and child.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.005)
            assert leftovers(out), "the build stopped before it wrote"
            time.sleep(moments.uniform(0.0, 0.5))
            child.send_signal(signal.SIGKILL)
        finally:
            child.kill()
            child.wait(timeout=30)
        # At once, without any next run: the whole old set or the whole new one,
        # and the user's own file kept.
        found = snapshot(out)
        assert found.pop("notizen.txt") == b"meine Notizen"
        assert found in (old_set, new_set), whose(found)
        assert not [name for name in leftovers(out) if output_set.COMMIT_PREFIX in name]
        # The next run into the folder removes what the killed one left beside it.
        with pytest.raises(kd.OutputExistsError):
            kd.build_documents(
                small_strategy(OLD),
                out,
                workspace,
                document_types=["organigramm"],
                formats=("json",),
                pictures=False,
            )
        assert leftovers(out) == []
        assert snapshot(out) == {**found, "notizen.txt": b"meine Notizen"}


def test_a_swapped_set_keeps_the_folders_other_files_and_modes(tmp_path: Path) -> None:
    if not swaps_folders(tmp_path):
        pytest.skip("this file system cannot swap two folders in one step (renameat2)")
    out = tmp_path / "out"
    workspace = kd.open_workspace(entry_points=False)
    kd.build_documents(small_strategy(OLD), out, workspace, formats=("json",), today=TODAY)
    (out / "eigenes").mkdir()
    (out / "eigenes" / "plan.txt").write_text("Entwurf", encoding="utf-8")
    (out / "Steckbriefe" / "alt.txt").write_text("von Hand", encoding="utf-8")
    (out / "verweis").symlink_to("eigenes/plan.txt")
    (out / "Digitalstrategie.json").chmod(0o600)
    out.chmod(0o750)
    before = os.stat(out / "eigenes" / "plan.txt").st_ino
    kd.build_documents(
        small_strategy(NEW), out, workspace, formats=("json",), today=TODAY, force=True
    )
    assert leftovers(out) == []
    assert (out / "eigenes" / "plan.txt").read_text(encoding="utf-8") == "Entwurf"
    assert os.stat(out / "eigenes" / "plan.txt").st_ino == before  # the same file, linked
    assert (out / "Steckbriefe" / "alt.txt").read_text(encoding="utf-8") == "von Hand"
    assert os.readlink(out / "verweis") == "eigenes/plan.txt"
    assert (out / "Digitalstrategie.json").stat().st_mode & 0o777 == 0o600
    assert out.stat().st_mode & 0o777 == 0o750
    assert NEW in (out / "Digitalstrategie.json").read_text(encoding="utf-8")


def test_a_folder_with_a_pipe_is_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    workspace = kd.open_workspace(entry_points=False)
    kd.build_documents(small_strategy(OLD), out, workspace, formats=("json",), today=TODAY)
    os.mkfifo(out / "rohr")
    swapped: list[tuple[object, ...]] = []

    def exchange_spy(*paths: object) -> bool:
        swapped.append(paths)
        return exchange(*paths)  # type: ignore[arg-type]

    monkeypatch.setattr(output_set, "exchange", exchange_spy)
    kd.build_documents(
        small_strategy(NEW), out, workspace, formats=("json",), today=TODAY, force=True
    )
    assert swapped == []  # a FIFO cannot be carried over: staged and moved instead
    assert (out / "rohr").is_fifo()
    assert whose(snapshot(out)) == {NEW}
    assert leftovers(out) == []


def test_a_build_dying_while_files_move_is_finished_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = kd.open_workspace(entry_points=False)
    kd.build_documents(small_strategy(OLD), tmp_path, workspace, formats=("json",), today=TODAY)
    old_set = snapshot(tmp_path)
    real_replace = os.replace
    moved: list[str | os.PathLike[str]] = []

    class Killed(BaseException):
        """Stands in for SIGKILL: nothing in the library catches it."""

    def dying_replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if output_set.COMMIT_PREFIX in str(source):
            if len(moved) == 4:
                raise Killed
            moved.append(target)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", dying_replace)
    monkeypatch.setattr(output_set, "exchange", lambda *paths: False)  # a system without swaps
    with pytest.raises(Killed):
        kd.build_documents(
            small_strategy(NEW), tmp_path, workspace, formats=("json",), today=TODAY, force=True
        )
    monkeypatch.setattr(os, "replace", real_replace)
    (commit,) = leftovers(tmp_path)
    assert commit.startswith(output_set.COMMIT_PREFIX)
    assert whose(snapshot(tmp_path)) == {OLD, NEW}  # mid-move: the commit folder says so
    # Any next run into the folder first moves the rest of the committed set.
    with pytest.raises(kd.OutputExistsError):
        kd.build_documents(small_strategy(OLD), tmp_path, workspace, formats=("json",))
    assert leftovers(tmp_path) == []
    finished = snapshot(tmp_path)
    assert set(finished) == set(old_set)
    assert whose(finished) == {NEW}


def test_a_failing_write_keeps_the_old_set_and_leaves_no_staging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = kd.open_workspace(entry_points=False)
    kd.build_documents(small_strategy(OLD), tmp_path, workspace, formats=("json",))
    old_set = snapshot(tmp_path)
    (tmp_path / "notizen.txt").write_text("meine Notizen", encoding="utf-8")
    real_write = write_atomic
    written: list[Path] = []

    def disk_full(path: Path, data: bytes, *, force: bool = False) -> Path:
        if len(written) == 5:
            raise OutputError(f"{path}: writing failed: No space left on device")
        written.append(path)
        return real_write(path, data, force=force)

    monkeypatch.setattr(output_set, "write_atomic", disk_full)
    with pytest.raises(OutputError, match="No space left on device"):
        kd.build_documents(small_strategy(NEW), tmp_path, workspace, formats=("json",), force=True)
    assert leftovers(tmp_path) == []
    assert snapshot(tmp_path) == {**old_set, "notizen.txt": b"meine Notizen"}


def test_a_stale_staging_folder_is_removed_and_other_files_are_kept(tmp_path: Path) -> None:
    workspace = kd.open_workspace(entry_points=False)
    stale = tmp_path / f"{output_set.STAGING_PREFIX}abc123"
    (stale / "Steckbriefe").mkdir(parents=True)
    (stale / "Digitalstrategie.json").write_text("{}", encoding="utf-8")
    (tmp_path / "eigene.docx").write_bytes(b"of the user")
    result = kd.build_documents(
        small_strategy(NEW), tmp_path, workspace, formats=("json",), pictures=False
    )
    assert result.ok
    assert leftovers(tmp_path) == []
    assert (tmp_path / "eigene.docx").read_bytes() == b"of the user"
    assert whose(snapshot(tmp_path)) == {NEW}


def test_two_builds_into_one_folder_never_mix_sets(sets: Sets, tmp_path: Path) -> None:
    old, new, old_set, new_set = sets
    out = tmp_path / "out"
    children = [
        subprocess.Popen(
            build_command(path, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        for path in (old, new)
    ]
    try:
        errors = [child.communicate(timeout=60)[1] for child in children]
    finally:
        for child in children:
            child.kill()
    codes = [child.returncode for child in children]
    # The existence check cannot race: exactly one build wins, the other writes nothing.
    assert sorted(codes) == [0, 1], errors
    assert "exist(s) already; pass --force" in errors[codes.index(1)]
    assert snapshot(out) == (old_set, new_set)[codes.index(0)]
    assert leftovers(out) == []


def test_forced_builds_at_the_same_time_take_turns(
    sets: Sets, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, old_set, new_set = sets
    workspace = kd.open_workspace()
    real_replace = os.replace

    def slow_replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        time.sleep(0.01)  # a slow disk: long enough for the other build to come in between
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", slow_replace)

    def build(name: str) -> kd.documents.BuildResult:
        return kd.build_documents(
            small_strategy(name), tmp_path, workspace, formats=("json",), today=TODAY, force=True
        )

    with cf.ThreadPoolExecutor(2) as pool:
        results = list(pool.map(build, [OLD, NEW, OLD, NEW]))
    assert all(result.ok for result in results)
    assert snapshot(tmp_path) in (old_set, new_set), whose(snapshot(tmp_path))
    assert leftovers(tmp_path) == []


def test_symlinked_strategy_file_stays_a_link(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kommunal_digital.cli.main import cli

    real = kd.dump_strategy(kd.demo_strategy(planned=False), tmp_path / "daten" / "echt.yaml")
    real.chmod(0o640)
    link = tmp_path / "strategie.yaml"
    link.symlink_to(Path("daten") / "echt.yaml")
    for command in ("rank", "plan"):
        result = CliRunner().invoke(cli, [command, str(link)])
        assert result.exit_code == 0, result.output
        assert link.is_symlink()
        assert os.readlink(link) == str(Path("daten") / "echt.yaml")
    assert kd.load_strategy(real).schedule is not None
    assert real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["echt.yaml"]


def test_non_regular_targets_are_refused(tmp_path: Path) -> None:
    strategy = kd.demo_strategy(planned=False)
    fifo = tmp_path / "strategie.yaml"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match=r"strategie\.yaml: is a named pipe \(FIFO\)"):
        kd.dump_strategy(strategy, fifo, force=True)
    folder = tmp_path / "ordner.yaml"
    folder.mkdir()
    with pytest.raises(OutputError, match=r"ordner\.yaml: is a folder, not a regular file"):
        kd.dump_strategy(strategy, folder, force=True)
    dangling = tmp_path / "weg.yaml"
    dangling.symlink_to(tmp_path / "gibt-es-nicht.yaml")
    with pytest.raises(OutputError, match="refusing to write through it"):
        kd.dump_strategy(strategy, dangling, force=True)
    assert not (tmp_path / "gibt-es-nicht.yaml").exists()
    if Path("/dev/null").exists():
        with pytest.raises(OutputError, match="a character device"):
            kd.io.write_atomic("/dev/null", b"x", force=True)


def test_a_build_dying_after_the_swap_leaves_the_new_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not swaps_folders(tmp_path):
        pytest.skip("this file system cannot swap two folders in one step (renameat2)")
    out = tmp_path / "out"
    workspace = kd.open_workspace(entry_points=False)
    kd.build_documents(small_strategy(OLD), out, workspace, formats=("json",), today=TODAY)

    class Killed(BaseException):
        """Stands in for SIGKILL between the swap and the old folder's removal."""

    def dying_rmtree(path: str | os.PathLike[str], *args: object, **kwargs: object) -> None:
        if output_set.SWAP_INFIX in str(path):
            raise Killed

    monkeypatch.setattr(shutil, "rmtree", dying_rmtree)
    with pytest.raises(Killed):
        kd.build_documents(
            small_strategy(NEW), out, workspace, formats=("json",), today=TODAY, force=True
        )
    monkeypatch.undo()
    assert whose(snapshot(out)) == {NEW}  # at once: the swap is the commit
    (old,) = leftovers(out)
    assert old.startswith(f".out{output_set.SWAP_INFIX}")
    assert whose(snapshot(tmp_path / old)) == {OLD}  # the old folder, beside it
    kd.build_documents(
        small_strategy(NEW), out, workspace, formats=("json",), today=TODAY, force=True
    )
    assert leftovers(out) == []
