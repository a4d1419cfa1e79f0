"""Work in a forked child: every result comes back, and nothing the child does loses one.

A build draws its pictures in a forked child (``kommunal_digital.io.forked``).
Whatever the child does, the parent gets each result or ``None`` (then it
makes the result itself) and never hangs; where forking is not safe
nothing is forked.
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

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs os.fork, one thread and two CPUs")


def _returning(value: bytes) -> Callable[[], bytes]:
    return lambda: value


def _gone(pid: int) -> bool:
    """Whether the child has been reaped (no zombie left)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(0, 300_000), min_size=1, max_size=5),
    data=st.data(),
)
def test_every_result_comes_back_in_any_order_of_asking(
    sizes: list[int], data: st.DataObject
) -> None:
    # Results larger than a pipe holds (64 KiB) too: the child never waits for the parent.
    results = {f"k{n}": os.urandom(8) * (size // 8) + bytes([n]) for n, size in enumerate(sizes)}
    forked = ForkedWork.start([(key, _returning(value)) for key, value in results.items()])
    assert forked is not None
    asked = data.draw(st.permutations(list(results)))
    assert {key: forked.get(key) for key in asked} == results
    assert forked.get("k0") is None  # handed over once
    forked.close()


def test_a_failing_maker_only_loses_its_own_result() -> None:
    def broken() -> bytes:
        raise RuntimeError("no picture")

    forked = ForkedWork.start([("a", lambda: b"A"), ("b", broken), ("c", lambda: b"C")])
    assert forked is not None
    assert forked.get("b") is None
    assert forked.get("c") == b"C"
    assert forked.get("a") == b"A"
    forked.close()


def test_a_child_that_dies_gives_none_for_the_rest_and_no_hang() -> None:
    def die() -> bytes:
        os.kill(os.getpid(), signal.SIGKILL)
        return b"never"

    forked = ForkedWork.start([("a", lambda: b"A"), ("b", die), ("c", lambda: b"C")])
    assert forked is not None
    pid = forked.pid
    assert forked.get("c") is None
    assert forked.get("a") == b"A"  # sent before the child died
    assert forked.get("b") is None
    assert _gone(pid)


def test_closing_ends_a_child_still_at_work() -> None:
    def slow() -> bytes:
        time.sleep(60)
        return b"late"

    forked = ForkedWork.start([("slow", slow)])
    assert forked is not None
    pid = forked.pid
    began = time.monotonic()
    forked.close()
    assert time.monotonic() - began < 5
    assert _gone(pid)
    assert forked.get("slow") is None


def test_nothing_is_forked_where_it_is_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FORK_VARIABLE, "off")
    assert not can_fork()
    assert ForkedWork.start([("a", lambda: b"A")]) is None


def test_nothing_is_forked_from_a_process_with_threads() -> None:
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


def test_nothing_is_forked_for_no_work() -> None:
    assert ForkedWork.start([]) is None


def test_the_child_leaves_no_file_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    forked = ForkedWork.start([("a", lambda: b"A" * 100_000)])
    assert forked is not None
    assert forked.get("a") == b"A" * 100_000
    forked.close()
    assert list(tmp_path.iterdir()) == []
