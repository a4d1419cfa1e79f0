"""The completeness gate: checks a strategy must pass before the council decides."""

from kommunal_digital.gate.readiness import (
    GATES,
    MeasureReadiness,
    ReadinessReport,
    check_readiness,
)

__all__ = [
    "GATES",
    "MeasureReadiness",
    "ReadinessReport",
    "check_readiness",
]
