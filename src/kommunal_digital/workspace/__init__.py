"""The workspace: a pack and what the plugins supply for it, and the operations on it.

A :class:`Workspace` is resolved once (see
:func:`kommunal_digital.open_workspace`) and passed to everything that needs
a registry: :func:`rank`, :func:`plan`, :func:`check`, the documents.
"""

from kommunal_digital.workspace.check import CheckReport, Diagnostic, check, content_diagnostics
from kommunal_digital.workspace.extensions import (
    EXTENDABLE,
    ExtensionProblem,
    ExtensionSchema,
    check_extensions,
    extension_problems,
    read_extension,
)
from kommunal_digital.workspace.freshness import (
    Freshness,
    Refreshed,
    derived_freshness,
    refresh_derived,
)
from kommunal_digital.workspace.operations import pack_reference, plan, rank, with_pack
from kommunal_digital.workspace.workspace import (
    TEMPLATE_KINDS,
    Conflict,
    ContextBuilder,
    ContextExtension,
    DocumentType,
    MeasureContextBuilder,
    OutputFormat,
    PictureSource,
    Renderer,
    TemplateFilter,
    Workspace,
    template_name,
)

__all__ = [
    "CheckReport",
    "Conflict",
    "ContextBuilder",
    "ContextExtension",
    "Diagnostic",
    "DocumentType",
    "EXTENDABLE",
    "ExtensionProblem",
    "ExtensionSchema",
    "Freshness",
    "MeasureContextBuilder",
    "OutputFormat",
    "PictureSource",
    "Refreshed",
    "Renderer",
    "TEMPLATE_KINDS",
    "TemplateFilter",
    "Workspace",
    "check",
    "check_extensions",
    "content_diagnostics",
    "derived_freshness",
    "extension_problems",
    "pack_reference",
    "plan",
    "rank",
    "read_extension",
    "refresh_derived",
    "template_name",
    "with_pack",
]
