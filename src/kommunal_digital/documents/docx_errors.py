"""Where in a Word template an error sits, and references a render left dangling.

A Word template's tags live in the XML of its parts; the line numbers Jinja
reports count lines of that XML, which the author never sees. The XML is
compiled with every paragraph on a line of its own, so a line number names
a paragraph: :func:`docx_error_location` turns it into the part, the
paragraph's text and, inside a table, the table, row and column.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from typing import Any

__all__ = ["docx_error_location", "dangling_references", "part_label"]

_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH_START = re.compile(r"<w:p[ >]")
_BLOCK_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}")
_TABLE_MARK = re.compile(r"<(/?)w:(tbl|tr|tc)(?=[ >/])[^>]*?(/?)>")
#: Longest paragraph excerpt an error message shows.
EXCERPT = 80
_RELATIONSHIP_KIND = {"embed": "image", "link": "image", "pict": "image", "hyperlink": "hyperlink"}


def part_label(partname: str) -> str:
    """A reader's name for a part of a .docx: ``/word/header1.xml`` -> ``header 1``."""
    name = partname.rsplit("/", 1)[-1].removesuffix(".xml")
    for stem, label in (
        ("document", "the body"),
        ("header", "header"),
        ("footer", "footer"),
        ("footnotes", "the footnotes"),
    ):
        if name.startswith(stem):
            number = name[len(stem) :]
            return f"{label} {number}" if number else label
    return name


def _text(xml: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", xml)).split())


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def _key(text: str) -> str:
    """A paragraph's text without block tags and with plain quotes, for matching."""
    text = _BLOCK_TAG.sub("", text)
    for curly, plain in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'")):
        text = text.replace(curly, plain)
    return " ".join(text.split())


def _table_position(xml: str) -> tuple[int, int, int] | None:
    """Table (1-based, counted through the part), row and column where ``xml`` ends."""
    stack: list[list[int]] = []  # per open table: [number, row, column]
    tables = 0
    for match in _TABLE_MARK.finditer(xml):
        closing, kind, empty = match.group(1), match.group(2), match.group(3)
        if empty:
            continue
        if kind == "tbl":
            if closing:
                if stack:
                    stack.pop()
            else:
                tables += 1
                stack.append([tables, 0, 0])
        elif stack and not closing:
            if kind == "tr":
                stack[-1][1] += 1
                stack[-1][2] = 0
            else:
                stack[-1][2] += 1
    if not stack:
        return None
    number, row, column = stack[-1]
    return number, row, column


def _original_paragraph(original: str, text: str) -> tuple[str, int] | None:
    """The text and offset of the one paragraph of the template matching ``text``.

    docxtpl's paragraph and row tags remove whole paragraphs and rows
    before compiling, so positions in the compiled XML can be off by them;
    in the file as the author wrote it they are not.
    """
    key = _key(text)
    if not key:
        return None
    starts = [m.start() for m in _PARAGRAPH_START.finditer(original)]
    found = []
    for start, end in zip(starts, [*starts[1:], len(original)], strict=True):
        written = _text(original[start:end])
        if _key(written) == key:
            found.append((written, start))
    return found[0] if len(found) == 1 else None


def docx_error_location(
    xml: str, lineno: int | None, part: str = "the body", original: str | None = None
) -> str:
    """Describe where line ``lineno`` of a part's compiled XML sits for the author.

    Args:
        xml: The part's XML as compiled (a paragraph per line).
        lineno: The line Jinja reported, or ``None``.
        part: The part's name for readers, see :func:`part_label`.
        original: The part's XML as stored in the template, to count table
            rows and columns as the author sees them (rows holding a
            ``{%tr %}`` tag included).

    Returns:
        For example ``in the body, paragraph "Kosten: {{ x|euro }}"
        (table 2, row 3, column 1)``; just ``in the body`` when the line is
        unknown.
    """
    lines = xml.split("\n")
    if lineno is None or not 1 <= lineno <= len(lines):
        return f"in {part}"
    text = _text(lines[lineno - 1])
    if not text:
        # The tag may close a paragraph opened on the line before.
        for previous in reversed(lines[max(lineno - 3, 0) : lineno - 1]):
            text = _text(previous)
            if text:
                break
    position = _table_position("\n".join(lines[: lineno - 1]))
    if original is not None and text:
        match = _original_paragraph(original, text)
        if match is not None:
            text, offset = match
            position = _table_position(original[:offset])
    where = f'in {part}, paragraph "{_excerpt(text)}"' if text else f"in {part}"
    if position is not None:
        table, row, column = position
        where += f" (table {table}, row {max(row, 1)}, column {max(column, 1)})"
    return where


_R_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W_HYPERLINK = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink"


@functools.cache
def _find_references() -> Any:
    from lxml import etree  # lazy: lxml

    # A compiled XPath: python-docx's elements override .xpath() with their own
    # namespace map. Relative to the element given: a part's root, or one
    # child of a body.
    return etree.XPath(
        " | ".join(f"descendant-or-self::*/@r:{name}" for name in ("id", "embed", "link", "pict")),
        namespaces={"r": _R_NAMESPACE},
    )


def _references(source: Any) -> Iterator[tuple[str, str]]:
    """(kind of use, relationship id) of every ``r:`` attribute of a part's XML tree."""
    found: Any = _find_references()(source)
    for value in found:
        attribute = value.attrname.rsplit("}", 1)[-1]
        if attribute == "id" and value.getparent().tag == _W_HYPERLINK:
            attribute = "hyperlink"
        yield attribute, str(value)


def dangling_references(source: Any, relationships: Any, part: str) -> list[str]:
    """References in a rendered part's XML to relationships the part lacks.

    A picture or link made for another document (docxtpl's ``InlineImage``
    or ``RichText(url_id=...)`` built with another template object) carries
    an id this part does not have, or one of another kind; Word reports
    such a file as damaged.

    Args:
        source: The rendered part: its XML tree (an lxml element, searched
            in C) or its XML text (parsed without DTD or entities).
        relationships: The part's relationships (python-docx ``part.rels``).
        part: The part's name for readers.

    Returns:
        One description per bad reference; empty when all are sound.
    """
    if isinstance(source, str | bytes):
        from lxml import etree  # lazy: lxml

        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        text = source.encode("utf-8") if isinstance(source, str) else source
        source = etree.fromstring(text, parser)
    problems = []
    for attribute, rid in sorted(set(_references(source))):
        relationship = relationships.get(rid)
        if relationship is None:
            problems.append(f"{part} refers to {rid!r}, which the document does not have")
            continue
        expected = _RELATIONSHIP_KIND.get(attribute)
        if expected is not None and not str(relationship.reltype).endswith("/" + expected):
            problems.append(
                f"{part} uses {rid!r} as a {expected}, but it is a "
                f"{str(relationship.reltype).rsplit('/', 1)[-1]}"
            )
    return problems
