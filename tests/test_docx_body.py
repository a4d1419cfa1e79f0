"""The Word body processed child by child gives the XML docxtpl's whole-tree steps give.

Every template of the docxtpl corpus and every built-in document type is
rendered twice: as kommunal-digital renders (the body streamed, see
``documents/docx_body.py``) and with the streaming switched off (docxtpl's
``fix_tables``, ``fix_docpr_ids`` and ``map_tree`` on one tree). The
document parts must be the same XML (exclusive canonical form, which
ignores where namespaces are declared), and so must every other part.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from markupsafe import Markup

import kommunal_digital as kd
from kommunal_digital.documents import docx_body, template_cache
from kommunal_digital.documents.docx import render_docx_bytes
from kommunal_digital.errors import DocumentError

from . import docxtpl_corpus as corpus
from .docxtpl_corpus import Case

TODAY = dt.date(2027, 3, 31)


def canonical(xml: bytes) -> bytes:
    return bytes(etree.tostring(etree.fromstring(xml), method="c14n", exclusive=True))


def count_streams(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, per render, whether its body was streamed."""
    calls: list[bool] = []

    def counting(document: Any, xml: Any) -> Any:
        streamed = docx_body.stream_body(document, xml)
        calls.append(streamed is not None)
        return streamed

    monkeypatch.setattr(template_cache, "stream_body", counting)
    return calls


def parts(data: bytes) -> dict[str, bytes]:
    """Every member of a .docx; XML members in canonical form."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: canonical(archive.read(name)) if name.endswith(".xml") else archive.read(name)
            for name in archive.namelist()
        }


@pytest.fixture
def whole_tree(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Switch the streaming off for the block (docxtpl's steps on one tree)."""

    class Switch:
        def __enter__(self) -> None:
            monkeypatch.setattr(template_cache, "stream_body", lambda document, xml: None)

        def __exit__(self, *exc: object) -> None:
            monkeypatch.undo()

    return Switch()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docx-body")


@pytest.mark.parametrize("case", corpus.PARITY, ids=lambda c: c.name)
def test_corpus_templates_stream_to_the_same_xml(case: Case, folder: Path, whole_tree: Any) -> None:
    path = case.template(folder, "ours")
    with pytest.MonkeyPatch.context() as patch:
        calls = count_streams(patch)
        streamed = render_docx_bytes(path, case.context(), images=case.images or None)
    assert calls == [True]  # the body was indeed streamed
    with whole_tree:
        tree = render_docx_bytes(path, case.context(), images=case.images or None)
    assert parts(streamed) == parts(tree)


def test_built_in_documents_stream_to_the_same_xml(tmp_path: Path, whole_tree: Any) -> None:
    workspace = kd.open_workspace("rlp")
    strategy = kd.demo_strategy(workspace)
    streamed = kd.build_documents(strategy, tmp_path / "a", workspace, today=TODAY)
    with whole_tree:
        tree = kd.build_documents(strategy, tmp_path / "b", workspace, today=TODAY)
    assert streamed.ok
    assert tree.ok
    assert len(streamed.documents) == len(tree.documents) > 10
    for one, other in zip(streamed.documents, tree.documents, strict=True):
        assert parts(one.read_bytes()) == parts(other.read_bytes()), one.name


def test_xml_docxtpl_would_mend_goes_to_docxtpl(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A value that closes the paragraph early makes XML only a recovering
    # parser reads; the streamed pass gives way and docxtpl's parser mends it.
    document = corpus.new_document()
    document.add_paragraph("{{ wert }}")
    path = folder / "kaputt.docx"
    document.save(str(path))
    calls = count_streams(monkeypatch)
    data = render_docx_bytes(path, {"wert": Markup("a</w:t></w:r></w:p></w:p>b")})
    assert calls == [False]
    assert b"document.xml" in data  # docxtpl's recovering parser made a document


def test_picture_ids_count_on_in_document_order(folder: Path) -> None:
    document = corpus.new_document()
    for _ in range(3):
        document.add_paragraph("{{ images.bild }}")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 1).text = "{{ images.bild }}"
    path = folder / "bilder.docx"
    document.save(str(path))
    data = render_docx_bytes(path, {}, images={"bild": corpus.png(20, 10)})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    ids = [element.get("id") for element in body.iter(f"{{{docx_body._WP}}}docPr")]
    assert ids == [str(1001 + index) for index in range(4)]


def test_a_reference_to_another_document_is_found_in_a_streamed_body(folder: Path) -> None:
    document = corpus.new_document()
    document.add_paragraph("{{ verweis }}")
    path = folder / "verweis.docx"
    document.save(str(path))
    dangling = Markup(
        '</w:t></w:r><w:hyperlink r:id="rId999"><w:r><w:t>x</w:t></w:r></w:hyperlink><w:r><w:t>'
    )
    with pytest.raises(DocumentError, match="rId999"):
        render_docx_bytes(path, {"verweis": dangling})


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=60), st.integers(min_value=1, max_value=5000))
def test_pieces_join_to_the_whole_and_split_only_at_line_breaks(
    pieces: list[str], batch: int
) -> None:
    # Replacing per part is only right if every part but the first starts
    # with a line break and the parts join to the whole output.
    original = template_cache._BATCH
    template_cache._BATCH = batch
    try:
        parts_ = list(template_cache._pieces(iter(pieces)))
    finally:
        template_cache._BATCH = original
    assert "".join(parts_) == "".join(pieces)
    assert all(part.startswith("\n") for part in parts_[1:])
    assert all(part for part in parts_)


