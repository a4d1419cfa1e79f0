"""Finding a circle in the dependencies of measures, without networkx.

The model refuses a strategy whose measures depend on each other in a
circle, and the model must stay light to import, so the search is written
out here. It is the single implementation: the planning package's
dependency graph asks it too, so both report the same cycle.

A cycle is given as people say it: ``a -> b`` meaning "a depends on b".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from kommunal_digital.model.measure import Measure

__all__ = ["find_cycle", "find_cycle_in"]


def find_cycle(measures: Iterable[Measure]) -> tuple[str, ...]:
    """Return one dependency cycle of the measures as keys, or ``()``.

    Each key in the answer depends on the next one; the cycle starts at its
    smallest key and repeats it at the end, e.g. ``("a", "b", "c", "a")``.
    Keys in ``depends_on`` that no measure has are ignored (the strategy
    reports them on its own).

    Args:
        measures: The measures; a later measure with the same key as an
            earlier one replaces it.

    Returns:
        The cycle, or ``()`` when the dependencies have none.
    """
    return find_cycle_in({measure.key: measure.depends_on for measure in measures})


def find_cycle_in(depends_on: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
    """Return one cycle of a dependency mapping as keys, or ``()``.

    The search is a depth-first search that starts at the keys in sorted
    order and follows each key's dependencies in the order given; the first
    circle it meets is the answer. This is the cycle
    ``networkx.find_cycle(graph.reverse(), source=sorted(graph))`` finds on
    the precedence graph, so the answer does not depend on the order of the
    mapping. Time and memory are linear in the number of keys and
    dependencies.

    Args:
        depends_on: For each key, the keys it depends on, in order.
            Dependencies on keys that are not in the mapping are ignored.

    Returns:
        The cycle (each key depends on the next, starting at the smallest
        key, which is repeated at the end), or ``()``.
    """
    finished: set[str] = set()
    for start in sorted(depends_on):
        if start in finished:
            continue
        path = _circle_from(start, depends_on, finished)
        if path:
            first = path.index(min(path))
            ordered = path[first:] + path[:first]
            return (*ordered, ordered[0])
    return ()


def _circle_from(
    start: str, depends_on: Mapping[str, Iterable[str]], finished: set[str]
) -> list[str]:
    """Search depth-first from ``start``; return the keys of the first circle met, or ``[]``.

    Keys whose dependencies have been searched completely go into ``finished``.
    Iterative, so that long chains of dependencies cannot exhaust the stack.
    """
    path = [start]
    on_path = {start: 0}
    pending: list[Iterator[str]] = [iter(depends_on[start])]
    while pending:
        for ref in pending[-1]:
            if ref in on_path:
                return path[on_path[ref] :]
            if ref in finished or ref not in depends_on:
                continue
            on_path[ref] = len(path)
            path.append(ref)
            pending.append(iter(depends_on[ref]))
            break
        else:
            pending.pop()
            done = path.pop()
            del on_path[done]
            finished.add(done)
    return []
