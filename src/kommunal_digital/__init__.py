"""kommunal-digital: from workshop results to a council-ready digital strategy.

The public API lives here; everything else is private and may change.

Example:
    >>> import kommunal_digital as kd
    >>> strategy = kd.demo_strategy()
    >>> strategy.municipality.name
    'Verbandsgemeinde Eichenberg'
"""

from kommunal_digital._version import __version__
from kommunal_digital.demo import DemoOutput, demo_strategy, write_demo
from kommunal_digital.documents.build import render_document
from kommunal_digital.documents.context import strategy_context
from kommunal_digital.errors import (
    DocumentError,
    InputFileError,
    KommunalDigitalError,
    ModelValidationError,
    OutputExistsError,
    PackError,
    PluginError,
    SchemaVersionError,
    TemplateRenderError,
    UnsafePathError,
)
from kommunal_digital.io.converter import make_converter
from kommunal_digital.io.schema import SCHEMA_VERSION
from kommunal_digital.io.strategy_file import (
    dump_strategy,
    dumps_strategy,
    load_strategy,
    loads_strategy,
    strategy_from_data,
    strategy_to_data,
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
from kommunal_digital.packs.manifest import PackManifest
from kommunal_digital.packs.pack import TemplatePack, load_pack
from kommunal_digital.plugins.manager import (
    available_packs,
    get_pack,
    make_plugin_manager,
    pack_action_fields,
)
from kommunal_digital.plugins.markers import hookimpl

__all__ = [
    "ActionField",
    "Budgeting",
    "Cost",
    "Delivery",
    "DemoOutput",
    "DocumentError",
    "Goal",
    "Indicator",
    "InputFileError",
    "Involvement",
    "KommunalDigitalError",
    "MaturityPhase",
    "Measure",
    "MeasureStatus",
    "MemberMunicipality",
    "Milestone",
    "ModelValidationError",
    "Municipality",
    "MunicipalityKind",
    "Organigram",
    "OutputExistsError",
    "PackError",
    "PackManifest",
    "Phase",
    "PluginError",
    "ProjectProfile",
    "Raci",
    "Relation",
    "RelationKind",
    "Resources",
    "Roadmap",
    "Role",
    "RoleKind",
    "SCHEMA_VERSION",
    "SchemaVersionError",
    "Stakeholder",
    "StakeholderGroup",
    "Strategy",
    "Task",
    "TemplatePack",
    "TemplateRenderError",
    "UnsafePathError",
    "__version__",
    "available_packs",
    "demo_strategy",
    "dump_strategy",
    "dumps_strategy",
    "get_pack",
    "hookimpl",
    "load_pack",
    "load_strategy",
    "loads_strategy",
    "make_converter",
    "make_plugin_manager",
    "pack_action_fields",
    "render_document",
    "strategy_context",
    "strategy_from_data",
    "strategy_to_data",
    "write_demo",
]
