"""Domain classes of kommunal-digital (attrs, frozen).

They hold data and check it at construction; they know nothing of files,
documents or the command line.
"""

from kommunal_digital.model.action_field import ActionField, Goal, Indicator
from kommunal_digital.model.catalogue import CatalogueEntry, CostRange, NeedsQuestion, TextBlock
from kommunal_digital.model.dependencies import find_cycle
from kommunal_digital.model.external import ExternalMilestone
from kommunal_digital.model.fingerprints import fingerprint, ranking_inputs
from kommunal_digital.model.funding import (
    FundingKind,
    FundingProgramme,
    FundingSource,
    Operator,
    StrategyFunding,
)
from kommunal_digital.model.labels import (
    Delivery,
    MaturityPhase,
    MeasureStatus,
    MunicipalityKind,
    Raci,
    RelationKind,
    RoleKind,
    RoleState,
    Severity,
    StakeholderGroup,
)
from kommunal_digital.model.maturity import (
    AnswerOption,
    MaturityCheck,
    MaturityQuestion,
    OzgService,
    PhaseGuide,
    Questionnaire,
)
from kommunal_digital.model.measure import Budgeting, Cost, Involvement, Measure
from kommunal_digital.model.municipality import MemberMunicipality, Municipality
from kommunal_digital.model.organigram import Organigram, Relation, Role, RoleHolding
from kommunal_digital.model.organigram_preset import OrganigramPreset, PresetRelation, PresetRole
from kommunal_digital.model.ownership import FIELD_ROLE_KINDS, measure_owner
from kommunal_digital.model.pack_reference import PackReference
from kommunal_digital.model.partners import CostSharing, Partner, ShareBasis
from kommunal_digital.model.preset import PresetMilestone, PresetPhase, PresetTask, RoadmapPreset
from kommunal_digital.model.profile import ProjectProfile, Resources
from kommunal_digital.model.progress import ProgressUpdate, Reporting, Weighting
from kommunal_digital.model.ranking import (
    Comparison,
    Criterion,
    Direction,
    Ranking,
    RankingChoice,
    RankingEntry,
    ScorePart,
)
from kommunal_digital.model.roadmap import Milestone, Phase, Roadmap, Task
from kommunal_digital.model.schedule import (
    Constraint,
    DoneMeasure,
    Schedule,
    ScheduledMeasure,
    ScheduleLimits,
    Unplaced,
    YearLimit,
    YearTotals,
)
from kommunal_digital.model.stakeholder import Stakeholder
from kommunal_digital.model.strategy import Strategy
from kommunal_digital.model.workshop import Source, Workshop

__all__ = [
    "ActionField",
    "AnswerOption",
    "Budgeting",
    "CatalogueEntry",
    "Comparison",
    "Constraint",
    "Cost",
    "CostRange",
    "CostSharing",
    "Criterion",
    "Delivery",
    "Direction",
    "DoneMeasure",
    "ExternalMilestone",
    "FIELD_ROLE_KINDS",
    "FundingKind",
    "FundingProgramme",
    "FundingSource",
    "Goal",
    "Indicator",
    "Involvement",
    "MaturityCheck",
    "MaturityPhase",
    "MaturityQuestion",
    "Measure",
    "MeasureStatus",
    "MemberMunicipality",
    "Milestone",
    "Municipality",
    "MunicipalityKind",
    "NeedsQuestion",
    "Operator",
    "Organigram",
    "OrganigramPreset",
    "OzgService",
    "PackReference",
    "Partner",
    "Phase",
    "PhaseGuide",
    "PresetMilestone",
    "PresetPhase",
    "PresetRelation",
    "PresetRole",
    "PresetTask",
    "ProgressUpdate",
    "ProjectProfile",
    "Questionnaire",
    "Raci",
    "Ranking",
    "RankingChoice",
    "RankingEntry",
    "Relation",
    "RelationKind",
    "Reporting",
    "Resources",
    "Roadmap",
    "RoadmapPreset",
    "Role",
    "RoleHolding",
    "RoleKind",
    "RoleState",
    "Schedule",
    "ScheduleLimits",
    "ScheduledMeasure",
    "ScorePart",
    "Severity",
    "ShareBasis",
    "Source",
    "Stakeholder",
    "StakeholderGroup",
    "Strategy",
    "StrategyFunding",
    "Task",
    "TextBlock",
    "Unplaced",
    "Weighting",
    "Workshop",
    "YearLimit",
    "YearTotals",
    "find_cycle",
    "fingerprint",
    "measure_owner",
    "ranking_inputs",
]
