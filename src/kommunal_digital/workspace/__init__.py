"""The workspace: a pack and what the plugins supply for it, and the operations on it.

A :class:`Workspace` is resolved once (see
:func:`kommunal_digital.open_workspace`) and passed to everything that needs
a registry: :func:`rank`, :func:`plan`, :func:`check`, the documents.
"""

from kommunal_digital.workspace.check import CheckReport, Diagnostic, check
from kommunal_digital.workspace.extensions import EXTENDABLE, ExtensionSchema
from kommunal_digital.workspace.operations import pack_reference, plan, rank, with_pack
from kommunal_digital.workspace.workspace import (
    TEMPLATE_KINDS,
    ContextBuilder,
    ContextExtension,
    DocumentType,
    MeasureContextBuilder,
    OutputFormat,
    PictureSource,
    Renderer,
    Workspace,
    template_name,
)

__all__ = [
    "CheckReport",
    "ContextBuilder",
    "ContextExtension",
    "Diagnostic",
    "DocumentType",
    "EXTENDABLE",
    "ExtensionSchema",
    "MeasureContextBuilder",
    "OutputFormat",
    "PictureSource",
    "Renderer",
    "TEMPLATE_KINDS",
    "Workspace",
    "check",
    "pack_reference",
    "plan",
    "rank",
    "template_name",
    "with_pack",
]
