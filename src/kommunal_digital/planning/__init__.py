"""Planning: dependencies, critical path, schedules, roadmaps, member breakdowns."""

from kommunal_digital.planning.breakdown import (
    MeasureShare,
    MemberPlan,
    PartnerPlan,
    ShareBasis,
    break_down,
    member_roadmap,
    partner_plans,
    partner_weights,
)
from kommunal_digital.planning.critical_path import CriticalPath, Timing, critical_path
from kommunal_digital.planning.dependencies import dependency_graph, dependency_waves
from kommunal_digital.planning.plan import (
    default_priority,
    plan_strategy,
    roadmap_inputs,
    schedule_inputs,
    schedule_strategy,
)
from kommunal_digital.planning.roadmap import (
    DEFAULT_ROADMAP_PRESET,
    build_roadmap,
    record_milestone,
)
from kommunal_digital.planning.schedule import priority_order, schedule_measures

__all__ = [
    "CriticalPath",
    "DEFAULT_ROADMAP_PRESET",
    "MeasureShare",
    "MemberPlan",
    "PartnerPlan",
    "ShareBasis",
    "Timing",
    "break_down",
    "build_roadmap",
    "critical_path",
    "default_priority",
    "dependency_graph",
    "dependency_waves",
    "member_roadmap",
    "partner_plans",
    "partner_weights",
    "plan_strategy",
    "priority_order",
    "record_milestone",
    "roadmap_inputs",
    "schedule_inputs",
    "schedule_measures",
    "schedule_strategy",
]
