"""The disk cache: a repeated build compiles and draws nothing, and a bad cache costs nothing.

The suite runs with ``KOMMUNAL_DIGITAL_CACHE=off`` (see conftest.py); these
tests switch a cache on in a folder of their own.
"""

from __future__ import annotations

import collections
import datetime as dt
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.documents import charts, template_cache
from kommunal_digital.io import disk_cache
from kommunal_digital.io.disk_cache import CACHE_VARIABLE, DiskCache, key_of
from kommunal_digital.io.forked import FORK_VARIABLE
from tests.isolated import require_fork, run_isolated

TODAY = dt.date(2027, 3, 31)
DRAWN = ("organigram_image", "stakeholder_grid_image", "gantt_image", "strategy_maturity_image")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DiskCache]:
    """A cache in a fresh folder, as the process's default; in-process caches emptied."""
    chosen = DiskCache(tmp_path / "cache")
    monkeypatch.setattr(disk_cache, "_DEFAULT", [chosen])
    template_cache.clear_cache()
    charts.clear_picture_cache()
    yield chosen
    template_cache.clear_cache()
    charts.clear_picture_cache()


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> collections.Counter[str]:
    """Count template compilations and picture drawings (all in this process)."""
    monkeypatch.setenv(FORK_VARIABLE, "off")
    counter: collections.Counter[str] = collections.Counter()
    real_compile = jinja2.Environment.compile

    def compiling(self: jinja2.Environment, *args: Any, **kwargs: Any) -> Any:
        counter["compile"] += 1
        return real_compile(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compiling)

    def counting(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counter["draw"] += 1
            return function(*args, **kwargs)

        return wrapper

    for name in DRAWN:
        monkeypatch.setattr(charts, name, counting(getattr(charts, name)))
    return counter


def contents(folder: Path) -> dict[str, bytes]:
    """Every file of a set; Word files by their members (zip dates aside)."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    found[f"{name}!{member}"] = archive.read(member)
        else:
            found[name] = path.read_bytes()
    return found


def build(folder: Path, workspace: kd.Workspace) -> kd.documents.BuildResult:
    strategy = kd.demo_strategy(workspace)
    return kd.build_documents(strategy, folder, workspace, today=TODAY)


def test_a_repeated_build_compiles_and_draws_nothing(
    cache: DiskCache, work: collections.Counter[str], tmp_path: Path
) -> None:
    workspace = kd.open_workspace("rlp")
    assert build(tmp_path / "first", workspace).ok
    assert work["draw"] >= 4
    assert work["compile"] >= 6  # every document type's body, headers, footers
    # A new process: nothing kept in memory, only on disk.
    template_cache.clear_cache()
    charts.clear_picture_cache()
    work.clear()
    assert build(tmp_path / "second", workspace).ok
    assert work == {}
    assert contents(tmp_path / "second") == contents(tmp_path / "first")
    assert cache.folder is not None
    assert os.stat(cache.folder).st_mode & 0o777 == 0o700


def test_a_damaged_cache_is_a_miss(
    cache: DiskCache, work: collections.Counter[str], tmp_path: Path
) -> None:
    workspace = kd.open_workspace("rlp")
    assert build(tmp_path / "first", workspace).ok
    assert cache.folder is not None
    entries = [path for path in cache.folder.rglob("*") if path.is_file()]
    assert entries
    for path in entries:
        path.write_bytes(b"\x00not what was stored")
    template_cache.clear_cache()
    charts.clear_picture_cache()
    work.clear()
    assert build(tmp_path / "second", workspace).ok
    assert work["draw"] >= 4  # drawn again
    assert work["compile"] >= 6  # compiled again
    assert contents(tmp_path / "second") == contents(tmp_path / "first")


def test_a_folder_others_may_write_is_not_used(tmp_path: Path) -> None:
    shared = tmp_path / "geteilt"
    shared.mkdir()
    shared.chmod(0o777)
    cache = DiskCache(shared)
    cache.put("pictures", "abc", b"data")
    assert cache.get("pictures", "abc") is None
    assert list(shared.iterdir()) == []


def test_off_means_no_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    monkeypatch.setattr(disk_cache, "_DEFAULT", [])
    chosen = disk_cache.default_cache()
    assert chosen.folder is None
    chosen.put("templates", "abc", b"x")
    assert chosen.get("templates", "abc") is None


def test_keys_that_leave_the_folder_are_refused(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "cache")
    cache.put("../pictures", "abc", b"x")
    cache.put("pictures", "../../abc", b"x")
    assert sorted(p.name for p in tmp_path.rglob("*")) in ([], ["cache"])


def test_each_kind_keeps_at_most_its_number_of_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(disk_cache, "MAX_ENTRIES", 3)
    cache = DiskCache(tmp_path / "cache")
    for index in range(6):
        cache.put("pictures", f"k{index}", bytes([index]))
        os.utime(tmp_path / "cache" / "pictures" / f"k{index}", ns=(index, index))
    kept = sorted(p.name for p in (tmp_path / "cache" / "pictures").iterdir())
    assert len(kept) <= 4  # pruned after each write, the newest stay
    assert "k5" in kept
    assert "k0" not in kept


@given(st.lists(st.text(max_size=5), max_size=4), st.lists(st.text(max_size=5), max_size=4))
def test_keys_differ_whenever_the_parts_differ(first: list[str], second: list[str]) -> None:
    assert (key_of(*first) == key_of(*second)) == (first == second)


def test_another_filter_set_compiles_anew(cache: DiskCache, work: collections.Counter[str]) -> None:
    plain = template_cache.docx_environment()
    template_cache.compile_template(plain, "docx", "{{ 1 }}")
    with_filter = template_cache.docx_environment({"laut": str.upper})
    work.clear()
    template = template_cache.compile_template(with_filter, "docx", "{{ 'a'|laut }}")
    assert work["compile"] == 1
    assert template.render() == "A"
    template_cache.clear_cache()
    work.clear()
    again = template_cache.compile_template(
        template_cache.docx_environment({"laut": str.upper}), "docx", "{{ 'a'|laut }}"
    )
    assert work["compile"] == 0  # from disk
    assert again.render() == "A"


def test_the_command_line_uses_the_cache_between_runs(tmp_path: Path) -> None:
    environment = {**os.environ, CACHE_VARIABLE: str(tmp_path / "cache")}
    command = [sys.executable, "-m", "kommunal_digital", "demo"]
    for run in ("eins", "zwei"):
        done = subprocess.run(
            [*command, "--out", str(tmp_path / run)],
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    pictures = list((tmp_path / "cache" / "pictures").iterdir())
    templates = list((tmp_path / "cache" / "templates").iterdir())
    assert pictures
    assert templates
    assert contents(tmp_path / "eins") == contents(tmp_path / "zwei")
    with zipfile.ZipFile(io.BytesIO((tmp_path / "zwei" / "Digitalstrategie.docx").read_bytes())):
        pass  # a whole Word file


def pictures_drawn_aside_are_kept_on_disk(folder: str) -> None:
    require_fork()
    chosen = DiskCache(Path(folder) / "cache")
    disk_cache._DEFAULT[:] = [chosen]
    workspace = kd.open_workspace("rlp")
    assert build(Path(folder) / "first", workspace).ok
    assert len(list((Path(folder) / "cache").rglob("*"))) > 4
    template_cache.clear_cache()
    charts.clear_picture_cache()

    def no_drawing(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("drawn again")

    for name in DRAWN:
        setattr(charts, name, no_drawing)
    assert build(Path(folder) / "second", workspace).ok
    assert contents(Path(folder) / "second") == contents(Path(folder) / "first")


def test_pictures_drawn_aside_are_kept_on_disk(tmp_path: Path) -> None:
    run_isolated(pictures_drawn_aside_are_kept_on_disk, str(tmp_path))
