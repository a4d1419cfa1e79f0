"""Hostile values in the demo strategy: refused at load with the field's path, or harmless.

A strategy that loads must survive everything after it: planning, the
documents and the calendar. So every value is either refused when the file
is read, with a message naming the field (``measures[0].staff_fte: ...``),
or it goes through ``plan``, ``build`` and ``calendar`` without an error.
The test takes the demo strategy as plain data (as a YAML or JSON file
holds it), replaces one to three leaves with hostile values (huge,
negative or not-a-number numbers, far and impossible dates, long and odd
texts, the wrong type, null) and checks exactly that. What ``validate``
checks in the workspace (maturity answers against the pack's
questionnaire) counts as refused when it names the field.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from hypothesis import given, settings
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.io import dump_yaml, load_yaml
from tests.hostile.recipes import path_steps, set_path

#: The demo as a file holds it: as shipped, and ranked and planned (with a schedule and roadmap).
BASES = {
    "demo": load_yaml(kd.dumps_strategy(kd.demo_strategy(planned=False))),
    "planned": load_yaml(kd.dumps_strategy(kd.demo_strategy(planned=True))),
}
#: Leaves naming things of the workspace (a ranking rule, a pack): checked when a workspace
#: is opened or a rule applied, not when the file is read (see docs/errors.md).
WORKSPACE_NAMES = ("ranking_rule", "pack.")
ALL_PARTS = ("roadmap", "profiles", "schedule")

HOSTILE_VALUES: list[object] = [
    1e30,
    -1e30,
    -1,
    0,
    10**30,
    2**63,
    float("nan"),
    float("inf"),
    float("-inf"),
    1e-300,
    dt.date(9999, 12, 31),
    dt.date(1, 1, 1),
    dt.date(2199, 12, 31),
    "2027-02-30",
    "9999-99-99",
    "",
    " ",
    "x" * 300,
    "Linden\u202eua",
    "Linden\u200bau",
    "a\r\nBEGIN:VCALENDAR",
    "<script>alert(1)</script>",
    "{{ 7 * 7 }}",
    "../../etc/passwd",
    "CON",
    None,
    True,
    [],
    {},
    [1, 2],
    {"a": 1},
]

hostile = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.integers(),
    st.floats(),
    st.text(max_size=40),
    st.dates(),
    st.lists(st.integers(), max_size=2),
)


def _leaves(node: Any, path: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, f"{path}[{index}]")
    elif not path.startswith(WORKSPACE_NAMES):
        yield path


LEAVES = {name: sorted(_leaves(data)) for name, data in BASES.items()}


def _get(data: Any, path: str) -> Any:
    for step in path_steps(path):
        data = data[step]
    return data


def _ancestors(path: str) -> Iterator[str]:
    """``measures[0].cost.one_off``, ``measures[0].cost``, ``measures[0]``, ``measures``."""
    while path:
        yield path
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""


def _names_a_mutated_field(message: str, mutations: list[tuple[str, Any]], base: Any) -> bool:
    for path, _ in mutations:
        if any(f"{place}:" in message or f"{place} " in message for place in _ancestors(path)):
            return True
        # A leaf written short for a record (a funding source as its name)
        # is checked as that record: the message names a field inside it.
        if f"{path}." in message:
            return True
        # A changed key breaks what referred to it; the message names the key it misses.
        if path.endswith(".key") and repr(_get(base, path)) in message:
            return True
    return False


def _text(data: Any, fmt: Literal["yaml", "json"]) -> str:
    if fmt == "json":
        return json.dumps(data, default=lambda d: d.isoformat(), allow_nan=True)
    return dump_yaml(data)


TEXTS = [v for v in HOSTILE_VALUES if isinstance(v, str)]


def _same_kind(original: object) -> st.SearchStrategy[Any]:
    """Values of the leaf's own type, many of them plausible enough to pass the checks."""
    if isinstance(original, bool):
        return st.booleans()
    if isinstance(original, int):
        return st.integers(-(10**6), 10**6) | st.sampled_from([0, -1, 10**9, 10**30])
    if isinstance(original, float):
        return st.floats(-1e6, 1e6) | st.floats()
    if isinstance(original, dt.date):
        return st.dates() | st.sampled_from([dt.date(9999, 12, 31), dt.date(1900, 1, 1)])
    return st.text(max_size=60) | st.sampled_from(TEXTS) | st.text(min_size=300, max_size=400)


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, list[tuple[str, Any]]]:
    """A base and one to three of its leaves with new values: hostile ones or of the leaf's type."""
    base = draw(st.sampled_from(sorted(BASES)))
    count = draw(st.sampled_from([1, 1, 2, 3]))
    paths = draw(
        st.lists(st.sampled_from(LEAVES[base]), min_size=count, max_size=count, unique=True)
    )
    # Two in three values are of the leaf's type, so that many strategies load and go on.
    values = [
        draw(st.one_of(*[_same_kind(_get(BASES[base], path))] * 2, hostile)) for path in paths
    ]
    return base, list(zip(paths, values, strict=True))


@functools.cache
def _workspace() -> kd.Workspace:
    # Not the session fixture: Hypothesis would print its repr with every failing example.
    return kd.open_workspace()


@settings(max_examples=40, deadline=None)
@given(change=mutations(), fmt=st.sampled_from(["yaml", "json"]))
def test_a_hostile_leaf_is_refused_by_name_or_harmless(
    change: tuple[str, list[tuple[str, Any]]], fmt: Literal["yaml", "json"]
) -> None:
    workspace = _workspace()
    base, changes = change
    data = copy.deepcopy(BASES[base])
    for path, value in changes:
        set_path(data, path, value)
    refused = ""
    try:
        strategy = kd.loads_strategy(_text(data, fmt), format=fmt, source=f"strategy.{fmt}")
    except kd.InputFileError as error:
        refused = str(error)
    if refused:
        assert _names_a_mutated_field(refused, changes, BASES[base]), (changes, refused)
        return
    # Maturity answers must fit the pack's questionnaire: validate checks them in the
    # workspace and refuses the file, naming the answer, as it refuses a broken file.
    broken = [d for d in kd.check(strategy, workspace) if d.code == "maturity.answers"]
    if broken:
        lines = "\n".join(f"{d.location}: {d.message}" for d in broken)
        assert _names_a_mutated_field(lines, changes, BASES[base]), (changes, lines)
        return
    if base == "demo":  # the planned demo keeps its schedule: plan would recompute it
        strategy = kd.plan(strategy, workspace)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        kd.build_documents(
            strategy, out / "json", workspace, formats=("json",), pictures=False, strict=True
        )
        kd.build_documents(
            strategy,
            out / "md",
            workspace,
            document_types=("digitalstrategie", "steckbrief"),
            formats=("markdown",),
            pictures=False,
            strict=True,
        )
        kd.build_documents(
            strategy,
            out / "docx",
            workspace,
            document_types=("beschlussvorlage",),
            pictures=False,
            strict=True,
        )
        kd.calendars.export_calendar(strategy, out / "kalender.ics", include=ALL_PARTS)
