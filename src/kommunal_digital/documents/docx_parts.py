"""What a Word render inserts into the part being rendered: pictures and links.

A picture or a hyperlink in a .docx file is a relationship of the part
that shows it (the body, a header, a footer): the XML refers to it by an id
such as ``rId7``. docxtpl's ``InlineImage`` and ``RichText(url_id=...)``
need the template object to create that relationship, which a pack's
template never sees. Here the renderer sets the document being rendered
(:func:`rendering`) and pictures and links create their relationship in
the part docxtpl is rendering at that moment, so they work in the body,
tables, headers, footers and footnotes alike.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from jinja2.exceptions import TemplateRuntimeError
from markupsafe import Markup, escape

from kommunal_digital.documents.lazy_mapping import MappedView

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

__all__ = ["DEFAULT_WIDTH_MM", "DocxPicture", "docx_link", "docx_pictures", "rendering"]

#: The widest a picture is placed without a size of its own: the text width.
DEFAULT_WIDTH_MM = 160.0
_EMU_PER_MM = 36_000
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

_DOCUMENT: ContextVar[DocxTemplate | None] = ContextVar("kd_docx_document", default=None)


@contextlib.contextmanager
def rendering(document: DocxTemplate) -> Iterator[None]:
    """Make ``document`` the one pictures and links are inserted into, for a ``with`` block."""
    token = _DOCUMENT.set(document)
    try:
        yield
    finally:
        _DOCUMENT.reset(token)


def _current_part() -> Any:
    document = _DOCUMENT.get()
    part = None if document is None else getattr(document, "current_rendering_part", None)
    if part is None:
        raise TemplateRuntimeError("pictures and links can only be placed in a Word document")
    return part


class DocxPicture:
    """A picture a Word template places with ``{{ images.<name> }}``.

    Without a size of its own it keeps its natural size (its pixels and the
    resolution stored in the file), at most :data:`DEFAULT_WIDTH_MM` wide;
    ``|bild(breite_mm=..., hoehe_mm=...)`` gives it one (with one side the
    other keeps the proportions).
    """

    __slots__ = ("_data", "_height_mm", "_limit_mm", "_name", "_width_mm")

    def __init__(
        self,
        name: str,
        data: bytes,
        width_mm: float | None = None,
        height_mm: float | None = None,
        *,
        limit_mm: float = DEFAULT_WIDTH_MM,
    ) -> None:
        self._name = name
        self._data = data
        self._width_mm = width_mm
        self._height_mm = height_mm
        self._limit_mm = limit_mm

    def sized(self, width_mm: float | None, height_mm: float | None) -> DocxPicture:
        """The same picture with a width and/or height in millimetres."""
        return DocxPicture(self._name, self._data, width_mm, height_mm, limit_mm=self._limit_mm)

    def _extent(self) -> tuple[int | None, int | None]:
        from docx.image.exceptions import UnrecognizedImageError  # lazy: python-docx
        from docx.image.image import Image

        if self._data.lstrip()[:5] in (b"<?xml", b"<svg ") or b"<svg" in self._data[:512]:
            raise TemplateRuntimeError(
                f"picture {self._name!r} is an SVG; Word documents take PNG or JPEG pictures "
                "(SVG works in Markdown and HTML)"
            )
        try:
            image = Image.from_blob(self._data)
        except (UnrecognizedImageError, ValueError, KeyError, IndexError) as error:
            raise TemplateRuntimeError(
                f"picture {self._name!r} is not a PNG or JPEG picture Word can show ({error})"
            ) from None
        if self._width_mm is None and self._height_mm is None:
            limit = int(self._limit_mm * _EMU_PER_MM)
            return (limit, None) if image.width > limit else (None, None)
        width = None if self._width_mm is None else int(self._width_mm * _EMU_PER_MM)
        height = None if self._height_mm is None else int(self._height_mm * _EMU_PER_MM)
        return width, height

    def __html__(self) -> str:
        part = _current_part()
        if not hasattr(part, "new_pic_inline"):
            raise TemplateRuntimeError(
                f"picture {self._name!r}: pictures can be placed in the body, tables, "
                "headers and footers, not in footnotes"
            )
        width, height = self._extent()
        inline = part.new_pic_inline(io.BytesIO(self._data), width, height)
        return (
            f"</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r>"
            '<w:r><w:t xml:space="preserve">'
        )

    def __str__(self) -> str:
        return f"[Bild {self._name}]"


def docx_pictures(
    images: Mapping[str, bytes], limit_mm: float = DEFAULT_WIDTH_MM
) -> Mapping[str, DocxPicture]:
    """The ``images`` of a Word render context: each picture by its name.

    A picture's bytes are read from ``images`` only when the template uses
    it, so a document that shows none never waits for one being drawn.

    Args:
        images: Picture bytes (PNG or JPEG) by name.
        limit_mm: Widest a picture without a size of its own is placed.
    """
    return MappedView(images, lambda name, data: DocxPicture(name, data, limit_mm=limit_mm))


def docx_link(url: str | None, label: str) -> Markup:
    """A hyperlink to ``url`` showing ``label`` in the part being rendered.

    Without an address (``None``: the value was no safe http, https or
    mailto address) only the text is printed.
    """
    text = escape(label)
    if url is None:
        return Markup(text)
    rid = _current_part().relate_to(url, _HYPERLINK, is_external=True)
    return Markup(
        f'</w:t></w:r><w:hyperlink r:id="{rid}"><w:r><w:rPr><w:color w:val="0563C1"/>'
        f'<w:u w:val="single"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'
        '</w:hyperlink><w:r><w:t xml:space="preserve">'
    )
