"""Word templates written for docxtpl render as docxtpl renders them.

Every template of :mod:`tests.docxtpl_corpus` is rendered with
kommunal-digital (:func:`render_docx_bytes`) and with plain docxtpl in a
sandboxed, autoescaping Jinja environment, and both documents are read back
and compared: paragraph texts and run formatting, table shape (rows, cells,
``gridSpan``, ``vMerge``), cell shading, headers, footers, footnotes,
document properties, pictures (count and size) and hyperlinks.

Where kommunal-digital differs on purpose (see ``docs/docxtpl-templates.md``)
the test states what it gives instead and checks that plain docxtpl indeed
gives something else, so the reason for the difference stays on record.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import jinja2
import pytest
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from kommunal_digital.documents.docx import render_docx_bytes
from kommunal_digital.errors import DocumentError, TemplateRenderError

from . import docxtpl_corpus as corpus
from .docxtpl_corpus import Case, Flavour

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
PART_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
}
PROPERTIES = ("title", "subject", "author", "comments", "keywords", "identifier", "language")
#: 1 mm in EMU (English Metric Units, the unit of picture sizes in Word).
MM = 36_000


# --- reading a document back -----------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A table cell: its text (paragraphs joined by line breaks) and its shape."""

    text: str
    grid_span: int = 1
    v_merge: str | None = None
    fill: str | None = None


@dataclass(frozen=True)
class Table:
    """A table: the number of grid columns and the cells of each row."""

    columns: int
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Story:
    """What one part of a document (body, a header, a footer, the footnotes) shows."""

    #: Texts of the paragraphs outside tables; ``\\t`` a tab, ``\\n`` a line break,
    #: ``\\f`` a page break.
    paragraphs: tuple[str, ...]
    #: Runs with text, as (text, bold, italic, underline, colour), neighbours
    #: in a paragraph with the same formatting merged.
    runs: tuple[tuple[str, bool, bool, str | None, str | None], ...]
    tables: tuple[Table, ...]
    #: Picture sizes in EMU, (width, height).
    pictures: tuple[tuple[int, int], ...]
    #: Hyperlinks as (text, target); the target is None when the link's
    #: relationship is missing in the part.
    links: tuple[tuple[str, str | None], ...]
    #: Relationship ids used in the part that the part does not have.
    dangling: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Document:
    """A rendered document read back: its parts by part name and its properties."""

    stories: dict[str, Story]
    properties: dict[str, str]

    @property
    def body(self) -> Story:
        return self.stories["/word/document.xml"]

    def part(self, prefix: str) -> list[Story]:
        """The stories of the parts whose names start with ``/word/<prefix>``."""
        return [s for name, s in sorted(self.stories.items()) if name.startswith(f"/word/{prefix}")]


def _on(element: Any, name: str) -> bool:
    """Whether a toggle property (``<w:b/>``, ``<w:i/>``) is switched on."""
    found = element.find(W + name) if element is not None else None
    return found is not None and found.get(W + "val") not in ("0", "false", "off")


def _paragraph_text(paragraph: Any) -> str:
    parts: list[str] = []
    for element in paragraph.iter(W + "t", W + "tab", W + "br", W + "cr"):
        if element.tag == W + "t":
            parts.append(element.text or "")
        elif element.getparent().tag != W + "r":
            continue  # tab stops of the paragraph properties
        elif element.tag == W + "tab":
            parts.append("\t")
        elif element.tag == W + "br" and element.get(W + "type") == "page":
            parts.append("\f")
        else:
            parts.append("\n")
    return "".join(parts)


def _runs(root: Any) -> tuple[tuple[str, bool, bool, str | None, str | None], ...]:
    runs: list[tuple[str, bool, bool, str | None, str | None]] = []
    for paragraph in root.iter(W + "p"):
        first = len(runs)
        for run in paragraph.iter(W + "r"):
            text = "".join(t.text or "" for t in run.iter(W + "t"))
            if not text:
                continue
            properties = run.find(W + "rPr")
            underline = properties.find(W + "u") if properties is not None else None
            colour = properties.find(W + "color") if properties is not None else None
            key = (
                _on(properties, "b"),
                _on(properties, "i"),
                underline.get(W + "val") if underline is not None else None,
                colour.get(W + "val") if colour is not None else None,
            )
            if len(runs) > first and runs[-1][1:] == key:
                runs[-1] = (runs[-1][0] + text, *key)
            else:
                runs.append((text, *key))
    return tuple(runs)


