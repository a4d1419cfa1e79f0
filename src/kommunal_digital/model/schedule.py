"""A capacity-constrained multi-year schedule of measures and its limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks
from kommunal_digital.model.labels import Constraint as Constraint  # re-exported
from kommunal_digital.model.measure import MAX_DURATION_MONTHS

#: Longest planning horizon accepted, in years.
MAX_HORIZON_YEARS = checks.MAX_HORIZON_YEARS

_MONTH_OFFSET = checks.between(-checks.MAX_MONTHS, checks.MAX_MONTHS)
_MONTH_COUNT = checks.between(1, checks.MAX_MONTHS)
_TOTAL_FTE = checks.up_to(checks.MAX_TOTAL_FTE)


def _optional_money(
    instance: object, attribute: attrs.Attribute[Any], value: Decimal | None
) -> None:
    if value is not None:
        checks.money(instance, attribute, value)


def _optional_fte(instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    checks.fte(instance, attribute, value)


def _total_one_off(value: checks.Money) -> Decimal:
    return checks.to_total(value, "one_off")


def _total_follow_on(value: checks.Money) -> Decimal:
    return checks.to_total(value, "follow_on")


@attrs.frozen
class YearLimit:
    """Limits of one budget year; ``None`` means "no limit".

    Attributes:
        year: The calendar (budget) year.
        one_off_budget: Money available for one-off costs in that year.
        staff_fte: Staff available for measures in every month of that year.
    """

    year: int = attrs.field(validator=checks.year)
    one_off_budget: Decimal | None = attrs.field(
        default=None, converter=checks.budget_amount, validator=_optional_money
    )
    staff_fte: float | None = attrs.field(default=None, validator=_optional_fte)


@attrs.frozen
class ScheduleLimits:
    """What the schedule must respect.

    Attributes:
        start: The first day of the plan; measures start on the first of a
            month. At most :data:`~kommunal_digital.model.checks.MAX_PLAN_START`
            (2159-12-31), so that the longest horizon plus the longest
            measure still ends within the dates the model accepts.
        horizon_years: Years planned; a measure must end within them.
        one_off_budget: Default budget per year for one-off costs (``None``: unlimited).
        staff_fte: Default staff capacity per month in FTE (``None``: unlimited).
        years: Limits of single years, overriding the defaults.
        assumed_duration_months: The duration assumed for a measure whose
            duration is not yet estimated; ``None`` (the default) leaves such
            measures unplaced ("Dauer noch offen") instead of guessing.
    """

    start: dt.date = attrs.field(validator=checks.plan_start)
    horizon_years: int = attrs.field(
        default=5, validator=[checks.whole, checks.between(1, MAX_HORIZON_YEARS)]
    )
    one_off_budget: Decimal | None = attrs.field(
        default=None, converter=checks.budget_amount, validator=_optional_money
    )
    staff_fte: float | None = attrs.field(default=None, validator=_optional_fte)
    years: tuple[YearLimit, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    assumed_duration_months: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional([checks.whole, checks.between(1, MAX_DURATION_MONTHS)]),
    )

    @years.validator
    def _check_years(self, attribute: attrs.Attribute[Any], value: tuple[YearLimit, ...]) -> None:
        checks.unique_keys(value, "years", attribute="year")

    def budget_for(self, year: int) -> Decimal | None:
        """The one-off budget of a year, ``None`` when unlimited.

        Args:
            year: The calendar year (the year's own limit, else the overall one).
        """
        for limit in self.years:
            if limit.year == year:
                return limit.one_off_budget
        return self.one_off_budget

    def staff_for(self, year: int) -> float | None:
        """The staff capacity (FTE) of a year's months, ``None`` when unlimited.

        Args:
            year: The calendar year (the year's own limit, else the overall one).
        """
        for limit in self.years:
            if limit.year == year:
                return limit.staff_fte
        return self.staff_fte


@attrs.frozen
class ScheduledMeasure:
    """Where a measure lies in the schedule.

    Attributes:
        measure: The measure's key.
        start: First day (the first of a month). For a running measure that
            began before the plan start this is the first of the month it
            really began, before ``limits.start``.
        end: Last day.
        start_month: Months from the plan start to the measure's start;
            negative for a running measure that began before the plan.
        duration_months: Its duration (the assumed one when
            ``assumed_duration`` is set).
        delayed_by: The limit that pushed the start past the earliest date its
            dependencies (and a fixed start) allow, if any.
        delay_year: The year in which that limit bit.
        delay_reason: A German sentence for the documents.
        assumed_duration: The duration was not estimated; the plan uses
            ``limits.assumed_duration_months`` (stated in ``notes``).
        fixed_start: The start was taken from the measure's ``start_on``:
            the real start of a running measure, or the fixed start of a
            planned one that could be kept.
        target_missed: The end lies after the measure's ``target_on``.
        deadline_missed: The end lies after the measure's ``deadline``.
        legal_deadline_missed: The measure's ``legal_deadline`` lies before
            the plan start or before the end.
        notes: German sentences for the documents: the assumption used, a
            start kept or not kept, a missed target date or deadline, a
            legal deadline already passed.
    """

    measure: str = attrs.field(validator=checks.key)
    start: dt.date = attrs.field(validator=checks.date)
    end: dt.date = attrs.field(validator=checks.date)
    start_month: int = attrs.field(validator=[checks.whole, _MONTH_OFFSET])
    duration_months: int = attrs.field(validator=[checks.whole, _MONTH_COUNT])
    delayed_by: Constraint | None = attrs.field(
        default=None, validator=attrs.validators.optional(checks.member_of(Constraint))
    )
    delay_year: int | None = attrs.field(default=None, validator=checks.year)
    delay_reason: str = attrs.field(default="", validator=checks.text)
    assumed_duration: bool = False
    fixed_start: bool = False
    target_missed: bool = False
    deadline_missed: bool = False
    legal_deadline_missed: bool = False
    notes: tuple[str, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=[checks.is_tuple, checks.texts]
    )

    @end.validator
    def _check_end(self, attribute: attrs.Attribute[Any], value: dt.date) -> None:
        if value < self.start:
            raise ModelValidationError("end", f"{value} lies before the start {self.start}")


@attrs.frozen
class DoneMeasure:
    """A finished measure (status ``abgeschlossen``): reported as done, never scheduled.

    Attributes:
        measure: The measure's key.
        finished_on: When it was completed (the measure's ``finished_on``),
            ``None`` while the date is not recorded.
    """

    measure: str = attrs.field(validator=checks.key)
    finished_on: dt.date | None = attrs.field(default=None, validator=checks.optional_date)


@attrs.frozen
class Unplaced:
    """A measure the schedule could not place, and why.

    Attributes:
        measure: The measure's key.
        constraint: The limit that prevented it.
        year: The year in which that limit bit, if a year is concerned.
        reason: A German sentence for the documents.
    """

    measure: str = attrs.field(validator=checks.key)
    constraint: Constraint = attrs.field(validator=checks.member_of(Constraint))
    reason: str = attrs.field(validator=checks.required_text)
    year: int | None = attrs.field(default=None, validator=checks.year)


@attrs.frozen
class YearTotals:
    """Figures of one year of the schedule.

    Attributes:
        year: The calendar year.
        one_off: One-off costs falling into the year (spread over the months
            each measure runs).
        follow_on: Yearly follow-on costs of measures finished before or in
            the year, for the months after they finished.
        staff_fte: Average staff in FTE over the year's planned months.
        staff_fte_peak: Highest staff need of any month of the year.
        uncosted: Placed measures running in the year whose one-off cost is
            not estimated; ``one_off`` leaves them out (it is not their sum).
        uncosted_follow_on: Placed measures whose follow-on period falls
            into the year and whose yearly cost is not estimated;
            ``follow_on`` leaves them out.
        unstaffed: Placed measures running in the year whose staff need is
            not estimated; the staff figures leave them out.

    Amounts and staff cover only what is estimated: a document printing them
    must also say how many measures the counts leave out.
    """

    year: int = attrs.field(validator=checks.year)
    one_off: Decimal = attrs.field(converter=_total_one_off, validator=checks.total_money)
    follow_on: Decimal = attrs.field(converter=_total_follow_on, validator=checks.total_money)
    staff_fte: float = attrs.field(validator=_TOTAL_FTE)
    staff_fte_peak: float = attrs.field(validator=_TOTAL_FTE)
    uncosted: int = attrs.field(default=0, validator=[checks.whole, checks.between(0, 10**6)])
    uncosted_follow_on: int = attrs.field(
        default=0, validator=[checks.whole, checks.between(0, 10**6)]
    )
    unstaffed: int = attrs.field(default=0, validator=[checks.whole, checks.between(0, 10**6)])

    @property
    def complete(self) -> bool:
        """Whether every measure of the year has its costs and staff estimated."""
        return not (self.uncosted or self.uncosted_follow_on or self.unstaffed)


@attrs.frozen
class Schedule:
    """A multi-year schedule: placed measures, unplaced ones with reasons, totals.

    Every measure of the strategy is in exactly one of ``placed``,
    ``unplaced``, ``done`` and ``dropped``.

    Attributes:
        limits: The limits the schedule was made under.
        placed: Placed measures in order of their start (then key).
        unplaced: Measures that did not fit or cannot be planned yet, in
            priority order.
        years: Totals per year of the horizon.
        inputs: Fingerprint of the data the schedule was computed from (see
            :func:`kommunal_digital.planning.schedule_inputs`); ``""`` in
            files written before fingerprints were recorded.
        done: Finished measures (``abgeschlossen``), in the order given;
            they are never scheduled.
        dropped: Keys of dropped measures (``verworfen``), in the order
            given; they are not scheduled.
    """

    limits: ScheduleLimits
    placed: tuple[ScheduledMeasure, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    unplaced: tuple[Unplaced, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    years: tuple[YearTotals, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    inputs: str = attrs.field(default="", validator=checks.text)
    done: tuple[DoneMeasure, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    dropped: tuple[str, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=[checks.is_tuple, checks.keys]
    )

    def entry(self, key: str) -> ScheduledMeasure | None:
        """Return where a measure is placed, or ``None`` if it is not.

        Args:
            key: The measure's key.
        """
        for item in self.placed:
            if item.measure == key:
                return item
        return None
