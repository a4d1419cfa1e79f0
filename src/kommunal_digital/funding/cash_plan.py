"""The cash plan (Finanzierungsplan): spending, follow-on costs and funding per year.

Every amount is split to the cent with the largest remainder method
(:func:`~kommunal_digital.units.money.split_amount`), so the years of a
measure add up exactly to its figures and the years of the plan exactly to
the sum over the measures.

Unknown is not zero: a measure whose one-off or yearly cost is not
estimated adds nothing to the sums, and every year and the plan as a whole
count such measures (``uncosted``, ``uncosted_follow_on``), so a document
can say "davon 3 Maßnahmen ohne Kostenschätzung" instead of printing a
total that hides them. Money a grant names as an amount counts as income
also when the cost it pays towards is not estimated yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

import attrs

from kommunal_digital.errors import PlanningError
from kommunal_digital.model import Measure, Strategy
from kommunal_digital.model.schedule import MAX_HORIZON_YEARS, ScheduleLimits
from kommunal_digital.planning.breakdown import partner_weights
from kommunal_digital.planning.schedule import schedule_measures
from kommunal_digital.units.money import split_amount
from kommunal_digital.units.months import month_start, year_of_month

__all__ = [
    "CashPlan",
    "CashYear",
    "MeasureCash",
    "ProgrammeCash",
    "cash_plan",
    "external_funding",
    "partner_cash_plans",
    "programme_cash",
]

#: Planning horizon in years when neither the schedule nor the limits set one.
DEFAULT_HORIZON_YEARS = 5

_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")
# Pseudo-years for the months of a running measure before the plan start and
# (with a schedule) after its horizon.
_BEFORE = -1
_AFTER = -2


@attrs.frozen
class CashYear:
    """Money of one budget year.

    The amounts are sums of estimates; measures without an estimate add
    nothing and are counted instead.

    Attributes:
        year: The calendar (budget) year.
        one_off: Estimated one-off spending in the year (spread over the
            months a measure runs).
        follow_on: Estimated yearly follow-on costs for the months after
            measures ended.
        income: Money from third parties and funding programmes for the year's spending.
        uncosted: Measures running in the year whose one-off cost is not estimated.
        uncosted_follow_on: Measures whose follow-on period falls into the
            year and whose yearly cost is not estimated.
    """

    year: int
    one_off: Decimal = _ZERO
    follow_on: Decimal = _ZERO
    income: Decimal = _ZERO
    uncosted: int = 0
    uncosted_follow_on: int = 0

    @property
    def total(self) -> Decimal:
        """Estimated spending of the year: one-off plus follow-on costs."""
        return self.one_off + self.follow_on

    @property
    def own_share(self) -> Decimal:
        """What the municipality pays itself of the estimated spending: spending minus income.

        With unestimated costs in the year (see :attr:`complete`) the figure
        leaves them out, and income towards them may even make it negative.
        """
        return self.total - self.income

    @property
    def complete(self) -> bool:
        """Whether every cost falling into the year is estimated."""
        return not (self.uncosted or self.uncosted_follow_on)


@attrs.frozen
class MeasureCash:
    """The money of one measure over the plan.

    Attributes:
        measure: The measure's key.
        title: Its title.
        start: First day of the measure.
        end: Last day of the measure.
        one_off: Its one-off cost from the plan start on (for a running
            measure that began earlier, the share of its months before the
            plan start counts as spent before the plan; with a schedule, the
            share of months after its horizon is left out too); ``None``
            while not estimated.
        follow_on: Its follow-on costs from the end of the measure to the end
            of the horizon; ``None`` while the yearly cost is not estimated.
        income: Money from third parties and programmes towards the one-off
            cost (a named amount counts also while the cost is unknown).
        years: The same figures per year, with the counts of unknowns.
    """

    measure: str
    title: str
    start: dt.date
    end: dt.date
    one_off: Decimal | None
    follow_on: Decimal | None
    income: Decimal
    years: tuple[CashYear, ...]

    @property
    def own_share(self) -> Decimal | None:
        """What the municipality pays itself within the horizon; ``None`` while unknown."""
        if self.one_off is None or self.follow_on is None:
            return None
        return self.one_off + self.follow_on - self.income


@attrs.frozen
class ProgrammeCash:
    """Strategy-level funding (a programme for the strategy as a whole) in the cash plan.

    The volume, grant and own share are spread over the calendar years of
    the funding period in proportion to its days, to the cent. They are
    shown beside the measures' figures, not added to them: the measures the
    programme pays for may already carry its money as their funding sources.

    Attributes:
        key: The funding's key in the strategy.
        title: The programme or grant in words.
        amount: The volume in euros; ``None`` while unknown.
        own_amount: The own share in euros; ``None`` while unknown.
        grant: The programme's money in euros; ``None`` while unknown.
        years: (year, volume, own share) per year of the period; empty while
            the period or the amount is unknown (an unknown own share gives
            ``None`` per year).
    """

    key: str
    title: str
    amount: Decimal | None
    own_amount: Decimal | None
    grant: Decimal | None
    years: tuple[tuple[int, Decimal, Decimal | None], ...] = ()


def _period_days(start: dt.date, end: dt.date) -> dict[int, int]:
    days: dict[int, int] = {}
    for year in range(start.year, end.year + 1):
        first = max(start, dt.date(year, 1, 1))
        last = min(end, dt.date(year, 12, 31))
        days[year] = (last - first).days + 1
    return days


def programme_cash(strategy: Strategy) -> tuple[ProgrammeCash, ...]:
    """The strategy-level funding, spread over the years of each funding period.

    Args:
        strategy: The strategy (its ``funding``).
    """
    items = []
    for funding in strategy.funding:
        years: tuple[tuple[int, Decimal, Decimal | None], ...] = ()
        if funding.amount is not None and funding.start is not None and funding.end is not None:
            days = _period_days(funding.start, funding.end)
            volume = split_amount(funding.amount, list(days.values()))
            own = funding.own_amount
            owns: list[Decimal | None] = (
                list(split_amount(own, list(days.values())))
                if own is not None
                else [None] * len(days)
            )
            years = tuple(zip(days, volume, owns, strict=True))
        items.append(
            ProgrammeCash(
                funding.key,
                funding.title,
                funding.amount,
                funding.own_amount,
                funding.grant,
                years,
            )
        )
    return tuple(items)


@attrs.frozen
class CashPlan:
    """Spending, follow-on costs and funding per year, for the whole strategy.

    The sums cover estimated costs only; :attr:`uncosted` and
    :attr:`uncosted_follow_on` name the measures they leave out.

    Attributes:
        start: First day of the plan.
        horizon_years: Years over which follow-on costs are counted.
        years: Totals per year, from the start year to the last year with
            money or with a measure running.
        measures: The measures in the plan, in order of their start (then key).
        unplaced: Keys of measures the schedule could not place (left out).
        uncosted: Keys of measures in the plan whose one-off cost is not estimated.
        uncosted_follow_on: Keys of measures in the plan whose yearly cost
            is not estimated and whose follow-on period falls into the horizon.
        programmes: The strategy-level funding (``Strategy.funding``) per
            year of its period, beside the measures' figures.
    """

    start: dt.date
    horizon_years: int
    years: tuple[CashYear, ...]
    measures: tuple[MeasureCash, ...]
    unplaced: tuple[str, ...] = ()
    uncosted: tuple[str, ...] = ()
    uncosted_follow_on: tuple[str, ...] = ()
    programmes: tuple[ProgrammeCash, ...] = ()

    @property
    def one_off(self) -> Decimal:
        """Estimated one-off spending over all years."""
        return sum((y.one_off for y in self.years), _ZERO)

    @property
    def follow_on(self) -> Decimal:
        """Estimated follow-on costs over all years."""
        return sum((y.follow_on for y in self.years), _ZERO)

    @property
    def income(self) -> Decimal:
        """Funding income over all years."""
        return sum((y.income for y in self.years), _ZERO)

    @property
    def total(self) -> Decimal:
        """Estimated spending over all years."""
        return self.one_off + self.follow_on

    @property
    def own_share(self) -> Decimal:
        """What the municipality pays itself of the estimated spending over all years."""
        return self.total - self.income

    @property
    def complete(self) -> bool:
        """Whether every cost in the plan is estimated."""
        return not (self.uncosted or self.uncosted_follow_on)

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
    nothing: the municipality pays until the money is quantified. A share or
    rate of a cost not yet estimated counts as nothing too; a named amount
    counts.
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
    are left out and listed. Without a schedule the measures are placed by
    the scheduler without budget or staff limits, from ``start`` (by
    default the start of ``strategy.limits``), with the limits' horizon (by
    default five years) for follow-on costs: every measure still to do
    starts as early as its dependencies and its dates allow, also when it
    ends after the horizon; measures of unknown duration (without an
    assumed duration in the limits) are listed as unplaced. Finished and
    dropped measures are never in the plan: their money was spent or is
    not needed.

    One-off costs are spread over the months a measure runs; funding income
    follows the spending it pays for (over the months the measure runs when
    the cost is unknown); follow-on costs (``cost.yearly``) run from the
    month after the measure ends to the end of the horizon, a twelfth per
    month. Unknown costs are counted, never summed as 0 (see the module
    documentation).

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
    cut = horizon_months if strategy.schedule is not None else None
    measures = [
        _measure_cash(measure, month, duration, first_day, horizon_months, cut)
        for measure, month, duration in sorted(timeline, key=lambda item: (item[1], item[0].key))
    ]
    costs = {m.key: m.cost for m, _, _ in timeline}
    return CashPlan(
        start=first_day,
        horizon_years=horizon,
        years=_sum_years(measures),
        measures=tuple(measures),
        unplaced=tuple(unplaced),
        uncosted=tuple(m.measure for m in measures if costs[m.measure].one_off is None),
        uncosted_follow_on=tuple(
            m.measure for m in measures if any(y.uncosted_follow_on for y in m.years)
        ),
        programmes=programme_cash(strategy),
    )


def _timeline(
    strategy: Strategy, start: dt.date | None, horizon_years: int | None
) -> tuple[list[tuple[Measure, int, int]], list[str], dt.date, int]:
    """(measure, start month, duration) triples, unplaced keys, the first day and horizon."""
    schedule = strategy.schedule
    if schedule is not None:
        placed = [
            (strategy.measure(item.measure), item.start_month, item.duration_months)
            for item in schedule.placed
        ]
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
    free = ScheduleLimits(
        start=first,
        horizon_years=MAX_HORIZON_YEARS,
        assumed_duration_months=limits.assumed_duration_months if limits else None,
    )
    free_schedule = schedule_measures(
        strategy.measures, free, external=strategy.external_milestones
    )
    return (
        [
            (strategy.measure(item.measure), item.start_month, item.duration_months)
            for item in free_schedule.placed
        ],
        [item.measure for item in free_schedule.unplaced],
        first.replace(day=1),
        horizon,
    )


def _months_per_year(
    first_day: dt.date, start: int, stop: int, cut: int | None = None
) -> dict[int, int]:
    counts: dict[int, int] = {}
    for month in range(start, stop):
        if month < 0:
            year = _BEFORE
        elif cut is not None and month >= cut:
            year = _AFTER
        else:
            year = year_of_month(first_day, month)
        counts[year] = counts.get(year, 0) + 1
    return counts


def _split(total: Decimal, counts: dict[int, int] | dict[int, Decimal]) -> dict[int, Decimal]:
    if not total or not any(counts.values()):
        return {}
    return dict(zip(counts, split_amount(total, list(counts.values())), strict=True))


def _measure_cash(
    measure: Measure,
    start_month: int,
    duration: int,
    first_day: dt.date,
    horizon_months: int,
    cut: int | None,
) -> MeasureCash:
    finish = start_month + duration
    running = _months_per_year(first_day, start_month, finish, cut)
    one_off_total = measure.cost.one_off
    spread = _split(one_off_total, running) if one_off_total is not None else {}
    income_total = external_funding(measure)
    income = _split(income_total, spread if spread else running)
    for outside in (_BEFORE, _AFTER):
        spread.pop(outside, None)
        income.pop(outside, None)
        running.pop(outside, None)
    after = _months_per_year(first_day, max(finish, 0), horizon_months)
    yearly = measure.cost.yearly
    follow_total: Decimal | None = None
    follow: dict[int, Decimal] = {}
    if yearly is not None:
        months_after = max(0, horizon_months - max(finish, 0))
        follow_total = (yearly * months_after / 12).quantize(_CENT, rounding=ROUND_HALF_UP)
        follow = _split(follow_total, after)
    years = sorted(set(spread) | set(follow) | set(running) | set(after))
    unknown_one_off = one_off_total is None
    return MeasureCash(
        measure=measure.key,
        title=measure.title,
        start=month_start(first_day, start_month),
        end=month_start(first_day, finish) - dt.timedelta(days=1),
        one_off=None if unknown_one_off else sum(spread.values(), _ZERO),
        follow_on=follow_total,
        income=sum(income.values(), _ZERO),
        years=tuple(
            CashYear(
                year,
                spread.get(year, _ZERO),
                follow.get(year, _ZERO),
                income.get(year, _ZERO),
                uncosted=int(unknown_one_off and year in running),
                uncosted_follow_on=int(yearly is None and year in after),
            )
            for year in years
        ),
    )


def _sum_years(measures: Iterable[MeasureCash]) -> tuple[CashYear, ...]:
    totals: dict[int, list[Decimal]] = {}
    counts: dict[int, list[int]] = {}
    for item in measures:
        for year in item.years:
            row = totals.setdefault(year.year, [_ZERO, _ZERO, _ZERO])
            row[0] += year.one_off
            row[1] += year.follow_on
            row[2] += year.income
            count = counts.setdefault(year.year, [0, 0])
            count[0] += year.uncosted
            count[1] += year.uncosted_follow_on
    if not totals:
        return ()
    span: Sequence[int] = range(min(totals), max(totals) + 1)
    years = []
    for y in span:
        one_off, follow_on, income = totals.get(y, [_ZERO, _ZERO, _ZERO])
        uncosted, uncosted_follow_on = counts.get(y, [0, 0])
        years.append(CashYear(y, one_off, follow_on, income, uncosted, uncosted_follow_on))
    return tuple(years)


def _split_cell(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    if not amount:
        return [_ZERO] * len(weights)
    return split_amount(amount, weights)


def partner_cash_plans(strategy: Strategy, plan: CashPlan) -> dict[str, CashPlan]:
    """Split a joint strategy's cash plan among its partners.

    Every figure of every measure and year is split by the weights of the
    partners taking part in the measure (see
    :func:`~kommunal_digital.planning.breakdown.partner_weights`), in cents
    by the largest remainder method: the partners' plans add up to the
    whole plan exactly, year by year and measure by measure. A partner's
    plan holds only the measures it takes part in; unknown costs are
    counted in the plans of the partners taking part, never as 0 €.

    Args:
        strategy: A joint strategy (with ``partners``).
        plan: The strategy's cash plan (:func:`cash_plan`).

    Returns:
        One cash plan per partner key, in the order of the partners.

    Raises:
        PlanningError: The strategy has no partners.
    """
    if not strategy.partners:
        raise PlanningError(f"{strategy.municipality.name}: the strategy has no partners")
    own: dict[str, list[MeasureCash]] = {p.key: [] for p in strategy.partners}
    for item in plan.measures:
        weights = partner_weights(strategy, strategy.measure(item.measure).sharing)
        values = list(weights.values())
        years: dict[str, list[CashYear]] = {key: [] for key in weights}
        for year in item.years:
            parts = zip(
                _split_cell(year.one_off, values),
                _split_cell(year.follow_on, values),
                _split_cell(year.income, values),
                strict=True,
            )
            for key, (one_off, follow_on, income) in zip(weights, parts, strict=True):
                years[key].append(
                    CashYear(
                        year.year,
                        one_off,
                        follow_on,
                        income,
                        year.uncosted,
                        year.uncosted_follow_on,
                    )
                )
        for key in weights:
            own[key].append(
                attrs.evolve(
                    item,
                    one_off=None
                    if item.one_off is None
                    else sum((y.one_off for y in years[key]), _ZERO),
                    follow_on=None
                    if item.follow_on is None
                    else sum((y.follow_on for y in years[key]), _ZERO),
                    income=sum((y.income for y in years[key]), _ZERO),
                    years=tuple(years[key]),
                )
            )
    plans: dict[str, CashPlan] = {}
    for key, measures in own.items():
        keys = {m.measure for m in measures}
        plans[key] = attrs.evolve(
            plan,
            years=_sum_years(measures),
            measures=tuple(measures),
            unplaced=tuple(
                k
                for k in plan.unplaced
                if key in partner_weights(strategy, strategy.measure(k).sharing)
            ),
            uncosted=tuple(k for k in plan.uncosted if k in keys),
            uncosted_follow_on=tuple(k for k in plan.uncosted_follow_on if k in keys),
        )
    return plans
