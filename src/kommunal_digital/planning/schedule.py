"""Capacity-constrained multi-year scheduling of measures.

The scheduler is a serial list scheduler: measures are taken one at a time
in priority order and each is put at the earliest month where its
dependencies are finished and the money and staff left over by the measures
placed before it suffice for its whole run. Placed measures never move, so
a measure can only be delayed by measures of higher priority (or by the
measures it depends on, which inherit the priority of their most urgent
dependant). Same input, same output: every tie is broken by key.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Sequence
from decimal import Decimal

import networkx as nx

from kommunal_digital.german import euro
from kommunal_digital.model import Measure, MeasureStatus
from kommunal_digital.model.schedule import (
    Constraint,
    Schedule,
    ScheduledMeasure,
    ScheduleLimits,
    Unplaced,
    YearTotals,
)
from kommunal_digital.planning.dependencies import dependency_graph
from kommunal_digital.units.money import split_amount
from kommunal_digital.units.months import month_start, year_of_month

__all__ = ["effective_priorities", "schedule_measures"]

# Staff is counted in thousandths of an FTE so that capacity checks are exact.
_MILLI = 1000


def _milli(fte: float) -> int:
    return round(fte * _MILLI)


def effective_priorities(graph: nx.DiGraph[str], ranks: dict[str, int]) -> dict[str, int]:
    """Give every measure the best (lowest) rank of itself and all that depend on it."""
    effective = dict(ranks)
    for key in reversed(list(nx.topological_sort(graph))):
        for successor in graph.successors(key):
            effective[key] = min(effective[key], effective[successor])
    return effective


class _Capacity:
    """Money and staff left per year and month while measures are placed."""

    def __init__(self, limits: ScheduleLimits) -> None:
        self.limits = limits
        self.months = limits.horizon_years * 12
        self.year_of = [year_of_month(limits.start, m) for m in range(self.months)]
        self.first_day = [month_start(limits.start, m) for m in range(self.months + 1)]
        # First month (offset) of every year of the horizon, and the end of the last.
        self.year_start: dict[int, int] = {}
        for month, year in enumerate(self.year_of):
            self.year_start.setdefault(year, month)
        self.budget_left: dict[int, Decimal | None] = {
            year: limits.budget_for(year) for year in self.year_start
        }
        staff = {year: limits.staff_for(year) for year in self.year_start}
        self.staff_left: list[int | None] = [
            None if staff[y] is None else _milli(staff[y] or 0.0) for y in self.year_of
        ]
        self.one_off: dict[int, Decimal] = dict.fromkeys(self.year_start, Decimal(0))
        self.staff_used = [0] * self.months

    def year(self, month: int) -> int:
        return self.year_of[month]

    def next_year_start(self, year: int) -> int:
        """The first month after ``year`` (the horizon's end for the last year)."""
        return self.year_start.get(year + 1, self.months)

    def months_per_year(self, start: int, stop: int) -> dict[int, int]:
        """How many of the months ``start`` to ``stop - 1`` fall into each year."""
        counts: dict[int, int] = {}
        month = start
        while month < stop:
            year = self.year_of[month]
            boundary = min(stop, self.next_year_start(year))
            counts[year] = boundary - month
            month = boundary
        return counts

    def spread(self, measure: Measure, start: int) -> dict[int, Decimal]:
        """The one-off cost of a measure per year, when it starts in month ``start``."""
        if not measure.cost.one_off:
            return {}
        counts = self.months_per_year(start, start + measure.duration_months)
        shares = split_amount(measure.cost.one_off, list(counts.values()))
        return dict(zip(counts, shares, strict=True))

    def staff_block(self, need: int, start: int, duration: int) -> int | None:
        """Return the last month in the window where staff runs short, or ``None``."""
        if need == 0:
            return None
        for month in range(start + duration - 1, start - 1, -1):
            left = self.staff_left[month]
            if left is not None and left < need:
                return month
        return None

    def budget_block(self, spread: dict[int, Decimal]) -> int | None:
        """Return the first year whose budget the spread exceeds, or ``None``."""
        for year, amount in spread.items():
            left = self.budget_left[year]
            if left is not None and amount > left:
                return year
        return None

    def take(self, need: int, start: int, duration: int, spread: dict[int, Decimal]) -> None:
        for month in range(start, start + duration):
            self.staff_used[month] += need
            left = self.staff_left[month]
            if left is not None:
                self.staff_left[month] = left - need
        for year, amount in spread.items():
            self.one_off[year] += amount
            budget = self.budget_left[year]
            if budget is not None:
                self.budget_left[year] = budget - amount


def _rank_of(measures: Sequence[Measure], priority: Sequence[str] | None) -> dict[str, int]:
    ranks: dict[str, int] = {}
    for key in priority or ():
        ranks.setdefault(key, len(ranks))
    for measure in measures:
        ranks.setdefault(measure.key, len(ranks))
    return ranks


def schedule_measures(
    measures: Iterable[Measure],
    limits: ScheduleLimits,
    priority: Sequence[str] | None = None,
) -> Schedule:
    """Place measures in time under yearly budgets and monthly staff capacity.

    Args:
        measures: The measures; rejected ones (status ``verworfen``) are left out.
        limits: Start, horizon, budgets and staff capacity.
        priority: Measure keys, most important first (e.g. a ranking). Keys
            not listed follow in the order the measures were given.

    Returns:
        A schedule with every measure either placed or listed as unplaced
        with the constraint and year that prevented it.

    Raises:
        UnknownDependencyError, DependencyCycleError: The dependencies are broken.
    """
    active = [m for m in measures if m.status is not MeasureStatus.VERWORFEN]
    graph = dependency_graph(active)
    ranks = _rank_of(active, priority)
    effective = effective_priorities(graph, ranks)
    capacity = _Capacity(limits)
    finish: dict[str, int] = {}
    placed: list[ScheduledMeasure] = []
    unplaced: list[Unplaced] = []
    waiting = {key: graph.in_degree(key) for key in graph}
    heap = [(effective[k], ranks[k], k) for k, n in waiting.items() if n == 0]
    heapq.heapify(heap)
    failed: set[str] = set()
    while heap:
        _, _, key = heapq.heappop(heap)
        measure: Measure = graph.nodes[key]["measure"]
        blocked = sorted(p for p in graph.predecessors(key) if p in failed)
        if blocked:
            failed.add(key)
            unplaced.append(
                Unplaced(
                    measure=key,
                    constraint=Constraint.DEPENDENCY,
                    reason=f"Die Maßnahme baut auf {_quote(blocked)} auf, "
                    "die im Planungszeitraum nicht eingeplant werden konnte(n).",
                )
            )
        else:
            earliest = max((finish[p] for p in graph.predecessors(key)), default=0)
            outcome = _place(measure, earliest, capacity)
            if isinstance(outcome, Unplaced):
                failed.add(key)
                unplaced.append(outcome)
            else:
                start, block = outcome
                finish[key] = start + measure.duration_months
                placed.append(_entry(measure, start, capacity, block))
        for successor in graph.successors(key):
            waiting[successor] -= 1
            if waiting[successor] == 0:
                heapq.heappush(heap, (effective[successor], ranks[successor], successor))
    placed.sort(key=lambda item: (item.start_month, item.measure))
    return Schedule(
        limits=limits,
        placed=tuple(placed),
        unplaced=tuple(unplaced),
        years=_totals(graph, placed, capacity),
    )


def _quote(keys: Sequence[str]) -> str:
    return ", ".join(f"„{k}“" for k in keys)


def _entry(
    measure: Measure, start: int, capacity: _Capacity, block: tuple[Constraint, int] | None
) -> ScheduledMeasure:
    first = capacity.first_day[start]
    reason = ""
    if block is not None:
        constraint, year = block
        what = (
            "das Budget für einmalige Kosten" if constraint is Constraint.BUDGET else "das Personal"
        )
        reason = (
            f"Beginn verschoben auf {first.month:02d}/{first.year}, weil {what} {year} "
            "durch wichtigere Maßnahmen gebunden ist."
        )
    return ScheduledMeasure(
        measure=measure.key,
        start=first,
        end=capacity.first_day[start + measure.duration_months] - dt.timedelta(days=1),
        start_month=start,
        duration_months=measure.duration_months,
        delayed_by=block[0] if block else None,
        delay_year=block[1] if block else None,
        delay_reason=reason,
    )


def _place(
    measure: Measure, earliest: int, capacity: _Capacity
) -> tuple[int, tuple[Constraint, int] | None] | Unplaced:
    """Find the first feasible start month, take the capacity, or explain the failure."""
    duration = measure.duration_months
    need = _milli(measure.staff_fte)
    horizon = capacity.months
    first_block: tuple[Constraint, int] | None = None
    last_block: tuple[Constraint, int] | None = None
    start = earliest
    while start + duration <= horizon:
        month = capacity.staff_block(need, start, duration)
        if month is not None:
            last_block = (Constraint.STAFF, capacity.year(month))
            first_block = first_block or last_block
            start = month + 1
            continue
        spread = capacity.spread(measure, start)
        year = capacity.budget_block(spread)
        if year is not None:
            last_block = (Constraint.BUDGET, year)
            first_block = first_block or last_block
            start = max(
                start + 1, capacity.next_year_start(year) - _affordable(measure, capacity, year)
            )
            continue
        capacity.take(need, start, duration, spread)
        # The last limit met is the one that kept it from starting a month earlier.
        return start, last_block
    return _explain(measure, earliest, capacity, first_block)


def _affordable(measure: Measure, capacity: _Capacity, year: int) -> int:
    """Months of the measure that the money left in ``year`` could carry at most.

    One cent of slack keeps the bound safe against the rounding of the
    spread, so jumping past starts with more months in ``year`` never skips a
    feasible start.
    """
    left = capacity.budget_left[year]
    if left is None:  # pragma: no cover - only called for a limited year
        return measure.duration_months
    cost = measure.cost.one_off
    return int((left + Decimal("0.01")) * measure.duration_months / cost)


def _explain(
    measure: Measure,
    earliest: int,
    capacity: _Capacity,
    block: tuple[Constraint, int] | None,
) -> Unplaced:
    last_year = capacity.year(capacity.months - 1)
    if block is None:
        return Unplaced(
            measure=measure.key,
            constraint=Constraint.HORIZON,
            year=last_year,
            reason=f"Die Maßnahme dauert {measure.duration_months} Monate und wäre erst "
            f"nach dem Planungszeitraum (bis Ende {last_year}) fertig.",
        )
    constraint, year = block
    if constraint is Constraint.STAFF:
        reason = (
            f"Ab {year} reicht das Personal nicht: die Maßnahme braucht "
            f"{measure.staff_fte:g} VZÄ über {measure.duration_months} Monate, "
            f"bis Ende {last_year} ist so viel nicht frei."
        )
    else:
        reason = (
            f"Das Budget für einmalige Kosten reicht ab {year} nicht: bis Ende {last_year} "
            f"findet sich kein Beginn, zu dem {euro(measure.cost.one_off)} Platz haben."
        )
    return Unplaced(measure=measure.key, constraint=constraint, year=year, reason=reason)


def _totals(
    graph: nx.DiGraph[str], placed: Sequence[ScheduledMeasure], capacity: _Capacity
) -> tuple[YearTotals, ...]:
    follow_on = dict.fromkeys(capacity.one_off, Decimal(0))
    for item in placed:
        yearly: Decimal = graph.nodes[item.measure]["measure"].cost.yearly
        if not yearly:
            continue
        finished = item.start_month + item.duration_months
        for year, count in capacity.months_per_year(finished, capacity.months).items():
            follow_on[year] += (yearly * count / 12).quantize(Decimal("0.01"))
    totals = []
    for year, first in capacity.year_start.items():
        used = capacity.staff_used[first : capacity.next_year_start(year)]
        totals.append(
            YearTotals(
                year=year,
                one_off=capacity.one_off[year],
                follow_on=follow_on[year],
                staff_fte=sum(used) / len(used) / _MILLI,
                staff_fte_peak=max(used) / _MILLI,
            )
        )
    return tuple(totals)
