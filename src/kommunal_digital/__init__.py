"""kommunal-digital: from workshop results to a council-ready digital strategy.

The public API lives here; everything else is private and may change.

Example:
    >>> import kommunal_digital as kd
    >>> strategy = kd.demo_strategy()
    >>> strategy.municipality.name
    'Verbandsgemeinde Eichenberg'
"""

from kommunal_digital._version import __version__
from kommunal_digital.batch.result import BatchItem, BatchResult, BatchStatus
from kommunal_digital.batch.run import run_batch
from kommunal_digital.calendars.events import CalendarEvent, calendar_events
from kommunal_digital.calendars.ics import calendar_ics, export_calendar
from kommunal_digital.demo import DemoOutput, demo_strategy, write_demo
from kommunal_digital.documents.build import (
    BuildResult,
    DocumentFailure,
    build_documents,
    document_context,
    document_types,
    output_formats,
    render_document,
)
from kommunal_digital.documents.context import strategy_context
from kommunal_digital.documents.kinds import DocumentType, OutputFormat
from kommunal_digital.errors import (
    DependencyCycleError,
    DocumentError,
    InconsistentComparisonsError,
    InputFileError,
    KommunalDigitalError,
    ModelValidationError,
    OutputError,
    OutputExistsError,
    PackError,
    PlanningError,
    PluginError,
    RankingError,
    SchemaVersionError,
    TemplateRenderError,
    UnknownDependencyError,
    UnsafePathError,
)
from kommunal_digital.funding.cash_plan import CashPlan, CashYear, MeasureCash, cash_plan
from kommunal_digital.funding.findings import FundingWarning, funding_warnings
from kommunal_digital.gate.readiness import MeasureReadiness, ReadinessReport, check_readiness
from kommunal_digital.graphs.critical_path import CriticalPath, Timing, critical_path
from kommunal_digital.graphs.dependencies import dependency_graph, dependency_waves
from kommunal_digital.io.converter import make_converter
from kommunal_digital.io.excel import (
    WorkbookError,
    WorkbookProblem,
    export_workbook,
    import_workbook,
)
from kommunal_digital.io.schema import SCHEMA_VERSION
from kommunal_digital.io.strategy_file import (
    dump_strategy,
    dumps_strategy,
    load_strategy,
    loads_strategy,
    strategy_from_data,
    strategy_to_data,
)
from kommunal_digital.maturity.ozg import OzgServiceLevel, OzgSummary, ozg_summary
from kommunal_digital.maturity.phases import phase_guides
from kommunal_digital.maturity.questionnaires import maturity_questionnaires
from kommunal_digital.maturity.radar import maturity_radar_image
from kommunal_digital.maturity.scoring import (
    DimensionScore,
    MaturityAssessment,
    PhaseRule,
    assess_maturity,
)
from kommunal_digital.model import (
    ActionField,
    Budgeting,
    Cost,
    Delivery,
    Goal,
    Indicator,
    Involvement,
    MaturityPhase,
    Measure,
    MeasureStatus,
    MemberMunicipality,
    Milestone,
    Municipality,
    MunicipalityKind,
    Organigram,
    Phase,
    ProjectProfile,
    Raci,
    Relation,
    RelationKind,
    Resources,
    Roadmap,
    Role,
    RoleKind,
    Stakeholder,
    StakeholderGroup,
    Strategy,
    Task,
)
from kommunal_digital.model.catalogue import CatalogueEntry, CostRange, NeedsQuestion, TextBlock
from kommunal_digital.model.funding import FundingKind, FundingProgramme, FundingSource, Operator
from kommunal_digital.model.labels import Severity
from kommunal_digital.model.maturity import (
    AnswerOption,
    MaturityCheck,
    MaturityQuestion,
    OzgService,
    PhaseGuide,
    Questionnaire,
)
from kommunal_digital.model.organigram_preset import OrganigramPreset, PresetRelation, PresetRole
from kommunal_digital.model.preset import PresetMilestone, PresetPhase, PresetTask, RoadmapPreset
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
from kommunal_digital.model.schedule import (
    Constraint,
    Schedule,
    ScheduledMeasure,
    ScheduleLimits,
    Unplaced,
    YearLimit,
    YearTotals,
)
from kommunal_digital.monitoring.history import record_progress, record_report
from kommunal_digital.monitoring.progress import MeasureFigure, ProgressSource, measure_progress
from kommunal_digital.monitoring.report import MeasureReport, ProgressReport, progress_report
from kommunal_digital.monitoring.rollup import (
    ProgressFigure,
    Rollup,
    RollupPart,
    roll_up_progress,
)
from kommunal_digital.monitoring.staleness import FlagKind, ProgressFlag
from kommunal_digital.organisation.findings import Finding, GovernanceCheck
from kommunal_digital.organisation.governance import governance_checks, measure_owner, run_checks
from kommunal_digital.organisation.presets import build_organigram, organigram_presets
from kommunal_digital.organisation.stakeholders import (
    Quadrant,
    StakeholderWeight,
    key_stakeholders,
    quadrant,
    raci_matrix,
)
from kommunal_digital.packs.check import PackProblem, check_pack
from kommunal_digital.packs.manifest import PackManifest
from kommunal_digital.packs.pack import TemplatePack, load_pack
from kommunal_digital.packs.scaffold import new_pack
from kommunal_digital.packs.starter import starter_strategy
from kommunal_digital.planning.breakdown import (
    MeasureShare,
    MemberPlan,
    ShareBasis,
    break_down,
    member_roadmap,
)
from kommunal_digital.planning.plan import plan_strategy
from kommunal_digital.planning.roadmap import (
    build_roadmap,
    default_roadmap_preset,
    record_milestone,
)
from kommunal_digital.planning.schedule import schedule_measures
from kommunal_digital.plugins.manager import (
    available_packs,
    describe_plugins,
    funding_programmes,
    get_pack,
    make_plugin_manager,
    merge_by_key,
    pack_action_fields,
    pack_catalogue,
    pack_text_blocks,
    roadmap_presets,
)
from kommunal_digital.plugins.markers import hookimpl
from kommunal_digital.ranking.ahp import AhpResult, ahp_weights
from kommunal_digital.ranking.registry import rank_measures, rank_strategy, ranking_rules
from kommunal_digital.ranking.request import RankingRequest, RankingRule
from kommunal_digital.ranking.sensitivity import (
    RankChange,
    SensitivityFinding,
    SensitivityReport,
    sensitivity,
)

