"""The data of a status report (Fortschrittsbericht) for the Digitalrat."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from kommunal_digital.model import MeasureStatus, Strategy
from kommunal_digital.model.progress import ProgressUpdate, Weighting
from kommunal_digital.monitoring.history import last_updates, updates_between
from kommunal_digital.monitoring.progress import ProgressSource
from kommunal_digital.monitoring.rollup import ProgressFigure, roll_up_progress
from kommunal_digital.monitoring.staleness import ProgressFlag, measure_flags, planned_progress
from kommunal_digital.units.months import add_months

__all__ = ["MeasureReport", "ProgressReport", "progress_report"]


@attrs.frozen
class MeasureReport:
    """The state of one measure in a status report.

    Attributes:
        measure: The measure's key.
        title: Its title.
        action_field: Key of its action field.
        goal: Key of its goal, if any.
        status: Its current status.
        progress: Its progress in percent; ``None`` when dropped.
        source: Where the progress figure comes from.
        explanation: A German sentence on how the figure came about.
        last_update: Its last update on or before the report date, if any.
        planned_start: Scheduled start, if the measure is scheduled.
        planned_end: Scheduled end, if the measure is scheduled.
        planned_progress: Linear planned progress on the report date, if scheduled.
        flags: Stale and late flags with their reasons.
    """

    measure: str
    title: str
    action_field: str
    goal: str | None
    status: MeasureStatus
    progress: float | None
    source: ProgressSource
    explanation: str
    last_update: ProgressUpdate | None
    planned_start: dt.date | None
    planned_end: dt.date | None
    planned_progress: float | None
    flags: tuple[ProgressFlag, ...]

    @property
    def stale(self) -> bool:
        """Whether the measure's reports are overdue."""
        return any(not flag.kind.late for flag in self.flags)

    @property
    def late(self) -> bool:
        """Whether the measure is late (overdue, behind plan, delayed or past a deadline)."""
        return any(flag.kind.late for flag in self.flags)


@attrs.frozen
class ProgressReport:
    """Everything a status report on the strategy needs, as of one date.

    Attributes:
        municipality: Name of the municipality.
        title: Title of the strategy.
        as_of: The report date.
        since: Updates after this date count as new.
        weighting: The weighting of the roll-up.
        rhythm_months: The reporting rhythm used for staleness.
        tolerance_points: The tolerance used for "behind plan".
        overall: The strategy's overall figure.
        fields: One figure per chosen action field.
        goals: One figure per goal of a chosen action field.
        measures: Every measure, in the strategy's order.
        stale: Keys of stale measures.
        late: Keys of late measures.
        recent_updates: Updates after ``since`` up to ``as_of``, oldest first.
        status_counts: Number of measures per status (every status listed).
    """

    municipality: str
    title: str
    as_of: dt.date
    since: dt.date
    weighting: Weighting
    rhythm_months: int
    tolerance_points: int
    overall: ProgressFigure
    fields: tuple[ProgressFigure, ...]
    goals: tuple[ProgressFigure, ...]
    measures: tuple[MeasureReport, ...]
    stale: tuple[str, ...]
    late: tuple[str, ...]
    recent_updates: tuple[ProgressUpdate, ...]
    status_counts: dict[MeasureStatus, int] = attrs.field(hash=False)

    def measure(self, key: str) -> MeasureReport:
        """Return the report line of one measure.

        Args:
            key: The measure's key.

        Raises:
            KeyError: No measure has the key.
        """
        for line in self.measures:
            if line.measure == key:
                return line
        raise KeyError(key)

    def to_context(self) -> dict[str, Any]:
        """The report as plain data (dicts, lists, text, numbers, dates) for templates.

        Every key is described in the monitoring documentation.
        """
        titles = {line.measure: line.title for line in self.measures}
        return {
            "municipality": self.municipality,
            "title": self.title,
            "as_of": self.as_of,
            "since": self.since,
            "weighting": self.weighting.value,
            "weighting_label": self.weighting.label,
            "rhythm_months": self.rhythm_months,
            "tolerance_points": self.tolerance_points,
            "overall": _figure_data(self.overall),
            "fields": [_figure_data(f) for f in self.fields],
            "goals": [_figure_data(g) for g in self.goals],
            "measures": [_measure_data(line) for line in self.measures],
            "stale": [_flagged_data(self.measure(k), late=False) for k in self.stale],
            "late": [_flagged_data(self.measure(k), late=True) for k in self.late],
            "updates": [_update_data(u, titles[u.measure]) for u in self.recent_updates],
            "status_counts": [
                {"status": status.value, "label": status.label, "count": count}
                for status, count in self.status_counts.items()
            ],
        }


