"""Word rendering for template authors: links, pictures, filters, errors that say where."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import attrs
import docx
import pytest
from docx.shared import Mm
from PIL import Image

import kommunal_digital as kd
from kommunal_digital.documents.docx import render_docx_bytes
from kommunal_digital.documents.text_render import escape_markdown, render_markdown
from kommunal_digital.model.workshop import Source, Workshop
from tests.docx_reading import make_template

HYPERLINK = "relationships/hyperlink"


def _png(width: int = 300, height: int = 100) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buffer, "PNG", dpi=(300, 300))
    return buffer.getvalue()


def _relationships(data: bytes, part: str = "word/_rels/document.xml.rels") -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(part).decode("utf-8")


def test_source_links_of_the_digitalstrategie_are_real_links(
    workspace: kd.Workspace, tmp_path: Path
) -> None:
    demo = kd.demo_strategy(workspace)
    url = "https://example.org/protokoll?teil=1&seite=2"
    sourced = attrs.evolve(
        demo,
        workshop=Workshop(
            held_on=dt.date(2026, 3, 1),
            sources=(Source("Protokoll des Workshops", url), Source("Fotoprotokoll")),
        ),
    )
    out = kd.render_document(sourced, tmp_path / "d.docx", workspace, today=dt.date(2027, 1, 1))
    data = out.read_bytes()
    relationships = _relationships(data)
    assert HYPERLINK in relationships
    assert "https://example.org/protokoll?teil=1&amp;seite=2" in relationships
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert body.count("<w:hyperlink ") == 1
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert f"Protokoll des Workshops: {url}" in text
    assert "Fotoprotokoll" in text
    markdown = kd.render_document(
        sourced, tmp_path / "d.md", workspace, today=dt.date(2027, 1, 1)
    ).read_text(encoding="utf-8")
    assert f"[{escape_markdown(url)}]({url})" in markdown


@pytest.mark.parametrize(
    "value",
    ["javascript:alert(1)", "file:///etc/passwd", "https://a b", "mailto:niemand", "ftp://x.org"],
)
def test_only_web_and_mail_addresses_become_links(tmp_path: Path, value: str) -> None:
    template = make_template(tmp_path / "t.docx", "[{{ url|link('Hier') }}]")
    data = render_docx_bytes(template, {"url": value})
    assert HYPERLINK not in _relationships(data)
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "[Hier]"


def test_links_work_in_headers_and_footers(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Text")
    document.sections[0].header.paragraphs[0].text = "{{ 'mailto:it@vg.de'|link('IT') }}"
    document.sections[0].footer.paragraphs[0].text = "{{ 'https://vg.de'|link }}"
    document.save(str(tmp_path / "t.docx"))
    data = render_docx_bytes(tmp_path / "t.docx", {})
    assert "mailto:it@vg.de" in _relationships(data, "word/_rels/header1.xml.rels")
    assert "https://vg.de" in _relationships(data, "word/_rels/footer1.xml.rels")
    read = docx.Document(io.BytesIO(data))
    assert read.sections[0].header.paragraphs[0].text == "IT"
    assert read.sections[0].footer.paragraphs[0].text == "https://vg.de"


def test_pictures_take_the_size_the_template_gives(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("{{ images.logo }}")
    document.add_paragraph("{{ images.logo|bild(hoehe_mm=15) }}")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "{{ images.logo|bild(breite_mm=40, hoehe_mm=10) }}"
    document.sections[0].header.paragraphs[0].text = "{{ images.logo|bild(breite_mm=30) }}"
    document.save(str(tmp_path / "t.docx"))
    data = render_docx_bytes(tmp_path / "t.docx", {}, images={"logo": _png()})
    read = docx.Document(io.BytesIO(data))
    sizes = [(round(s.width.mm, 1), round(s.height.mm, 1)) for s in read.inline_shapes]
    # 300 x 100 pixels at 300 dpi: 25.4 x 8.5 mm natural size.
    assert sizes == [(25.4, 8.5), (45.0, 15.0), (40.0, 10.0)]
    header = zipfile.ZipFile(io.BytesIO(data)).read("word/header1.xml").decode("utf-8")
    assert f'cx="{Mm(30).emu}"' in header
    assert "relationships/image" in _relationships(data, "word/_rels/header1.xml.rels")


def test_a_wide_picture_without_size_fits_the_text_width(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t.docx", "{{ images.plan }}")
    data = render_docx_bytes(template, {}, images={"plan": _png(6000, 1000)})
    shape = docx.Document(io.BytesIO(data)).inline_shapes[0]
    assert round(shape.width.mm) == 160
    assert round(shape.height.mm, 1) == round(160 / 6, 1)


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("{{ images.logo|bild(hoehe_mm=0) }}", "outside 1..500 mm"),
        ("{{ images.logo|bild(breite_mm='x') }}", "breite_mm must be a number"),
        ("{{ 'logo'|bild(hoehe_mm=10) }}", "expects a picture from images"),
        ("{{ images.wappen }}", "SVG"),
    ],
)
def test_picture_mistakes_are_named(tmp_path: Path, tag: str, message: str) -> None:
    template = make_template(tmp_path / "t.docx", "Kopf", tag)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    with pytest.raises(kd.TemplateRenderError, match=message) as caught:
        render_docx_bytes(template, {}, images={"logo": _png(), "wappen": svg})
    assert "t.docx" in str(caught.value)


def test_errors_name_the_paragraph_and_table_cell(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Einleitung {{ titel }}")
    table = document.add_table(rows=3, cols=2)
    table.cell(2, 1).text = "Kosten: {{ kosten|euro }} {{ fehlt.wert }}"
    document.save(str(tmp_path / "t.docx"))
    with pytest.raises(kd.TemplateRenderError) as caught:
        render_docx_bytes(tmp_path / "t.docx", {"titel": "T", "kosten": 5})
    message = str(caught.value)
    assert message.startswith("t.docx: the template uses a variable")
    assert 'paragraph "Kosten: {{ kosten|euro }} {{ fehlt.wert }}"' in message
    assert "(table 1, row 3, column 2)" in message


def test_syntax_errors_in_headers_name_the_header(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Text")
    document.sections[0].header.paragraphs[0].text = "Stand {% if %}"
    document.save(str(tmp_path / "t.docx"))
    with pytest.raises(
        kd.TemplateRenderError, match=r'syntax error.*in header 1, paragraph "Stand'
    ):
        render_docx_bytes(tmp_path / "t.docx", {})


def test_properties_are_plain_text_and_literal_ampersands_stay_single(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "{{ firma }}"
    document.core_properties.subject = "{{ 'F&E'|upper }}"
    document.add_paragraph('{{ x|default("F&E") }} / {{ ["a", "b"]|join(" & ") }}')
    document.save(str(tmp_path / "t.docx"))
    data = render_docx_bytes(tmp_path / "t.docx", {"firma": "Müller & Söhne <GmbH>"})
    read = docx.Document(io.BytesIO(data))
    assert read.core_properties.title == "Müller & Söhne <GmbH>"
    assert read.core_properties.subject == "F&E"
    assert read.paragraphs[0].text == "F&E / a & b"


def test_docxtpl_objects_built_elsewhere_are_adopted_or_refused(tmp_path: Path) -> None:
    from docxtpl import DocxTemplate, InlineImage, RichText

    template = make_template(tmp_path / "t.docx", "{{ bild }}")
    other = DocxTemplate(str(make_template(tmp_path / "o.docx", "x")))
    picture = InlineImage(other, io.BytesIO(_png()), width=Mm(20))
    data = render_docx_bytes(template, {"bild": picture})
    assert [round(s.width.mm) for s in docx.Document(io.BytesIO(data)).inline_shapes] == [20]

    # docxtpl's Subdoc needs docxcompose, which is not installed; an object
    # of the same class and module stands in for one built elsewhere.
    subdoc = type("Subdoc", (), {"__module__": "docxtpl.subdoc"})()
    with pytest.raises(kd.TemplateRenderError, match="Subdoc"):
        render_docx_bytes(template, {"bild": subdoc})

    link = RichText()
    link.add("Seite", url_id="rId99")
    with pytest.raises(kd.DocumentError, match=r"'rId99'.*would be damaged|damaged.*'rId99'"):
        render_docx_bytes(make_template(tmp_path / "r.docx", "{{r link }}"), {"link": link})


def test_plugin_filters_work_in_every_format(tmp_path: Path) -> None:
    def aktenzeichen(value: object, prefix: str = "AZ") -> str:
        return f"{prefix} {str(value).upper()}-2027"

    filters = {"aktenzeichen": aktenzeichen}
    template = make_template(tmp_path / "t.docx", "{{ key|aktenzeichen }}")
    data = render_docx_bytes(template, {"key": "dms"}, filters=filters)
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "AZ DMS-2027"
    # Without the plugin the same template fails clearly, naming the filter.
    with pytest.raises(kd.TemplateRenderError, match="aktenzeichen"):
        render_docx_bytes(template, {"key": "dms"})
    (tmp_path / "t.md").write_text("{{ key|aktenzeichen('Az.') }}\n", encoding="utf-8")
    assert render_markdown(tmp_path / "t.md", {"key": "x_y"}, {}, filters=filters) == (
        "Az. X\\_Y-2027\n"
    )
    with pytest.raises(kd.TemplateRenderError, match="built-in filter"):
        render_docx_bytes(template, {"key": "dms"}, filters={"euro": aktenzeichen})


def test_a_plugin_filter_is_bounded_like_the_built_in_ones(tmp_path: Path) -> None:
    def grow(value: object) -> str:
        return "x" * 2_000_000

    template = make_template(tmp_path / "t.docx", "{{ 'a'|grow }}")
    with pytest.raises(kd.TemplateRenderError, match="refused by the sandbox"):
        render_docx_bytes(template, {}, filters={"grow": grow})

    def broken(value: object) -> str:
        raise RuntimeError("kaputt")

    template = make_template(tmp_path / "b.docx", "{{ 'a'|broken }}")
    with pytest.raises(kd.TemplateRenderError, match="RuntimeError: kaputt"):
        render_docx_bytes(template, {}, filters={"broken": broken})


def test_row_numbers_count_rows_as_the_author_sees_them(tmp_path: Path) -> None:
    # docxtpl removes the {%tr %} rows before compiling; the message still
    # counts them, as the author sees the table in Word.
    document = docx.Document()
    table = document.add_table(rows=4, cols=2)
    table.cell(0, 0).text = "Titel"
    table.cell(1, 0).text = "{%tr for m in measures %}"
    table.cell(2, 0).text = "{{ m.title }}"
    table.cell(2, 1).text = "{{ m.kosten|euro }} {{ m.fehlt }}"
    table.cell(3, 0).text = "{%tr endfor %}"
    document.save(str(tmp_path / "t.docx"))
    with pytest.raises(kd.TemplateRenderError, match=r"\(table 1, row 3, column 2\)"):
        render_docx_bytes(tmp_path / "t.docx", {"measures": [{"title": "A", "kosten": 1}]})


def test_pictures_in_footnotes_are_refused_with_a_message() -> None:
    from kommunal_digital.documents.docx_parts import DocxPicture, rendering

    class Footnotes:  # a part without pictures, as python-docx loads footnotes
        partname = "/word/footnotes.xml"

    class Document:
        current_rendering_part = Footnotes()

    with rendering(Document()), pytest.raises(Exception, match="not in footnotes"):
        DocxPicture("logo", _png()).__html__()
