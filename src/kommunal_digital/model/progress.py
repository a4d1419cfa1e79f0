"""Progress updates (Fortschrittsmeldungen) and the reporting settings of a strategy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks
from kommunal_digital.model.labels import LabelledEnum, MeasureStatus

__all__ = ["MAX_RHYTHM_MONTHS", "ProgressUpdate", "Reporting", "Weighting", "check_history"]

#: Longest reporting rhythm accepted, in months.
MAX_RHYTHM_MONTHS = 24


class Weighting(LabelledEnum):
    """How the progress of measures is weighted when it is rolled up."""

    EQUAL = "gleich"
    COST = "kosten"
    GOAL_WEIGHT = "zielgewicht"

    @property
    def label(self) -> str:  # its labels live here, not in model.labels
        """The German label shown in documents."""
        return _WEIGHTING_LABELS[self]


_WEIGHTING_LABELS = {
    Weighting.EQUAL: "gleich je Maßnahme",
    Weighting.COST: "nach Kosten (einmalig plus ein Jahr Folgekosten)",
    Weighting.GOAL_WEIGHT: "nach Gewicht der Ziele",
}


def _optional_progress(
    instance: object, attribute: attrs.Attribute[Any], value: int | None
) -> None:
    if value is not None:
        checks.whole(instance, attribute, value)
        checks.between(0, 100)(instance, attribute, value)


@attrs.frozen
class ProgressUpdate:
    """One status report on a measure, as given in an officer/pilot meeting.

    Attributes:
        measure: Key of the measure reported on.
        date: The date of the report.
        status: The measure's state as reported.
        progress: Percent complete as reported, 0 to 100; ``None`` when only
            the status was reported.
        note: What happened, what is blocking, what comes next.
        author: Who reported, e.g. "Digitallotse Verwaltung".
    """

    measure: str = attrs.field(validator=checks.key)
    date: dt.date = attrs.field(validator=checks.date)
    status: MeasureStatus = attrs.field(validator=checks.member_of(MeasureStatus))
    progress: int | None = attrs.field(default=None, validator=_optional_progress)
    note: str = attrs.field(default="", validator=checks.text)
    author: str = attrs.field(default="", validator=checks.text)

    @progress.validator
    def _check_finished(self, attribute: attrs.Attribute[Any], value: int | None) -> None:
        if self.status is MeasureStatus.ABGESCHLOSSEN and value not in (None, 100):
            raise ModelValidationError(
                "progress", f"a finished measure (abgeschlossen) is 100 % complete, got {value}"
            )


@attrs.frozen
class Reporting:
    """How often progress is reported and how it is judged.

    Attributes:
        rhythm_months: Months within which every running measure must get an
            update; a measure without one is stale (veraltet).
        tolerance_points: Percentage points a measure may lag behind its
            planned linear progress before it counts as behind plan.
        weighting: The default weighting of roll-ups.
        last_report_on: The date of the last status report (Fortschrittsbericht)
            to the Digitalrat; the next report lists the updates since then.
    """

    rhythm_months: int = attrs.field(
        default=3, validator=[checks.whole, checks.between(1, MAX_RHYTHM_MONTHS)]
    )
    tolerance_points: int = attrs.field(
        default=20, validator=[checks.whole, checks.between(0, 100)]
    )
    weighting: Weighting = attrs.field(
        default=Weighting.EQUAL, validator=checks.member_of(Weighting)
    )
    last_report_on: dt.date | None = attrs.field(default=None, validator=checks.optional_date)


def check_history(updates: Iterable[ProgressUpdate], measures: dict[str, int]) -> None:
    """Check that a progress history is in date order and names known measures.

    Args:
        updates: The history, oldest first.
        measures: Keys of the strategy's measures (to their index).

    Raises:
        ModelValidationError: An update names an unknown measure or is dated
            before the one preceding it; the field path names the update.
    """
    previous: ProgressUpdate | None = None
    for index, update in enumerate(updates):
        path = f"progress_history[{index}]"
        if update.measure not in measures:
            raise ModelValidationError(f"{path}.measure", f"unknown measure {update.measure!r}")
        if previous is not None and update.date < previous.date:
            raise ModelValidationError(
                f"{path}.date",
                f"{update.date.isoformat()} lies before the previous update "
                f"(progress_history[{index - 1}], {previous.date.isoformat()}); "
                "the history is kept in date order",
            )
        previous = update