def test_unusual_children_of_the_body_keep_their_place(folder: Path, whole_tree: Any) -> None:
    # Children that are neither paragraphs nor tables (a bookmark, a content
    # control holding a table, a comment) are written where they stand.
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = corpus.new_document()
    document.add_paragraph("Vorher {{ name }}")
    body = document.element.body
    sdt = parse_xml(
        f"<w:sdt {w}><w:sdtContent><w:tbl><w:tblGrid><w:gridCol w:w='2000'/>"
        "<w:gridCol w:w='2000'/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>{{ name }}</w:t></w:r>"
        "</w:p></w:tc></w:tr></w:tbl></w:sdtContent></w:sdt>"
    )
    body.insert(1, parse_xml(f'<w:bookmarkStart {w} w:id="7" w:name="anker"/>'))
    body.insert(2, sdt)
    body.insert(3, etree.Comment(" ein Hinweis "))
    body.insert(4, parse_xml(f'<w:bookmarkEnd {w} w:id="7"/>'))
    document.add_paragraph("Nachher")
    path = folder / "besondere.docx"
    document.save(str(path))
    streamed = render_docx_bytes(path, {"name": "Eichenberg"})
    with whole_tree:
        tree = render_docx_bytes(path, {"name": "Eichenberg"})
    assert parts(streamed) == parts(tree)
    with zipfile.ZipFile(io.BytesIO(streamed)) as archive:
        xml = archive.read("word/document.xml")
    order = [xml.index(marker) for marker in (b"Vorher", b"bookmarkStart", b"<w:sdt", b"Hinweis")]
    assert order == sorted(order)
    # The grid of the table inside the content control was fixed as docxtpl fixes it.
    assert xml.count(b"<w:gridCol") == 1


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CHILDREN = {
    "absatz": f"<w:p {_W}><w:r><w:t>Absatz {{{{ name }}}}</w:t></w:r></w:p>",
    "leer": f"<w:p {_W}/>",
    "marke": f'<w:bookmarkStart {_W} w:id="3" w:name="m"/>',
    "ende": f'<w:bookmarkEnd {_W} w:id="3"/>',
    "abschnitt": f"<w:p {_W}><w:pPr><w:sectPr/></w:pPr><w:r><w:t>Ende</w:t></w:r></w:p>",
}


def _table(columns: int, cells: int, span: int) -> str:
    grid = "".join("<w:gridCol w:w='1500'/>" for _ in range(columns))
    first = f"<w:tcPr><w:gridSpan w:val='{span}'/></w:tcPr>" if span > 1 else ""
    row = "".join(
        f"<w:tc>{first if index == 0 else ''}<w:p><w:r><w:t>{{{{ name }}}}</w:t></w:r></w:p></w:tc>"
        for index in range(cells)
    )
    return f"<w:tbl {_W}><w:tblGrid>{grid}</w:tblGrid><w:tr>{row}</w:tr></w:tbl>"


_CHILD = st.one_of(
    st.sampled_from(sorted(_CHILDREN)).map(lambda name: _CHILDREN[name]),
    st.builds(
        _table,
        st.integers(min_value=1, max_value=4),
        st.integers(min_value=1, max_value=4),
        st.integers(min_value=1, max_value=2),
    ),
    st.builds(
        lambda table: (
            f"<w:sdt {_W}><w:sdtContent>{table.replace(f'<w:tbl {_W}>', '<w:tbl>')}"
            "</w:sdtContent></w:sdt>"
        ),
        st.builds(
            _table,
            st.integers(min_value=1, max_value=3),
            st.integers(min_value=1, max_value=3),
            st.just(1),
        ),
    ),
    st.just("comment"),
)


@settings(max_examples=25, deadline=None)
@given(children=st.lists(_CHILD, min_size=1, max_size=8))
def test_any_sequence_of_children_streams_to_the_same_xml(
    children: list[str], folder: Path
) -> None:
    from docx.oxml import parse_xml

    document = corpus.new_document()
    body = document.element.body
    for index, child in enumerate(children):
        element = etree.Comment(" Hinweis ") if child == "comment" else parse_xml(child)
        body.insert(index, element)
    path = folder / "folge.docx"
    document.save(str(path))
    template_cache.clear_cache()
    streamed = render_docx_bytes(path, {"name": "Eichenberg"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(template_cache, "stream_body", lambda document, xml: None)
        tree = render_docx_bytes(path, {"name": "Eichenberg"})
    assert parts(streamed) == parts(tree)
