"""The completeness gate: checks a strategy must pass before the council decides."""

from kommunal_digital.gate.readiness import (
    ESTIMATES,
    ESTIMATES_MISSING,
    GATES,
    MeasureReadiness,
    MissingEstimate,
    ReadinessReport,
    check_readiness,
)

__all__ = [
    "ESTIMATES",
    "ESTIMATES_MISSING",
    "GATES",
    "MeasureReadiness",
    "MissingEstimate",
    "ReadinessReport",
    "check_readiness",
]
