"""The hostile-input corpus: every case of ``tests/hostile/cases.json`` ends as documented.

The cases are run once per test session, in a few worker processes with
resource limits (``tests/hostile/pool.py``); each parametrized test then
looks up its case's result, so a failure names the case and says what
went wrong. See "The hostile-input corpus" in docs/testing.md.
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
import os
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.hostile.checks import check_absent, check_ics, check_names, check_no_formula
from tests.hostile.pool import run_corpus
from tests.hostile.recipes import Places

ROOT = Path(__file__).parent.parent
INDEX = Path(__file__).parent / "hostile" / "cases.json"
CASES: list[dict[str, Any]] = json.loads(INDEX.read_text(encoding="utf-8"))
#: Worker processes of the corpus run: the CI machine has two cores.
WORKERS = max(2, min(4, (os.cpu_count() or 2) // 2))

#: The least number of cases per group (the issue asks for 200 or more in all).
GROUPS = {
    "yaml-json": 40,
    "ssti": 60,
    "zip": 40,
    "excel": 30,
    "names": 10,
    "calendar": 10,
    "html": 8,
    "field-fuzz": 40,
    "plugins": 15,
    "files": 5,
}

Results = dict[str, dict[str, Any]]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_hostile_corpus", ROOT / "scripts" / "make_hostile_corpus.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run_once(folder: Path) -> tuple[Results, list[str]]:
    """Run the corpus, or read the results of the run another pytest-xdist worker made.

    The first worker to take the lock runs it; the others wait and read
    its results, so the corpus runs once per session however the
    parametrized tests are spread.
    """
    results_file = folder / "hostile-results.json"
    with (folder / "hostile.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not results_file.exists():
            base = folder / "hostile-run"
            base.mkdir()
            results, clean = run_corpus(CASES, base, workers=WORKERS)
            leftovers = [str(p) for f in clean for p in (f / "tmp").iterdir()]
            data = {"results": results, "leftovers": leftovers}
            results_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    data = json.loads(results_file.read_text(encoding="utf-8"))
    return data["results"], data["leftovers"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Results, list[str]]:
    """The results of the corpus by case id, and what the workers left in their temp folders."""
    folder = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        folder = folder.parent  # shared by the session's workers
    return _run_once(folder)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hostile_case(case: dict[str, Any], corpus: tuple[Results, list[str]]) -> None:
    result = corpus[0].get(case["id"])
    assert result is not None, f"{case['id']}: no result (the run lost it)"
    problems = "\n  ".join(result["problems"])
    assert not result["problems"], (
        f"{case['id']} ({case['what']}), entry {case['entry']}:\n  {problems}\n"
        f"  outcome: {result['outcome']}"
    )


def test_workers_leave_no_temporary_files(corpus: tuple[Results, list[str]]) -> None:
    # Extracted packs, staging folders: whatever a run unpacks, it removes by its end.
    assert corpus[1] == []


def test_the_corpus_covers_every_group() -> None:
    counts = Counter(case["group"] for case in CASES)
    assert len(CASES) >= 200
    for group, least in GROUPS.items():
        assert counts[group] >= least, (group, counts[group])
    assert set(counts) == set(GROUPS)
    # A sample runs through the command line, in-process and as real processes.
    assert sum(1 for c in CASES if "cli" in c["entry"]) >= 25
    assert sum(1 for c in CASES if "process" in c["entry"]) >= 5


def test_the_index_is_up_to_date() -> None:
    assert INDEX.read_text(encoding="utf-8") == _generator().index_text(), (
        "tests/hostile/cases.json is out of date: run python scripts/make_hostile_corpus.py"
    )


def test_every_case_names_a_place_or_expects_success() -> None:
    for case in CASES:
        expect = case["expect"]
        if expect.get("outcome") in ("error", "problems"):
            assert expect["fragments"], case["id"]
        assert (case.get("limits", {}).get("seconds", 10)) <= 30, case["id"]


# --- the harness itself ------------------------------------------------------------------


def _selftest(action: str, seconds: float, memory_mb: int = 1024) -> dict[str, Any]:
    return {
        "id": f"selftest-{action}",
        "group": "selftest",
        "what": action,
        "inputs": [],
        "entry": {"api": "selftest", "do": action},
        "expect": {"outcome": "ok"},
        "limits": {"seconds": seconds, "memory_mb": memory_mb},
    }


def test_the_limits_stop_what_runs_away(tmp_path: Path) -> None:
    """Each limit catches its case, reports it by id, and the next case runs in a fresh worker."""
    actions = ("hang", "sleep", "ok", "spin", "allocate", "die", "marker", "outside", "raise")
    cases = [_selftest(action, seconds=0.5 if action == "hang" else 1) for action in actions]
    # The grace leaves a spinning case time to use its CPU second on a busy machine.
    results, _ = run_corpus(cases, tmp_path, workers=2, grace=5, warm_up=False)
    problems = {
        key.removeprefix("selftest-"): " ".join(r["problems"]) for key, r in results.items()
    }
    assert problems["ok"] == ""
    assert "ran longer than 1 s" in problems["sleep"]
    assert "s of CPU time" in problems["spin"]
    assert "MemoryError" in problems["allocate"]
    assert "the worker died" in problems["die"]
    assert "hang: no answer" in problems["hang"]
    assert "marker file exists" in problems["marker"]
    assert "wrote outside its folders" in problems["outside"]
    assert "escaped KeyError" in problems["raise"]


def _places(tmp_path: Path) -> Places:
    places = Places(tmp_path, tmp_path, tmp_path / "in", tmp_path / "out", tmp_path / "m")
    places.out.mkdir()
    return places


def test_the_output_checks_find_what_they_look_for(tmp_path: Path) -> None:
    places = _places(tmp_path)
    injected = "BEGIN:VCALENDAR\r\nX-WR-CALNAME:A\r\nX-HOSTILE:1\r\nEND:VCALENDAR\r\n"
    (places.out / "k.ics").write_bytes(injected.encode())
    assert check_ics(places, {}) == ["k.ics: injected line 'X-HOSTILE:1'"]
    folded = "BEGIN:VCALENDAR\r\nX-WR-CALNAME:A\\nX-HOSTILE:1\r\n  more\r\nEND:VCALENDAR\r\n"
    (places.out / "k.ics").write_bytes(folded.encode())
    assert check_ics(places, {}) == []
    (places.out / "CON.md").write_text("<script>x</script>", encoding="utf-8")
    assert check_names(places, {}) == ["output file name 'CON.md'...: a reserved Windows name"]
    assert check_absent(places, {"strings": ["<script"]}) == ["CON.md: holds '<script' unescaped"]
    assert check_no_formula(places, {}) == []
