"""A corpus of small docxtpl-style Word templates, built at test time.

Each :class:`Case` builds one .docx template with python-docx (and raw
WordprocessingML where python-docx has no API: removed cells for
``{% colspan %}``, a footnotes part) and carries the render context for it.
The templates use docxtpl's tag forms as a template author writes them in
Word: ``{%p %}``, ``{%tr %}``, ``{%tc %}``, ``{{r }}``, ``{#p #}``,
``{% cellbg %}``, ``{% colspan %}``, ``{% vm %}``, ``{% hm %}`` and the
``{_{ }_}`` escapes.

A case is built in one of two flavours:

- ``"ours"``: the template as written for kommunal-digital (pictures with
  ``{{ images.logo|bild(hoehe_mm=15) }}``, links with ``{{ url|link("Text") }}``);
- ``"docxtpl"``: the same document written the docxtpl way (an
  :class:`~docxtpl.InlineImage` per picture, a :class:`~docxtpl.RichText`
  with ``url_id`` per link), with :attr:`Case.docxtpl_context` giving the
  objects that need the template they are rendered into.

For most cases both flavours are the same file. ``tests/test_docxtpl_parity.py``
renders them with kommunal-digital and with plain docxtpl and compares.
"""

from __future__ import annotations

import copy
import struct
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import docx
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn

Flavour = Literal["ours", "docxtpl"]

W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def png(width: int, height: int, *, dpi: int | None = None) -> bytes:
    """A grey PNG of ``width`` × ``height`` pixels, with a resolution if ``dpi`` is given."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    chunks = [chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))]
    if dpi is not None:
        per_metre = round(dpi / 0.0254)
        chunks.append(chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)))
    chunks += [chunk(b"IDAT", zlib.compress(rows)), chunk(b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


#: A small logo: 200 × 100 pixels at 96 dpi (52.9 mm × 26.5 mm).
LOGO = png(200, 100, dpi=96)
#: A picture wider than a page: 600 × 300 pixels at 50 dpi (304.8 mm wide).
WIDE = png(600, 300, dpi=50)


# --- building blocks -------------------------------------------------------


def new_document() -> Any:
    """An empty python-docx document (its one empty paragraph removed)."""
    document = docx.Document()
    body = document.element.body
    for paragraph in body.findall(qn("w:p")):
        body.remove(paragraph)
    return document


def add_table(document: Any, rows: list[list[str]]) -> Any:
    """Add a table holding ``rows`` and return it.

    Each text fills one cell; a line break in it starts a new paragraph of
    the cell.
    """
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            first, *more = text.split("\n")
            cell.text = first
            for line in more:
                cell.add_paragraph(line)
    return table


def remove_cell(table: Any, row: int, column: int) -> None:
    """Remove one cell from a row's XML (the row then has fewer cells than the grid)."""
    tr = table._tbl.tr_lst[row]
    tr.remove(tr.tc_lst[column])


