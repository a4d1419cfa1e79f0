"""Ranking measures: pluggable rules with explainable scores, AHP weights, sensitivity."""

from kommunal_digital.ranking.ahp import AhpResult, ahp_weights
from kommunal_digital.ranking.ordering import (
    NOT_ASSESSED,
    TIE_BREAKERS,
    Scored,
    build_ranking,
    entry_assessed,
    not_assessed_ranking,
    order_scored,
)
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
    "NOT_ASSESSED",
    "RankChange",
    "RankingRequest",
    "RankingRule",
    "Scored",
    "SensitivityFinding",
    "SensitivityReport",
    "TIE_BREAKERS",
    "ahp_weights",
    "build_ranking",
    "entry_assessed",
    "not_assessed_ranking",
    "order_scored",
    "rank_measures",
    "rank_strategy",
    "sensitivity",
]
