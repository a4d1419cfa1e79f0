"""Maturity checks (Digicheck): scoring against a questionnaire, OZG services, the radar chart."""

from kommunal_digital.maturity.ozg import OzgServiceLevel, OzgSummary, ozg_summary
from kommunal_digital.maturity.questionnaires import questionnaire_for
from kommunal_digital.maturity.radar import maturity_radar_image, strategy_maturity_image
from kommunal_digital.maturity.scoring import (
    DimensionScore,
    MaturityAssessment,
    PhaseRule,
    assess_maturity,
    format_percent,
)

__all__ = [
    "DimensionScore",
    "MaturityAssessment",
    "OzgServiceLevel",
    "OzgSummary",
    "PhaseRule",
    "assess_maturity",
    "format_percent",
    "maturity_radar_image",
    "ozg_summary",
    "questionnaire_for",
    "strategy_maturity_image",
]
