"""Document types and output formats, as plugins register them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import Strategy

__all__ = [
    "BUILTIN_OUTPUT_FORMATS",
    "DocumentType",
    "OutputFormat",
    "template_name",
]

ContextBuilder = Callable[[Strategy, dt.date | None], dict[str, Any]]
MeasureContextBuilder = Callable[[Strategy, str, dt.date | None], dict[str, Any]]
Renderer = Callable[[Path | None, Mapping[str, Any], Mapping[str, bytes]], bytes]


@attrs.frozen
class DocumentType:
    """A kind of document a strategy can be rendered into.

    A type is either about the whole strategy (``context``) or written once
    per measure (``measure_context``, e.g. the Maßnahmen-Steckbrief); exactly
    one of the two builders is given.

    Attributes:
        name: Identifier, e.g. ``"digitalstrategie"``; packs name their
            template for it in ``[documents]``.
        title: German title, also the default file name.
        context: Builds the render context from a strategy and the date to print.
        measure_context: Builds the render context of one measure from the
            strategy, the measure's key and the date to print.
        variables: The top-level variables of the context, as documented;
            ``pack check`` reports template variables outside them (empty:
            not checked).
    """

    name: str
    title: str
    context: ContextBuilder | None = None
    measure_context: MeasureContextBuilder | None = None
    variables: frozenset[str] = frozenset()

    def __attrs_post_init__(self) -> None:
        if (self.context is None) == (self.measure_context is None):
            raise ModelValidationError(
                "context", f"document type {self.name!r} needs either context or measure_context"
            )

    @property
    def per_measure(self) -> bool:
        """Whether one document is written for each measure."""
        return self.measure_context is not None

    def build_context(
        self, strategy: Strategy, today: dt.date | None, measure: str | None = None
    ) -> dict[str, Any]:
        """Build the render context, for one measure if the type is per measure."""
        if self.measure_context is not None:
            if measure is None:
                raise ModelValidationError(
                    "measure", f"the document type {self.name!r} is written per measure"
                )
            return self.measure_context(strategy, measure, today)
        assert self.context is not None  # guaranteed by __attrs_post_init__
        return self.context(strategy, today)


@attrs.frozen
class OutputFormat:
    """A file format documents are written in.

    Attributes:
        name: Identifier, e.g. ``"docx"``.
        suffix: File suffix including the dot, e.g. ``".docx"``.
        render: Turns (template or ``None``, context, pictures) into bytes.
        needs_template: Whether the format renders a pack template.
        template_kind: Which kind of template it renders: ``"docx"`` (Word)
            or ``"markdown"`` (a Jinja text template, also the source of HTML).
    """

    name: str
    suffix: str
    render: Renderer
    needs_template: bool = True
    template_kind: str = "docx"


def template_name(document_type: str, template_kind: str) -> str:
    """The key under which a pack's ``[documents]`` table names a template.

    Word templates go by the document type (``steckbrief``), other kinds add
    the kind (``steckbrief-markdown``).
    """
    return document_type if template_kind == "docx" else f"{document_type}-{template_kind}"


def _render_docx(
    template: Path | None, context: Mapping[str, Any], images: Mapping[str, bytes]
) -> bytes:
    from kommunal_digital.documents.docx import render_docx_bytes

    assert template is not None  # the format needs a template; callers supply one
    return render_docx_bytes(template, dict(context), images=dict(images))


def _render_markdown(
    template: Path | None, context: Mapping[str, Any], images: Mapping[str, bytes]
) -> bytes:
    from kommunal_digital.documents.text_render import render_markdown

    assert template is not None  # the format needs a template; callers supply one
    return render_markdown(template, context, images).encode("utf-8")


def _render_html(
    template: Path | None, context: Mapping[str, Any], images: Mapping[str, bytes]
) -> bytes:
    from kommunal_digital.documents.text_render import render_html

    assert template is not None  # the format needs a template; callers supply one
    return render_html(template, context, images).encode("utf-8")


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


#: The output formats the built-in plugin registers: Word, Markdown, HTML and
#: the render context as JSON.
BUILTIN_OUTPUT_FORMATS = (
    OutputFormat("docx", ".docx", _render_docx),
    OutputFormat("markdown", ".md", _render_markdown, template_kind="markdown"),
    OutputFormat("html", ".html", _render_html, template_kind="markdown"),
    OutputFormat("json", ".json", _render_json, needs_template=False),
)