__all__ = [
    "ActionField",
    "AhpResult",
    "AnswerOption",
    "BatchItem",
    "BatchResult",
    "BatchStatus",
    "Budgeting",
    "BuildResult",
    "CalendarEvent",
    "CashPlan",
    "CashYear",
    "CatalogueEntry",
    "Comparison",
    "Constraint",
    "Cost",
    "CostRange",
    "Criterion",
    "CriticalPath",
    "Delivery",
    "DemoOutput",
    "DependencyCycleError",
    "DimensionScore",
    "Direction",
    "DocumentError",
    "DocumentFailure",
    "DocumentType",
    "Finding",
    "FlagKind",
    "FundingKind",
    "FundingProgramme",
    "FundingSource",
    "FundingWarning",
    "Goal",
    "GovernanceCheck",
    "InconsistentComparisonsError",
    "Indicator",
    "InputFileError",
    "Involvement",
    "KommunalDigitalError",
    "MaturityAssessment",
    "MaturityCheck",
    "MaturityPhase",
    "MaturityQuestion",
    "Measure",
    "MeasureCash",
    "MeasureFigure",
    "MeasureReadiness",
    "MeasureReport",
    "MeasureShare",
    "MeasureStatus",
    "MemberMunicipality",
    "MemberPlan",
    "Milestone",
    "ModelValidationError",
    "Municipality",
    "MunicipalityKind",
    "NeedsQuestion",
    "Operator",
    "Organigram",
    "OrganigramPreset",
    "OutputError",
    "OutputExistsError",
    "OutputFormat",
    "OzgService",
    "OzgServiceLevel",
    "OzgSummary",
    "PackError",
    "PackManifest",
    "PackProblem",
    "Phase",
    "PhaseGuide",
    "PhaseRule",
    "PlanningError",
    "PluginError",
    "PresetMilestone",
    "PresetPhase",
    "PresetRelation",
    "PresetRole",
    "PresetTask",
    "ProgressFigure",
    "ProgressFlag",
    "ProgressReport",
    "ProgressSource",
    "ProgressUpdate",
    "ProjectProfile",
    "Quadrant",
    "Questionnaire",
    "Raci",
    "RankChange",
    "Ranking",
    "RankingChoice",
    "RankingEntry",
    "RankingError",
    "RankingRequest",
    "RankingRule",
    "ReadinessReport",
    "Relation",
    "RelationKind",
    "Reporting",
    "Resources",
    "Roadmap",
    "RoadmapPreset",
    "Role",
    "RoleKind",
    "Rollup",
    "RollupPart",
    "SCHEMA_VERSION",
    "Schedule",
    "ScheduleLimits",
    "ScheduledMeasure",
    "SchemaVersionError",
    "ScorePart",
    "SensitivityFinding",
    "SensitivityReport",
    "Severity",
    "ShareBasis",
    "Stakeholder",
    "StakeholderGroup",
    "StakeholderWeight",
    "Strategy",
    "Task",
    "TemplatePack",
    "TemplateRenderError",
    "TextBlock",
    "Timing",
    "UnknownDependencyError",
    "Unplaced",
    "UnsafePathError",
    "Weighting",
    "WorkbookError",
    "WorkbookProblem",
    "YearLimit",
    "YearTotals",
    "__version__",
    "ahp_weights",
    "assess_maturity",
    "available_packs",
    "break_down",
    "build_documents",
    "build_organigram",
    "build_roadmap",
    "calendar_events",
    "calendar_ics",
    "cash_plan",
    "check_pack",
    "check_readiness",
    "critical_path",
    "default_roadmap_preset",
    "demo_strategy",
    "dependency_graph",
    "dependency_waves",
    "describe_plugins",
    "document_context",
    "document_types",
    "dump_strategy",
    "dumps_strategy",
    "export_calendar",
    "export_workbook",
    "funding_programmes",
    "funding_warnings",
    "get_pack",
    "governance_checks",
    "hookimpl",
    "import_workbook",
    "key_stakeholders",
    "load_pack",
    "load_strategy",
    "loads_strategy",
    "make_converter",
    "make_plugin_manager",
    "maturity_questionnaires",
    "maturity_radar_image",
    "measure_owner",
    "measure_progress",
    "member_roadmap",
    "merge_by_key",
    "new_pack",
    "organigram_presets",
    "output_formats",
    "ozg_summary",
    "pack_action_fields",
    "pack_catalogue",
    "pack_text_blocks",
    "phase_guides",
    "plan_strategy",
    "progress_report",
    "quadrant",
    "raci_matrix",
    "rank_measures",
    "rank_strategy",
    "ranking_rules",
    "record_milestone",
    "record_progress",
    "record_report",
    "render_document",
    "roadmap_presets",
    "roll_up_progress",
    "run_batch",
    "run_checks",
    "schedule_measures",
    "sensitivity",
    "starter_strategy",
    "strategy_context",
    "strategy_from_data",
    "strategy_to_data",
    "write_demo",
]
