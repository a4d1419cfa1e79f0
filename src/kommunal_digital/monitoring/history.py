"""The append-only progress history of a strategy."""

from __future__ import annotations

import datetime as dt

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import MeasureStatus, Strategy
from kommunal_digital.model.progress import ProgressUpdate

__all__ = ["last_updates", "record_progress", "record_report", "updates_between"]


def record_progress(strategy: Strategy, update: ProgressUpdate) -> Strategy:
    """Return a new strategy with the update appended and the measure brought up to date.

    The measure takes the update's status. Its ``progress`` takes the
    update's figure; without one it stays as it was, except that a finished
    measure (``abgeschlossen``) is set to 100. Updates are only ever
    appended: an update dated before the last one is refused, so the history
    reads as a log.

    Args:
        strategy: The strategy (unchanged).
        update: The new update.

    Returns:
        The new strategy.

    Raises:
        ModelValidationError: The update names an unknown measure, or it is
            dated before the last update of the history; the field path is
            ``progress_history[<index>].measure`` or ``.date``.
    """
    index = len(strategy.progress_history)
    try:
        measure = strategy.measure(update.measure)
    except KeyError:
        known = ", ".join(m.key for m in strategy.measures) or "none"
        raise ModelValidationError(
            f"progress_history[{index}].measure",
            f"unknown measure {update.measure!r} (measures: {known})",
        ) from None
    if update.progress is not None:
        progress = update.progress
    elif update.status is MeasureStatus.ABGESCHLOSSEN:
        progress = 100
    else:
        progress = measure.progress
    changed = attrs.evolve(measure, status=update.status, progress=progress)
    measures = tuple(changed if m.key == measure.key else m for m in strategy.measures)
    return attrs.evolve(
        strategy, measures=measures, progress_history=(*strategy.progress_history, update)
    )


def record_report(strategy: Strategy, on: dt.date) -> Strategy:
    """Return a new strategy that remembers a status report was given on a date.

    The next :func:`~kommunal_digital.monitoring.report.progress_report`
    lists the updates after this date.

    Args:
        strategy: The strategy (unchanged).
        on: The date of the report (Fortschrittsbericht) to the Digitalrat.

    Returns:
        The new strategy with ``reporting.last_report_on`` set.
    """
    return attrs.evolve(strategy, reporting=attrs.evolve(strategy.reporting, last_report_on=on))


def last_updates(strategy: Strategy, as_of: dt.date) -> dict[str, ProgressUpdate]:
    """The latest update of every measure dated on or before ``as_of``.

    Of several updates on the same day the one recorded last wins.
    """
    latest: dict[str, ProgressUpdate] = {}
    for update in strategy.progress_history:
        if update.date <= as_of:
            latest[update.measure] = update
    return latest


def updates_between(
    strategy: Strategy, after: dt.date | None, until: dt.date
) -> tuple[ProgressUpdate, ...]:
    """The updates dated after ``after`` (all when ``None``) and on or before ``until``."""
    return tuple(
        u
        for u in strategy.progress_history
        if (after is None or u.date > after) and u.date <= until
    )