def _table(table: Any) -> Table:
    grid = table.find(W + "tblGrid")
    rows = []
    for row in table.findall(W + "tr"):
        cells = []
        for cell in row.findall(W + "tc"):
            properties = cell.find(W + "tcPr")
            span = merge = shading = None
            if properties is not None:
                span = properties.find(W + "gridSpan")
                merge = properties.find(W + "vMerge")
                shading = properties.find(W + "shd")
            cells.append(
                Cell(
                    text="\n".join(_paragraph_text(p) for p in cell.findall(W + "p")),
                    grid_span=int(span.get(W + "val")) if span is not None else 1,
                    v_merge=(merge.get(W + "val") or "continue") if merge is not None else None,
                    fill=shading.get(W + "fill") if shading is not None else None,
                )
            )
        rows.append(tuple(cells))
    return Table(columns=len(grid.findall(W + "gridCol")), rows=tuple(rows))


def _containers(root: Any) -> list[Any]:
    """The elements whose children are the paragraphs and tables of a part."""
    if root.tag == W + "document":
        return [root.find(W + "body")]
    if root.tag == W + "footnotes":
        return [n for n in root.findall(W + "footnote") if n.get(W + "type") is None]
    return [root]


def _story(part: Any) -> Story:
    root = etree.fromstring(part.blob)
    paragraphs, tables = [], []
    for container in _containers(root):
        for child in container:
            if child.tag == W + "p":
                paragraphs.append(_paragraph_text(child))
            elif child.tag == W + "tbl":
                tables.append(_table(child))
    rels = part.rels
    pictures = tuple(
        (int(extent.get("cx")), int(extent.get("cy")))
        for holder in root.iter(WP + "inline", WP + "anchor")
        for extent in holder.findall(WP + "extent")
    )
    links = []
    for link in root.iter(W + "hyperlink"):
        rid = link.get(R + "id")
        if rid is None:
            continue  # a link to a bookmark in the document
        text = "".join(t.text or "" for t in link.iter(W + "t"))
        links.append((text, rels[rid].target_ref if rid in rels else None))
    used = {
        value
        for element in root.iter()
        for name, value in element.attrib.items()
        if name.startswith(R)
    }
    return Story(
        paragraphs=tuple(paragraphs),
        runs=_runs(root),
        tables=tuple(tables),
        pictures=pictures,
        links=tuple(links),
        dangling=tuple(sorted(rid for rid in used if rid not in rels)),
    )


def read(data: bytes) -> Document:
    """Read a rendered .docx back."""
    document = docx.Document(io.BytesIO(data))
    stories = {
        str(part.partname): _story(part)
        for part in document.part.package.iter_parts()
        if part.content_type in PART_TYPES
    }
    core = document.core_properties
    properties = {name: getattr(core, name) or "" for name in PROPERTIES}
    return Document(stories=stories, properties=properties)


# --- rendering ---------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docxtpl-corpus")


def ours(case: Case, folder: Path) -> Document:
    """The case rendered with kommunal-digital."""
    path = case.template(folder, "ours")
    return read(render_docx_bytes(path, case.context(), images=case.images or None))


