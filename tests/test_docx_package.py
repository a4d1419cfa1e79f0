"""A template's package is read once and each render's copy parses only what it reads."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import pytest

import kommunal_digital as kd
from kommunal_digital.documents.docx_package import open_document, read_package

TEMPLATES = Path(__file__).resolve().parent.parent / "template_packs" / "base" / "templates"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _saved(document: docx.document.Document) -> dict[str, bytes]:
    buffer = io.BytesIO()
    document.save(buffer)
    return _parts(buffer.getvalue())


@pytest.mark.parametrize("name", ["steckbrief.docx", "digitalstrategie.docx"])
def test_parts_nobody_reads_are_saved_as_they_were_read(name: str) -> None:
    data = (TEMPLATES / name).read_bytes()
    saved = _saved(open_document(read_package(data)))
    original = _parts(data)
    assert saved["word/styles.xml"] == original["word/styles.xml"]
    assert saved["word/numbering.xml"] == original["word/numbering.xml"]
    # The same parts as python-docx's own open and save give.
    assert saved.keys() == _saved(docx.Document(io.BytesIO(data))).keys()


def test_a_part_that_is_read_is_parsed_and_changes_are_saved() -> None:
    data = (TEMPLATES / "steckbrief.docx").read_bytes()
    parts = read_package(data)
    document = open_document(parts)
    styles = [style.name for style in document.styles]
    assert styles == [style.name for style in docx.Document(io.BytesIO(data)).styles]
    document.styles["Normal"].font.name = "Verdana"
    saved = _saved(document)
    assert b"Verdana" in saved["word/styles.xml"]
    again = open_document(parts)  # each open is a package of its own
    assert again.styles["Normal"].font.name != "Verdana"
    assert b"Verdana" not in _saved(again)["word/styles.xml"]


def test_not_a_word_document_is_refused_as_python_docx_refuses_it(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    document = docx.Document()
    document.save(buffer)
    changed = _parts(buffer.getvalue())
    changed["[Content_Types].xml"] = changed["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in changed.items():
            archive.writestr(name, data)
    with pytest.raises(ValueError, match="not a Word file"):
        open_document(read_package(out.getvalue()))


def test_a_built_set_keeps_the_templates_styles_byte_for_byte(
    workspace: kd.Workspace, tmp_path: Path
) -> None:
    result = kd.build_documents(
        kd.demo_strategy(workspace),
        tmp_path / "o",
        workspace,
        document_types=["steckbrief", "digitalstrategie"],
        today=dt.date(2027, 1, 1),
        pictures=False,
    )
    assert result.ok
    for path in result.documents:
        template = TEMPLATES / (
            "steckbrief.docx" if "Steckbrief" in path.name else "digitalstrategie.docx"
        )
        assert (
            _parts(path.read_bytes())["word/styles.xml"]
            == _parts(template.read_bytes())["word/styles.xml"]
        )
