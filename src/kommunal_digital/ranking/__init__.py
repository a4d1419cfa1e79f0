"""Ranking measures: pluggable rules with explainable scores, AHP weights, sensitivity."""

from kommunal_digital.ranking.ahp import AhpResult, ahp_weights
from kommunal_digital.ranking.registry import DEFAULT_RULE, rank_measures, rank_strategy
from kommunal_digital.ranking.request import RankingRequest, RankingRule
from kommunal_digital.ranking.sensitivity import (
    RankChange,
    SensitivityFinding,
    SensitivityReport,
    sensitivity,
)

__all__ = [
    "AhpResult",
    "DEFAULT_RULE",
    "RankChange",
    "RankingRequest",
    "RankingRule",
    "SensitivityFinding",
    "SensitivityReport",
    "ahp_weights",
    "rank_measures",
    "rank_strategy",
    "sensitivity",
]
