"""Built-in behaviour, registered like any third-party plugin."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from kommunal_digital.documents.contexts import BUILTIN_DOCUMENT_TYPES
from kommunal_digital.documents.kinds import (
    BUILTIN_OUTPUT_FORMATS,
    DocumentType,
    OutputFormat,
    template_name,
)
from kommunal_digital.maturity.questionnaires import builtin_questionnaire
from kommunal_digital.model import ActionField
from kommunal_digital.model.catalogue import CatalogueEntry, TextBlock
from kommunal_digital.model.funding import FundingProgramme
from kommunal_digital.model.maturity import Questionnaire
from kommunal_digital.model.organigram_preset import OrganigramPreset
from kommunal_digital.model.preset import RoadmapPreset
from kommunal_digital.organisation.findings import GovernanceCheck
from kommunal_digital.organisation.governance import BUILTIN_CHECKS
from kommunal_digital.organisation.presets import builtin_organigram_presets
from kommunal_digital.packs.pack import TemplatePack
from kommunal_digital.planning.roadmap import default_roadmap_preset
from kommunal_digital.plugins.markers import hookimpl
from kommunal_digital.ranking.ahp import Ahp
from kommunal_digital.ranking.request import RankingRule
from kommunal_digital.ranking.simple_rules import DotVoting, LegalFirst, QuickWin
from kommunal_digital.ranking.weighted_sum import WeightedSum

__all__ = [
    "bundled_packs_dir",
    "kd_action_fields",
    "kd_catalogue_entries",
    "kd_document_template",
    "kd_document_types",
    "kd_funding_programmes",
    "kd_governance_checks",
    "kd_maturity_questionnaires",
    "kd_organigram_presets",
    "kd_output_formats",
    "kd_ranking_rules",
    "kd_roadmap_presets",
    "kd_template_packs",
    "kd_text_blocks",
]


def bundled_packs_dir() -> Path:
    """Return the folder holding the packs shipped inside the package.

    In an installed package the packs live in ``kommunal_digital/_packs``;
    in a source checkout installed in editable mode they are read from the
    repository's ``template_packs`` folder.
    """
    installed = Path(str(resources.files("kommunal_digital"))) / "_packs"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "template_packs"  # pragma: no cover


@hookimpl
def kd_template_packs() -> Sequence[Path]:
    """Ship the bundled packs: ``base`` (shared templates) and ``rlp``."""
    return [bundled_packs_dir() / "base", bundled_packs_dir() / "rlp"]


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
def kd_roadmap_presets() -> Sequence[RoadmapPreset]:
    """The built-in three-phase procedure."""
    return [default_roadmap_preset()]


@hookimpl
def kd_organigram_presets() -> Sequence[OrganigramPreset]:
    """The RLP presets (staff unit, deputy) and the Thüringen core-team preset."""
    return builtin_organigram_presets()


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
    """Word and JSON."""
    return BUILTIN_OUTPUT_FORMATS


@hookimpl
def kd_maturity_questionnaires() -> Sequence[Questionnaire]:
    """The built-in Digicheck."""
    return [builtin_questionnaire()]


@hookimpl(trylast=True)
def kd_document_template(pack: TemplatePack, document_type: str, template_kind: str) -> Path | None:
    """Answer from the ``[documents]`` table of the pack's manifest."""
    return pack.document_template(template_name(document_type, template_kind))
