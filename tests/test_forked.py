"""Work in a forked child: every result comes back, and nothing the child does loses one.

A build draws its pictures in a forked child (``kommunal_digital.io.forked``).
Whatever the child does, the parent gets each result or ``None`` (then it
makes the result itself) and never hangs; where forking is not safe
nothing is forked. Each check runs in an interpreter of its own (see
``tests/isolated.py``): a test worker may hold other tests' threads.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kommunal_digital.io.forked import FORK_VARIABLE, ForkedWork, can_fork
from tests.isolated import require_fork, run_isolated


def _returning(value: bytes) -> Callable[[], bytes]:
    return lambda: value


def _gone(pid: int) -> bool:
    """Whether the child has been reaped (no zombie left)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _started(work: list[tuple[str, Callable[[], bytes]]]) -> ForkedWork[str]:
    forked = ForkedWork.start(work)
    assert forked is not None
    return forked


def every_result_comes_back(sizes: list[int], asked: list[int]) -> None:
    require_fork()
    results = {f"k{n}": os.urandom(8) * (size // 8) + bytes([n]) for n, size in enumerate(sizes)}
    forked = _started([(key, _returning(value)) for key, value in results.items()])
    order = [f"k{n}" for n in asked]
    assert {key: forked.get(key) for key in order} == results
    assert forked.get("k0") is None  # handed over once
    forked.close()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=st.lists(st.integers(0, 300_000), min_size=1, max_size=5), data=st.data())
def test_every_result_comes_back_in_any_order_of_asking(
    sizes: list[int], data: st.DataObject
) -> None:
    # Results larger than a pipe holds (64 KiB) too: the child never waits for the parent.
    asked = data.draw(st.permutations(range(len(sizes))))
    run_isolated(every_result_comes_back, sizes, asked)


def a_failing_maker_only_loses_its_own_result() -> None:
    require_fork()

    def broken() -> bytes:
        raise RuntimeError("no picture")

    forked = _started([("a", lambda: b"A"), ("b", broken), ("c", lambda: b"C")])
    assert forked.get("b") is None
    assert forked.get("c") == b"C"
    assert forked.get("a") == b"A"
    forked.close()


def test_a_failing_maker_only_loses_its_own_result() -> None:
    run_isolated(a_failing_maker_only_loses_its_own_result)


def a_child_that_dies_gives_none_for_the_rest() -> None:
    require_fork()

    def die() -> bytes:
        os.kill(os.getpid(), signal.SIGKILL)
        return b"never"

    forked = _started([("a", lambda: b"A"), ("b", die), ("c", lambda: b"C")])
    assert forked.get("c") is None
    assert forked.get("a") == b"A"  # sent before the child died
    assert forked.get("b") is None
    assert _gone(forked.pid)


def test_a_child_that_dies_gives_none_for_the_rest_and_no_hang() -> None:
    run_isolated(a_child_that_dies_gives_none_for_the_rest)


def closing_ends_a_child_at_work() -> None:
    require_fork()

    def slow() -> bytes:
        time.sleep(60)
        return b"late"

    forked = _started([("slow", slow)])
    began = time.monotonic()
    forked.close()
    assert time.monotonic() - began < 5
    assert _gone(forked.pid)
    assert forked.get("slow") is None


def test_closing_ends_a_child_still_at_work() -> None:
    run_isolated(closing_ends_a_child_at_work)


def nothing_is_forked_from_a_process_with_threads() -> None:
    require_fork()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not can_fork()
        assert ForkedWork.start([("a", lambda: b"A")]) is None
    finally:
        stop.set()
        other.join()
    assert can_fork()
    assert ForkedWork.start([]) is None  # nor for no work


def test_nothing_is_forked_from_a_process_with_threads() -> None:
    run_isolated(nothing_is_forked_from_a_process_with_threads)


def test_nothing_is_forked_where_it_is_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FORK_VARIABLE, "off")
    assert not can_fork()
    assert ForkedWork.start([("a", lambda: b"A")]) is None


def the_child_leaves_no_file_behind(folder: str) -> None:
    require_fork()
    os.environ["TMPDIR"] = folder
    forked = _started([("a", lambda: b"A" * 100_000)])
    assert forked.get("a") == b"A" * 100_000
    forked.close()
    assert list(Path(folder).iterdir()) == []


def test_the_child_leaves_no_file_behind(tmp_path: Path) -> None:
    run_isolated(the_child_leaves_no_file_behind, str(tmp_path))
