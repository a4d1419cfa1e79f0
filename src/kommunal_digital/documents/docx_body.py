"""The rendered body of a Word document, processed one paragraph or table at a time.

docxtpl parses the whole rendered body into one lxml tree (``fix_tables``),
renumbers picture ids in it (``fix_docpr_ids``) and moves it into the
document (``map_tree``). For a strategy of thousands of measures the body is
about 100 MB of XML: the tree costs more than a gigabyte and the move alone
takes seconds per ten thousand tables.

Here the body is read with ``iterparse`` and each of its children (a
paragraph, a table, the section properties) is handled on its own and let
go: docxtpl's own ``fix_tables`` runs on each table, picture ids are
renumbered in document order from docxtpl's counter, the child's
relationship references are checked, and the child is serialised into the
document part's bytes. Memory stays bounded by the largest child; the
result is the XML docxtpl makes, child by child (namespace declarations
that the document element already makes are not repeated).

Bodies this way cannot take (XML that does not parse, which docxtpl's
recovering parser would mend; a document element without the usual ``w``
prefix; attributes on ``w:body``) return ``None``: then docxtpl's own steps
run as before.
"""

from __future__ import annotations

import copy
import io
import re
from typing import Any
from xml.sax.saxutils import escape

import attrs

from kommunal_digital.documents.docx_errors import dangling_references

__all__ = ["StreamedBody", "install_body", "stream_body"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_BODY = f"{{{_W}}}body"
_TABLE = f"{{{_W}}}tbl"
_PARAGRAPH = f"{{{_W}}}p"
_GRID = f"{{{_W}}}tblGrid"
_GRID_COLUMN = f"{{{_W}}}gridCol"
_ROW = f"{{{_W}}}tr"
_CELL = f"{{{_W}}}tc"
_SPAN = f"{{{_W}}}tcPr/{{{_W}}}gridSpan"
_VAL = f"{{{_W}}}val"
_DOC_PR = f"{{{_WP}}}docPr"
_SECTION = f"{{{_W}}}sectPr"
_SECTION_OF_PARAGRAPH = f"{{{_W}}}pPr/{{{_W}}}sectPr"
#: A namespace declaration in a start tag (lxml writes them with double quotes).
_DECLARATION = re.compile(rb' xmlns(?::([A-Za-z_][\w.-]*))?="([^"]*)"')


@attrs.frozen
class StreamedBody:
    """A body rendered into bytes, with what the checks found in it."""

    #: The whole document part: the document element around the body's
    #: children, serialised in order.
    content: bytes
    #: Dangling relationship references (see :func:`dangling_references`).
    problems: tuple[str, ...]
    #: Copies of the children that hold section properties (``w:sectPr``
    #: of the body or of a paragraph), for python-docx's ``sections``.
    sections: tuple[Any, ...] = ()


def _strip_declarations(data: bytes, declared: dict[bytes, bytes]) -> bytes:
    """Drop the child's namespace declarations that the document element already makes."""
    end = data.index(b">")  # the start tag's end: lxml escapes ">" in attribute values
    head = data[:end]

    def keep(match: re.Match[bytes]) -> bytes:
        prefix = match.group(1) or b""
        return b"" if declared.get(prefix) == match.group(2) else match.group(0)

    return _DECLARATION.sub(keep, head) + data[end:]


def _declared(root: Any) -> dict[bytes, bytes]:
    return {
        (prefix or "").encode("utf-8"): uri.encode("utf-8") for prefix, uri in root.nsmap.items()
    }


def stream_body(document: Any, xml: str | bytes) -> StreamedBody | None:
    """Process the rendered body ``xml`` child by child; ``None`` if docxtpl must do it.

    Args:
        document: The docxtpl document being rendered (its counter of
            picture ids advances as docxtpl's would).
        xml: The rendered ``<w:body>`` element.
    """
    from lxml import etree  # lazy: lxml

    root = document.docx.element
    if root.nsmap.get("w") != _W:
        return None
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    around = _around_body(root)
    if around is None:
        return None
    head, tail = around
    writer = _Writer(document, _declared(root))
    writer.out.write(head + b"<w:body>")
    first_id = document.docx_ids_index
    # Only paragraphs, tables and sections are reported (a body's children
    # are nearly all of them, and reporting every element would cost a
    # Python step each); any other child is written when the next reported
    # one comes, or at the end, so the order stays.
    parser = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag=(_PARAGRAPH, _TABLE, _SECTION),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_blank_text=False,
    )
    body: Any = None
    try:
        for _, element in parser:
            if body is None:
                body = element.getroottree().getroot()
                if not writer.begin(body):
                    return None
            if element.getparent() is not body:
                continue  # inside a child: written with it
            # Children not reported (written ones are removed) come first, in order.
            while (first := body[0]) is not element:
                writer.write(body, first)
            writer.write(body, element)
        if body is None:
            body = parser.root
            if not writer.begin(body):
                return None
        for rest in list(body):
            writer.write(body, rest)
    except etree.XMLSyntaxError:
        document.docx_ids_index = first_id
        return None
    writer.out.write(b"</w:body>" + tail)
    return writer.result()


