"""Built-in behaviour, registered like any third-party plugin."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kommunal_digital.documents.contexts import BUILTIN_DOCUMENT_TYPES
from kommunal_digital.documents.formats import BUILTIN_OUTPUT_FORMATS
from kommunal_digital.model import ActionField
from kommunal_digital.model.catalogue import CatalogueEntry, TextBlock
from kommunal_digital.model.funding import FundingProgramme
from kommunal_digital.organisation.findings import GovernanceCheck
from kommunal_digital.organisation.governance import BUILTIN_CHECKS
from kommunal_digital.packs.bundled import bundled_packs_dir
from kommunal_digital.packs.pack import TemplatePack
from kommunal_digital.plugins.markers import hookimpl
from kommunal_digital.ranking.ahp import Ahp
from kommunal_digital.ranking.request import RankingRule
from kommunal_digital.ranking.simple_rules import DotVoting, LegalFirst, QuickWin
from kommunal_digital.ranking.weighted_sum import WeightedSum
from kommunal_digital.workspace.workspace import DocumentType, OutputFormat, template_name

__all__ = [
    "DEFAULT_PACK",
    "kd_action_fields",
    "kd_catalogue_entries",
    "kd_document_template",
    "kd_document_types",
    "kd_funding_programmes",
    "kd_governance_checks",
    "kd_output_formats",
    "kd_ranking_rules",
    "kd_template_packs",
    "kd_text_blocks",
]

#: The pack used when neither the caller nor the strategy names one: the
#: bundled Rheinland-Pfalz pack (strategy files written before packs were
#: recorded were all made with it).
DEFAULT_PACK = "rlp"


@hookimpl
def kd_template_packs() -> Sequence[Path]:
    """Ship the bundled packs: ``base`` (shared templates and data) and ``rlp``."""
    return [bundled_packs_dir() / "base", bundled_packs_dir() / DEFAULT_PACK]


@hookimpl
def kd_action_fields(pack: TemplatePack) -> Sequence[ActionField]:
    """Offer the action fields listed in the pack's own data file."""
    return pack.action_fields()


@hookimpl
def kd_ranking_rules() -> Sequence[RankingRule]:
    """The built-in rules: Nutzwertanalyse, quick wins, dot voting, legal first, AHP."""
    return [WeightedSum(), QuickWin(), DotVoting(), LegalFirst(), Ahp()]


@hookimpl
def kd_catalogue_entries(pack: TemplatePack) -> Sequence[CatalogueEntry]:
    """Offer the catalogue entries in the pack's own data (with its parents')."""
    return pack.data("catalogue")


@hookimpl
def kd_text_blocks(pack: TemplatePack) -> Sequence[TextBlock]:
    """Offer the text blocks in the pack's own data (with its parents')."""
    return pack.data("text_blocks")


@hookimpl
def kd_funding_programmes(pack: TemplatePack) -> Sequence[FundingProgramme]:
    """Offer the funding programmes in the pack's own data (with its parents')."""
    return pack.data("funding_programmes")


@hookimpl
def kd_governance_checks() -> Sequence[GovernanceCheck]:
    """The built-in governance checks."""
    return BUILTIN_CHECKS


@hookimpl
def kd_document_types() -> Sequence[DocumentType]:
    """The built-in document types."""
    return BUILTIN_DOCUMENT_TYPES


@hookimpl
def kd_output_formats() -> Sequence[OutputFormat]:
    """Word, Markdown, HTML and JSON."""
    return BUILTIN_OUTPUT_FORMATS


@hookimpl(trylast=True)
def kd_document_template(pack: TemplatePack, document_type: str, template_kind: str) -> Path | None:
    """Answer from the ``[documents]`` table of the pack's manifest."""
    return pack.document_template(template_name(document_type, template_kind))
