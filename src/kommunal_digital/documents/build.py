"""Producing a strategy's documents with a pack's templates."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pluggy

from kommunal_digital.documents.kinds import DocumentType, OutputFormat
from kommunal_digital.errors import DocumentError
from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.model import Strategy
from kommunal_digital.packs.pack import TemplatePack
from kommunal_digital.plugins.manager import (
    document_template,
    get_pack,
    make_plugin_manager,
    merge_by_key,
)

__all__ = ["document_types", "output_formats", "render_document"]


def document_types(manager: pluggy.PluginManager | None = None) -> dict[str, DocumentType]:
    """All registered document types by name (later plugins replace earlier ones)."""
    batches = (manager or make_plugin_manager()).hook.kd_document_types()
    return merge_by_key("kd_document_types", batches, DocumentType, key="name")


def output_formats(manager: pluggy.PluginManager | None = None) -> dict[str, OutputFormat]:
    """All registered output formats by name (later plugins replace earlier ones)."""
    batches = (manager or make_plugin_manager()).hook.kd_output_formats()
    return merge_by_key("kd_output_formats", batches, OutputFormat, key="name")


def render_document(
    strategy: Strategy,
    output: str | os.PathLike[str],
    *,
    document_type: str = "digitalstrategie",
    pack: str | Path | TemplatePack = "rlp",
    plugin_manager: pluggy.PluginManager | None = None,
    force: bool = False,
    today: dt.date | None = None,
    output_format: str | None = None,
) -> Path:
    """Render one document of a strategy into a file.

    Args:
        strategy: The strategy to present.
        output: The file to write (atomically).
        document_type: A registered document type, e.g. ``"digitalstrategie"``.
        pack: A registered pack name, a pack folder or a loaded pack.
        plugin_manager: The manager to ask for packs, types, formats and
            templates; a new one with the installed plugins by default.
        force: Overwrite an existing output file.
        today: The date printed in the document; today by default.
        output_format: A registered format (``docx``, ``json``, ...); by
            default the one whose suffix ``output`` has.

    Returns:
        The path written.

    Raises:
        DocumentError: Unknown document type or output format.
        PackError: The pack or its template for the type is missing.
        TemplateRenderError: The template cannot be rendered.
        OutputExistsError: ``output`` exists and ``force`` is false.
    """
    manager = plugin_manager or make_plugin_manager()
    types = document_types(manager)
    if document_type not in types:
        raise DocumentError(
            f"unknown document type {document_type!r} (known: {', '.join(sorted(types))})"
        )
    formats = output_formats(manager)
    target = Path(output)
    if output_format is None:
        by_suffix = {f.suffix: f.name for f in formats.values()}
        output_format = by_suffix.get(target.suffix.lower())
        if output_format is None:
            raise DocumentError(
                f"{target.name}: no output format for the suffix {target.suffix!r} "
                f"(known: {', '.join(sorted(by_suffix))})"
            )
    if output_format not in formats:
        raise DocumentError(
            f"unknown output format {output_format!r} (known: {', '.join(sorted(formats))})"
        )
    chosen = formats[output_format]
    template = None
    images: dict[str, bytes] = {}
    if chosen.needs_template:
        from kommunal_digital.documents.charts import document_images  # lazy: matplotlib

        template = document_template(get_pack(pack, manager), document_type, manager)
        images = document_images(strategy)
    context = types[document_type].context(strategy, today)
    return write_atomic(target, chosen.render(template, context, images), force=force)
