import datetime as dt
import itertools

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommunal_digital.errors import DependencyCycleError, UnknownDependencyError
from kommunal_digital.model import Measure, find_cycle
from kommunal_digital.model.dependencies import find_cycle_in
from kommunal_digital.planning.critical_path import critical_path
from kommunal_digital.planning.dependencies import dependency_graph, dependency_waves


def m(key: str, months: int = 1, after: tuple[str, ...] = ()) -> Measure:
    return Measure(
        key=key, title=key.upper(), action_field="f", duration_months=months, depends_on=after
    )


def test_unknown_dependency_names_measure_and_key() -> None:
    with pytest.raises(UnknownDependencyError, match="measure 'b' depends on unknown measure 'x'"):
        dependency_graph([m("a"), m("b", after=("x",))])


def test_cycle_is_listed_in_order_whatever_the_input_order() -> None:
    measures = [m("a", after=("b",)), m("b", after=("c",)), m("c", after=("a",)), m("d")]
    for order in (measures, list(reversed(measures))):
        with pytest.raises(DependencyCycleError) as info:
            dependency_graph(order)
        assert str(info.value) == "dependency cycle: a -> b -> c -> a"
        assert info.value.cycle == ("a", "b", "c", "a")


def test_waves_group_parallel_measures() -> None:
    graph = dependency_graph(
        [m("a"), m("b"), m("c", after=("a",)), m("d", after=("a", "b")), m("e", after=("d",))]
    )
    assert dependency_waves(graph) == (("a", "b"), ("c", "d"), ("e",))


def test_textbook_critical_path() -> None:
    # Classic activity-on-node network: A(3); B(4) and C(2) after A; D(5) after B and C;
    # E(2) after C. Critical path A-B-D, 12 months; C has 2 months slack, E 5.
    result = critical_path(
        [
            m("a", 3),
            m("b", 4, ("a",)),
            m("c", 2, ("a",)),
            m("d", 5, ("b", "c")),
            m("e", 2, ("c",)),
        ],
        dt.date(2027, 1, 1),
    )
    figures = {
        k: (t.earliest_start, t.earliest_finish, t.latest_start, t.latest_finish, t.slack)
        for k, t in result.timings.items()
    }
    assert figures == {
        "a": (0, 3, 0, 3, 0),
        "b": (3, 7, 3, 7, 0),
        "c": (3, 5, 5, 7, 2),
        "d": (7, 12, 7, 12, 0),
        "e": (5, 7, 10, 12, 5),
    }
    assert result.path == ("a", "b", "d")
    assert result.duration_months == 12
    assert result.end_date == dt.date(2027, 12, 31)
    assert result.start_date("d") == dt.date(2027, 8, 1)
    assert result.finish_date("c") == dt.date(2027, 5, 31)


@st.composite
def dags(draw: st.DrawFn) -> list[Measure]:
    count = draw(st.integers(1, 25))
    measures = []
    for index in range(count):
        parents = draw(st.sets(st.integers(0, index - 1), max_size=3)) if index else set()
        measures.append(
            m(f"m{index}", draw(st.integers(1, 24)), tuple(f"m{p}" for p in sorted(parents)))
        )
    return draw(st.permutations(measures))


@given(dags())
def test_cpm_invariants(measures: list[Measure]) -> None:
    result = critical_path(measures, dt.date(2027, 1, 1))
    by_key = {x.key: x for x in measures}
    for key, timing in result.timings.items():
        assert timing.slack >= 0
        for dep in by_key[key].depends_on:
            assert result.timings[dep].earliest_finish <= timing.earliest_start
            assert result.timings[dep].latest_finish <= timing.latest_start
        assert timing.latest_finish <= result.duration_months
    assert result.duration_months == max(t.earliest_finish for t in result.timings.values())
    assert sum(by_key[k].duration_months or 0 for k in result.path) == result.duration_months
    assert all(result.timings[k].critical for k in result.path)


@given(dags())
def test_waves_respect_dependencies(measures: list[Measure]) -> None:
    waves = dependency_waves(dependency_graph(measures))
    wave_of = {key: i for i, wave in enumerate(waves) for key in wave}
    assert sorted(wave_of) == sorted(x.key for x in measures)
    for measure in measures:
        for dep in measure.depends_on:
            assert wave_of[dep] < wave_of[measure.key]


def networkx_cycle(measures: list[Measure]) -> tuple[str, ...]:
    """The cycle as the planning package found it with networkx before the model did."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(x.key for x in measures)
    for measure in measures:
        for ref in measure.depends_on:
            graph.add_edge(ref, measure.key)
    if nx.is_directed_acyclic_graph(graph):
        return ()
    edges = nx.find_cycle(graph.reverse(copy=False), source=sorted(graph.nodes))
    keys = [str(source) for source, _target, *_ in edges]
    first = keys.index(min(keys))
    ordered = keys[first:] + keys[:first]
    return (*ordered, ordered[0])


@st.composite
def dependency_tangles(draw: st.DrawFn) -> list[Measure]:
    """A few measures depending on any others, often in one or more circles."""
    keys = draw(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=8, unique=True))
    measures = []
    for key in keys:
        others = [k for k in keys if k != key]
        after = draw(st.lists(st.sampled_from(others), max_size=3, unique=True)) if others else []
        measures.append(m(key, after=tuple(after)))
    return draw(st.permutations(measures))


@given(dependency_tangles())
def test_the_models_cycle_is_the_one_networkx_finds(measures: list[Measure]) -> None:
    expected = networkx_cycle(measures)
    assert find_cycle(measures) == expected
    if expected:
        with pytest.raises(DependencyCycleError) as info:
            dependency_graph(measures)
        assert info.value.cycle == expected
        assert expected[0] == min(expected)
        by_key = {x.key: x for x in measures}
        for key, ref in itertools.pairwise(expected):
            assert ref in by_key[key].depends_on
    else:
        assert set(dependency_graph(measures)) == {x.key for x in measures}


@given(dags())
def test_acyclic_dependencies_have_no_cycle(measures: list[Measure]) -> None:
    assert find_cycle(measures) == ()


def test_dependencies_on_unknown_keys_are_ignored_by_the_search() -> None:
    assert find_cycle_in({"a": ["x", "b"], "b": ["a"]}) == ("a", "b", "a")
    assert find_cycle_in({"a": ["x"]}) == ()
    assert find_cycle_in({"a": ["a"]}) == ("a", "a")
