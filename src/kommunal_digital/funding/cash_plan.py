"""The cash plan (Finanzierungsplan): spending, follow-on costs and funding per year.

Every amount is split to the cent with the largest remainder method
(:func:`~kommunal_digital.units.money.split_amount`), so the years of a
measure add up exactly to its figures and the years of the plan exactly to
the sum over the measures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

import attrs

from kommunal_digital.errors import PlanningError
from kommunal_digital.model import Measure, MeasureStatus, Strategy
from kommunal_digital.planning.critical_path import critical_path
from kommunal_digital.units.money import split_amount
from kommunal_digital.units.months import month_start, year_of_month

__all__ = ["CashPlan", "CashYear", "MeasureCash", "cash_plan", "external_funding"]

#: Planning horizon in years when neither the schedule nor the limits set one.
DEFAULT_HORIZON_YEARS = 5

_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")


@attrs.frozen
class CashYear:
    """Money of one budget year.

    Attributes:
        year: The calendar (budget) year.
        one_off: One-off spending in the year (spread over the months a measure runs).
        follow_on: Yearly follow-on costs for the months after measures ended.
        income: Money from third parties and funding programmes for the year's spending.
    """

    year: int
    one_off: Decimal = _ZERO
    follow_on: Decimal = _ZERO
    income: Decimal = _ZERO

    @property
    def total(self) -> Decimal:
        """All spending of the year: one-off plus follow-on costs."""
        return self.one_off + self.follow_on

    @property
    def own_share(self) -> Decimal:
        """What the municipality pays itself: spending minus income."""
        return self.total - self.income


@attrs.frozen
class MeasureCash:
    """The money of one measure over the plan.

    Attributes:
        measure: The measure's key.
        title: Its title.
        start: First day of the measure.
        end: Last day of the measure.
        one_off: Its one-off cost.
        follow_on: Its follow-on costs from the end of the measure to the end
            of the horizon.
        income: Money from third parties and programmes towards the one-off cost.
        years: The same figures per year.
    """

    measure: str
    title: str
    start: dt.date
    end: dt.date
    one_off: Decimal
    follow_on: Decimal
    income: Decimal
    years: tuple[CashYear, ...]

    @property
    def own_share(self) -> Decimal:
        """What the municipality pays itself for this measure within the horizon."""
        return self.one_off + self.follow_on - self.income


@attrs.frozen
class CashPlan:
    """Spending, follow-on costs and funding per year, for the whole strategy.

    Attributes:
        start: First day of the plan.
        horizon_years: Years over which follow-on costs are counted.
        years: Totals per year, from the start year to the last year with money.
        measures: The measures in the plan, in order of their start (then key).
        unplaced: Keys of measures the schedule could not place (left out).
    """

    start: dt.date
    horizon_years: int
    years: tuple[CashYear, ...]
    measures: tuple[MeasureCash, ...]
    unplaced: tuple[str, ...] = ()

    @property
    def one_off(self) -> Decimal:
        """One-off spending over all years."""
        return sum((y.one_off for y in self.years), _ZERO)

    @property
    def follow_on(self) -> Decimal:
        """Follow-on costs over all years."""
        return sum((y.follow_on for y in self.years), _ZERO)

    @property
    def income(self) -> Decimal:
        """Funding income over all years."""
        return sum((y.income for y in self.years), _ZERO)

    @property
    def total(self) -> Decimal:
        """All spending over all years."""
        return self.one_off + self.follow_on

    @property
    def own_share(self) -> Decimal:
        """What the municipality pays itself over all years."""
        return self.total - self.income

    def year(self, year: int) -> CashYear:
        """The figures of one year (all zero for a year outside the plan).

        Args:
            year: The calendar year.
        """
        for item in self.years:
            if item.year == year:
                return item
        return CashYear(year)

    def measure(self, key: str) -> MeasureCash:
        """The figures of one measure.

        Args:
            key: The measure's key.

        Raises:
            KeyError: The measure is not in the plan.
        """
        for item in self.measures:
            if item.measure == key:
                return item
        raise KeyError(key)


def external_funding(measure: Measure) -> Decimal:
    """Euros of the one-off cost that third parties and programmes cover.

    Sources without an amount, a share or (for programmes) a rate count as
    nothing: the municipality pays until the money is quantified.
    """
    covered = _ZERO
    for source in measure.funding_sources:
        if source.kind.external:
            covered += source.covers(measure.cost.one_off) or _ZERO
    return covered


def cash_plan(
    strategy: Strategy,
    *,
    start: dt.date | None = None,
    horizon_years: int | None = None,
) -> CashPlan:
    """Plan the money of a strategy's measures per year.

    With a schedule (``strategy.schedule``) every placed measure runs where
    the schedule put it and the horizon is the schedule's; unplaced measures
    are left out and listed. Without a schedule every measure that is not
    rejected starts as early as its dependencies allow, from ``start`` (by
    default the start of ``strategy.limits``), with the limits' horizon (by
    default five years).

    One-off costs are spread over the months a measure runs; funding income
    follows the spending it pays for; follow-on costs (``cost.yearly``) run
    from the month after the measure ends to the end of the horizon, a
    twelfth per month.

    Args:
        strategy: The strategy.
        start: First day of the plan without a schedule.
        horizon_years: Years of the plan without a schedule.

    Returns:
        The cash plan.

    Raises:
        PlanningError: Without a schedule neither ``start`` nor
            ``strategy.limits`` say when the plan starts; or the dependencies
            are broken.
    """
    timeline, unplaced, first_day, horizon = _timeline(strategy, start, horizon_years)
    horizon_months = horizon * 12
    measures = [
        _measure_cash(measure, month, first_day, horizon_months)
        for measure, month in sorted(timeline, key=lambda item: (item[1], item[0].key))
    ]
    return CashPlan(
        start=first_day,
        horizon_years=horizon,
        years=_sum_years(measures),
        measures=tuple(measures),
        unplaced=tuple(unplaced),
    )


def _timeline(
    strategy: Strategy, start: dt.date | None, horizon_years: int | None
) -> tuple[list[tuple[Measure, int]], list[str], dt.date, int]:
    """(measure, start month) pairs, unplaced keys, the plan's first day and horizon."""
    schedule = strategy.schedule
    if schedule is not None:
        placed = [(strategy.measure(item.measure), item.start_month) for item in schedule.placed]
        unplaced = [item.measure for item in schedule.unplaced]
        frame = schedule.limits
        return placed, unplaced, frame.start.replace(day=1), frame.horizon_years
    limits = strategy.limits
    first = start or (limits.start if limits is not None else None)
    if first is None:
        raise PlanningError(
            "the cash plan needs a start: give one, or 'limits' or a schedule in the strategy"
        )
    horizon = horizon_years or (limits.horizon_years if limits else DEFAULT_HORIZON_YEARS)
    active = [m for m in strategy.measures if m.status is not MeasureStatus.VERWORFEN]
    keys = {m.key for m in active}
    # Rejected measures are not done, so depending on them delays nothing.
    trimmed = [
        attrs.evolve(m, depends_on=tuple(d for d in m.depends_on if d in keys)) for m in active
    ]
    timings = critical_path(trimmed, first).timings
    return [(m, timings[m.key].earliest_start) for m in active], [], first.replace(day=1), horizon


