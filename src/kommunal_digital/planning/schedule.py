"""Capacity-constrained multi-year scheduling of measures.

The scheduler is a serial list scheduler: measures are taken one at a time
in priority order and each is put at the earliest month where its
dependencies are finished and the money and staff left over by the measures
placed before it suffice for its whole run. Placed measures never move, so
a measure can only be delayed by measures of higher priority (or by the
measures it depends on, which inherit the priority of their most urgent
dependant). Same input, same output: every tie is broken by key.

Status and dates:

- Finished measures (``abgeschlossen``) are never scheduled; they are
  reported in ``Schedule.done``. Dropped ones (``verworfen``) are listed in
  ``Schedule.dropped``. A dependency on either delays nothing (a dependency
  on a dropped measure is stated in the dependant's notes).
- Running measures (``in_umsetzung``, ``verzoegert``) come first, then
  planned measures with a fixed start (``start_on``), then the rest, each
  group in priority order. A running measure with ``start_on`` keeps that
  real start (the first of its month), also when it lies before the plan
  start: it then has a negative ``start_month``, and only the months from
  the plan start on count against money and staff; the share of its
  one-off cost falling before the plan start counts as spent before the
  plan and is left out of the year totals, and so is the share after the
  horizon when it ends later. A running measure is placed even
  when it overruns a limit or starts before a measure it builds on ends;
  the notes say so. When its estimated end already lies before the plan
  start, it stays in the plan until the end of the plan's first month and
  the notes say the rest of its duration is open. One whose start lies
  after the horizon is unplaced (``Constraint.HORIZON``).
- A planned measure with ``start_on`` starts in that month when its
  dependencies and the limits allow; otherwise it starts as early as
  possible after it, and the notes say why the fixed start was not kept. A
  fixed start before the plan start is stated and ignored.
- ``target_on`` (soft) and ``deadline`` (hard) are checked against the
  planned end: a miss sets ``target_missed`` / ``deadline_missed`` and adds
  a note. A ``legal_deadline`` before the plan start, or before the planned
  end, is stated in the notes (``legal_deadline_missed``). The scheduler
  always places at the earliest feasible month, so the priority order
  decides who gets scarce money first;
  :func:`~kommunal_digital.planning.plan_strategy` without a ranking puts
  measures with earlier deadlines first.

External milestones:

- A measure that ``waits_for`` external milestones (things outside the
  municipality, e.g. the Land's service portal) starts no earlier than the
  first of the month on or after the day the last of them is expected
  (``expected_on``), or was reached (``reached_on``) when it has been; a
  reached milestone never holds a measure back longer than that. Measures
  that build on it wait with it. The notes say what the measure waits for
  and when it is expected, and whether that set the start. When the
  measure could then no longer end within the horizon, it is unplaced
  (``Constraint.HORIZON``) and the reason names the milestone.
- A milestone not yet reached without an expected date holds nothing back
  (nobody knows for how long it would): the measure is placed, and a note
  says that it waits for an undated milestone and that the plan assumes it
  is there when the measure starts. So does a milestone expected before the
  plan start but not recorded as reached.
- A running measure keeps its real start; a note says when it runs before
  a milestone it waits for is expected.

Unknowns:

- A measure without an estimated duration is placed with
  ``limits.assumed_duration_months`` (``assumed_duration`` and a note), or,
  without an assumption, listed as unplaced (``Constraint.UNKNOWN_DURATION``,
  "Dauer noch offen").
- Unknown one-off cost or staff counts as nothing against the limits; the
  year totals count such measures (``uncosted``, ``uncosted_follow_on``,
  ``unstaffed``) instead of adding a zero.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs
import networkx as nx

from kommunal_digital.german import euro, kurzdatum
from kommunal_digital.model import ExternalMilestone, Measure, MeasureStatus
from kommunal_digital.model.schedule import (
    Constraint,
    DoneMeasure,
    Schedule,
    ScheduledMeasure,
    ScheduleLimits,
    Unplaced,
    YearTotals,
)
from kommunal_digital.planning.dependencies import dependency_graph
from kommunal_digital.units.money import split_amount
from kommunal_digital.units.months import month_start, months_between, year_of_month

__all__ = ["effective_priorities", "priority_order", "schedule_measures"]

# Staff is counted in thousandths of an FTE so that capacity checks are exact.
_MILLI = 1000

_RUNNING = (MeasureStatus.IN_UMSETZUNG, MeasureStatus.VERZOEGERT)
_CLOSED = (MeasureStatus.ABGESCHLOSSEN, MeasureStatus.VERWORFEN)
# Pseudo-years for the months of a measure before the plan start and after its horizon.
_BEFORE = -1
_AFTER = -2


def _milli(fte: float | None) -> int:
    return 0 if fte is None else round(fte * _MILLI)


def _month(date: dt.date) -> str:
    return f"{date.month:02d}/{date.year}"


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

    def day(self, month: int) -> dt.date:
        """The first day of a month counted from the plan start (any offset)."""
        if 0 <= month <= self.months:
            return self.first_day[month]
        return month_start(self.limits.start, month)

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

    def within(self, start: int, stop: int) -> dict[int, int]:
        """Like :meth:`months_per_year`, for the part of the months inside the horizon."""
        return self.months_per_year(max(start, 0), min(stop, self.months))

    def spread(self, cost: Decimal | None, start: int, duration: int) -> dict[int, Decimal]:
        """A one-off cost per year of the horizon, for a run from month ``start``.

        The cost is split over all months of the run; the shares of months
        before the plan start or after the horizon are left out.
        """
        if not cost:
            return {}
        stop = start + duration
        counts: dict[int, int] = {}
        if start < 0:
            counts[_BEFORE] = min(stop, 0) - start
        counts.update(self.within(start, stop))
        if stop > self.months:
            counts[_AFTER] = stop - max(start, self.months)
        shares = split_amount(cost, list(counts.values()))
        return {
            year: share
            for year, share in zip(counts, shares, strict=True)
            if year not in (_BEFORE, _AFTER)
        }

    def staff_block(self, need: int, start: int, duration: int) -> int | None:
        """Return the last month in the window where staff runs short, or ``None``."""
        if need == 0:
            return None
        for month in range(min(start + duration, self.months) - 1, max(start, 0) - 1, -1):
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
        for month in range(max(start, 0), min(start + duration, self.months)):
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


def _tier(measure: Measure) -> int:
    """Running measures first, then planned ones with a fixed start, then the rest."""
    if measure.status in _RUNNING:
        return 0
    return 1 if measure.start_on is not None else 2


def priority_order(measures: Iterable[Measure], priority: Sequence[str] | None) -> list[str]:
    """The order in which the scheduler takes up the measures still to do.

    Running measures first, then planned measures with a fixed start, then
    the others; within each group in ``priority`` order, keys not listed in
    the order given. Finished and dropped measures are left out. (Each
    measure is then placed no later than the measures it must precede
    allow: dependencies inherit the priority of their most urgent dependant.)

    Args:
        measures: The measures.
        priority: Measure keys, most important first.
    """
    active = [m for m in measures if m.status not in _CLOSED]
    ranks = _rank_of(active, priority)
    return [m.key for m in sorted(active, key=lambda m: (_tier(m), ranks[m.key]))]


@attrs.frozen
class _Wait:
    """An external milestone a measure waits for, and the first month it allows."""

    key: str
    milestone: ExternalMilestone | None
    month: int | None  # None: undated (or not recorded at all)

    @property
    def name(self) -> str:
        if self.milestone is None:
            return f"„{self.key}“"
        owner = f" ({self.milestone.owner})" if self.milestone.owner else ""
        return f"„{self.milestone.title}“{owner}"


def _waits(measure: Measure, external: dict[str, ExternalMilestone], start: dt.date) -> list[_Wait]:
    waits = []
    for key in measure.waits_for:
        milestone = external.get(key)
        day = milestone.available_from if milestone is not None else None
        month = None
        if day is not None:
            month = months_between(start, day) + (1 if day.day > 1 else 0)
        waits.append(_Wait(key, milestone, month))
    return waits


def _gate(waits: Sequence[_Wait]) -> int | None:
    """The first month the dated milestones allow, ``None`` when none is dated."""
    return max((w.month for w in waits if w.month is not None), default=None)


def _wait_notes(
    waits: Sequence[_Wait], capacity: _Capacity, binding: int | None, start: int
) -> list[str]:
    """Sentences about what a measure waits for; ``binding`` is the month they set."""
    notes = []
    for wait in waits:
        milestone = wait.milestone
        if milestone is None:
            notes.append(f"Sie wartet auf {wait.name}; dazu ist kein externer Meilenstein erfasst.")
            continue
        sets_start = binding is not None and wait.month == binding and start == binding
        because = (
            f"; sie beginnt deshalb nicht vor {_month(capacity.day(binding))}"
            if sets_start and binding is not None
            else ""
        )
        if milestone.reached_on is not None:
            if sets_start:
                notes.append(
                    f"Sie wartet auf {wait.name}, erreicht am "
                    f"{kurzdatum(milestone.reached_on)}{because}."
                )
        elif milestone.expected_on is None:
            notes.append(
                f"Sie wartet auf {wait.name}, Termin offen; der Beginn im Plan setzt voraus, "
                "dass dies bis dahin erreicht ist."
            )
        elif milestone.expected_on < capacity.limits.start:
            notes.append(
                f"Sie wartet auf {wait.name}, erwartet am {kurzdatum(milestone.expected_on)} "
                "(vor dem Planungsbeginn); als erreicht ist dies nicht erfasst."
            )
        else:
            notes.append(
                f"Sie wartet auf {wait.name}, erwartet am "
                f"{kurzdatum(milestone.expected_on)}{because}."
            )
    return notes


@attrs.frozen
class _Job:
    """A measure to place, with the duration the plan uses (``None``: unknown)."""

    measure: Measure
    duration: int | None
    assumed: bool
    dropped_dependencies: tuple[str, ...]
    waits: tuple[_Wait, ...] = ()


def schedule_measures(
    measures: Iterable[Measure],
    limits: ScheduleLimits,
    priority: Sequence[str] | None = None,
    *,
    external: Iterable[ExternalMilestone] = (),
) -> Schedule:
    """Place measures in time under yearly budgets and monthly staff capacity.

    See the module documentation for how status, dates, external
    milestones and unknown estimates are treated.

    Args:
        measures: The measures; finished ones go to ``done``, dropped ones
            to ``dropped``, the others are placed or listed as unplaced.
        limits: Start, horizon, budgets, staff capacity and the duration
            assumed for measures without one.
        priority: Measure keys, most important first (e.g. a ranking). Keys
            not listed follow in the order the measures were given.
        external: The external milestones the measures' ``waits_for`` name
            (``strategy.external_milestones``); a key not among them holds
            nothing back and is stated in the notes.

    Returns:
        A schedule with every measure placed, listed as unplaced with the
        constraint and year that prevented it, done or dropped.

    Raises:
        UnknownDependencyError, DependencyCycleError: The dependencies are broken.
    """
    given = list(measures)
    closed = {m.key for m in given if m.status in _CLOSED}
    dropped = [m.key for m in given if m.status is MeasureStatus.VERWORFEN]
    done = [
        DoneMeasure(m.key, m.finished_on) for m in given if m.status is MeasureStatus.ABGESCHLOSSEN
    ]
    milestones = {m.key: m for m in external}
    jobs: dict[str, _Job] = {}
    active: list[Measure] = []
    for measure in given:
        if measure.status in _CLOSED:
            continue
        gone = tuple(d for d in measure.depends_on if d in closed)
        if gone:
            measure = attrs.evolve(
                measure, depends_on=tuple(d for d in measure.depends_on if d not in closed)
            )
        active.append(measure)
        duration = measure.duration_months
        assumed = duration is None and limits.assumed_duration_months is not None
        if assumed:
            duration = limits.assumed_duration_months
        jobs[measure.key] = _Job(
            measure,
            duration,
            assumed,
            tuple(d for d in gone if d in dropped),
            tuple(_waits(measure, milestones, limits.start)),
        )
    graph = dependency_graph(active)
    order = priority_order(active, priority)
    ranks = {key: index for index, key in enumerate(order)}
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
        predecessors = sorted(graph.predecessors(key))
        outcome = _schedule_one(jobs[key], predecessors, finish, failed, capacity)
        if isinstance(outcome, Unplaced):
            failed.add(key)
            unplaced.append(outcome)
        else:
            finish[key] = outcome.start_month + outcome.duration_months
            placed.append(outcome)
        for successor in graph.successors(key):
            waiting[successor] -= 1
            if waiting[successor] == 0:
                heapq.heappush(heap, (effective[successor], ranks[successor], successor))
    placed.sort(key=lambda item: (item.start_month, item.measure))
    return Schedule(
        limits=limits,
        placed=tuple(placed),
        unplaced=tuple(unplaced),
        years=_totals({k: j.measure for k, j in jobs.items()}, placed, capacity),
        done=tuple(done),
        dropped=tuple(dropped),
    )


def _quote(keys: Sequence[str]) -> str:
    return ", ".join(f"„{k}“" for k in keys)


def _schedule_one(
    job: _Job,
    predecessors: Sequence[str],
    finish: dict[str, int],
    failed: set[str],
    capacity: _Capacity,
) -> ScheduledMeasure | Unplaced:
    """Place one measure whose dependencies were dealt with, or say why it cannot be."""
    measure = job.measure
    if job.duration is None:
        return Unplaced(
            measure=measure.key,
            constraint=Constraint.UNKNOWN_DURATION,
            reason="Dauer noch offen: Die Maßnahme wird eingeplant, sobald ihre Dauer "
            "geschätzt ist.",
        )
    blocked = [p for p in predecessors if p in failed]
    fixed = None
    if measure.start_on is not None:
        fixed = months_between(capacity.limits.start, measure.start_on)
    if measure.status in _RUNNING and fixed is not None and measure.start_on is not None:
        if fixed >= capacity.months:
            last_year = capacity.year(capacity.months - 1)
            return Unplaced(
                measure=measure.key,
                constraint=Constraint.HORIZON,
                year=last_year,
                reason=f"Die Maßnahme läuft erst ab {kurzdatum(measure.start_on)}, nach dem "
                f"Planungszeitraum (bis Ende {last_year}).",
            )
        return _keep_running(job, job.duration, fixed, predecessors, finish, blocked, capacity)
    if blocked:
        return Unplaced(
            measure=measure.key,
            constraint=Constraint.DEPENDENCY,
            reason=f"Die Maßnahme baut auf {_quote(blocked)} auf, "
            "die im Planungszeitraum nicht eingeplant werden konnte(n).",
        )
    after = max([0, *(finish[p] for p in predecessors)])
    notes: list[str] = []
    earliest = after
    if fixed is not None and measure.start_on is not None:
        if fixed < 0:
            notes.append(
                f"Der vorgesehene Beginn am {kurzdatum(measure.start_on)} liegt vor dem "
                "Planungsbeginn; die Maßnahme ist so früh wie möglich eingeplant."
            )
            fixed = None
        else:
            earliest = max(after, fixed)
    gate = _gate(job.waits)
    binding = None
    if gate is not None and gate > earliest:
        binding = earliest = gate
        if gate + job.duration > capacity.months:
            return _too_late(job, job.duration, gate, capacity)
    outcome = _place(job, job.duration, earliest, capacity)
    if isinstance(outcome, Unplaced):
        return outcome
    start, block = outcome
    if binding is not None and start > binding:
        # A limit moved it further; the delay reason says which.
        binding = None
    notes.extend(_wait_notes(job.waits, capacity, binding, start))
    kept = fixed is not None and start == fixed
    if fixed is not None and measure.start_on is not None:
        if kept:
            notes.append(f"Beginn wie vorgegeben im Monat {_month(capacity.day(start))}.")
        elif gate is not None and gate > fixed and gate >= after:
            notes.append(
                f"Der vorgegebene Beginn am {kurzdatum(measure.start_on)} ist nicht möglich, "
                "weil die Maßnahme auf einen externen Meilenstein wartet."
            )
        elif after > fixed:
            late = [p for p in predecessors if finish[p] > fixed]
            notes.append(
                f"Der vorgegebene Beginn am {kurzdatum(measure.start_on)} ist nicht möglich: "
                f"{_quote(late)}, worauf die Maßnahme aufbaut, ist erst Ende "
                f"{_month(capacity.day(after - 1))} fertig."
            )
        else:
            notes.append(
                f"Der vorgegebene Beginn am {kurzdatum(measure.start_on)} ist nicht möglich, "
                "weil Budget oder Personal dann durch wichtigere Maßnahmen gebunden sind."
            )
    elif measure.status in _RUNNING:
        notes.append(
            "Die Maßnahme läuft bereits; ihr Beginn ist nicht erfasst, im Plan steht sie "
            f"ab {_month(capacity.day(start))}."
        )
    return _entry(job, start, job.duration, capacity, block, notes, fixed_start=kept)


def _keep_running(
    job: _Job,
    duration: int,
    start: int,
    predecessors: Sequence[str],
    finish: dict[str, int],
    blocked: Sequence[str],
    capacity: _Capacity,
) -> ScheduledMeasure:
    """Place a running measure at its real start, whatever the limits say."""
    measure = job.measure
    assert measure.start_on is not None  # only called with a real start
    notes = [f"Die Maßnahme läuft seit {kurzdatum(measure.start_on)}; dieser Beginn bleibt."]
    for wait in job.waits:
        milestone = wait.milestone
        if milestone is None or milestone.reached_on is not None:
            continue
        if milestone.expected_on is None:
            notes.append(f"Sie wartet auf {wait.name}, Termin offen.")
        elif wait.month is not None and wait.month > start:
            notes.append(
                f"Sie läuft bereits, obwohl {wait.name}, worauf sie wartet, erst am "
                f"{kurzdatum(milestone.expected_on)} erwartet wird."
            )
    if start + duration <= 0:
        estimated = capacity.day(start + duration) - dt.timedelta(days=1)
        duration = 1 - start
        notes.append(
            f"Nach der geschätzten Dauer wäre sie bis {kurzdatum(estimated)} fertig gewesen; "
            "wie lange sie noch dauert, ist offen. Im Plan steht sie bis Ende "
            f"{_month(capacity.day(0))}."
        )
    if blocked:
        notes.append(
            f"Sie baut auf {_quote(blocked)} auf, die im Planungszeitraum nicht eingeplant "
            "werden konnte(n)."
        )
    late = [p for p in predecessors if p not in blocked and finish[p] > max(start, 0)]
    if late:
        notes.append(
            f"Sie läuft bereits, obwohl {_quote(late)}, worauf sie aufbaut, laut Plan noch "
            "nicht fertig ist."
        )
    need = _milli(measure.staff_fte)
    spread = capacity.spread(measure.cost.one_off, start, duration)
    short = capacity.staff_block(need, start, duration)
    if short is not None:
        notes.append(
            f"Sie braucht mehr Personal, als {capacity.year(short)} frei ist; ihr Beginn "
            "steht fest, weil sie bereits läuft."
        )
    over = capacity.budget_block(spread)
    if over is not None:
        notes.append(
            f"Sie überschreitet das Budget für einmalige Kosten {over}; ihr Beginn steht "
            "fest, weil sie bereits läuft."
        )
    capacity.take(need, start, duration, spread)
    return _entry(job, start, duration, capacity, None, notes, fixed_start=True)


def _entry(
    job: _Job,
    start: int,
    duration: int,
    capacity: _Capacity,
    block: tuple[Constraint, int] | None,
    notes: list[str],
    *,
    fixed_start: bool,
) -> ScheduledMeasure:
    measure = job.measure
    first = capacity.day(start)
    end = capacity.day(start + duration) - dt.timedelta(days=1)
    reason = ""
    if block is not None:
        constraint, year = block
        what = (
            "das Budget für einmalige Kosten" if constraint is Constraint.BUDGET else "das Personal"
        )
        reason = (
            f"Beginn verschoben auf {_month(first)}, weil {what} {year} "
            "durch wichtigere Maßnahmen gebunden ist."
        )
    if job.assumed:
        notes.insert(
            0, f"Dauer noch offen; im Plan angenommen sind {duration} Monate (Planungsannahme)."
        )
    if start + duration > capacity.months:
        notes.append("Sie endet erst nach dem Planungszeitraum.")
    notes.extend(
        f"Sie baut auf der verworfenen Maßnahme „{key}“ auf." for key in job.dropped_dependencies
    )
    target_missed = measure.target_on is not None and end > measure.target_on
    if target_missed and measure.target_on is not None:
        notes.append(
            f"Der Zieltermin {kurzdatum(measure.target_on)} wird verfehlt: geplantes Ende "
            f"{kurzdatum(end)}."
        )
    deadline_missed = measure.deadline is not None and end > measure.deadline
    if deadline_missed and measure.deadline is not None:
        notes.append(
            f"Die Frist {kurzdatum(measure.deadline)} (spätestes Ende) wird verfehlt: "
            f"geplantes Ende {kurzdatum(end)}."
        )
    legal_missed = False
    legal = measure.legal_deadline
    if legal is not None:
        law = f" ({measure.legal_driver})" if measure.legal_driver else ""
        if legal < capacity.limits.start:
            legal_missed = True
            notes.append(
                f"Die gesetzliche Frist{law} ist am {kurzdatum(legal)} verstrichen, "
                "vor dem Beginn dieses Plans."
            )
        elif end > legal:
            legal_missed = True
            notes.append(
                f"Die gesetzliche Frist{law} am {kurzdatum(legal)} wird verfehlt: geplantes "
                f"Ende {kurzdatum(end)}."
            )
    return ScheduledMeasure(
        measure=measure.key,
        start=first,
        end=end,
        start_month=start,
        duration_months=duration,
        delayed_by=block[0] if block else None,
        delay_year=block[1] if block else None,
        delay_reason=reason,
        assumed_duration=job.assumed,
        fixed_start=fixed_start,
        target_missed=target_missed,
        deadline_missed=deadline_missed,
        legal_deadline_missed=legal_missed,
        notes=tuple(notes),
    )


def _place(
    job: _Job, duration: int, earliest: int, capacity: _Capacity
) -> tuple[int, tuple[Constraint, int] | None] | Unplaced:
    """Find the first feasible start month, take the capacity, or explain the failure."""
    measure = job.measure
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
        spread = capacity.spread(measure.cost.one_off, start, duration)
        year = capacity.budget_block(spread)
        if year is not None:
            last_block = (Constraint.BUDGET, year)
            first_block = first_block or last_block
            start = max(
                start + 1,
                capacity.next_year_start(year) - _affordable(measure, duration, capacity, year),
            )
            continue
        capacity.take(need, start, duration, spread)
        # The last limit met is the one that kept it from starting a month earlier.
        return start, last_block
    return _explain(job, duration, capacity, first_block)


def _too_late(job: _Job, duration: int, gate: int, capacity: _Capacity) -> Unplaced:
    """The measure would wait for an external milestone past the end of the horizon."""
    last_year = capacity.year(capacity.months - 1)
    late = [w for w in job.waits if w.month == gate]
    names = ", ".join(w.name for w in late)
    days = [w.milestone.available_from for w in late if w.milestone is not None]
    when = ", ".join(kurzdatum(d) for d in days if d is not None)
    state = (
        "erreicht am"
        if all(w.milestone is not None and w.milestone.reached for w in late)
        else "erwartet am"
    )
    assumed = " (angenommen)" if job.assumed else ""
    return Unplaced(
        measure=job.measure.key,
        constraint=Constraint.HORIZON,
        year=last_year,
        reason=f"Die Maßnahme wartet auf {names}, {state} {when}; mit {duration} Monaten "
        f"Dauer{assumed} wäre sie erst nach dem Planungszeitraum (bis Ende {last_year}) fertig.",
    )


def _affordable(measure: Measure, duration: int, capacity: _Capacity, year: int) -> int:
    """Months of the measure that the money left in ``year`` could carry at most.

    One cent of slack keeps the bound safe against the rounding of the
    spread, so jumping past starts with more months in ``year`` never skips a
    feasible start. Money overdrawn by a running measure carries nothing.
    """
    left = capacity.budget_left[year]
    cost = measure.cost.one_off
    if left is None or not cost:  # pragma: no cover - only called for a limited year
        return duration
    return max(0, int((left + Decimal("0.01")) * duration / cost))


def _explain(
    job: _Job,
    duration: int,
    capacity: _Capacity,
    block: tuple[Constraint, int] | None,
) -> Unplaced:
    measure = job.measure
    last_year = capacity.year(capacity.months - 1)
    assumed = " (angenommen)" if job.assumed else ""
    if block is None:
        return Unplaced(
            measure=measure.key,
            constraint=Constraint.HORIZON,
            year=last_year,
            reason=f"Die Maßnahme dauert {duration} Monate{assumed} und wäre erst "
            f"nach dem Planungszeitraum (bis Ende {last_year}) fertig.",
        )
    constraint, year = block
    if constraint is Constraint.STAFF:
        reason = (
            f"Ab {year} reicht das Personal nicht: die Maßnahme braucht "
            f"{measure.staff_fte or 0:g} VZÄ über {duration} Monate{assumed}, "
            f"bis Ende {last_year} ist so viel nicht frei."
        )
    else:
        reason = (
            f"Das Budget für einmalige Kosten reicht ab {year} nicht: bis Ende {last_year} "
            f"findet sich kein Beginn, zu dem {euro(measure.cost.one_off)} Platz haben."
        )
    return Unplaced(measure=measure.key, constraint=constraint, year=year, reason=reason)


def _totals(
    measures: dict[str, Measure], placed: Sequence[ScheduledMeasure], capacity: _Capacity
) -> tuple[YearTotals, ...]:
    years = list(capacity.year_start)
    follow_on = dict.fromkeys(years, Decimal(0))
    uncosted = dict.fromkeys(years, 0)
    uncosted_follow_on = dict.fromkeys(years, 0)
    unstaffed = dict.fromkeys(years, 0)
    for item in placed:
        measure = measures[item.measure]
        finished = item.start_month + item.duration_months
        running = capacity.within(item.start_month, finished)
        for year in running:
            if measure.cost.one_off is None:
                uncosted[year] += 1
            if measure.staff_fte is None:
                unstaffed[year] += 1
        yearly = measure.cost.yearly
        for year, count in capacity.within(finished, capacity.months).items():
            if yearly is None:
                uncosted_follow_on[year] += 1
            elif yearly:
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
                uncosted=uncosted[year],
                uncosted_follow_on=uncosted_follow_on[year],
                unstaffed=unstaffed[year],
            )
        )
    return tuple(totals)
