"""PDF output: Word documents converted by LibreOffice, in one run per build.

The tests that run LibreOffice itself skip where it is not installed
(``.ci/run`` installs it where it may); those that need no real LibreOffice
put a fake ``soffice`` on ``PATH`` or take it away.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import os
import re
import shutil
import subprocess
import time
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.batch import run_batch
from kommunal_digital.cli.main import cli
from kommunal_digital.documents import (
    PDF_TIMEOUT_BASE,
    PDF_TIMEOUT_PER_DOCUMENT,
    convert_to_pdf,
    find_soffice,
)
from kommunal_digital.documents.build import MEASURE_FOLDER

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed; .ci/run installs it where it may "
    "(apt-get install libreoffice-writer-nogui)",
)
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="pdftotext and pdfinfo (poppler-utils) are not installed",
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="the fake LibreOffice is a shell script")

DEMO_DATE = dt.date(2027, 3, 1)
INSTALL_HINT = "apt-get install libreoffice-writer-nogui"
#: A4 in PostScript points, and how far LibreOffice's rounding may stray.
A4 = (595.0, 842.0)
TOLERANCE = 2.0


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout


def squeezed(text: str) -> str:
    """Text with line breaks, hyphens and spaces gone, so wrapped titles still match."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\-\u00ad\u2010\u2011]", "", text)


def page_sizes(path: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "100000", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.M)[1])  # type: ignore[index]  # pdfinfo always prints it
    sizes = [
        (float(width), float(height))
        for width, height in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    ]
    assert len(sizes) == pages
    return sizes


def no_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A ``PATH`` without LibreOffice (an empty folder)."""
    empty = tmp_path / "leer"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def fake_soffice(monkeypatch: pytest.MonkeyPatch, folder: Path, body: str) -> Path:
    """A shell script named ``soffice`` first on ``PATH``; it records its arguments."""
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > "{folder}/args"\n{body}\n', encoding="utf-8"
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return folder


#: A fake LibreOffice that writes a tiny "PDF" for every document but the second.
FAKE_CONVERTER = """
out=""; prev=""
for a in "$@"; do [ "$prev" = --outdir ] && out="$a"; prev="$a"; done
mkdir -p "$out"
for a in "$@"; do
  case "$a" in
    *-0002.docx) ;;
    *.docx) n=$(basename "$a" .docx); printf "%%PDF-1.7 %s" "$n" > "$out/$n.pdf";;
  esac
