"""Helpers for testing code that uses kommunal-digital, e.g. plugins.

:mod:`kommunal_digital.testing.strategies` holds Hypothesis strategies that
build valid domain objects, up to whole consistent strategies. They are
re-exported here, except the one for whole strategies: the name
``strategies`` stays the module, so that it can be used like Hypothesis'
own ``strategies`` module.

Example:
    >>> from kommunal_digital.testing import measures
    >>> from kommunal_digital.testing import strategies as kst
    >>> kst.measures is measures
    True
    >>> whole = kst.strategies()  # whole, consistent strategies
"""

from kommunal_digital.testing import strategies
from kommunal_digital.testing.strategies import (
    action_fields,
    budgetings,
    comparisons,
    cost_sharings,
    costs,
    criteria,
    dates,
    digicheck,
    extension_data,
    external_milestones,
    funding_programmes,
    funding_sources,
    goals,
    indicators,
    involvements,
    keys,
    maturity_checks,
    measures,
    member_municipalities,
    milestones,
    money,
    municipalities,
    operators,
    organigrams,
    ozg_services,
    pack_references,
    partners,
    phases,
    progress_updates,
    project_profiles,
    relations,
    reportings,
    resources,
    roadmaps,
    roles,
    schedule_limits,
    stakeholders,
    strategy_fundings,
    tasks,
    texts,
    thin_strategies,
    workshop_sources,
    workshops,
    year_limits,
)

__all__ = [
    "action_fields",
    "budgetings",
    "comparisons",
    "cost_sharings",
    "costs",
    "criteria",
    "dates",
    "digicheck",
    "extension_data",
    "external_milestones",
    "funding_programmes",
    "funding_sources",
    "goals",
    "indicators",
    "involvements",
    "keys",
    "maturity_checks",
    "measures",
    "member_municipalities",
    "milestones",
    "money",
    "municipalities",
    "operators",
    "organigrams",
    "ozg_services",
    "pack_references",
    "partners",
    "phases",
    "progress_updates",
    "project_profiles",
    "relations",
    "reportings",
    "resources",
    "roadmaps",
    "roles",
    "schedule_limits",
    "stakeholders",
    "strategies",
    "strategy_fundings",
    "tasks",
    "texts",
    "thin_strategies",
    "workshop_sources",
    "workshops",
    "year_limits",
]
