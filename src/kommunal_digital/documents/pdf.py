"""PDF output: Word documents converted by LibreOffice, headless.

Councils take their Beschlussvorlagen as PDF. Writing PDF ourselves would
mean a second layout engine next to Word's; instead the Word documents are
rendered as usual and LibreOffice (``soffice --headless --convert-to pdf``)
converts them, so the PDF looks like the Word file the pack's author drew.

Every call runs its own LibreOffice in a private temporary folder: the
Word files under safe internal names (never a user's text on a command
line), a private profile (``-env:UserInstallation``), so parallel batch
workers and a LibreOffice the user has open never meet, and the PDFs. The
folder is always removed. Each call has a time limit
(:data:`PDF_TIMEOUT_BASE` plus :data:`PDF_TIMEOUT_PER_DOCUMENT` per
document); when it runs out, LibreOffice and everything it started is
killed. LibreOffice takes about two seconds to start, so
:func:`convert_to_pdf` converts many documents in one call.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from kommunal_digital.errors import DocumentError

__all__ = [
    "PDF_TIMEOUT_BASE",
    "PDF_TIMEOUT_PER_DOCUMENT",
    "convert_to_pdf",
    "find_soffice",
]

#: Seconds every LibreOffice run may take before its documents: start-up
#: and a fresh private profile take 2 to 5 s, more on a busy machine.
PDF_TIMEOUT_BASE = 60.0
#: Seconds added to the time limit for each document converted in the run
#: (a long Digitalstrategie takes one or two).
PDF_TIMEOUT_PER_DOCUMENT = 10.0

#: The names LibreOffice's command is found under, in this order.
_PROGRAMS = ("soffice", "libreoffice")
#: The tail of LibreOffice's output quoted in an error message.
_LOG_TAIL = 600


def find_soffice() -> str:
    """The LibreOffice command (``soffice`` or ``libreoffice`` on ``PATH``).

    Returns:
        The command's full path.

    Raises:
        DocumentError: LibreOffice is not installed; the message says what
            to install.
    """
    for name in _PROGRAMS:
        found = shutil.which(name)
        if found is not None:
            return found
    raise DocumentError(
        "LibreOffice is not installed (no 'soffice' on PATH); install it, e.g. "
        "`apt-get install libreoffice-writer-nogui`, or leave out pdf"
    )


def convert_to_pdf(
    documents: Mapping[str, bytes],
    *,
    timeout: float | None = None,
    partial: bool = False,
) -> dict[str, bytes]:
    """Convert Word documents to PDF in one LibreOffice run.

    Args:
        documents: The ``.docx`` files' bytes by a name of the caller's
            choice; error messages use the name, the files on disk get
            internal names.
        timeout: Seconds the run may take; by default
            :data:`PDF_TIMEOUT_BASE` plus :data:`PDF_TIMEOUT_PER_DOCUMENT`
            for each document.
        partial: Leave a document that yields no PDF out of the result
            instead of failing the call (the caller reports it).

    Returns:
        The PDFs' bytes by the names of ``documents``, in their order.

    Raises:
        DocumentError: LibreOffice is not installed (the message says what
            to install), cannot be started, runs out of time (the message
            names the limit; LibreOffice is killed), or yields no PDF for a
            document (the message names it; not with ``partial``).
    """
    if not documents:
        return {}
    program = find_soffice()
    limit = timeout if timeout is not None else _default_timeout(len(documents))
    try:
        converted, missing, log = _convert(program, documents, limit)
    except OSError as error:  # no room or no rights in the temporary folder
        raise DocumentError(
            f"cannot prepare the PDF conversion in {tempfile.gettempdir()}: "
            f"{error.strerror or error}"
        ) from None
    if missing and not partial:
        raise DocumentError(f"LibreOffice produced no PDF for {', '.join(missing)}{_quoted(log)}")
    return converted


def _convert(
    program: str, documents: Mapping[str, bytes], limit: float
) -> tuple[dict[str, bytes], list[str], str]:
    """One run in a private folder: the PDFs, the names without one, LibreOffice's output."""
    internal = {name: f"dokument-{index:04d}" for index, name in enumerate(documents, 1)}
    # Cleaning up must not hide the real outcome (Windows keeps open files).
    with tempfile.TemporaryDirectory(prefix="kd-pdf-", ignore_cleanup_errors=True) as scratch:
        root = Path(scratch)
        sources = root / "word"
        target = root / "pdf"
        sources.mkdir()
        for name, data in documents.items():
            (sources / f"{internal[name]}.docx").write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--headless",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(target),
            *(str(sources / f"{internal[name]}.docx") for name in documents),
        ]
        log = _run(command, root / "soffice.log", limit, len(documents))
        converted: dict[str, bytes] = {}
        missing: list[str] = []
        for name in documents:
            pdf = target / f"{internal[name]}.pdf"
            data = pdf.read_bytes() if pdf.is_file() else b""
            if data.startswith(b"%PDF-"):
                converted[name] = data
            else:
                missing.append(name)
    return converted, missing, log


def _default_timeout(count: int) -> float:
    return PDF_TIMEOUT_BASE + PDF_TIMEOUT_PER_DOCUMENT * count


def _run(command: list[str], log_file: Path, limit: float, count: int) -> str:
    """Run LibreOffice with stdin closed and a time limit, then kill what is left of its group.

    The output goes to a file rather than a pipe, so a helper process that
    outlives the kill cannot hold the call open.
    """
    with log_file.open("wb") as log:
        try:
            process = subprocess.Popen(  # a list of our own arguments, no shell
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as a whole
            )
        except OSError as error:
            raise DocumentError(
                f"LibreOffice ({command[0]}) cannot be started: {error.strerror or error}"
            ) from None
        try:
            status = process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            raise DocumentError(
                f"LibreOffice did not finish converting {count} document(s) to PDF within "
                f"its time limit of {limit:g} s and was stopped"
            ) from None
        finally:
            # Also after Ctrl-C, and after a normal end: nothing it started stays.
            _kill(process)
    text = log_file.read_text(encoding="utf-8", errors="replace")
    if status != 0:
        raise DocumentError(f"LibreOffice failed with exit status {status}{_quoted(text)}")
    return text


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill the run's whole process group (what is left of it) and reap the run."""
    killpg = getattr(os, "killpg", None)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if killpg is not None:
            killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows has no process groups to kill
            process.kill()
    process.wait()


def _quoted(log: str) -> str:
    lines = [
        line
        for line in log.strip().splitlines()
        if line.strip() and not line.startswith(("convert ", "Warning: failed to launch javaldx"))
    ]
    text = " ".join(lines)[-_LOG_TAIL:]
    return f" (LibreOffice said: {text})" if text else ""
