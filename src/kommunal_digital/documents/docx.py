"""Rendering Word documents from docxtpl templates, safely and atomically."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import jinja2

from kommunal_digital.documents.environment import template_error_message
from kommunal_digital.documents.template_cache import cached_document, make_docx_environment
from kommunal_digital.errors import DocumentError, TemplateRenderError
from kommunal_digital.io.atomic import write_atomic

__all__ = ["render_docx", "render_docx_bytes"]


def render_docx_bytes(
    template: str | os.PathLike[str],
    context: dict[str, Any],
    *,
    images: dict[str, bytes] | None = None,
    image_width_mm: float = 160,
) -> bytes:
    """Render a docxtpl template with ``context`` and return the .docx bytes.

    The template is compiled once and kept in a cache (see
    :mod:`kommunal_digital.documents.template_cache`).

    Args:
        template: The .docx template.
        context: The render context.
        images: PNG pictures by name; the template shows them with
            ``{{ images.<name> }}`` (each ``image_width_mm`` wide).
        image_width_mm: Width of the pictures in the document.

    Raises:
        TemplateRenderError: The template has a syntax error, uses a variable
            the context lacks, tries something the sandbox refuses (see
            :mod:`kommunal_digital.documents.environment`) or fails in any
            other way. The message names the template file.
        DocumentError: The template file is missing or not a Word document.
    """
    from docx.opc.exceptions import PackageNotFoundError  # lazy: pulls in lxml
    from lxml.etree import LxmlError

    path = Path(template)
    if not path.is_file():
        raise DocumentError(f"{path}: template not found")
    try:
        document = cached_document(path)
        document.init_docx()
        if images is not None:
            from docx.shared import Mm
            from docxtpl import InlineImage

            context = {
                **context,
                "images": {
                    name: InlineImage(document, io.BytesIO(data), width=Mm(image_width_mm))
                    for name, data in images.items()
                },
            }
        document.render(context, jinja_env=make_docx_environment(), autoescape=True)
        buffer = io.BytesIO()
        document.save(buffer)
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
