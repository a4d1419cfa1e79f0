"""Domain classes of kommunal-digital (attrs, frozen).

They hold data and check it at construction; they know nothing of files,
documents or the command line.
"""

from kommunal_digital.model.action_field import ActionField, Goal, Indicator
from kommunal_digital.model.labels import (
    Delivery,
    MaturityPhase,
    MeasureStatus,
    MunicipalityKind,
    Raci,
    RelationKind,
    RoleKind,
    StakeholderGroup,
)
from kommunal_digital.model.measure import Budgeting, Cost, Involvement, Measure
from kommunal_digital.model.municipality import MemberMunicipality, Municipality
from kommunal_digital.model.organigram import Organigram, Relation, Role
from kommunal_digital.model.profile import ProjectProfile, Resources
from kommunal_digital.model.roadmap import Milestone, Phase, Roadmap, Task
from kommunal_digital.model.stakeholder import Stakeholder
from kommunal_digital.model.strategy import Strategy

__all__ = [
    "ActionField",
    "Budgeting",
    "Cost",
    "Delivery",
    "Goal",
    "Indicator",
    "Involvement",
    "MaturityPhase",
    "Measure",
    "MeasureStatus",
    "MemberMunicipality",
    "Milestone",
    "Municipality",
    "MunicipalityKind",
    "Organigram",
    "Phase",
    "ProjectProfile",
    "Raci",
    "Relation",
    "RelationKind",
    "Resources",
    "Roadmap",
    "Role",
    "RoleKind",
    "Stakeholder",
    "StakeholderGroup",
    "Strategy",
    "Task",
]
