"""Organisation of the digital change: governance checks, organigrams, stakeholders."""

from kommunal_digital.organisation.findings import Finding, GovernanceCheck
from kommunal_digital.organisation.governance import (
    BUILTIN_CHECKS,
    SeverityOverride,
    organisation_errors,
    run_checks,
)
from kommunal_digital.organisation.presets import build_organigram
from kommunal_digital.organisation.stakeholders import (
    Quadrant,
    StakeholderWeight,
    key_stakeholders,
    quadrant,
    raci_matrix,
)

__all__ = [
    "BUILTIN_CHECKS",
    "Finding",
    "GovernanceCheck",
    "Quadrant",
    "SeverityOverride",
    "StakeholderWeight",
    "build_organigram",
    "key_stakeholders",
    "organisation_errors",
    "quadrant",
    "raci_matrix",
    "run_checks",
]
