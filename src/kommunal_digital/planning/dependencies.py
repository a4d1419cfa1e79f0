"""The dependency graph of measures.

An edge ``b -> a`` means "b must be finished before a starts", so a
topological order of the graph is an order in which the measures can run.
Cycles are reported the other way round, as people say it: ``a -> b``
meaning "a depends on b".
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from kommunal_digital.errors import DependencyCycleError, PlanningError, UnknownDependencyError
from kommunal_digital.model import Measure
from kommunal_digital.model.dependencies import find_cycle_in

__all__ = ["dependency_graph", "dependency_waves", "find_cycle"]


def dependency_graph(measures: Iterable[Measure]) -> nx.DiGraph[str]:
    """Build the precedence graph of measures.

    Each node is a measure key with the measure under the attribute
    ``measure``; an edge ``b -> a`` means ``a`` depends on ``b``.

    Args:
        measures: The measures; keys are unique.

    Raises:
        PlanningError: Two measures share a key.
        UnknownDependencyError: A measure depends on a key no measure has;
            the message names both.
        DependencyCycleError: The dependencies form a cycle; the message
            lists it in order.
    """
    graph: nx.DiGraph[str] = nx.DiGraph()
    items = list(measures)
    for measure in items:
        if measure.key in graph:
            raise PlanningError(f"two measures have the key {measure.key!r}")
        graph.add_node(measure.key, measure=measure)
    for measure in items:
        for ref in measure.depends_on:
            if ref not in graph:
                raise UnknownDependencyError(
                    f"measure {measure.key!r} depends on unknown measure {ref!r}"
                )
            graph.add_edge(ref, measure.key)
    cycle = find_cycle(graph)
    if cycle:
        raise DependencyCycleError(cycle)
    return graph


def find_cycle(graph: nx.DiGraph[str]) -> tuple[str, ...]:
    """Return one dependency cycle as keys (``a -> b`` meaning a depends on b), or ``()``.

    The cycle starts at its smallest key, so the answer does not depend on
    the order the measures were given in. The search is the model's
    (:func:`kommunal_digital.model.dependencies.find_cycle_in`), so a strategy
    and its graph name the same cycle.
    """
    return find_cycle_in({str(key): list(graph.predecessors(key)) for key in graph})


def dependency_waves(graph: nx.DiGraph[str]) -> tuple[tuple[str, ...], ...]:
    """Group measures into waves that can run in parallel.

    Wave 0 holds the measures without dependencies, wave ``n`` those whose
    dependencies all lie in earlier waves (topological generations). Keys
    within a wave are sorted.

    Args:
        graph: The precedence graph from :func:`dependency_graph`.
    """
    return tuple(tuple(sorted(wave)) for wave in nx.topological_generations(graph))
