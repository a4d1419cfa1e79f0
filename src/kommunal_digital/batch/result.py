"""What a batch run reports: one item per strategy file, and the whole."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import attrs

__all__ = ["BatchItem", "BatchResult", "BatchStatus"]


class BatchStatus(StrEnum):
    """Whether the documents of one strategy file were built."""

    OK = "ok"
    FAILED = "failed"


@attrs.frozen
class BatchItem:
    """The outcome for one strategy file of a batch.

    Attributes:
        source: The strategy file.
        status: ``ok`` or ``failed``.
        out_dir: The folder holding the file's documents; ``None`` when it failed
            (a failed file leaves no folder behind).
        documents: The documents written, inside ``out_dir``.
        error: Why it failed: the library's message, which names the file and
            the field path, or for an unexpected crash the exception's type and
            message. Empty when it succeeded.
        seconds: How long loading and building took.
        municipality: The municipality's name, once the file could be read.
        warnings: What the documents could not say yet (no measures, unknown
            costs, ...) and derived data recomputed in memory; one line each.
    """

    source: Path
    status: BatchStatus
    out_dir: Path | None = None
    documents: tuple[Path, ...] = ()
    error: str = ""
    seconds: float = 0.0
    municipality: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the documents of this file were built."""
        return self.status is BatchStatus.OK

    def __str__(self) -> str:
        if self.ok:
            return f"{self.source}: {len(self.documents)} document(s) in {self.out_dir}"
        # Library messages usually start with the file (often only its name).
        for prefix in (f"{self.source}:", f"{self.source.name}:"):
            if self.error.startswith(prefix):
                return f"{self.source}:{self.error[len(prefix) :]}"
        return f"{self.source}: {self.error}"


@attrs.frozen
class BatchResult:
    """The outcome of a batch run.

    Attributes:
        out_dir: The folder holding one sub-folder per municipality.
        items: One item per strategy file, in the order of the sources.
        seconds: Wall-clock time of the whole run.
    """

    out_dir: Path
    items: tuple[BatchItem, ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> tuple[BatchItem, ...]:
        """The items whose documents were built."""
        return tuple(item for item in self.items if item.ok)

    @property
    def failed(self) -> tuple[BatchItem, ...]:
        """The items that failed, each with its file and error message."""
        return tuple(item for item in self.items if not item.ok)

    def summary(self) -> str:
        """A short report: counts and time on the first line, then one line per failure."""
        documents = sum(len(item.documents) for item in self.items)
        lines = [
            f"{len(self.ok)} of {len(self.items)} strategies built "
            f"({documents} documents in {self.out_dir}, {self.seconds:.1f} s), "
            f"{len(self.failed)} failed"
        ]
        for item in self.failed:
            # Messages may span lines (one per problem); indent the follow-ups.
            lines.append("  " + str(item).replace("\n", "\n    "))
        return "\n".join(lines)
