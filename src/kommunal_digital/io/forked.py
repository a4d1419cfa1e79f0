"""Work done in a forked child process while this process goes on.

A build draws its pictures in a child process made with ``os.fork`` while
it renders the documents that do not show them. The child has everything
by the fork (the same modules, fonts and objects), so it starts in a few
milliseconds and makes the same bytes this process would. It writes each
result into an unnamed file as soon as it is made and says where through
a pipe, so it never waits for this process to read. Whatever goes wrong
in the child (an error, a crash, a kill) only means that what it did not
hand over is made here, the usual way, where errors are reported as
always.

A child is forked only where that is safe and pays off: on Linux (macOS
system libraries are not safe to use in a forked child), from a process
with a single thread (forking a process with threads can leave the child
waiting for a lock another thread held), with at least two CPUs to run
on, and unless ``KOMMUNAL_DIGITAL_FORK`` is ``off``.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Hashable, Sequence
from typing import IO, Generic, NoReturn, TypeVar

__all__ = ["FORK_VARIABLE", "ForkedWork", "can_fork"]

#: The environment variable that switches forked work off (``off``).
FORK_VARIABLE = "KOMMUNAL_DIGITAL_FORK"

K = TypeVar("K", bound=Hashable)

_LENGTH = 8  # bytes of the length that goes before each result


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether work may go to a forked child here and now (see the module's description)."""
    return (
        sys.platform.startswith("linux")
        and os.environ.get(FORK_VARIABLE, "").strip().lower() != "off"
        and threading.active_count() == 1
        and _cpus() > 1
    )


class ForkedWork(Generic[K]):
    """Results by key, made in a forked child in the order given.

    Use :meth:`start`; :meth:`get` waits for one result, :meth:`close`
    ends the child. Thread-safe.
    """

    def __init__(self, pid: int, results: IO[bytes], spool: int) -> None:
        self._pid = pid
        self._results: IO[bytes] | None = results
        self._spool = spool
        self._received: dict[K, bytes] = {}
        self._lock = threading.Lock()

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self._pid

    @classmethod
    def start(cls, work: Sequence[tuple[K, Callable[[], bytes]]]) -> ForkedWork[K] | None:
        """Fork a child that makes each ``(key, make)`` of ``work``; ``None`` if not forked.

        Nothing is forked where :func:`can_fork` says no or the fork fails.
        """
        if not work or not can_fork():
            return None
        try:
            spool = _unnamed_file()
        except OSError:
            return None
        try:
            read_end, write_end = os.pipe()
        except OSError:
            os.close(spool)
            return None
        try:
            pid = os.fork()
        except OSError:
            for fd in (spool, read_end, write_end):
                os.close(fd)
            return None
        if pid == 0:  # pragma: no cover - runs in the child, which coverage does not see
            _child(read_end, write_end, spool, work)
        os.close(write_end)
        return cls(pid, os.fdopen(read_end, "rb"), spool)

    def get(self, key: K) -> bytes | None:
        """The result of ``key``, waiting for the child; ``None`` if it did not make it."""
        with self._lock:
            while key not in self._received and self._results is not None:
                received = self._read()
                if received is None:  # the child ended (or wrote nonsense): it hands over no more
                    self._end()
                    break
                found, data = received
                self._received[found] = data
            return self._received.pop(key, None)

    def _read(self) -> tuple[K, bytes] | None:
        assert self._results is not None
        try:
            head = self._results.read(_LENGTH)
            if len(head) < _LENGTH:
                return None
            size = int.from_bytes(head, "big")
            blob = self._results.read(size)
            if len(blob) < size:
                return None
            key, offset, length = pickle.loads(blob)  # our own child wrote it
            data = _read_exactly(self._spool, offset, length)
        except (OSError, pickle.UnpicklingError, ValueError, TypeError, EOFError):
            return None
        return None if data is None else (key, data)

    def close(self) -> None:
        """End the child (killed if it is still working) and forget what it did not hand over."""
        with self._lock:
            self._received.clear()
            if self._results is not None:
                self._end()

    def _end(self) -> None:
        """Close the pipe and the file, and end and reap the child (never wait for its work)."""
        assert self._results is not None
        self._results.close()
        self._results = None
        os.close(self._spool)
        with contextlib.suppress(OSError):  # ended already
            os.kill(self._pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):  # reaped elsewhere
            os.waitpid(self._pid, 0)

    def __del__(self) -> None:
        if getattr(self, "_results", None) is not None:
            with contextlib.suppress(Exception):  # at interpreter exit, say
                self.close()


def _unnamed_file() -> int:
    """A file without a name (gone when closed): in memory where the system has that."""
    if hasattr(os, "memfd_create"):
        with contextlib.suppress(OSError):
            return os.memfd_create("kommunal-digital-forked", os.MFD_CLOEXEC)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the descriptor outlives the object
    fd = os.dup(spool.fileno())
    spool.close()
    return fd


def _read_exactly(fd: int, offset: int, length: int) -> bytes | None:
    chunks = []
    while length:
        chunk = os.pread(fd, length, offset)
        if not chunk:
            return None
        chunks.append(chunk)
        offset += len(chunk)
        length -= len(chunk)
    return b"".join(chunks)


def _child(
    read_end: int,
    write_end: int,
    spool: int,
    work: Sequence[tuple[Hashable, Callable[[], bytes]]],
) -> NoReturn:  # pragma: no cover - runs in the child, which coverage does not see
    """Make each result, write it to ``spool`` and say where; never returns (``os._exit``)."""
    try:
        os.close(read_end)
        # Ctrl-C goes to the whole process group: the parent handles it; the
        # child just ends when the parent closes the pipe or kills it.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        offset = 0
        with os.fdopen(write_end, "wb") as out:
            for key, make in work:
                try:
                    data = make()
                except Exception:  # made and reported again in the parent
                    continue
                if not isinstance(data, bytes):
                    continue
                view = memoryview(data)
                written = 0
                while written < len(data):
                    written += os.pwrite(spool, view[written:], offset + written)
                blob = pickle.dumps((key, offset, len(data)), protocol=pickle.HIGHEST_PROTOCOL)
                offset += len(data)
                out.write(len(blob).to_bytes(_LENGTH, "big") + blob)
                out.flush()
    finally:
        os._exit(0)