done
"""


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for its parent does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    return kd.dump_strategy(kd.demo_strategy(), tmp_path / "strategy.yaml")


@needs_soffice
@needs_poppler
def test_the_demo_builds_as_pdf_with_every_measure_on_a4(
    tmp_path: Path, workspace: kd.Workspace
) -> None:
    # One build for everything: LibreOffice takes seconds to start.
    demo = kd.demo_strategy()
    result = kd.build_documents(
        demo, tmp_path, workspace, formats=("docx", "pdf"), today=DEMO_DATE, pictures=False
    )
    assert result.ok, result.failures
    pdfs = sorted(tmp_path.rglob("*.pdf"))
    words = sorted(tmp_path.rglob("*.docx"))
    assert [p.with_suffix("") for p in pdfs] == [p.with_suffix("") for p in words]
    assert len(pdfs) == 5 + len(demo.measures)
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF-")
        sizes = page_sizes(pdf)
        assert sizes, pdf
        for width, height in sizes:
            assert abs(width - A4[0]) <= TOLERANCE, (pdf.name, width)
            assert abs(height - A4[1]) <= TOLERANCE, (pdf.name, height)
    strategy_text = squeezed(pdf_text(tmp_path / "Digitalstrategie.pdf"))
    assert squeezed(demo.municipality.name) in strategy_text
    missing = [m.title for m in demo.measures if squeezed(m.title) not in strategy_text]
    assert missing == []
    assert squeezed(demo.municipality.name) in squeezed(pdf_text(tmp_path / "Beschlussvorlage.pdf"))
    for measure in demo.measures:
        (sheet,) = (tmp_path / MEASURE_FOLDER).glob(f"*-{measure.key}.pdf")
        assert squeezed(measure.title) in squeezed(pdf_text(sheet))


def test_without_libreoffice_the_pdfs_fail_and_the_word_files_are_written(
    tmp_path: Path, workspace: kd.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_path(monkeypatch, tmp_path)
    out = tmp_path / "out"
    result = kd.build_documents(
        kd.demo_strategy(),
        out,
        workspace,
        document_types=("beschlussvorlage",),
        formats=("pdf", "docx"),
        today=DEMO_DATE,
        pictures=False,
    )
    assert [p.name for p in result.documents] == ["Beschlussvorlage.docx"]
    assert [(f.document_type, f.output_format) for f in result.failures] == [
        ("beschlussvorlage", "pdf")
    ]
    for failure in result.failures:
        assert "LibreOffice is not installed (no 'soffice' on PATH)" in failure.message
        assert INSTALL_HINT in failure.message
    assert not list(out.rglob("*.pdf"))
    with pytest.raises(kd.DocumentError, match=INSTALL_HINT):
        find_soffice()


def test_strict_without_libreoffice_writes_nothing(
    tmp_path: Path, workspace: kd.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_path(monkeypatch, tmp_path)
    with pytest.raises(kd.DocumentError, match=r"1 document\(s\) failed, nothing written"):
        kd.build_documents(
            kd.demo_strategy(),
            tmp_path / "out",
            workspace,
            document_types=("beschlussvorlage",),
            formats=("pdf",),
            pictures=False,
            strict=True,
        )
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@needs_soffice
def test_cli_build_pdf(demo_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    args = ["build", str(demo_file), "--out", str(out), "--type", "beschlussvorlage"]
    result = runner.invoke(cli, [*args, "--format", "pdf", "--no-pictures"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"wrote {out / 'Beschlussvorlage.pdf'}"
    assert sorted(p.name for p in out.iterdir()) == ["Beschlussvorlage.pdf"]
    assert (out / "Beschlussvorlage.pdf").read_bytes().startswith(b"%PDF-")


def test_cli_without_libreoffice_fails_the_pdfs_without_a_traceback(
    demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_path(monkeypatch, tmp_path)
    runner = CliRunner()
    out = tmp_path / "out"
    args = ["build", str(demo_file), "--out", str(out), "--type", "beschlussvorlage"]
    result = runner.invoke(cli, [*args, "--format", "docx,pdf", "--no-pictures"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: beschlussvorlage (pdf): LibreOffice is not installed (no 'soffice' on PATH); "
        f"install it, e.g. `{INSTALL_HINT}`, or leave out pdf\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["Beschlussvorlage.docx"]
    result = runner.invoke(cli, ["render", str(demo_file), "--out", str(tmp_path / "v.pdf")])
    assert result.exit_code == 1
    assert INSTALL_HINT in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "v.pdf").exists()
    # A batch would fail every file for it: it says so once, before it starts.
    result = runner.invoke(
        cli, ["batch", str(demo_file), "--out", str(tmp_path / "batch"), "--format", "pdf"]
    )
    assert result.exit_code == 1
    assert result.stderr.count(INSTALL_HINT) == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "batch").exists()


def _beschlussvorlage_only(
    strategy: kd.Strategy, out_dir: Path, workspace: kd.Workspace, **options: object
) -> kd.BuildResult:
    return kd.build_documents(
        strategy,
        out_dir,
        workspace,
        document_types=("beschlussvorlage",),
        pictures=False,
        **options,  # type: ignore[arg-type]  # formats, force and today, as run_batch passes them
    )


@posix_only
def test_batch_passes_pdf_to_its_workers(
    demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The conversion itself is tested above; a fake LibreOffice keeps this fast.
    fake_soffice(monkeypatch, tmp_path / "bin", FAKE_CONVERTER)
    with cf.ThreadPoolExecutor(1) as pool:
        result = run_batch(
            [demo_file],
            tmp_path / "out",
            executor=pool,
            formats=("pdf",),
            today=DEMO_DATE,
            builder=_beschlussvorlage_only,
        )
    (item,) = result.items
    assert item.ok, item.error
    assert [p.name for p in item.documents] == ["Beschlussvorlage.pdf"]
    assert item.documents[0].read_bytes().startswith(b"%PDF-")


@posix_only
def test_a_run_out_of_time_is_killed_with_everything_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_soffice(
        monkeypatch,
        tmp_path / "bin",
        f'echo $$ > "{tmp_path}/pids"\nsleep 60 &\necho $! >> "{tmp_path}/pids"\nwait',
    )
    started = time.monotonic()
    with pytest.raises(kd.DocumentError, match=r"within its time limit of 0\.5 s") as caught:
        convert_to_pdf({"Beschlussvorlage": b"Word"}, timeout=0.5)
    assert time.monotonic() - started < 10
    assert "1 document(s)" in str(caught.value)
    pids = [int(line) for line in (tmp_path / "pids").read_text(encoding="utf-8").split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in pids)
    # The private folder (documents, profile, log) is gone too.
    profile = next(
        line for line in (fake / "args").read_text(encoding="utf-8").splitlines() if "-env:" in line
    )
    assert not Path(profile.removeprefix("-env:UserInstallation=file://")).parent.exists()


@posix_only
def test_the_default_time_limit_grows_with_the_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_soffice(monkeypatch, tmp_path / "bin", "exit 0")
    waited: list[float | None] = []
    real_wait = subprocess.Popen.wait

    def wait(self: subprocess.Popen[bytes], timeout: float | None = None) -> int:
        waited.append(timeout)
        return real_wait(self, timeout)

    monkeypatch.setattr(subprocess.Popen, "wait", wait)
    assert convert_to_pdf({"a": b"1", "b": b"2", "c": b"3"}, partial=True) == {}
    assert waited[0] == PDF_TIMEOUT_BASE + 3 * PDF_TIMEOUT_PER_DOCUMENT


@posix_only
def test_libreoffice_gets_safe_arguments_and_a_private_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_soffice(monkeypatch, tmp_path / "bin", FAKE_CONVERTER)
    hostile = "; rm -rf ~ $(reboot) ../../etc/passwd"
    documents = {"Beschlussvorlage.docx": b"eins", hostile: b"zwei", "Dritte": b"drei"}
    with pytest.raises(kd.DocumentError, match=r"produced no PDF for ; rm -rf"):
        convert_to_pdf(documents)
    args = (fake / "args").read_text(encoding="utf-8").splitlines()
    assert not any(hostile in arg or "Beschlussvorlage" in arg for arg in args)
    assert "--headless" in args
    assert args[args.index("--convert-to") + 1] == "pdf:writer_pdf_Export"
    (profile,) = (arg for arg in args if arg.startswith("-env:UserInstallation=file:///"))
    converted = convert_to_pdf(documents, partial=True)
    assert list(converted) == ["Beschlussvorlage.docx", "Dritte"]
    assert converted["Dritte"].startswith(b"%PDF-")
    again = (fake / "args").read_text(encoding="utf-8").splitlines()
    assert profile not in again  # each call its own profile


@posix_only
def test_a_failing_libreoffice_is_reported_with_what_it_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_soffice(
        monkeypatch, tmp_path / "bin", 'echo "Error: source file could not be loaded"\nexit 3'
    )
    with pytest.raises(
        kd.DocumentError,
        match=r"exit status 3 \(LibreOffice said: Error: source file could not be loaded\)",
    ):
        convert_to_pdf({"a": b"1"})
    assert convert_to_pdf({}) == {}


@needs_soffice
def test_parallel_renders_do_not_collide(tmp_path: Path, workspace: kd.Workspace) -> None:
    # render_document converts its one document in a LibreOffice run of its
    # own; two at once each have their private profile.
    demo = kd.demo_strategy()
    key = demo.measures[0].key

    def render(target: str, document_type: str, measure: str | None = None) -> Path:
        return kd.render_document(
            demo,
            tmp_path / target,
            workspace,
            document_type=document_type,
            measure=measure,
            today=DEMO_DATE,
        )

    with cf.ThreadPoolExecutor(2) as pool:
        first = pool.submit(render, "Vorlage.pdf", "beschlussvorlage")
        second = pool.submit(render, "Blatt.pdf", "steckbrief", key)
        paths = [first.result(), second.result()]
    assert [p.name for p in paths] == ["Vorlage.pdf", "Blatt.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF-") for p in paths)
