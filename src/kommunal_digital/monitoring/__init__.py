"""Progress monitoring: per-measure progress, roll-ups, stale and late measures, reports.

Everything here is a pure function of a :class:`~kommunal_digital.model.Strategy`
(and a reference date); nothing reads the clock or files.
"""

from kommunal_digital.monitoring.history import record_progress, record_report
from kommunal_digital.monitoring.progress import MeasureFigure, ProgressSource, measure_progress
from kommunal_digital.monitoring.report import MeasureReport, ProgressReport, progress_report
from kommunal_digital.monitoring.rollup import ProgressFigure, Rollup, RollupPart, roll_up_progress
from kommunal_digital.monitoring.staleness import FlagKind, ProgressFlag

__all__ = [
    "FlagKind",
    "MeasureFigure",
    "MeasureReport",
    "ProgressFigure",
    "ProgressFlag",
    "ProgressReport",
    "ProgressSource",
    "Rollup",
    "RollupPart",
    "measure_progress",
    "progress_report",
    "record_progress",
    "record_report",
    "roll_up_progress",
]
