"""The built-in output formats: Word, Markdown, HTML and the render context as JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from kommunal_digital.errors import DocumentError
from kommunal_digital.workspace.workspace import OutputFormat

__all__ = ["BUILTIN_OUTPUT_FORMATS"]


def _render_docx(
    template: Path | None,
    context: Mapping[str, Any],
    images: Mapping[str, bytes],
    filters: Mapping[str, Callable[..., Any]],
) -> bytes:
    from kommunal_digital.documents.docx import render_docx_bytes  # lazy: docxtpl, lxml

    assert template is not None  # the format needs a template; callers supply one
    return render_docx_bytes(template, dict(context), images=images, filters=filters)


def _render_markdown(
    template: Path | None,
    context: Mapping[str, Any],
    images: Mapping[str, bytes],
    filters: Mapping[str, Callable[..., Any]],
) -> bytes:
    from kommunal_digital.documents.text_render import render_markdown  # lazy: markdown

    assert template is not None  # the format needs a template; callers supply one
    return render_markdown(template, context, images, filters=filters).encode("utf-8")


def _render_html(
    template: Path | None,
    context: Mapping[str, Any],
    images: Mapping[str, bytes],
    filters: Mapping[str, Callable[..., Any]],
) -> bytes:
    from kommunal_digital.documents.text_render import render_html  # lazy: markdown

    assert template is not None  # the format needs a template; callers supply one
    return render_html(template, context, images, filters=filters).encode("utf-8")


def _json_value(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _render_json(
    template: Path | None, context: Mapping[str, Any], images: Mapping[str, bytes]
) -> bytes:
    # The built-in contexts are plain data; a context extension's variables
    # may not be, and that is the plugin's error, reported as a document error.
    try:
        text = json.dumps(context, ensure_ascii=False, indent=2, default=_json_value)
    except (TypeError, ValueError) as error:
        raise DocumentError(
            f"the render context is not plain data and cannot be written as JSON: {error}"
        ) from None
    return (text + "\n").encode("utf-8")


def _render_pdf(
    template: Path | None,
    context: Mapping[str, Any],
    images: Mapping[str, bytes],
    filters: Mapping[str, Callable[..., Any]],
) -> bytes:
    # One document: the Word file, converted by its own LibreOffice run.
    # build_documents converts all of a build's PDFs in one run instead.
    from kommunal_digital.documents.pdf import convert_to_pdf, find_soffice  # lazy: LibreOffice

    assert template is not None  # the format needs a template; callers supply one
    find_soffice()  # without LibreOffice, say so before rendering anything
    word = _render_docx(template, context, images, filters)
    return convert_to_pdf({template.name: word})[template.name]


#: The output formats the built-in plugin registers: Word, Markdown, HTML,
#: PDF (the Word document converted by LibreOffice) and the render context as JSON.
BUILTIN_OUTPUT_FORMATS = (
    OutputFormat("docx", ".docx", _render_docx, takes_filters=True),
    OutputFormat("markdown", ".md", _render_markdown, template_kind="markdown", takes_filters=True),
    OutputFormat("html", ".html", _render_html, template_kind="markdown", takes_filters=True),
    OutputFormat("json", ".json", _render_json, needs_template=False),
    OutputFormat("pdf", ".pdf", _render_pdf, template_kind="docx", takes_filters=True),
)
