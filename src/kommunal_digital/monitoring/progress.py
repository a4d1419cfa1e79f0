"""The progress of one measure, and where the figure comes from.

The rule, in this order:

1. ``verworfen`` (dropped): no figure; the measure is left out of every roll-up.
2. ``abgeschlossen`` (finished): 100 %.
3. A figure reported by hand: the measure's ``progress`` when it is above
   zero or when any update in the history gave a figure for it (an explicit
   report of 0 % counts as a report).
4. Milestones of the measure's project profile: the share of milestones
   reached (``reached_on`` set).
5. Otherwise 0 %: nothing reported yet.

Tasks do not count: they carry no "done" mark.
"""

from __future__ import annotations

import attrs

from kommunal_digital.model import Measure, MeasureStatus, Strategy
from kommunal_digital.model.labels import LabelledEnum

__all__ = ["MeasureFigure", "ProgressSource", "format_percent", "measure_progress"]


class ProgressSource(LabelledEnum):
    """Where the progress figure of a measure comes from."""

    DROPPED = "verworfen"
    FINISHED = "abgeschlossen"
    REPORTED = "gemeldet"
    MILESTONES = "meilensteine"
    NONE = "keine_meldung"

    @property
    def label(self) -> str:  # its labels live here, not in model.labels
        """The German label shown in documents."""
        return _SOURCE_LABELS[self]


_SOURCE_LABELS = {
    ProgressSource.DROPPED: "verworfen, nicht mitgezählt",
    ProgressSource.FINISHED: "abgeschlossen",
    ProgressSource.REPORTED: "gemeldeter Stand",
    ProgressSource.MILESTONES: "Anteil erreichter Meilensteine",
    ProgressSource.NONE: "noch keine Meldung",
}


@attrs.frozen
class MeasureFigure:
    """The progress of one measure with its origin.

    Attributes:
        measure: The measure's key.
        progress: Percent complete (0 to 100); ``None`` for a dropped measure.
        source: Which rule gave the figure.
        explanation: A German sentence saying how the figure came about.
    """

    measure: str
    progress: float | None
    source: ProgressSource
    explanation: str


def format_percent(value: float) -> str:
    """Format a percentage the German way with at most one decimal: ``33,3 %``."""
    text = f"{value:.1f}".replace(".", ",")
    return f"{text.removesuffix(',0')} %"


def _reported(strategy: Strategy, measure: Measure) -> bool:
    if measure.progress > 0:
        return True
    return any(
        u.measure == measure.key and u.progress is not None for u in strategy.progress_history
    )


def measure_progress(strategy: Strategy, measure: Measure) -> MeasureFigure:
    """Return the progress of one measure of the strategy, by the rule of this module.

    Args:
        strategy: The strategy holding the measure, its profile and history.
        measure: The measure.

    Returns:
        The figure with its source and a German explanation.
    """
    if measure.status is MeasureStatus.VERWORFEN:
        return MeasureFigure(
            measure.key,
            None,
            ProgressSource.DROPPED,
            "Die Maßnahme wurde verworfen und zählt im Fortschritt nicht mit.",
        )
    if measure.status is MeasureStatus.ABGESCHLOSSEN:
        return MeasureFigure(
            measure.key, 100.0, ProgressSource.FINISHED, "Die Maßnahme ist abgeschlossen: 100 %."
        )
    if _reported(strategy, measure):
        return MeasureFigure(
            measure.key,
            float(measure.progress),
            ProgressSource.REPORTED,
            f"Gemeldeter Stand: {format_percent(measure.progress)}.",
        )
    profile = strategy.profile_for(measure.key)
    if profile is not None and profile.milestones:
        reached = sum(1 for m in profile.milestones if m.reached)
        total = len(profile.milestones)
        share = 100.0 * reached / total
        return MeasureFigure(
            measure.key,
            share,
            ProgressSource.MILESTONES,
            f"{reached} von {total} Meilensteinen des Steckbriefs erreicht: "
            f"{format_percent(share)}.",
        )
    return MeasureFigure(
        measure.key, 0.0, ProgressSource.NONE, "Noch keine Fortschrittsmeldung: 0 %."
    )
