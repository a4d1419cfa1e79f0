"""Critical path method (CPM) over the measure dependency graph, in months."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs
import networkx as nx

from kommunal_digital.errors import PlanningError
from kommunal_digital.model import Measure
from kommunal_digital.planning.dependencies import dependency_graph
from kommunal_digital.units.months import add_months

__all__ = ["CriticalPath", "Timing", "critical_path"]


@attrs.frozen
class Timing:
    """CPM figures of one measure, in months counted from the plan start.

    A measure with ``earliest_start`` 2 and duration 3 runs in months 2, 3
    and 4 and finishes at month 5 (the start of the sixth month).

    Attributes:
        key: The measure's key.
        duration: Duration in months.
        earliest_start: Earliest possible start.
        earliest_finish: ``earliest_start + duration``.
        latest_start: Latest start that does not move the project end.
        latest_finish: ``latest_start + duration``.
        assumed: The measure's duration is not estimated; ``duration`` is
            the assumption passed to :func:`critical_path`.

    ``slack`` is ``latest_start - earliest_start``; zero on the critical path.
    """

    key: str
    duration: int
    earliest_start: int
    earliest_finish: int
    latest_start: int
    latest_finish: int
    assumed: bool = False

    @property
    def slack(self) -> int:
        """Months the measure can slip without delaying the end."""
        return self.latest_start - self.earliest_start

    @property
    def critical(self) -> bool:
        """Whether the measure has no slack."""
        return self.slack == 0


@attrs.frozen
class CriticalPath:
    """The result of :func:`critical_path`.

    Attributes:
        start: The plan's start date.
        timings: CPM figures by measure key, in topological order.
        path: One critical chain from a first to a last measure.
        duration_months: Months from start to the end of the last measure.
    """

    start: dt.date
    timings: Mapping[str, Timing]
    path: tuple[str, ...]
    duration_months: int

    @property
    def end_date(self) -> dt.date:
        """The last day of the project (the day before the month after the end)."""
        return add_months(self.start, self.duration_months) - dt.timedelta(days=1)

    def start_date(self, key: str) -> dt.date:
        """Earliest start date of a measure.

        Args:
            key: The measure's key.
        """
        return add_months(self.start, self.timings[key].earliest_start)

    def finish_date(self, key: str) -> dt.date:
        """Last day of a measure when it starts as early as possible.

        Args:
            key: The measure's key.
        """
        return add_months(self.start, self.timings[key].earliest_finish) - dt.timedelta(days=1)


def critical_path(
    measures: Iterable[Measure] | nx.DiGraph[str],
    start: dt.date,
    *,
    assumed_duration_months: int | None = None,
) -> CriticalPath:
    """Compute earliest/latest times, slack and a critical path.

    A path through a measure of unknown duration has no honest length: such
    a measure takes ``assumed_duration_months`` (its timing is marked
    ``assumed``), and without an assumption the computation is refused.

    Args:
        measures: The measures, or a graph from
            :func:`~kommunal_digital.planning.dependencies.dependency_graph`.
        start: The date the plan starts.
        assumed_duration_months: The duration assumed for measures without
            an estimate.

    Raises:
        UnknownDependencyError, DependencyCycleError: See ``dependency_graph``.
        PlanningError: A measure's duration is unknown and nothing is
            assumed; the message names the measures.
    """
    graph = measures if isinstance(measures, nx.DiGraph) else dependency_graph(measures)
    order: list[str] = list(nx.lexicographical_topological_sort(graph))
    known = {key: graph.nodes[key]["measure"].duration_months for key in order}
    unknown = [key for key in order if known[key] is None]
    if unknown and assumed_duration_months is None:
        names = ", ".join(repr(key) for key in sorted(unknown))
        raise PlanningError(
            f"the duration of {names} is not estimated; estimate it or pass an "
            "assumed duration to compute the critical path"
        )
    assumed = assumed_duration_months or 0  # only used when given (checked above)
    duration: dict[str, int] = {
        key: assumed if value is None else value for key, value in known.items()
    }
    earliest: dict[str, int] = {}
    for key in order:
        earliest[key] = max((earliest[p] + duration[p] for p in graph.predecessors(key)), default=0)
    end = max((earliest[k] + duration[k] for k in order), default=0)
    latest_finish: dict[str, int] = {}
    for key in reversed(order):
        latest_finish[key] = min(
            (latest_finish[s] - duration[s] for s in graph.successors(key)), default=end
        )
    timings = {
        key: Timing(
            key=key,
            duration=duration[key],
            earliest_start=earliest[key],
            earliest_finish=earliest[key] + duration[key],
            latest_start=latest_finish[key] - duration[key],
            latest_finish=latest_finish[key],
            assumed=key in unknown,
        )
        for key in order
    }
    return CriticalPath(
        start=start, timings=timings, path=_chain(graph, timings, end), duration_months=end
    )


def _chain(graph: nx.DiGraph[str], timings: Mapping[str, Timing], end: int) -> tuple[str, ...]:
    """Follow zero-slack measures from month 0 to the end, smallest key first."""
    firsts = sorted(k for k, t in timings.items() if t.critical and t.earliest_start == 0)
    if not firsts:
        return ()
    chain = [firsts[0]]
    while timings[chain[-1]].earliest_finish < end:
        here = timings[chain[-1]]
        chain.append(
            min(
                s
                for s in graph.successors(chain[-1])
                if timings[s].critical and timings[s].earliest_start == here.earliest_finish
            )
        )
    return tuple(chain)