def _figure_data(figure: ProgressFigure) -> dict[str, Any]:
    return {
        "level": figure.level,
        "key": figure.key,
        "title": figure.title,
        "action_field": figure.action_field or "",
        "progress": figure.progress,
        "equal_fallback": figure.equal_fallback,
        "explanation": figure.explanation,
        "parts": [
            {
                "measure": p.measure,
                "title": p.title,
                "progress": p.progress,
                "source": p.source.value,
                "weight": p.weight,
                "share": p.share,
                "contribution": p.contribution,
            }
            for p in figure.parts
        ],
        "excluded": list(figure.excluded),
    }


def _update_data(update: ProgressUpdate, title: str) -> dict[str, Any]:
    return {
        "measure": update.measure,
        "title": title,
        "date": update.date,
        "status": update.status.value,
        "status_label": update.status.label,
        "progress": update.progress,
        "note": update.note,
        "author": update.author,
    }


def _flag_data(flag: ProgressFlag) -> dict[str, Any]:
    return {"kind": flag.kind.value, "label": flag.kind.label, "reason": flag.reason}


def _measure_data(line: MeasureReport) -> dict[str, Any]:
    last = line.last_update
    return {
        "key": line.measure,
        "title": line.title,
        "action_field": line.action_field,
        "goal": line.goal or "",
        "status": line.status.value,
        "status_label": line.status.label,
        "progress": line.progress,
        "source": line.source.value,
        "source_label": line.source.label,
        "explanation": line.explanation,
        "last_update": _update_data(last, line.title) if last is not None else None,
        "last_update_on": last.date if last is not None else None,
        "planned_start": line.planned_start,
        "planned_end": line.planned_end,
        "planned_progress": line.planned_progress,
        "flags": [_flag_data(f) for f in line.flags],
        "stale": line.stale,
        "late": line.late,
    }


def _flagged_data(line: MeasureReport, *, late: bool) -> dict[str, Any]:
    return {
        "key": line.measure,
        "title": line.title,
        "reasons": [f.reason for f in line.flags if f.kind.late is late],
    }


def progress_report(
    strategy: Strategy,
    *,
    as_of: dt.date,
    weighting: Weighting | None = None,
    since: dt.date | None = None,
) -> ProgressReport:
    """Collect the data of a status report (Fortschrittsbericht) as of a date.

    Progress figures use the measures' current state; "last update", the
    flags and the list of recent updates only look at updates dated on or
    before ``as_of``.

    Args:
        strategy: The strategy with its measures, schedule and history.
        as_of: The report date.
        weighting: How measures are weighted in the roll-up; by default
            ``strategy.reporting.weighting``.
        since: List the updates after this date; by default the date of the
            last report (``reporting.last_report_on``), else one reporting
            rhythm before ``as_of`` (also when the last report lies after ``as_of``).

    Returns:
        The report data; :meth:`ProgressReport.to_context` gives it as plain data.
    """
    reporting = strategy.reporting
    rollup = roll_up_progress(strategy, weighting)
    if since is None:
        since = reporting.last_report_on
        if since is None or since > as_of:
            # A report dated before the last one (a look back) covers one rhythm.
            since = add_months(as_of, -reporting.rhythm_months)
    latest = last_updates(strategy, as_of)
    lines = []
    for measure in strategy.measures:
        figure = rollup.measures[measure.key]
        entry = strategy.schedule.entry(measure.key) if strategy.schedule else None
        flags = (
            ()
            if figure.progress is None
            else measure_flags(strategy, measure, figure.progress, as_of, latest.get(measure.key))
        )
        lines.append(
            MeasureReport(
                measure=measure.key,
                title=measure.title,
                action_field=measure.action_field,
                goal=measure.goal,
                status=measure.status,
                progress=figure.progress,
                source=figure.source,
                explanation=figure.explanation,
                last_update=latest.get(measure.key),
                planned_start=entry.start if entry else None,
                planned_end=entry.end if entry else None,
                planned_progress=planned_progress(entry.start, entry.end, as_of) if entry else None,
                flags=flags,
            )
        )
    counts = dict.fromkeys(MeasureStatus, 0)
    for measure in strategy.measures:
        counts[measure.status] += 1
    return ProgressReport(
        municipality=strategy.municipality.name,
        title=strategy.title,
        as_of=as_of,
        since=since,
        weighting=rollup.weighting,
        rhythm_months=reporting.rhythm_months,
        tolerance_points=reporting.tolerance_points,
        overall=rollup.overall,
        fields=rollup.fields,
        goals=rollup.goals,
        measures=tuple(lines),
        stale=tuple(line.measure for line in lines if line.stale),
        late=tuple(line.measure for line in lines if line.late),
        recent_updates=updates_between(strategy, since, as_of),
        status_counts=counts,
    )
