"""Rendering Word documents from docxtpl templates, safely and atomically."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from kommunal_digital.documents.docx_errors import dangling_references, part_label
from kommunal_digital.documents.docx_parts import docx_pictures, rendering
from kommunal_digital.documents.environment import template_error_message
from kommunal_digital.documents.template_cache import (
    TemplatePartError,
    cached_document,
    docx_environment,
)
from kommunal_digital.errors import DocumentError, TemplateRenderError
from kommunal_digital.io.atomic import write_atomic

__all__ = ["render_docx", "render_docx_bytes"]


def render_docx_bytes(
    template: str | os.PathLike[str],
    context: dict[str, Any],
    *,
    images: Mapping[str, bytes] | None = None,
    image_width_mm: float = 160,
    filters: Mapping[str, Callable[..., Any]] | None = None,
) -> bytes:
    """Render a docxtpl template with ``context`` and return the .docx bytes.

    The template is compiled once and kept in a cache (see
    :mod:`kommunal_digital.documents.template_cache`).

    Args:
        template: The .docx template.
        context: The render context.
        images: PNG or JPEG pictures by name; the template shows them with
            ``{{ images.<name> }}`` in their natural size, at most
            ``image_width_mm`` wide, or ``{{ images.<name>|bild(hoehe_mm=15) }}``
            in a size of its own.
        image_width_mm: Widest a picture without a size of its own is placed.
        filters: Plugin filters by name (see
            :class:`~kommunal_digital.workspace.TemplateFilter`).

    Raises:
        TemplateRenderError: The template has a syntax error, uses a variable
            the context lacks, tries something the sandbox refuses (see
            :mod:`kommunal_digital.documents.environment`) or fails in any
            other way. The message names the template file and where the
            tag sits: the part (body, header, footer, footnotes), the
            paragraph's text and, in a table, the table, row and column.
        DocumentError: The template file is missing or not a Word document,
            or the rendered document refers to a picture or link it does
            not have (one built for another document).
    """
    from docx.opc.exceptions import PackageNotFoundError  # lazy: pulls in lxml
    from lxml.etree import LxmlError

    path = Path(template)
    if not path.is_file():
        raise DocumentError(f"{path}: template not found")
    try:
        document = cached_document(path, filters)
        document.init_docx()
        if images is not None:
            context = {**context, "images": docx_pictures(images, image_width_mm)}
        with rendering(document):
            document.render(context, jinja_env=docx_environment(filters), autoescape=True)
        _check_references(document, path.name)
        buffer = io.BytesIO()
        document.save(buffer)
    except TemplatePartError as exc:
        raise TemplateRenderError(
            f"{template_error_message(path.name, exc.error, line=False)} ({exc.where})"
        ) from None
    except jinja2.TemplateError as exc:
        # Line numbers would count lines of the document's XML, not of
        # anything the author sees in Word, so they are left out.
        raise TemplateRenderError(template_error_message(path.name, exc, line=False)) from None
    except PackageNotFoundError:
        raise DocumentError(f"{path.name}: not a Word (.docx) document") from None
    except (LxmlError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        # Broken zip members or invalid XML produced by a template.
        raise DocumentError(f"{path.name}: cannot produce the document: {exc}") from None
    return buffer.getvalue()


def _check_references(document: Any, name: str) -> None:
    """Refuse a rendered document whose parts refer to relationships they lack."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT  # lazy: python-docx

    main = document.docx.part
    # A body streamed child by child was checked then (docx_body.py); its
    # tree holds an empty body then.
    streamed = getattr(document, "streamed_problems", ())
    parts: list[tuple[Any, Any]] = [(main, document.docx.element)]
    for relationship in main.rels.values():
        if relationship.is_external or relationship.reltype not in (
            RT.HEADER,
            RT.FOOTER,
            RT.FOOTNOTES,
        ):
            continue
        target = relationship.target_part
        element = getattr(target, "element", None)  # XML parts: the tree docxtpl rendered
        parts.append((target, element if element is not None else target.blob))
    problems = list(streamed)
    problems += [
        problem
        for part, source in parts
        for problem in dangling_references(source, part.rels, part_label(str(part.partname)))
    ]
    problems = list(dict.fromkeys(problems))  # a section's paragraph is in both
    if problems:
        raise DocumentError(
            f"{name}: the rendered document would be damaged: {'; '.join(problems)} "
            "(a picture or link built for another document, e.g. docxtpl's InlineImage or "
            "RichText(url_id=...); use images and the bild and link filters instead)"
        )


def render_docx(
    template: str | os.PathLike[str],
    context: dict[str, Any],
    output: str | os.PathLike[str],
    *,
    force: bool = False,
    images: dict[str, bytes] | None = None,
) -> Path:
    """Render a template and write the document atomically to ``output``.

    Returns:
        The path written.
    """
    data = render_docx_bytes(template, context, images=images)
    return write_atomic(output, data, force=force)
