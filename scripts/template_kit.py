"""Building blocks for the Word templates of the bundled packs.

Every template is generated from Python rather than edited in Word, so that
each Jinja tag sits in a single run and the files are reproducible. The
docxtpl rules followed:

- ``{%p ... %}`` replaces the whole paragraph holding it, ``{%tr ... %}`` the
  whole table row; each such tag stands alone in its paragraph or in the
  first cell of an otherwise empty row.
- Every ``{{ ... }}`` and ``{% ... %}`` is written as one run, so Word
  formatting never splits a tag.
- No ``&``, ``<`` or ``>`` inside tags (they would be XML-escaped in the file).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "template_packs" / "base" / "templates"

#: Fixed timestamp for core properties and zip entries (reproducible output).
FIXED_TIME = dt.datetime(2027, 1, 1, 0, 0, 0, tzinfo=dt.UTC)

LIST_STYLE = "Medium Shading 1 Accent 1"
KEY_VALUE_STYLE = "Light Grid Accent 1"
TABLE_FONT = Pt(9.5)

# A cell spec: the text of the cell, optionally with its alignment.
Cell = str | tuple[str, WD_ALIGN_PARAGRAPH]


# --------------------------------------------------------------------------- helpers


def para(doc: Document, text: str = "", style: str | None = None) -> Paragraph:
    """Add a paragraph whose text is a single run (tags never split)."""
    paragraph = doc.add_paragraph(style=style)
    if text:
        paragraph.add_run(text)
    return paragraph


def tag(doc: Document, statement: str) -> None:
    """Add a docxtpl paragraph tag, ``{%p statement %}``, alone in its paragraph."""
    doc.add_paragraph(f"{{%p {statement} %}}")


def labelled(doc: Document, label: str, text: str, style: str | None = None) -> Paragraph:
    """Add a paragraph with a bold label run followed by a plain run."""
    paragraph = doc.add_paragraph(style=style)
    paragraph.add_run(label).bold = True
    paragraph.add_run(text)
    return paragraph


def caption(doc: Document, text: str) -> Paragraph:
    """Add a bold line introducing the table that follows, kept on its page."""
    paragraph = doc.add_paragraph()
    paragraph.add_run(text).bold = True
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(6)
    return paragraph


def heading(doc: Document, text: str, level: int) -> Paragraph:
    """Add a heading in the real Word heading style of the level."""
    paragraph = doc.add_paragraph(style=f"Heading {level}")
    paragraph.add_run(text)
    return paragraph


def _mark_header_row(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _set_look(table: Table, *, first_row: bool, first_column: bool, last_row: bool) -> None:
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tbl_pr.append(look)
    flags = {
        "firstRow": (first_row, 0x0020),
        "lastRow": (last_row, 0x0040),
        "firstColumn": (first_column, 0x0080),
        "lastColumn": (False, 0x0100),
        "noHBand": (False, 0x0200),
        "noVBand": (True, 0x0400),
    }
    # Word 2010 and later read the attributes, Word 2007 only the bit mask in w:val.
    mask = 0
    for name, (on, bit) in flags.items():
        look.set(qn(f"w:{name}"), "1" if on else "0")
        mask |= bit if on else 0
    look.set(qn("w:val"), f"{mask:04X}")


def _set_grid(table: Table, widths: Sequence[float]) -> None:
    # With a fixed layout Word and LibreOffice size columns by the grid, not the cells.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)


def _fill_row(table: Table, index: int, cells: Sequence[Cell], widths: Sequence[float]) -> None:
    row = table.rows[index]
    for column, spec in enumerate(cells):
        text, align = (spec, None) if isinstance(spec, str) else spec
        cell = row.cells[column]
        cell.width = Cm(widths[column])
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_before = Pt(2)
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.paragraph_format.line_spacing = 1.0
        if text:
            paragraph.add_run(text).font.size = TABLE_FONT
        if align is not None:
            paragraph.alignment = align
    for column in range(len(cells), len(widths)):
        row.cells[column].width = Cm(widths[column])
    # A row never breaks across pages; long tables break between rows.
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def loop_table(
    doc: Document,
    headers: Sequence[Cell],
    opening: str,
    body: Sequence[Cell],
    widths: Sequence[float],
    *,
    closing: str = "endfor",
    footer: Sequence[Cell] | None = None,
) -> Table:
    """Add a table: a header row, one body row repeated by ``{%tr opening %}``.

    The rows holding ``{%tr opening %}`` and ``{%tr closing %}`` disappear when
    rendering; ``footer`` (e.g. a sum row) follows the repeated rows.
    """
    rows = 4 + (1 if footer else 0)
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = doc.styles[LIST_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_grid(table, widths)
    _fill_row(table, 0, headers, widths)
    _fill_row(table, 1, [f"{{%tr {opening} %}}"], widths)
    _fill_row(table, 2, body, widths)
    _fill_row(table, 3, [f"{{%tr {closing} %}}"], widths)
    if footer:
        _fill_row(table, 4, footer, widths)
    _mark_header_row(table)
    _set_look(table, first_row=True, first_column=False, last_row=bool(footer))
    return table


def unplaced_and_done_tables(
    doc: Document, *, unplaced: str, done: str, widths: tuple[float, float]
) -> None:
    """Add the schedule's unplaced and finished measures, each table only when it has rows.

    Args:
        doc: The document.
        unplaced: Caption of the table of measures the schedule could not place.
        done: Caption of the table of finished measures (never scheduled).
        widths: Column widths in cm, shared by both tables.
    """
    tag(doc, "if schedule.unplaced")
    caption(doc, unplaced)
    loop_table(
        doc,
        headers=["Maßnahme", "Grund"],
        opening="for u in schedule.unplaced",
        body=["{{ u.title }}", "{{ u.reason }}"],
        widths=widths,
    )
    tag(doc, "endif")
    tag(doc, "if schedule.done")
    caption(doc, done)
    loop_table(
        doc,
        headers=["Maßnahme", "Abgeschlossen am"],
        opening="for d in schedule.done",
        body=["{{ d.title }}", "{{ d.finished_on|datum(wording.unknown) }}"],
        widths=widths,
    )
    tag(doc, "endif")


def key_value_table(
    doc: Document,
    rows: Sequence[tuple[str, str] | tuple[str, str, str]],
    widths: Sequence[float] = (5.0, 11.0),
) -> Table:
    """Add a two-column table of labels and values.

    A row given as ``(label, value, condition)`` appears only when the Jinja
    ``condition`` is true (``{%tr if condition %}`` rows around it).
    """
    layout: list[Sequence[Cell]] = []
    for row in rows:
        if len(row) == 3:
            label, value, condition = row
            layout += [[f"{{%tr if {condition} %}}"], [label, value], ["{%tr endif %}"]]
        else:
            layout.append([row[0], row[1]])
    table = doc.add_table(rows=len(layout), cols=len(widths))
    table.style = doc.styles[KEY_VALUE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_grid(table, widths)
    for index, cells in enumerate(layout):
        _fill_row(table, index, cells, widths)
        if index < len(layout) - 1:
            # A short label/value table stays on one page with what follows it.
            for cell in table.rows[index].cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    # No header row here: the labels in the first column carry the emphasis.
    _set_look(table, first_row=False, first_column=True, last_row=False)
    return table


def yes_no(value: str) -> str:
    """A Jinja expression printing ja / nein / offen for a yes/no/unanswered value."""
    return f"{{{{ 'offen' if {value} is none else ('ja' if {value} else 'nein') }}}}"


def page_number_field(paragraph: Paragraph) -> None:
    """Append a PAGE field to a paragraph."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