def plain_docxtpl(
    case: Case, folder: Path, flavour: Flavour = "docxtpl", context: dict[str, Any] | None = None
) -> Document:
    """The case rendered with plain docxtpl in a sandboxed, autoescaping environment."""
    template = DocxTemplate(str(case.template(folder, flavour)))
    if context is None:
        context = case.context()
        if case.docxtpl_context is not None and flavour == "docxtpl":
            template.init_docx()
            context = {**context, **case.docxtpl_context(template)}
    template.render(context, jinja_env=SandboxedEnvironment(autoescape=True), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return read(buffer.getvalue())


def _one_paragraph(folder: Path, name: str, text: str) -> Path:
    """A template of one paragraph."""
    path = folder / f"single-{name}.docx"
    document = corpus.new_document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


# --- the same as docxtpl -------------------------------------------------------


@pytest.mark.parametrize("case", corpus.PARITY, ids=lambda c: c.name)
def test_renders_as_docxtpl_does(case: Case, folder: Path) -> None:
    expected = plain_docxtpl(case, folder)
    got = ours(case, folder)
    assert got.stories.keys() == expected.stories.keys()
    for name, story in expected.stories.items():
        assert got.stories[name] == story, name
    assert got.properties == expected.properties


def test_the_corpus_covers_what_it_claims(folder: Path) -> None:
    # Guards against a template that renders "the same" because it renders nothing.
    by_name = {case.name: plain_docxtpl(case, folder) for case in corpus.PARITY}
    paragraphs = by_name["paragraphs"].body.paragraphs
    assert "2. WLAN im Bürgerhaus (12.500 €)" in paragraphs
    assert "Dieser Absatz erscheint." in paragraphs
    assert "Dieser Absatz fehlt." not in paragraphs
    assert "Wörtlich: {{ name }} und {% tag %}" in paragraphs
    # A block may span paragraphs: {% if %} in one, {% else %} in the next.
    assert paragraphs[paragraphs.index("Stand: 31.03.2027, ") + 1] == "viele Maßnahmen"
    assert "Lauf A B C" in paragraphs
    assert "Wohnt in der Gemeinde: ja" in paragraphs
    assert not any("Hinweis" in p or "{%" in p.replace("{% tag %}", "") for p in paragraphs)

    loops = by_name["table_loops"].body.tables
    assert [row[0].text for row in loops[0].rows] == [
        "Maßnahme",
        "Online-Terminvergabe",
        "WLAN im Bürgerhaus",
        "Digitale Sprechstunde",
        "Summe",
    ]
    assert loops[1].rows[1][0].text == "Anbieter wählen\nTermine festlegen\nWebsite anbinden"

    columns = by_name["column_loop"].body.tables[0]
    assert columns.columns == 6
    assert [c.text for c in columns.rows[0]] == ["Jahr", "2026", "2027", "2028", "2029", "2030"]

    shaded = by_name["cell_background"].body.tables[0]
    assert [row[0].fill for row in shaded.rows] == ["D9D9D9", "00B050", "FFC000", "C00000"]

    spans = by_name["colspan"].body.tables
    assert [c.grid_span for c in spans[0].rows[0]] == [2, 1]
    assert spans[1].columns == 4
    assert [c.grid_span for c in spans[1].rows[1]] == [4]

    vertical, horizontal = by_name["merges"].body.tables
    assert [row[0].v_merge for row in vertical.rows] == [None, "restart", "continue", "continue"]
    assert [row[0].text for row in vertical.rows] == ["Handlungsfeld", "Verwaltung", "", ""]
    assert [(c.text, c.grid_span) for c in horizontal.rows[0]] == [("Titel", 1), ("Zeitraum", 3)]

    headers = by_name["header_footer"]
    header_texts = [s.paragraphs for s in headers.part("header")]
    assert ("Sonnenhang – Digitalstrategie", "ENTWURF vom 31.03.2027") in header_texts
    assert ("Titelblatt SONNENHANG",) in header_texts
    footer_texts = [s.paragraphs for s in headers.part("footer")]
    assert ("Stand: 31.03.2027", "Bürgerbüro", "IT-Stelle") in footer_texts

    notes = by_name["footnotes"].part("footnotes")[0].paragraphs
    assert notes == (" Quelle: Haushaltsplan 2027 & Förderbescheid", " GESCHÄTZT")

    runs = by_name["richtext"].body.runs
    assert ("Frist 30.06.", True, False, None, "C00000") in runs
    assert ("kursiv & rot", False, True, None, "C00000") in runs
    assert ("Ein ganzer Absatz", False, True, None, None) in runs

    listing = by_name["listing"].body.paragraphs
    assert listing == (
        "Vorher Zeile 1\nZeile 2\tmit Tab",
        "Neuer Absatz",
        "\f",
        "Nach dem Seitenumbruch nachher",
    )
    assert by_name["control_characters"].body.paragraphs == listing


# --- differences on purpose ----------------------------------------------------


def test_an_ampersand_in_a_tag_prints_as_an_ampersand(folder: Path) -> None:
    expected = (
        "F&E",
        "Bau & Verkehr",
        "Bildung & Jugend",
        "Schule & Kita & Hort",
        "mit Und-Zeichen",
        "A & B",
    )
    got = ours(corpus.AMPERSAND, folder)
    assert got.body.paragraphs == expected
    assert got.body.tables[0].rows[0][0].text == "Straßen & Wege"
    assert got.part("header")[0].paragraphs == ("Kopf & Fuß",)
    # docxtpl compiles the XML as it stands, where "&" is written "&amp;", so
    # a string literal holds "&amp;", which autoescaping then prints as such.
    docxtpl = plain_docxtpl(corpus.AMPERSAND, folder)
    assert docxtpl.body.paragraphs == (
        "F&amp;E",
        "Bau &amp; Verkehr",
        "Bildung &amp; Jugend",
        "Schule &amp; Kita &amp; Hort",
        "",  # "&amp;" is not in "A & B"
        "A & B",  # values from the context were always right
    )
    assert docxtpl.body.tables[0].rows[0][0].text == "Straßen &amp; Wege"


def test_properties_are_plain_text(folder: Path) -> None:
    got = ours(corpus.PROPERTIES, folder)
    assert got.properties["title"] == "Müller & Söhne <GmbH>"
    assert got.properties["subject"] == "Bildung & Jugend"
    assert got.properties["author"] == 'Amt "Digitales"'
    assert got.properties["comments"] == "Erstellt für Sonnenhang <intern>"
    assert got.properties["keywords"] == "Digitalstrategie, fest"
    docxtpl = plain_docxtpl(corpus.PROPERTIES, folder)
    assert got.body == docxtpl.body
    # docxtpl escapes the values for XML, and python-docx escapes them again.
    assert docxtpl.properties["title"] == "Müller &amp; Söhne &lt;GmbH&gt;"
    assert docxtpl.properties["subject"] == "Bildung &amp; Jugend"
    assert docxtpl.properties["author"] == "Amt &#34;Digitales&#34;"


def test_characters_xml_cannot_hold_are_left_out(folder: Path) -> None:
    got = ours(corpus.FORBIDDEN_CHARACTERS, folder)
    assert got.body.paragraphs == ("Text: abcd",)
    assert got.part("header")[0].paragraphs == ("Kopf: abcd",)
    assert got.properties["title"] == "abcd"
    subject = got.properties["subject"]
    assert re.fullmatch(r"eins\s*zwei\s*drei", subject), subject
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", subject)
    # docxtpl hands the characters on: the header's XML does not parse
    # (and python-docx refuses them in the properties).
    with pytest.raises((etree.XMLSyntaxError, ValueError)):
        plain_docxtpl(corpus.FORBIDDEN_CHARACTERS, folder)


def _near(got: tuple[int, int], width_mm: float, height_mm: float) -> bool:
    """Whether a picture size is the given one, to a tenth of a millimetre."""
    return abs(got[0] - width_mm * MM) <= 3_600 and abs(got[1] - height_mm * MM) <= 3_600


def test_pictures_with_sizes_in_body_tables_headers_and_footers(folder: Path) -> None:
    got = ours(corpus.PICTURES, folder)
    logo_width, logo_height = 200 / 96 * 25.4, 100 / 96 * 25.4  # 52.9 × 26.5 mm
    body = got.body.pictures
    assert len(body) == 5
    assert _near(body[0], 30, 15)  # hoehe_mm=15, the width follows
    assert _near(body[1], 40, 20)  # breite_mm=40
    assert _near(body[2], 30, 30)  # both given
    assert _near(body[3], logo_width, logo_height)  # natural size
    assert _near(body[4], 20, 10)  # in a table cell
    assert _near(got.part("header")[0].pictures[0], 30, 15)
    assert _near(got.part("footer")[0].pictures[0], 16, 8)
    assert all(not story.dangling for story in got.stories.values())
    assert got.body.paragraphs[:4] == ("Höhe: ", "Breite: ", "Beide: ", "Natürlich: ")

    # The same document made the docxtpl way, with an InlineImage per picture.
    docxtpl = plain_docxtpl(corpus.PICTURES, folder)
    for name, story in docxtpl.stories.items():
        assert len(got.stories[name].pictures) == len(story.pictures), name
        for mine, theirs in zip(got.stories[name].pictures, story.pictures, strict=True):
            assert abs(mine[0] - theirs[0]) <= 3_600
            assert abs(mine[1] - theirs[1]) <= 3_600
        assert got.stories[name].paragraphs == story.paragraphs, name
    # Plain docxtpl has no bild filter: the template is ours only.
    with pytest.raises(jinja2.TemplateError, match="bild"):
        plain_docxtpl(corpus.PICTURES, folder, "ours", {"images": {}})


def test_a_picture_wider_than_the_page_is_made_160_mm_wide(folder: Path) -> None:
    (picture,) = ours(corpus.WIDE_PICTURE, folder).body.pictures
    assert _near(picture, 160, 80)
    # docxtpl's InlineImage without a size keeps the natural 304.8 mm.
    (theirs,) = plain_docxtpl(corpus.WIDE_PICTURE, folder).body.pictures
    assert _near(theirs, 304.8, 152.4)


def test_links_are_real_hyperlinks_in_every_part(folder: Path) -> None:
    got = ours(corpus.LINKS_CASE, folder)
    links = corpus.LINKS
    web, mail, cell = links["web"], links["mail"], links["zelle"]
    assert got.body.links == (
        (web[1], web[0]),
        (mail[1], mail[0]),
        (cell[1], cell[0]),
        (web[0], web[0]),  # without a text the address is the text
    )
    assert got.part("header")[0].links == ((links["kopf"][1], links["kopf"][0]),)
    assert got.part("footer")[0].links == ((links["fuss"][1], links["fuss"][0]),)
    assert got.part("footnotes")[0].links == ((links["fussnote"][1], links["fussnote"][0]),)
    assert all(not story.dangling for story in got.stories.values())
    # Other schemes print the text, without a link.
    assert "Verboten: Klick" in got.body.paragraphs
    assert "Datei: Datei" in got.body.paragraphs

    # The docxtpl way: a RichText with a url_id from build_url_id. The text is
    # the same, but build_url_id always adds the relationship to the body, so
    # a link in a header, footer or footnote points at nothing.
    docxtpl = plain_docxtpl(corpus.LINKS_CASE, folder)
    assert docxtpl.body.links == got.body.links[:3]
    assert docxtpl.body.paragraphs == got.body.paragraphs[:2]
    assert docxtpl.part("header")[0].links == ((links["kopf"][1], None),)
    assert docxtpl.part("header")[0].dangling
    assert docxtpl.part("footer")[0].dangling
    assert docxtpl.part("footnotes")[0].links == ((links["fussnote"][1], None),)
    # Plain docxtpl has no link filter.
    with pytest.raises(jinja2.TemplateError, match="link"):
        plain_docxtpl(corpus.LINKS_CASE, folder, "ours", corpus.LINKS_CASE.context())


def test_plugin_filters_work_as_filters_of_a_jinja_env(folder: Path) -> None:
    def initials(value: str) -> str:
        return "".join(word[0] for word in value.split())

    path = _one_paragraph(folder, "plugin-filter", "Kürzel: {{ name|kuerzel }}")
    context = {"name": "Verbandsgemeinde Lindenau"}
    got = read(render_docx_bytes(path, context, filters={"kuerzel": initials}))
    environment = SandboxedEnvironment(autoescape=True)
    environment.filters["kuerzel"] = initials
    template = DocxTemplate(str(path))
    template.render(context, jinja_env=environment, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    assert got == read(buffer.getvalue())
    assert got.body.paragraphs == ("Kürzel: VL",)


# --- error messages name the place in the document ---------------------------


def _our_error(case: Case, folder: Path) -> str:
    with pytest.raises(TemplateRenderError) as caught:
        ours(case, folder)
    return str(caught.value)


def _docxtpl_error(case: Case, folder: Path) -> str:
    # StrictUndefined, as in kommunal-digital: otherwise docxtpl prints nothing
    # for a misspelt variable instead of failing.
    template = DocxTemplate(str(case.template(folder, "docxtpl")))
    environment = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.TemplateError) as caught:
        template.render(case.context(), jinja_env=environment, autoescape=True)
    return str(caught.value)


def test_an_error_in_a_table_cell_names_the_cell(folder: Path) -> None:
    message = _our_error(corpus.ERROR_IN_CELL, folder)
    assert "error_in_cell-ours.docx" in message
    assert "kostn" in message
    assert re.search("(?i)body|Hauptteil", message), message
    assert "Kosten laut Plan" in message
    assert re.search(r"(?i)(table|tabelle) 1", message), message
    assert re.search(r"(?i)(row|zeile) 2", message), message
    assert re.search(r"(?i)(column|spalte) 2", message), message
    # docxtpl's message names the variable only.
    assert "Kosten laut Plan" not in _docxtpl_error(corpus.ERROR_IN_CELL, folder)


def test_an_error_in_a_header_names_the_header(folder: Path) -> None:
    message = _our_error(corpus.ERROR_IN_HEADER, folder)
    assert "nmae" in message
    assert re.search("(?i)header|Kopfzeile", message), message
    assert "Seitenkopf" in message
    assert "Seitenkopf" not in _docxtpl_error(corpus.ERROR_IN_HEADER, folder)


def test_a_syntax_error_names_the_paragraph(folder: Path) -> None:
    message = _our_error(corpus.SYNTAX_ERROR, folder)
    assert "syntax" in message
    assert "Zweiter Absatz" in message
    assert re.search("(?i)body|Hauptteil", message), message
    assert "Zweiter Absatz" not in _docxtpl_error(corpus.SYNTAX_ERROR, folder)


# --- refused -------------------------------------------------------------------


#: Tags refused in Word templates: (template text, context, what the message names).
REFUSED: dict[str, tuple[str, dict[str, Any], str]] = {
    "include": ('{% include "anhang.docx" %}', {}, "include"),
    "import": ('{% import "makros.docx" as m %}', {}, "import"),
    "extends": ('{% extends "basis.docx" %}', {}, "extends"),
    "str_format": ('{{ "{}-{}".format(a, b) }}', {"a": 1, "b": 2}, "'format'"),
    "private_attribute": ("{{ a.__class__ }}", {"a": 1}, "__class__"),
    "class_attribute": ("{{ dict.mro() }}", {}, "'mro'"),
    "change_data": ("{{ items.append(3) }}", {"items": [1, 2]}, "'append'"),
    "big_range": ("{% for i in range(10**9) %}{% endfor %}", {}, "range"),
    "big_text": ('{{ "x" * 10**9 }}', {}, "at most"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_tags(name: str, folder: Path) -> None:
    text, context, named = REFUSED[name]
    with pytest.raises(TemplateRenderError, match="refused by the sandbox") as caught:
        render_docx_bytes(_one_paragraph(folder, name, text), dict(context))
    assert named in str(caught.value)


def test_str_format_works_in_plain_docxtpl(folder: Path) -> None:
    # Jinja's own sandbox allows str.format; ours refuses it (it reaches
    # attributes through format fields, "{0.__class__}").
    path = _one_paragraph(folder, "format-docxtpl", '{{ "{}-{}".format(a, b) }}')
    template = DocxTemplate(str(path))
    template.render({"a": 1, "b": 2}, jinja_env=SandboxedEnvironment(autoescape=True))
    buffer = io.BytesIO()
    template.save(buffer)
    assert read(buffer.getvalue()).body.paragraphs == ("1-2",)


def _subdoc(path: Path) -> Any:
    """A docxtpl Subdoc, or a stand-in of the same class name and module.

    docxtpl makes a Subdoc only with docxcompose, its optional dependency,
    installed; without it the stand-in is what such a value would look like.
    """
    try:
        subdoc = DocxTemplate(str(path)).new_subdoc()
    except ImportError:
        return type("Subdoc", (), {"__module__": "docxtpl.subdoc"})()
    subdoc.add_paragraph("Anhang")
    return subdoc


def test_a_subdoc_is_refused(folder: Path) -> None:
    path = _one_paragraph(folder, "subdoc", "{{p anhang }}")
    with pytest.raises(TemplateRenderError, match=r"(?i)subdoc"):
        render_docx_bytes(path, {"anhang": _subdoc(path)})


def test_a_picture_made_for_another_document_lands_in_this_one(folder: Path) -> None:
    from docxtpl import InlineImage

    path = _one_paragraph(folder, "foreign-image", "Bild: {{ bild }}")
    other = DocxTemplate(str(_one_paragraph(folder, "other", "anderes Dokument")))
    other.render({})
    got = read(render_docx_bytes(path, {"bild": InlineImage(other, io.BytesIO(corpus.LOGO))}))
    assert len(got.body.pictures) == 1
    assert not got.body.dangling
    # Plain docxtpl puts the picture into the other document and writes an
    # r:embed that points at nothing here: Word calls the file damaged.
    template = DocxTemplate(str(path))
    template.render({"bild": InlineImage(other, io.BytesIO(corpus.LOGO))})
    buffer = io.BytesIO()
    template.save(buffer)
    assert read(buffer.getvalue()).body.dangling


def test_a_link_made_for_another_document_is_refused(folder: Path) -> None:
    from docxtpl import RichText

    path = _one_paragraph(folder, "foreign-link", "Mehr: {{r verweis }}")
    other = DocxTemplate(str(_one_paragraph(folder, "other-link", "anderes Dokument")))
    for number in range(20):  # an id far beyond those of the template
        other.build_url_id(f"https://example.org/{number}")
    link = RichText("Startseite", url_id=other.build_url_id("https://www.sonnenhang.de"))
    with pytest.raises(DocumentError, match="rId"):
        render_docx_bytes(path, {"verweis": link})
    # Plain docxtpl writes the link with an id the document does not have.
    template = DocxTemplate(str(path))
    template.render({"verweis": link})
    buffer = io.BytesIO()
    template.save(buffer)
    assert read(buffer.getvalue()).body.links == (("Startseite", None),)


# --- the documentation ---------------------------------------------------------


def test_the_docs_page_states_the_limits_of_the_code() -> None:
    from kommunal_digital.documents import environment, pdf
    from kommunal_digital.packs import assets

    text = (Path(__file__).resolve().parents[1] / "docs" / "docxtpl-templates.md").read_text(
        encoding="utf-8"
    )
    low, high = environment.PICTURE_MM
    stated = [
        f"| `MAX_VALUE_SIZE` | {environment.MAX_VALUE_SIZE:,} characters",
        f"| `MAX_INT_BITS` | {environment.MAX_INT_BITS:,} bits",
        f"| `MAX_RANGE` | {environment.MAX_RANGE:,} numbers",
        f"| `MAX_STEPS` | {environment.MAX_STEPS:,} loop iterations",
        f"| `MAX_OUTPUT` | {environment.MAX_OUTPUT:,} printed characters",
        f"| {low:g} to {high:g} mm |",
        f"| {environment.MAX_URL_LENGTH:,} characters |",
        f"| `MAX_ASSET_BYTES` | {assets.MAX_ASSET_BYTES // 2**20} MiB",
        f"| `MAX_PACK_ASSET_BYTES` | {assets.MAX_PACK_ASSET_BYTES // 2**20} MiB",
        f"| `MAX_ASSET_PIXELS` | {assets.MAX_ASSET_PIXELS:,} pixels",
        f"{pdf.PDF_TIMEOUT_BASE:g} seconds (`PDF_TIMEOUT_BASE`)",
        f"{pdf.PDF_TIMEOUT_PER_DOCUMENT:g} seconds per document",
    ]
    assert [line for line in stated if line not in text] == []
