"""kommunal-digital: from workshop results to a council-ready digital strategy.

The names here are what a user of the library calls every day: load and
write strategy files, open a workspace, rank, plan, check, build the
documents. Everything else lives in documented namespaces
(:mod:`kommunal_digital.model`, :mod:`kommunal_digital.planning`,
:mod:`kommunal_digital.documents`, ...). Names are imported on first use, so
``import kommunal_digital`` stays cheap.

Example:
    >>> import kommunal_digital as kd
    >>> strategy = kd.demo_strategy(planned=False)
    >>> strategy.municipality.name
    'Verbandsgemeinde Eichenberg'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kommunal_digital._version import __version__

if TYPE_CHECKING:
    from kommunal_digital.demo import demo_strategy, write_demo
    from kommunal_digital.documents.build import (
        BuildResult,
        build_documents,
        document_context,
        render_document,
    )
    from kommunal_digital.errors import (
        DocumentError,
        InputFileError,
        KommunalDigitalError,
        ModelValidationError,
        OutputExistsError,
        PackError,
        PlanningError,
        PluginError,
        RankingError,
        TemplateRenderError,
    )
    from kommunal_digital.io.files import dump_strategy, load_strategy
    from kommunal_digital.io.strategy_text import dumps_strategy, loads_strategy
    from kommunal_digital.model import (
        ActionField,
        Cost,
        Goal,
        Indicator,
        MaturityCheck,
        Measure,
        Municipality,
        MunicipalityKind,
        Organigram,
        PackReference,
        ProjectProfile,
        Roadmap,
        Role,
        Stakeholder,
        Strategy,
    )
    from kommunal_digital.model.labels import Severity
    from kommunal_digital.plugins.installation import (
        Installation,
        load_installation,
        open_workspace,
    )
    from kommunal_digital.plugins.markers import hookimpl
    from kommunal_digital.workspace.check import CheckReport, Diagnostic, check
    from kommunal_digital.workspace.operations import plan, rank
    from kommunal_digital.workspace.workspace import Workspace

#: Where each public name lives; it is imported from there on first access.
_LAZY: dict[str, str] = {
    "ActionField": "kommunal_digital.model",
    "BuildResult": "kommunal_digital.documents.build",
    "CheckReport": "kommunal_digital.workspace.check",
    "Cost": "kommunal_digital.model",
    "Diagnostic": "kommunal_digital.workspace.check",
    "DocumentError": "kommunal_digital.errors",
    "Goal": "kommunal_digital.model",
    "Indicator": "kommunal_digital.model",
    "InputFileError": "kommunal_digital.errors",
    "Installation": "kommunal_digital.plugins.installation",
    "KommunalDigitalError": "kommunal_digital.errors",
    "MaturityCheck": "kommunal_digital.model",
    "Measure": "kommunal_digital.model",
    "ModelValidationError": "kommunal_digital.errors",
    "Municipality": "kommunal_digital.model",
    "MunicipalityKind": "kommunal_digital.model",
    "Organigram": "kommunal_digital.model",
    "OutputExistsError": "kommunal_digital.errors",
    "PackError": "kommunal_digital.errors",
    "PackReference": "kommunal_digital.model",
    "PlanningError": "kommunal_digital.errors",
    "PluginError": "kommunal_digital.errors",
    "ProjectProfile": "kommunal_digital.model",
    "RankingError": "kommunal_digital.errors",
    "Roadmap": "kommunal_digital.model",
    "Role": "kommunal_digital.model",
    "Severity": "kommunal_digital.model.labels",
    "Stakeholder": "kommunal_digital.model",
    "Strategy": "kommunal_digital.model",
    "TemplateRenderError": "kommunal_digital.errors",
    "Workspace": "kommunal_digital.workspace.workspace",
    "build_documents": "kommunal_digital.documents.build",
    "check": "kommunal_digital.workspace.check",
    "demo_strategy": "kommunal_digital.demo",
    "document_context": "kommunal_digital.documents.build",
    "dump_strategy": "kommunal_digital.io.files",
    "dumps_strategy": "kommunal_digital.io.strategy_text",
    "hookimpl": "kommunal_digital.plugins.markers",
    "load_installation": "kommunal_digital.plugins.installation",
    "load_strategy": "kommunal_digital.io.files",
    "loads_strategy": "kommunal_digital.io.strategy_text",
    "open_workspace": "kommunal_digital.plugins.installation",
    "plan": "kommunal_digital.workspace.operations",
    "rank": "kommunal_digital.workspace.operations",
    "render_document": "kommunal_digital.documents.build",
    "write_demo": "kommunal_digital.demo",
}

#: The documented namespaces, importable as attributes too (``kd.planning``).
_NAMESPACES = frozenset(
    {
        "authoring",
        "batch",
        "calendars",
        "demo",
        "documents",
        "errors",
        "funding",
        "gate",
        "german",
        "io",
        "maturity",
        "model",
        "monitoring",
        "organisation",
        "packs",
        "planning",
        "plugins",
        "ranking",
        "testing",
        "units",
        "workspace",
    }
)

__all__ = [
    "ActionField",
    "BuildResult",
    "CheckReport",
    "Cost",
    "Diagnostic",
    "DocumentError",
    "Goal",
    "Indicator",
    "InputFileError",
    "Installation",
    "KommunalDigitalError",
    "MaturityCheck",
    "Measure",
    "ModelValidationError",
    "Municipality",
    "MunicipalityKind",
    "Organigram",
    "OutputExistsError",
    "PackError",
    "PackReference",
    "PlanningError",
    "PluginError",
    "ProjectProfile",
    "RankingError",
    "Roadmap",
    "Role",
    "Severity",
    "Stakeholder",
    "Strategy",
    "TemplateRenderError",
    "Workspace",
    "__version__",
    "build_documents",
    "check",
    "demo_strategy",
    "document_context",
    "dump_strategy",
    "dumps_strategy",
    "hookimpl",
    "load_installation",
    "load_strategy",
    "loads_strategy",
    "open_workspace",
    "plan",
    "rank",
    "render_document",
    "write_demo",
]


def __getattr__(name: str) -> Any:
    """Import a public name, or a namespace, on first access."""
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
    elif name in _NAMESPACES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*__all__, *_NAMESPACES})