CENTER = WD_ALIGN_PARAGRAPH.CENTER


# --------------------------------------------------------------------------- set-up


def set_up(doc: Document, title: str) -> None:
    """Page format A4, German language, fonts, spacing, footer, properties."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Cm(21.0)
    section.page_height = Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = Cm(2.5)
    section.bottom_margin = Cm(2.0)

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15

    # German as the document language, so Word's spell checker and
    # hyphenation work on the rendered text.
    r_pr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    r_pr = r_pr_default.find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "de-DE")
    lang.set(qn("w:eastAsia"), "de-DE")
    lang.set(qn("w:bidi"), "ar-SA")

    for level, (before, size) in {1: (24, 16), 2: (18, 13), 3: (12, 11)}.items():
        style = styles[f"Heading {level}"]
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6)
        style.font.size = Pt(size)

    footer = section.footer.paragraphs[0]
    footer.alignment = CENTER
    footer.style = styles["Footer"]
    footer.add_run(f"{{{{ municipality.name }}}} · {title} · Seite ")
    page_number_field(footer)

    props = doc.core_properties
    props.title = title
    props.subject = "Vorlage des Grundpakets von kommunal-digital"
    props.author = "kommunal-digital"
    props.last_modified_by = "kommunal-digital"
    props.comments = "Erzeugt mit scripts/make_base_templates.py"
    props.keywords = f"{title}, Kommune, Digitalisierung"
    props.language = "de-DE"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1


def reproducible(data: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps and order, so reruns give equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return buffer.getvalue()


def new_document(title: str) -> Document:
    """A new A4 document in German with the shared styles and footer."""
    doc = docx.Document()
    set_up(doc, title)
    return doc


def save(doc: Document, out: Path) -> Path:
    """Save reproducibly (fixed timestamps and member order)."""
    buffer = io.BytesIO()
    doc.save(buffer)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(reproducible(buffer.getvalue()))
    return out


def tasks_table(doc: Document, items: str) -> Table:
    """A Was / Wer / Bis wann table, one row per task in ``items`` (loop variable ``t``)."""
    return loop_table(
        doc,
        headers=["Was", "Wer", "Bis wann"],
        opening=f"for t in {items}",
        body=["{{ t.what }}", "{{ t.who or '–' }}", "{{ t.due|datum }}"],
        widths=(8.2, 4.2, 3.6),
    )


def milestones_table(doc: Document, items: str) -> Table:
    """A Was / geplant / Erreicht am table, one row per milestone (loop variable ``ms``)."""
    return loop_table(
        doc,
        headers=["Was", "geplant", "Erreicht am"],
        opening=f"for ms in {items}",
        body=["{{ ms.what }}", "{{ ms.planned|datum }}", "{{ ms.reached_on|datum('–') }}"],
        widths=(8.8, 3.6, 3.6),
    )


def roles_table(doc: Document) -> Table:
    """The roles of ``organigram`` with their kind and holder."""
    return loop_table(
        doc,
        headers=["Rolle", "Art", "Besetzt durch"],
        opening="for r in organigram.roles",
        body=[
            "{{ r.title }}{% if r.details %} ({{ r.details }}){% endif %}",
            "{{ r.kind }}",
            "{{ r.holder or '–' }}",
        ],
        widths=(7.0, 5.0, 4.0),
    )


def relations_table(doc: Document) -> Table:
    """The relations of ``organigram``, each read as a sentence."""
    return loop_table(
        doc,
        headers=["Rolle", "Beziehung", "zu"],
        opening="for rel in organigram.relations",
        body=["{{ rel.source }}", "{{ rel.kind }}", "{{ rel.target }}"],
        widths=(6.0, 4.0, 6.0),
    )
