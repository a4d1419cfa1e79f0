"""Document types and output formats, as plugins register them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from kommunal_digital.model import Strategy

__all__ = ["BUILTIN_DOCUMENT_TYPES", "BUILTIN_OUTPUT_FORMATS", "DocumentType", "OutputFormat"]

ContextBuilder = Callable[[Strategy, dt.date | None], dict[str, Any]]
Renderer = Callable[[Path | None, Mapping[str, Any], Mapping[str, bytes]], bytes]


@attrs.frozen
class DocumentType:
    """A kind of document a strategy can be rendered into.

    Attributes:
        name: Identifier, e.g. ``"digitalstrategie"``; packs name their
            template for it in ``[documents]``.
        title: German title, also the default file name.
        context: Builds the render context from a strategy and the date to print.
    """

    name: str
    title: str
    context: ContextBuilder


@attrs.frozen
class OutputFormat:
    """A file format documents are written in.

    Attributes:
        name: Identifier, e.g. ``"docx"``.
        suffix: File suffix including the dot, e.g. ``".docx"``.
        render: Turns (template or ``None``, context, pictures) into bytes.
        needs_template: Whether the format renders a pack template.
    """

    name: str
    suffix: str
    render: Renderer
    needs_template: bool = True


def _strategy_context(strategy: Strategy, today: dt.date | None) -> dict[str, Any]:
    from kommunal_digital.documents.context import strategy_context

    return strategy_context(strategy, today=today)


def _render_docx(
    template: Path | None, context: Mapping[str, Any], images: Mapping[str, bytes]
) -> bytes:
    from kommunal_digital.documents.docx import render_docx_bytes

    assert template is not None  # the format needs a template; callers supply one
    return render_docx_bytes(template, dict(context), images=dict(images))


def _json_value(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")  # pragma: no cover


def _render_json(
    template: Path | None, context: Mapping[str, Any], images: Mapping[str, bytes]
) -> bytes:
    text = json.dumps(context, ensure_ascii=False, indent=2, default=_json_value)
    return (text + "\n").encode("utf-8")


#: The document types the built-in plugin registers.
BUILTIN_DOCUMENT_TYPES = (DocumentType("digitalstrategie", "Digitalstrategie", _strategy_context),)

#: The output formats the built-in plugin registers: Word, and the render context as JSON.
BUILTIN_OUTPUT_FORMATS = (
    OutputFormat("docx", ".docx", _render_docx),
    OutputFormat("json", ".json", _render_json, needs_template=False),
)
