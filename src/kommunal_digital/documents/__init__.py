"""Producing documents: render contexts, pictures, Word, Markdown, HTML and JSON output."""

from kommunal_digital.documents.build import (
    MEASURE_FOLDER,
    PICTURE_FOLDER,
    BuildResult,
    DocumentFailure,
    build_documents,
    document_context,
    document_path,
    render_document,
)
from kommunal_digital.documents.charts import chart_images, document_images
from kommunal_digital.documents.context import strategy_context
from kommunal_digital.documents.contexts import BUILTIN_DOCUMENT_TYPES
from kommunal_digital.documents.formats import BUILTIN_OUTPUT_FORMATS
from kommunal_digital.documents.numbering import measure_numbers, numbered_measures

__all__ = [
    "BUILTIN_DOCUMENT_TYPES",
    "BUILTIN_OUTPUT_FORMATS",
    "BuildResult",
    "DocumentFailure",
    "MEASURE_FOLDER",
    "PICTURE_FOLDER",
    "build_documents",
    "chart_images",
    "document_context",
    "document_images",
    "document_path",
    "measure_numbers",
    "numbered_measures",
    "render_document",
    "strategy_context",
]