def _around_body(root: Any) -> tuple[bytes, bytes] | None:
    """The document part's XML before and after its body; ``None`` if not found plainly."""
    from docx.opc.oxml import serialize_part_xml  # lazy: python-docx

    whole = serialize_part_xml(root)
    # "<" is escaped in text and attribute values: the first "<w:body" opens the body.
    start = whole.find(b"<w:body")
    if start < 0 or whole[start + 7 : start + 8] not in (b">", b" ", b"/"):
        return None
    if whole[start + 7 : start + 8] == b"/":
        return whole[:start], whole[whole.index(b">", start) + 1 :]
    end = whole.rfind(b"</w:body>")
    if end < start:
        return None
    return whole[:start], whole[end + len(b"</w:body>") :]


class _Writer:
    """Writes the children of the body one at a time, with docxtpl's fixes and our checks."""

    def __init__(self, document: Any, declared: dict[bytes, bytes]) -> None:
        self.document = document
        self.declared = declared
        self.relationships = document.docx.part.rels
        self.out = io.BytesIO()
        self.problems: list[str] = []
        self.sections: list[Any] = []

    def begin(self, body: Any) -> bool:
        """Start with the body element; ``False`` if it is not a plain ``w:body``."""
        if body.tag != _BODY or body.attrib:
            return False
        if body.text:  # text before the first child (whitespace, if anything)
            self.out.write(escape(body.text).encode("utf-8"))
        return True

    def write(self, body: Any, child: Any) -> None:
        from lxml import etree  # lazy: lxml

        if isinstance(child.tag, str):  # an element
            fixed = _fixed(self.document, child)
            self.problems += dangling_references(fixed, self.relationships, "/word/document.xml")
            if fixed.tag == _SECTION or fixed.find(_SECTION_OF_PARAGRAPH) is not None:
                self.sections.append(copy.deepcopy(fixed))
            data = _strip_declarations(etree.tostring(fixed, encoding="utf-8"), self.declared)
            self.out.write(data)
            child.clear()  # emptied first: removing a whole subtree copies it
        else:  # a comment or processing instruction
            self.out.write(etree.tostring(child, encoding="utf-8"))
        body.remove(child)

    def result(self) -> StreamedBody:
        return StreamedBody(
            content=self.out.getvalue(),
            problems=tuple(self.problems),
            sections=tuple(self.sections),
        )


def _fixed(document: Any, element: Any) -> Any:
    """Docxtpl's table fix and picture numbering, on one child of the body."""
    from docxtpl import DocxTemplate  # lazy: docxtpl
    from lxml import etree  # lazy: lxml

    if _grid_to_fix(element):
        fixed = DocxTemplate.fix_tables(document, etree.tostring(element, encoding="utf-8"))
        fixed.tail = element.tail
    else:
        fixed = element
    for picture in fixed.iter(_DOC_PR):
        document.docx_ids_index += 1
        picture.attrib["id"] = str(document.docx_ids_index)
    return fixed


def _grid_to_fix(element: Any) -> bool:
    """Whether docxtpl's ``fix_tables`` would change a table in ``element`` (or might fail).

    It adds grid columns when a row has more cells than the grid, and drops
    grid columns that no row fills (cells counted with their ``gridSpan``),
    for every table (nested ones too, and their rows count for the outer
    table as well, as docxtpl counts them). Most tables need neither; they
    are not copied and parsed again for it.
    """
    for table in element.iter(_TABLE):
        grid = table.find(_GRID)
        if grid is None:
            return True
        columns = len(grid.findall(_GRID_COLUMN))
        widest = 0
        for row in table.iter(_ROW):
            cells = row.findall(_CELL)
            if len(cells) > columns:
                return True
            width = 0
            for cell in cells:
                span = cell.find(_SPAN)
                if span is None:
                    width += 1
                    continue
                value = span.get(_VAL)
                if value is None or not value.isdigit():
                    return True  # docxtpl's own handling (or failure) decides
                width += int(value)
            widest = max(widest, width)
        if columns > widest:
            return True
    return False


def install_body(document: Any, body: StreamedBody) -> None:
    """Make the document part save the streamed XML instead of serialising its tree.

    The tree's body is emptied but for the section properties (which
    python-docx reads after rendering), so nothing of the template's
    unrendered body can be read there. The body's reference problems are
    kept for the check after rendering (``document.streamed_problems``).
    """
    part = document.docx.part
    emptied = part.element.body
    emptied.clear()
    # docxtpl renders footnotes once per section.
    emptied.extend(body.sections)
    part.__class__ = _streamed_class(type(part))
    part.streamed_blob = body.content
    document.streamed_problems = body.problems


_CLASSES: dict[type, type] = {}


def _streamed_class(base: type) -> type:
    """A subclass of the part's class whose ``blob`` is the streamed XML."""
    if getattr(base, "is_streamed", False):
        return base
    found = _CLASSES.get(base)
    if found is None:

        def blob(self: Any) -> bytes:
            return self.streamed_blob  # type: ignore[no-any-return]

        found = type(base.__name__, (base,), {"blob": property(blob), "is_streamed": True})
        _CLASSES[base] = found
    return found