def _months_per_year(first_day: dt.date, start: int, stop: int) -> dict[int, int]:
    counts: dict[int, int] = {}
    for month in range(start, stop):
        year = year_of_month(first_day, month)
        counts[year] = counts.get(year, 0) + 1
    return counts


def _split(total: Decimal, counts: dict[int, int] | dict[int, Decimal]) -> dict[int, Decimal]:
    if not total or not any(counts.values()):
        return {}
    return dict(zip(counts, split_amount(total, list(counts.values())), strict=True))


def _measure_cash(
    measure: Measure, start_month: int, first_day: dt.date, horizon_months: int
) -> MeasureCash:
    finish = start_month + measure.duration_months
    spread = _split(measure.cost.one_off, _months_per_year(first_day, start_month, finish))
    income_total = external_funding(measure)
    income = _split(income_total, spread)
    after = max(0, horizon_months - finish)
    follow_total = (measure.cost.yearly * after / 12).quantize(_CENT, rounding=ROUND_HALF_UP)
    follow = _split(follow_total, _months_per_year(first_day, finish, horizon_months))
    years = sorted(set(spread) | set(follow))
    return MeasureCash(
        measure=measure.key,
        title=measure.title,
        start=month_start(first_day, start_month),
        end=month_start(first_day, finish) - dt.timedelta(days=1),
        one_off=measure.cost.one_off,
        follow_on=follow_total,
        income=income_total,
        years=tuple(
            CashYear(
                year,
                spread.get(year, _ZERO),
                follow.get(year, _ZERO),
                income.get(year, _ZERO),
            )
            for year in years
        ),
    )


def _sum_years(measures: Iterable[MeasureCash]) -> tuple[CashYear, ...]:
    totals: dict[int, list[Decimal]] = {}
    for item in measures:
        for year in item.years:
            row = totals.setdefault(year.year, [_ZERO, _ZERO, _ZERO])
            row[0] += year.one_off
            row[1] += year.follow_on
            row[2] += year.income
    if not totals:
        return ()
    span: Sequence[int] = range(min(totals), max(totals) + 1)
    return tuple(CashYear(y, *totals.get(y, [_ZERO, _ZERO, _ZERO])) for y in span)
