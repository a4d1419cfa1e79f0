"""Flags for measures that need attention: stale reports and late measures.

All checks are made "as of" a given date and skip finished (``abgeschlossen``)
and dropped (``verworfen``) measures.

- **veraltet** (stale): a running measure got no update within the reporting
  rhythm. A measure runs once its status is ``in_umsetzung`` or
  ``verzoegert``, or once its scheduled start has come. The rhythm counts
  from the last update on or before the date, else from the scheduled start
  (when it has come), else from the strategy's adoption. The next update is
  due on the same day ``rhythm_months`` later (end of month clamped); the
  measure is stale from the day after. A running measure with none of these
  dates has never been reported and is stale.
- **ueberfaellig** (overdue): the scheduled end lies before the date.
- **im_rueckstand** (behind plan): between the scheduled start and end, the
  measure's progress lags the planned linear progress (days elapsed divided
  by the days from start to end) by more than ``tolerance_points``
  percentage points. Exactly the tolerance is not yet behind.
- **verzoegert** (delayed): the status says so.
- **frist** (deadline): the legal deadline, or the measure's own
  ``deadline`` (its latest end), lies before the date.

A measure that is not in the schedule (unplaced, e.g. because its duration
is not estimated) has no planned start or end: it is never flagged overdue
or behind plan, since there is no plan to be behind; it can still be stale
or past a deadline.

A measure is *late* when it has any flag other than ``veraltet``.
"""

from __future__ import annotations

import datetime as dt

import attrs

from kommunal_digital.german import kurzdatum
from kommunal_digital.model import Measure, MeasureStatus, Strategy
from kommunal_digital.model.labels import LabelledEnum
from kommunal_digital.model.progress import ProgressUpdate
from kommunal_digital.monitoring.progress import format_percent
from kommunal_digital.units.months import add_months

__all__ = ["FlagKind", "ProgressFlag", "measure_flags", "planned_progress"]

_CLOSED = (MeasureStatus.ABGESCHLOSSEN, MeasureStatus.VERWORFEN)
_RUNNING = (MeasureStatus.IN_UMSETZUNG, MeasureStatus.VERZOEGERT)


class FlagKind(LabelledEnum):
    """Why a measure is flagged in a progress report."""

    STALE = "veraltet"
    OVERDUE = "ueberfaellig"
    BEHIND = "im_rueckstand"
    DELAYED = "verzoegert"
    DEADLINE = "frist"

    @property
    def label(self) -> str:  # its labels live here, not in model.labels
        """The German label shown in documents."""
        return _FLAG_LABELS[self]

    @property
    def late(self) -> bool:
        """Whether the flag makes a measure late (every flag but ``veraltet``)."""
        return self is not FlagKind.STALE


_FLAG_LABELS = {
    FlagKind.STALE: "Meldung veraltet",
    FlagKind.OVERDUE: "Planende überschritten",
    FlagKind.BEHIND: "im Rückstand zum Plan",
    FlagKind.DELAYED: "als verzögert gemeldet",
    FlagKind.DEADLINE: "gesetzliche Frist verstrichen",
}


@attrs.frozen
class ProgressFlag:
    """A flag on a measure with its reason.

    Attributes:
        kind: What the flag is about.
        reason: A German sentence for the report.
    """

    kind: FlagKind
    reason: str


def planned_progress(start: dt.date, end: dt.date, as_of: dt.date) -> float:
    """The linear planned progress in percent of a measure running from start to end.

    0 before the start, 100 from the end on, in between the share of days passed.
    """
    if as_of <= start:
        return 100.0 if as_of >= end else 0.0
    if as_of >= end:
        return 100.0
    return 100.0 * (as_of - start).days / (end - start).days


def _stale(
    strategy: Strategy,
    measure: Measure,
    as_of: dt.date,
    last: ProgressUpdate | None,
    start: dt.date | None,
) -> ProgressFlag | None:
    started = start is not None and start <= as_of
    if measure.status not in _RUNNING and not started:
        return None
    rhythm = strategy.reporting.rhythm_months
    months = "1 Monat" if rhythm == 1 else f"{rhythm} Monate"
    if last is not None:
        since, what = last.date, f"Letzte Meldung am {kurzdatum(last.date)}"
    elif started and start is not None:
        since, what = start, f"Keine Meldung seit dem geplanten Beginn am {kurzdatum(start)}"
    elif strategy.adopted_on is not None:
        since = strategy.adopted_on
        what = f"Keine Meldung seit dem Beschluss der Strategie am {kurzdatum(since)}"
    else:
        return ProgressFlag(
            FlagKind.STALE, "Die Maßnahme läuft, hat aber noch keine Fortschrittsmeldung."
        )
    due = add_months(since, rhythm)
    if as_of <= due:
        return None
    return ProgressFlag(
        FlagKind.STALE,
        f"{what}; die nächste war bis {kurzdatum(due)} fällig (Berichtsrhythmus {months}).",
    )


def measure_flags(
    strategy: Strategy,
    measure: Measure,
    progress: float,
    as_of: dt.date,
    last: ProgressUpdate | None,
) -> tuple[ProgressFlag, ...]:
    """Return the flags of one measure as of a date, by the rules of this module.

    Args:
        strategy: The strategy (schedule, reporting settings, adoption date).
        measure: The measure.
        progress: Its progress in percent (see ``measure_figure``).
        as_of: The reference date.
        last: Its last update on or before ``as_of``, if any.

    Returns:
        The flags in the order stale, overdue, behind plan, delayed, deadline.
    """
    if measure.status in _CLOSED:
        return ()
    entry = strategy.schedule.entry(measure.key) if strategy.schedule else None
    start = entry.start if entry else None
    flags: list[ProgressFlag] = []
    stale = _stale(strategy, measure, as_of, last, start)
    if stale is not None:
        flags.append(stale)
    if entry is not None:
        planned = planned_progress(entry.start, entry.end, as_of)
        if as_of > entry.end:
            flags.append(
                ProgressFlag(
                    FlagKind.OVERDUE,
                    f"Geplantes Ende am {kurzdatum(entry.end)} ist überschritten, "
                    f"Stand {format_percent(progress)}.",
                )
            )
        elif planned - progress > strategy.reporting.tolerance_points:
            flags.append(
                ProgressFlag(
                    FlagKind.BEHIND,
                    f"Stand {format_percent(progress)}, nach Plan wären "
                    f"{format_percent(planned)} erreicht (Toleranz "
                    f"{strategy.reporting.tolerance_points} Prozentpunkte).",
                )
            )
    if measure.status is MeasureStatus.VERZOEGERT:
        flags.append(ProgressFlag(FlagKind.DELAYED, "Die Maßnahme ist als verzögert gemeldet."))
    if measure.legal_deadline is not None and as_of > measure.legal_deadline:
        driver = f" ({measure.legal_driver})" if measure.legal_driver else ""
        flags.append(
            ProgressFlag(
                FlagKind.DEADLINE,
                f"Die gesetzliche Frist{driver} ist am {kurzdatum(measure.legal_deadline)} "
                "verstrichen.",
            )
        )
    if measure.deadline is not None and as_of > measure.deadline:
        flags.append(
            ProgressFlag(
                FlagKind.DEADLINE,
                f"Die Frist (spätestes Ende) ist am {kurzdatum(measure.deadline)} verstrichen.",
            )
        )
    return tuple(flags)