def add_footnotes(document: Any, paragraph: Any, texts: list[str]) -> None:
    """Give the document a footnotes part with ``texts`` and reference them from ``paragraph``.

    python-docx has no footnote API, so the part is made by hand: the two
    separator footnotes Word expects, then one footnote per text (ids 1, 2, …),
    each referenced by a superscript run at the end of ``paragraph``.
    """
    notes = "".join(
        f'<w:footnote w:id="{number}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
        f'</w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {escape_xml(text)}'
        "</w:t></w:r></w:p></w:footnote>"
        for number, text in enumerate(texts, start=1)
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{W_NAMESPACE}" xmlns:r="{R_NAMESPACE}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        f"{notes}</w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        CONTENT_TYPE.WML_FOOTNOTES,
        xml.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    for number in range(1, len(texts) + 1):
        paragraph._p.append(
            parse_xml(
                f'<w:r xmlns:w="{W_NAMESPACE}"><w:rPr><w:vertAlign w:val="superscript"/>'
                f'</w:rPr><w:footnoteReference w:id="{number}"/></w:r>'
            )
        )


def escape_xml(text: str) -> str:
    """Escape text for an XML element, as Word stores it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def split_runs(paragraph: Any, *texts: str) -> None:
    """Fill ``paragraph`` with one run per text, as Word often splits a tag."""
    for text in texts:
        paragraph.add_run(text)


# --- the cases -------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One template of the corpus with its render context."""

    name: str
    #: Writes the template of a flavour to the given path.
    build: Callable[[Path, Flavour], None]
    #: The render context (for both renderers, unless :attr:`docxtpl_context` is set).
    context: Callable[[], dict[str, Any]]
    #: Pictures by name for kommunal-digital's renderer (``images=``).
    images: Mapping[str, bytes] = field(default_factory=dict)
    #: The context of the ``"docxtpl"`` flavour, made for the template it renders.
    docxtpl_context: Callable[[Any], dict[str, Any]] | None = None

    def template(self, folder: Path, flavour: Flavour = "ours") -> Path:
        """Build the template of ``flavour`` in ``folder`` and return its path."""
        path = folder / f"{self.name}-{flavour}.docx"
        if not path.exists():
            self.build(path, flavour)
        return path


def _same(build: Callable[[Any], None]) -> Callable[[Path, Flavour], None]:
    """A builder whose two flavours are one template."""

    def both(path: Path, flavour: Flavour) -> None:
        document = new_document()
        build(document)
        document.save(str(path))

    return both


MEASURES = [
    {"titel": "Online-Terminvergabe", "feld": "Verwaltung", "kosten": "6.000 €"},
    {"titel": "WLAN im Bürgerhaus", "feld": "Infrastruktur", "kosten": "12.500 €"},
    {"titel": "Digitale Sprechstunde", "feld": "Soziales", "kosten": "800 €"},
]


def _paragraphs(document: Any) -> None:
    document.add_paragraph("Digitalstrategie {{ gemeinde }}")
    document.add_paragraph("{%p for m in massnahmen %}")
    document.add_paragraph("{{ loop.index }}. {{ m.titel }} ({{ m.kosten }})")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if zeigen %}")
    document.add_paragraph("Dieser Absatz erscheint.")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if not zeigen %}")
    document.add_paragraph("Dieser Absatz fehlt.")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{#p Hinweis für Autorinnen: wird nicht gedruckt #}")
    # A tag split over several runs, as Word saves text typed in pieces.
    split_runs(document.add_paragraph(), "Stand: {{ ", "stand", " }}, ", "{% if anzahl > 2 %}")
    split_runs(document.add_paragraph(), "viele{% else %}wenige{% endif %} Maßnahmen")
    document.add_paragraph(
        "Inline: {% for m in massnahmen %}{{ m.feld }}{% if not loop.last %}, "
        "{% endif %}{% endfor %}."
    )
    document.add_paragraph("Wörtlich: {_{ name }_} und {_% tag %_}")
    document.add_paragraph("Werte: {{ sonderzeichen }}")
    document.add_paragraph("   Leerraum {{ leer }}   ")
    # {%r %} removes the run it sits in; the tags are runs of their own.
    split_runs(document.add_paragraph(), "Lauf A ", "{%r if zeigen %}", "B", "{%r endif %}", " C")
    # {%- merges with the paragraph before, -%} with the one after.
    document.add_paragraph("Wohnt in der Gemeinde")
    document.add_paragraph("{%- if zeigen -%}")
    document.add_paragraph(": ja")
    document.add_paragraph("{%- endif %}")


def _paragraph_context() -> dict[str, Any]:
    return {
        "gemeinde": "Sonnenhang",
        "massnahmen": MEASURES,
        "zeigen": True,
        "stand": "31.03.2027",
        "anzahl": 3,
        "sonderzeichen": "Bildung & Jugend <neu> \"Zitat\" 'x'",
        "leer": "  zwei Leerzeichen  ",
    }


def _table_loops(document: Any) -> None:
    document.add_paragraph("Maßnahmen")
    add_table(
        document,
        [
            ["Maßnahme", "Handlungsfeld", "Kosten"],
            ["{%tr for m in massnahmen %}", "", ""],
            ["{{ m.titel }}", "{{ m.feld }}", "{{ m.kosten }}"],
            ["{%tr endfor %}", "", ""],
            ["Summe", "", "{{ summe }}"],
        ],
    )
    document.add_paragraph("Nach der Tabelle")
    # Paragraph loops inside a cell.
    add_table(
        document,
        [["Schritte"], ["{%p for s in schritte %}\n{{ s }}\n{%p endfor %}"]],
    )


def _table_context() -> dict[str, Any]:
    return {
        "massnahmen": MEASURES,
        "summe": "19.300 €",
        "schritte": ["Anbieter wählen", "Termine festlegen", "Website anbinden"],
    }


def _column_loop(document: Any) -> None:
    add_table(
        document,
        [
            ["Jahr", "{%tc for j in jahre %}", "{{ j.jahr }}", "{%tc endfor %}"],
            ["Budget", "{%tc for j in jahre %}", "{{ j.budget }}", "{%tc endfor %}"],
        ],
    )


def _column_context() -> dict[str, Any]:
    return {
        "jahre": [
            {"jahr": 2026, "budget": "10.000 €"},
            {"jahr": 2027, "budget": "15.000 €"},
            {"jahr": 2028, "budget": "7.500 €"},
            {"jahr": 2029, "budget": "2.000 €"},
            {"jahr": 2030, "budget": "0 €"},
        ]
    }


def _cell_background(document: Any) -> None:
    add_table(
        document,
        [
            ['{% cellbg "D9D9D9" %}Ampel', "Wert"],
            ["{%tr for z in zeilen %}", ""],
            ["{% cellbg z.farbe %}{{ z.name }}", "{{ z.wert }}"],
            ["{%tr endfor %}", ""],
        ],
    )


def _cell_background_context() -> dict[str, Any]:
    return {
        "zeilen": [
            {"name": "grün", "farbe": "00B050", "wert": "im Plan"},
            {"name": "gelb", "farbe": "FFC000", "wert": "verzögert"},
            {"name": "rot", "farbe": "C00000", "wert": "gefährdet"},
        ]
    }


def _colspan(document: Any) -> None:
    static = add_table(
        document,
        [["{% colspan 2 %}Zusammen", "weg", "Einzeln"], ["a", "b", "c"]],
    )
    remove_cell(static, 0, 1)
    document.add_paragraph("")
    dynamic = add_table(
        document,
        [
            ["{%tc for s in spalten %}", "{{ s }}", "{%tc endfor %}"],
            ["{% colspan spalten|length %}Über alle Spalten", "weg", "weg"],
        ],
    )
    remove_cell(dynamic, 1, 2)
    remove_cell(dynamic, 1, 1)


def _colspan_context() -> dict[str, Any]:
    return {"spalten": ["Q1", "Q2", "Q3", "Q4"]}


def _merges(document: Any) -> None:
    add_table(
        document,
        [
            ["Handlungsfeld", "Maßnahme"],
            ["{%tr for m in massnahmen %}", ""],
            ["{% vm %}{{ feld }}", "{{ m.titel }}"],
            ["{%tr endfor %}", ""],
        ],
    )
    document.add_paragraph("")
    add_table(
        document,
        [
            ["Titel", "{%tc for j in jahre %}", "{% hm %}Zeitraum", "{%tc endfor %}"],
            ["Jahr", "{%tc for j in jahre %}", "{{ j }}", "{%tc endfor %}"],
        ],
    )


def _merges_context() -> dict[str, Any]:
    return {"massnahmen": MEASURES, "feld": "Verwaltung", "jahre": [2026, 2027, 2028]}


def _header_footer(document: Any) -> None:
    section = document.sections[0]
    section.different_first_page_header_footer = True
    header = section.header
    header.paragraphs[0].text = "{{ gemeinde }} – Digitalstrategie"
    header.add_paragraph("{%p if entwurf %}")
    header.add_paragraph("ENTWURF vom {{ stand }}")
    header.add_paragraph("{%p endif %}")
    section.first_page_header.paragraphs[0].text = "Titelblatt {{ gemeinde|upper }}"
    footer = section.footer
    footer.paragraphs[0].text = "Stand: {{ stand }}"
    footer.add_paragraph("{%p for k in kontakte %}")
    footer.add_paragraph("{{ k }}")
    footer.add_paragraph("{%p endfor %}")
    section.first_page_footer.paragraphs[0].text = "{{ verwaltung }}"
    document.add_paragraph("Inhalt {{ gemeinde }}")


def _header_footer_context() -> dict[str, Any]:
    return {
        "gemeinde": "Sonnenhang",
        "entwurf": True,
        "stand": "31.03.2027",
        "kontakte": ["Bürgerbüro", "IT-Stelle"],
        "verwaltung": "Verbandsgemeinde Lindenau",
    }


def _footnotes(document: Any) -> None:
    paragraph = document.add_paragraph("Der Breitbandausbau kostet {{ kosten }}.")
    add_footnotes(document, paragraph, ["Quelle: {{ quelle }}", "{{ hinweis|upper }}"])


def _footnotes_context() -> dict[str, Any]:
    return {
        "kosten": "1,2 Mio. €",
        "quelle": "Haushaltsplan 2027 & Förderbescheid",
        "hinweis": "geschätzt",
    }


def _richtext(document: Any) -> None:
    document.add_paragraph("Wichtig: {{r warnung }} bitte beachten.")
    document.add_paragraph("{{r gemischt }}")
    add_table(document, [["Status"], ["{{r status }}"]])
    document.add_paragraph("{{p absatz }}")


def _richtext_context() -> dict[str, Any]:
    from docxtpl import RichText, RichTextParagraph

    mixed = RichText("normal, ")
    mixed.add("fett", bold=True)
    mixed.add(", ")
    mixed.add("kursiv & rot", italic=True, color="#C00000")
    return {
        "warnung": RichText("Frist 30.06.", bold=True, color="C00000"),
        "gemischt": mixed,
        "status": RichText("im Plan", color="00B050", underline=True),
        "absatz": RichTextParagraph(RichText("Ein ganzer Absatz", italic=True)),
    }


def _listing(document: Any) -> None:
    document.add_paragraph("Vorher {{ liste }} nachher")
    add_table(document, [["{{ liste }}"]])


def _listing_context() -> dict[str, Any]:
    from docxtpl import Listing

    return {"liste": Listing("Zeile 1\nZeile 2\tmit Tab\aNeuer Absatz\fNach dem Seitenumbruch")}


def _control_characters(document: Any) -> None:
    document.add_paragraph("Vorher {{ text }} nachher")
    add_table(document, [["{{ text }}"]])


def _control_context() -> dict[str, Any]:
    return {"text": "Zeile 1\nZeile 2\tmit Tab\aNeuer Absatz\fNach dem Seitenumbruch"}


def _forbidden_characters(document: Any) -> None:
    document.add_paragraph("Text: {{ text }}")
    document.sections[0].header.paragraphs[0].text = "Kopf: {{ text }}"
    document.core_properties.title = "{{ text }}"
    document.core_properties.subject = "{{ absatz }}"


def _forbidden_context() -> dict[str, Any]:
    return {"text": "a\x01b\x0bc\x1fd", "absatz": "eins\azwei\fdrei"}


def _ampersand(document: Any) -> None:
    document.add_paragraph('{{ x|default("F&E") }}')
    document.add_paragraph('{% set t = "Bau & Verkehr" %}{{ t }}')
    document.add_paragraph('{{ a ~ " & " ~ b }}')
    document.add_paragraph('{{ items|join(" & ") }}')
    document.add_paragraph('{% if "&" in wert %}mit Und-Zeichen{% endif %}')
    document.add_paragraph("{{ wert }}")
    add_table(document, [['{{ "Straßen & Wege" }}']])
    document.sections[0].header.paragraphs[0].text = '{{ "Kopf & Fuß" }}'


def _ampersand_context() -> dict[str, Any]:
    return {"a": "Bildung", "b": "Jugend", "items": ["Schule", "Kita", "Hort"], "wert": "A & B"}


def _properties(document: Any) -> None:
    properties = document.core_properties
    properties.title = "{{ firma }}"
    properties.subject = '{{ a ~ " & " ~ b }}'
    properties.author = "{{ autor }}"
    properties.comments = "Erstellt für {{ gemeinde }} <intern>"
    properties.keywords = "Digitalstrategie, fest"
    document.add_paragraph("{{ firma }}")


def _properties_context() -> dict[str, Any]:
    return {
        "firma": "Müller & Söhne <GmbH>",
        "a": "Bildung",
        "b": "Jugend",
        "autor": 'Amt "Digitales"',
        "gemeinde": "Sonnenhang",
    }


# Pictures: the same layout in both flavours, the tags differ.
_PICTURE_TAGS: dict[str, tuple[str, str]] = {
    # key: (ours, docxtpl)
    "hoehe": ("{{ images.logo|bild(hoehe_mm=15) }}", "{{ logo_hoehe }}"),
    "breite": ("{{ images.logo|bild(breite_mm=40) }}", "{{ logo_breite }}"),
    "beide": ("{{ images.logo|bild(breite_mm=30, hoehe_mm=30) }}", "{{ logo_beide }}"),
    "natur": ("{{ images.logo }}", "{{ logo_natur }}"),
    "zelle": ("{{ images.logo|bild(breite_mm=20) }}", "{{ logo_zelle }}"),
    "kopf": ("{{ images.logo|bild(hoehe_mm=15) }}", "{{ kopf_logo }}"),
    "fuss": ("{{ images.logo|bild(hoehe_mm=8) }}", "{{ fuss_logo }}"),
}


def _pictures(path: Path, flavour: Flavour) -> None:
    index = 0 if flavour == "ours" else 1

    def tag(key: str) -> str:
        return _PICTURE_TAGS[key][index]

    document = new_document()
    document.add_paragraph(f"Höhe: {tag('hoehe')}")
    document.add_paragraph(f"Breite: {tag('breite')}")
    document.add_paragraph(f"Beide: {tag('beide')}")
    document.add_paragraph(f"Natürlich: {tag('natur')}")
    add_table(document, [["Logo", tag("zelle")]])
    section = document.sections[0]
    section.header.paragraphs[0].text = f"Kopf {tag('kopf')}"
    section.footer.paragraphs[0].text = f"Fuß {tag('fuss')}"
    document.save(str(path))


def _pictures_docxtpl(template: Any) -> dict[str, Any]:
    import io

    from docx.shared import Mm
    from docxtpl import InlineImage

    def image(**size: Any) -> Any:
        return InlineImage(template, io.BytesIO(LOGO), **size)

    return {
        "logo_hoehe": image(height=Mm(15)),
        "logo_breite": image(width=Mm(40)),
        "logo_beide": image(width=Mm(30), height=Mm(30)),
        "logo_natur": image(),
        "logo_zelle": image(width=Mm(20)),
        "kopf_logo": image(height=Mm(15)),
        "fuss_logo": image(height=Mm(8)),
    }


def _wide_picture(path: Path, flavour: Flavour) -> None:
    document = new_document()
    document.add_paragraph("{{ images.plan }}" if flavour == "ours" else "{{ plan }}")
    document.save(str(path))


def _wide_docxtpl(template: Any) -> dict[str, Any]:
    import io

    from docxtpl import InlineImage

    return {"plan": InlineImage(template, io.BytesIO(WIDE))}


#: Links: ours writes ``{{ url|link("Text") }}``; docxtpl a RichText with ``url_id``.
LINKS = {
    "web": ("https://www.sonnenhang.de/digital", "Digitalstrategie online"),
    "mail": ("mailto:digital@sonnenhang.de", "digital@sonnenhang.de"),
    "zelle": ("https://example.org/a?b=1&c=2", "Förderprogramm"),
    "kopf": ("https://www.sonnenhang.de", "Startseite"),
    "fuss": ("https://www.sonnenhang.de/impressum", "Impressum"),
    "fussnote": ("https://www.statistik.rlp.de", "Statistisches Landesamt"),
}


def _links(path: Path, flavour: Flavour) -> None:
    def tag(key: str) -> str:
        if flavour == "ours":
            return f'{{{{ links.{key}|link("{LINKS[key][1]}") }}}}'
        return f"{{{{r rt_{key} }}}}"

    document = new_document()
    document.add_paragraph(f"Mehr unter {tag('web')}.")
    paragraph = document.add_paragraph(f"Schreiben Sie an {tag('mail')}.")
    add_footnotes(document, paragraph, [f"Quelle: {tag('fussnote')}"])
    add_table(document, [["Programm", tag("zelle")]])
    section = document.sections[0]
    section.header.paragraphs[0].text = f"Kopf {tag('kopf')}"
    section.footer.paragraphs[0].text = f"Fuß {tag('fuss')}"
    if flavour == "ours":
        document.add_paragraph("Ohne Text: {{ links.web|link }}")
        document.add_paragraph('Verboten: {{ "javascript:alert(1)"|link("Klick") }}')
        document.add_paragraph('Datei: {{ "file:///etc/passwd"|link("Datei") }}')
    document.save(str(path))


def _links_context() -> dict[str, Any]:
    return {"links": {key: url for key, (url, _) in LINKS.items()}}


def _links_docxtpl(template: Any) -> dict[str, Any]:
    from docxtpl import RichText

    return {
        f"rt_{key}": RichText(text, url_id=template.build_url_id(url))
        for key, (url, text) in LINKS.items()
    }


def _error_in_cell(document: Any) -> None:
    document.add_paragraph("Einleitung {{ gemeinde }}")
    add_table(
        document,
        [["Maßnahme", "Kosten"], ["Breitband", "Kosten laut Plan: {{ kostn }} Euro"]],
    )


def _error_in_header(document: Any) -> None:
    document.add_paragraph("Einleitung")
    document.sections[0].header.paragraphs[0].text = "Seitenkopf {{ gemeinde.nmae }}"


def _syntax_error(document: Any) -> None:
    document.add_paragraph("Einleitung")
    document.add_paragraph("Zweiter Absatz mit {{ zeigen. }} Fehler")


def _nested(document: Any) -> None:
    document.add_paragraph("{%p for f in felder %}")
    document.add_paragraph("{{ f.titel }}")
    document.add_paragraph("{%p for m in f.massnahmen %}")
    document.add_paragraph("– {{ m }}{% if loop.last %} (zuletzt){% endif %}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endfor %}")
    table = add_table(
        document,
        [
            ["{%tr for f in felder %}", ""],
            ["{{ f.titel }}", "{%p for m in f.massnahmen %}\n{{ m }}\n{%p endfor %}"],
            ["{%tr endfor %}", ""],
        ],
    )
    # A second, identical table kept as a deep copy: tags in two tables of one body.
    document.element.body.append(copy.deepcopy(table._tbl))


def _nested_context() -> dict[str, Any]:
    return {
        "felder": [
            {"titel": "Verwaltung", "massnahmen": ["Online-Termine", "E-Akte"]},
            {"titel": "Bildung", "massnahmen": ["Tablets"]},
            {"titel": "Leer", "massnahmen": []},
        ]
    }


def _case(name: str, build: Callable[[Any], None], context: Callable[[], dict[str, Any]]) -> Case:
    return Case(name, _same(build), context)


#: Cases whose output must be the same with kommunal-digital and plain docxtpl.
PARITY = [
    _case("paragraphs", _paragraphs, _paragraph_context),
    _case("table_loops", _table_loops, _table_context),
    _case("column_loop", _column_loop, _column_context),
    _case("cell_background", _cell_background, _cell_background_context),
    _case("colspan", _colspan, _colspan_context),
    _case("merges", _merges, _merges_context),
    _case("header_footer", _header_footer, _header_footer_context),
    _case("footnotes", _footnotes, _footnotes_context),
    _case("richtext", _richtext, _richtext_context),
    _case("listing", _listing, _listing_context),
    _case("control_characters", _control_characters, _control_context),
    _case("nested", _nested, _nested_context),
]

#: Cases where kommunal-digital differs from plain docxtpl on purpose.
AMPERSAND = _case("ampersand", _ampersand, _ampersand_context)
PROPERTIES = _case("properties", _properties, _properties_context)
FORBIDDEN_CHARACTERS = _case("forbidden_characters", _forbidden_characters, _forbidden_context)
PICTURES = Case(
    "pictures",
    _pictures,
    dict,
    images={"logo": LOGO},
    docxtpl_context=_pictures_docxtpl,
)
WIDE_PICTURE = Case(
    "wide_picture", _wide_picture, dict, images={"plan": WIDE}, docxtpl_context=_wide_docxtpl
)
LINKS_CASE = Case("links", _links, _links_context, docxtpl_context=_links_docxtpl)

#: Broken templates: kommunal-digital names where the error sits.
ERROR_IN_CELL = _case("error_in_cell", _error_in_cell, lambda: {"gemeinde": "Sonnenhang"})
ERROR_IN_HEADER = _case(
    "error_in_header", _error_in_header, lambda: {"gemeinde": {"name": "Sonnenhang"}}
)
SYNTAX_ERROR = _case("syntax_error", _syntax_error, lambda: {"zeigen": True})

ALL = [
    *PARITY,
    AMPERSAND,
    PROPERTIES,
    FORBIDDEN_CHARACTERS,
    PICTURES,
    WIDE_PICTURE,
    LINKS_CASE,
    ERROR_IN_CELL,
    ERROR_IN_HEADER,
    SYNTAX_ERROR,
]
