"""Producing a strategy's documents with a pack's templates."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pluggy

from kommunal_digital.documents.context import strategy_context
from kommunal_digital.documents.docx import render_docx
from kommunal_digital.errors import DocumentError
from kommunal_digital.model import Strategy
from kommunal_digital.packs.pack import TemplatePack
from kommunal_digital.plugins.manager import document_template, get_pack

__all__ = ["render_document"]

#: The document types this release can build a context for.
DOCUMENT_TYPES = ("digitalstrategie",)


def render_document(
    strategy: Strategy,
    output: str | os.PathLike[str],
    *,
    document_type: str = "digitalstrategie",
    pack: str | Path | TemplatePack = "rlp",
    plugin_manager: pluggy.PluginManager | None = None,
    force: bool = False,
    today: dt.date | None = None,
) -> Path:
    """Render one document of a strategy into a Word file.

    Args:
        strategy: The strategy to present.
        output: The .docx file to write (atomically).
        document_type: Which document; this release knows ``"digitalstrategie"``.
        pack: A registered pack name, a pack folder or a loaded pack.
        plugin_manager: The manager to ask for packs and templates; a new one
            with the installed plugins by default.
        force: Overwrite an existing output file.
        today: The date printed in the document; today by default.

    Returns:
        The path written.

    Raises:
        PackError: The pack or its template for the type is missing.
        TemplateRenderError: The template cannot be rendered.
        OutputExistsError: ``output`` exists and ``force`` is false.
    """
    if document_type not in DOCUMENT_TYPES:
        raise DocumentError(
            f"unknown document type {document_type!r} (known: {', '.join(DOCUMENT_TYPES)})"
        )
    the_pack = get_pack(pack, plugin_manager)
    template = document_template(the_pack, document_type, plugin_manager)
    from kommunal_digital.documents.charts import document_images  # lazy: matplotlib

    context = strategy_context(strategy, today=today)
    return render_docx(template, context, output, force=force, images=document_images(strategy))
