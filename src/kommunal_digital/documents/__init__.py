"""Producing documents: render contexts, pictures, Word, PDF, Markdown, HTML and JSON output."""

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
from kommunal_digital.documents.pdf import (
    PDF_TIMEOUT_BASE,
    PDF_TIMEOUT_PER_DOCUMENT,
    convert_to_pdf,
    find_soffice,
)

__all__ = [
    "BUILTIN_DOCUMENT_TYPES",
    "BUILTIN_OUTPUT_FORMATS",
    "BuildResult",
    "DocumentFailure",
    "MEASURE_FOLDER",
    "PDF_TIMEOUT_BASE",
    "PDF_TIMEOUT_PER_DOCUMENT",
    "PICTURE_FOLDER",
    "build_documents",
    "chart_images",
    "convert_to_pdf",
    "document_context",
    "document_images",
    "document_path",
    "find_soffice",
    "measure_numbers",
    "numbered_measures",
    "render_document",
    "strategy_context",
]
