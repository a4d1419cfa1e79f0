"""Bounds on values: what validates can be planned, built and exported, and what cannot is named.

Every number and date of the model has a documented bound (docs/security.md,
"Bounds on values"), checked when the model object is built; a file that
breaks one is refused at load with the field path. At the edges of the
bounds, plan, calendar and documents still work.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import icalendar
import pytest

import kommunal_digital as kd
from kommunal_digital.calendars import calendar_ics
from kommunal_digital.demo import demo_workspace
from kommunal_digital.errors import InputFileError, ModelValidationError, PlanningError
from kommunal_digital.io import check_regular_file, dump_yaml, load_yaml
from kommunal_digital.io import files as io_files
from kommunal_digital.io.strategy_text import loads_strategy, strategy_to_data
from kommunal_digital.model import MeasureStatus, checks
from kommunal_digital.model.preset import PresetMilestone, PresetPhase, PresetTask, RoadmapPreset
from kommunal_digital.model.schedule import ScheduleLimits
from kommunal_digital.planning import plan_strategy
from kommunal_digital.planning.roadmap import build_roadmap
from kommunal_digital.units.months import add_months

NOW = dt.datetime(2027, 1, 2, 9, 30, tzinfo=dt.UTC)


@functools.cache
def planned_data() -> dict[str, Any]:
    """The planned demo as plain data (ranking, schedule and roadmap included)."""
    return strategy_to_data(kd.demo_strategy())


def demo_data() -> dict[str, Any]:
    return copy.deepcopy(planned_data())


def set_at(data: dict[str, Any], path: str, value: object) -> None:
    """Set ``a.b[0].c`` in nested plain data (creating the last mapping key)."""
    parts = path.replace("[", ".[").split(".")
    target: Any = data
    for part in parts[:-1]:
        target = target[int(part[1:-1])] if part.startswith("[") else target.setdefault(part, {})
    last = parts[-1]
    if last.startswith("["):
        target[int(last[1:-1])] = value
    else:
        target[last] = value


def yaml_error(tmp_path: Path, data: dict[str, Any]) -> str:
    path = tmp_path / "strategy.yaml"
    path.write_text(kd_yaml(data), encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        kd.load_strategy(path)
    assert info.value.__cause__ is None
    return str(info.value)


def kd_yaml(data: dict[str, Any]) -> str:
    return dump_yaml(data)


FAR = dt.date(9999, 12, 31)
LONG_KEY = "k" * 65

# (field path, value, the message after "strategy.yaml: <path>: ")
OUT_OF_BOUNDS: list[tuple[str, object, str]] = [
    ("measures[0].staff_fte", 1e30, "must be at most 10,000, got 1e+30"),
    ("measures[0].staff_fte", 10_000.5, "must be at most 10,000, got 10000.5"),
    ("measures[0].duration_months", 121, "must be between 1 and 120 months, got 121"),
    ("measures[0].cost.one_off", 10**12, "is implausibly large"),
    ("measures[0].cost.yearly", -1, "must not be negative"),
    ("measures[0].progress", 101, "must be between 0 and 100, got 101"),
    ("measures[0].votes", 10**6 + 1, "must be between 0 and 1,000,000"),
    ("measures[0].scores.nutzen", 1e7, "must be between -1,000,000 and 1,000,000"),
    ("measures[0].key", LONG_KEY, "'kkkkkkkkkkkkkkkkkkkk'... is not a valid key: longer than 64"),
    ("measures[0].start_on", FAR, "9999-12-31 lies outside the dates accepted"),
    ("measures[0].deadline", dt.date(1899, 12, 31), "1899-12-31 lies outside the dates accepted"),
    ("measures[0].legal_deadline", FAR, "lies outside the dates accepted"),
    ("measures[0].extensions.x.n", 2**64, "whole numbers in extension data are at most 2**63"),
    ("municipality.population", 10**30, "must be between 0 and 100,000,000 inhabitants"),
    ("municipality.population", 1e30, "must be between 0 and 100,000,000 inhabitants"),
    ("municipality.name", "N" * 301, "is 301 characters long, more than 300"),
    ("municipality.members[0].population", 100_000_001, "must be between 0 and 100,000,000"),
    ("municipality.members[0].cost_share", 1e30, "must be at most 1,000,000,000"),
    ("action_fields[1].goals[0].indicators[0].baseline", 1e30, "must be between -1,000,000,"),
    ("action_fields[1].goals[0].indicators[0].target", -1e16, "must be between -1,000,000,"),
    ("action_fields[1].goals[0].weight", 1e7, "must be at most 1,000,000"),
    ("criteria[0].weight", 1e7, "must be at most 1,000,000"),
    ("criteria[0].scale_max", 1e30, "must be between -1,000,000 and 1,000,000"),
    ("ranking_rule.options.threshold", float("inf"), "expected a finite number, got inf"),
    ("ranking.entries[0].score", 1e30, "must be between -1,000,000,000,000,000 and"),
    ("limits.start", dt.date(9999, 1, 1), "9999-01-01 lies outside the dates accepted"),
    ("limits.start", dt.date(2160, 1, 1), "(1900-01-01 to 2159-12-31)"),
    ("limits.staff_fte", 1e30, "must be at most 10,000"),
    ("limits.one_off_budget", 10**13, "is implausibly large"),
    ("limits.years[0].year", 9999, "must be between 1900 and 2199, got 9999"),
    ("limits.years[0].staff_fte", 10_001, "must be at most 10,000"),
    ("schedule.placed[0].end", FAR, "9999-12-31 lies outside the dates accepted"),
    ("schedule.placed[0].start", dt.date(1, 1, 1), "0001-01-01 lies outside the dates accepted"),
    ("schedule.placed[0].start_month", 10**9, "must be between -3600 and 3600"),
    ("schedule.placed[0].duration_months", 10**9, "must be between 1 and 3600"),
    ("schedule.years[0].one_off", 10**18, "is implausibly large"),
    ("schedule.years[0].staff_fte", 1e30, "must be at most 1,000,000,000,000"),
    ("schedule.years[0].year", 99999, "must be between 1900 and 2199"),
    ("schedule.limits.start", FAR, "lies outside the dates accepted"),
    ("roadmap.start", FAR, "(1900-01-01 to 2159-12-31)"),
    ("roadmap.phases[0].tasks[0].due", FAR, "lies outside the dates accepted"),
    ("progress_history[0].date", FAR, "lies outside the dates accepted"),
    ("organigram.roles[0].headcount", 10**7, "must be at most 1,000,000"),
    ("workshop.held_on", dt.date(1800, 1, 1), "lies outside the dates accepted"),
    ("adopted_on", dt.date(2200, 1, 1), "2200-01-01 lies outside the dates accepted"),
    ("maturity_check.answered_on", FAR, "lies outside the dates accepted"),
]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    OUT_OF_BOUNDS,
    ids=[f"{p}={v!r}"[:60] for p, v, _ in OUT_OF_BOUNDS],
)
def test_a_value_out_of_bounds_is_refused_at_load_with_its_path(
    tmp_path: Path, path: str, value: object, message: str
) -> None:
    data = demo_data()
    set_at(data, path, value)
    error = yaml_error(tmp_path, data)
    prefix = f"strategy.yaml: {path}: "
    assert any(line.startswith(prefix) and message in line for line in error.splitlines()), error


def test_every_bound_holds_for_objects_built_in_python() -> None:
    # The same validators run without a file: the Python API cannot bypass them.
    municipality = kd.Municipality("Gemeinde", kind=kd.MunicipalityKind.GEMEINDE, land="Hessen")
    with pytest.raises(ModelValidationError, match=r"^population: must be between 0 and"):
        attrs.evolve(municipality, population=10**9)
    with pytest.raises(ModelValidationError, match=r"^population: expected a whole number"):
        attrs.evolve(municipality, population=1e30)  # type: ignore[arg-type]  # a float on purpose
    measure = kd.Measure("m", "Maßnahme", "feld")
    with pytest.raises(ModelValidationError, match=r"^staff_fte: is far too large"):
        attrs.evolve(measure, staff_fte=10**400)
    with pytest.raises(ModelValidationError, match=r"^deadline: expected a date without a time"):
        attrs.evolve(measure, deadline=dt.datetime(2027, 1, 1, 12, 0))
    with pytest.raises(ModelValidationError, match=r"^start: 2160-01-01 lies outside"):
        ScheduleLimits(start=dt.date(2160, 1, 1))
    assert ScheduleLimits(start=checks.MAX_PLAN_START).start == dt.date(2159, 12, 31)


def test_bounds_are_consistent() -> None:
    # The latest plan start plus the longest horizon and measure, or the longest
    # preset offset, ends exactly at the last date accepted.
    months = checks.MAX_HORIZON_YEARS * 12 + checks.MAX_DURATION_MONTHS
    assert months == checks.MAX_PLAN_OFFSET_MONTHS
    assert add_months(checks.MAX_PLAN_START, months) == checks.MAX_DATE
    assert checks.MAX_MONTHS == (2199 - 1900 + 1) * 12


# --- plans at the edges: what validates can be planned, exported and built -----------


def edge_strategy() -> kd.Strategy:
    """The demo planned at the latest start, with the longest horizon and measures."""
    demo = kd.demo_strategy(planned=False)
    assert demo.limits is not None
    measures = list(demo.measures)
    # A running measure starting in the last month of the horizon, ten years long.
    measures[0] = attrs.evolve(
        measures[0],
        status=MeasureStatus.IN_UMSETZUNG,
        start_on=dt.date(2189, 11, 1),
        duration_months=checks.MAX_DURATION_MONTHS,
        staff_fte=float(checks.MAX_FTE),
        cost=kd.Cost(one_off=Decimal("999999999999.99"), yearly=Decimal("999999999999.99")),
    )
    measures[1] = attrs.evolve(measures[1], duration_months=checks.MAX_DURATION_MONTHS)
    limits = attrs.evolve(
        demo.limits,
        start=checks.MAX_PLAN_START,
        horizon_years=checks.MAX_HORIZON_YEARS,
        years=(),
        staff_fte=float(checks.MAX_FTE),
        one_off_budget=None,
    )
    municipality = attrs.evolve(demo.municipality, population=checks.MAX_POPULATION)
    return attrs.evolve(
        demo, measures=tuple(measures), limits=limits, municipality=municipality, roadmap=None
    )


def test_a_plan_at_the_latest_start_stays_within_the_dates() -> None:
    workspace = demo_workspace()
    planned = plan_strategy(edge_strategy(), workspace.roadmap_presets)
    assert planned.schedule is not None
    assert planned.roadmap is not None
    ends = [item.end for item in planned.schedule.placed]
    assert max(ends) <= checks.MAX_DATE
    running = planned.schedule.entry(planned.measures[0].key)
    assert running is not None
    assert running.end == dt.date(2199, 10, 31)
    # It survives a round trip through a file and the calendar.
    again = loads_strategy(kd.dumps_strategy(planned), source="edge.yaml")
    assert again == planned
    data = calendar_ics(again, include=["roadmap", "profiles", "schedule"], now=NOW)
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert max(event.decoded("DTEND") for event in events) <= dt.date(2200, 1, 1)


def test_documents_build_at_the_bounds(tmp_path: Path) -> None:
    workspace = demo_workspace()
    planned = plan_strategy(edge_strategy(), workspace.roadmap_presets)
    result = kd.build_documents(
        planned, tmp_path / "out", workspace, formats=["markdown"], pictures=False
    )
    assert result.failures == ()
    assert result.documents


def test_a_roadmap_at_the_latest_start_takes_the_longest_preset() -> None:
    preset = RoadmapPreset(
        "lang",
        "Lang",
        phases=(
            PresetPhase("a", "A", months=360, tasks=(PresetTask("erst", due_month=360),)),
            PresetPhase("b", "B", months=120, milestones=(PresetMilestone("fertig", 120),)),
        ),
    )
    demo = kd.demo_strategy(planned=False)
    roadmap = build_roadmap(demo, checks.MAX_PLAN_START, preset=preset)
    dues = [t.due for p in roadmap.phases for t in p.tasks]
    dues += [m.planned for p in roadmap.phases for m in p.milestones]
    assert max(d for d in dues if d is not None) == checks.MAX_DATE
    with pytest.raises(PlanningError, match=r"roadmap\.start: 2160-01-01 lies outside"):
        build_roadmap(demo, dt.date(2160, 1, 1), preset=preset)


@pytest.mark.parametrize(
    ("phases", "message"),
    [
        (
            (PresetPhase("a", "A", months=360), PresetPhase("b", "B", months=121)),
            r"^phases\[1\]\.months: the phases up to this one take 481 months",
        ),
        (
            (
                PresetPhase("a", "A", months=360),
                PresetPhase("b", "B", months=0, tasks=(PresetTask("x", due_month=121),)),
            ),
            r"^phases\[1\]\.tasks\[0\]\.due_month: lies 481 months after the roadmap's start",
        ),
    ],
)
def test_a_preset_reaching_too_far_is_refused(
    phases: tuple[PresetPhase, ...], message: str
) -> None:
    with pytest.raises(ModelValidationError, match=message):
        RoadmapPreset("lang", "Lang", phases=phases)


# --- files: YAML keys, impossible dates, JSON numbers, non-regular files ---------------


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("? [a, b]\n: 1\n", "line 1, column 3", "not a list"),
        ("{[1]: 2}\n", "line 1, column 2", "not a list"),
        ("a:\n  ? {b: 1}\n  : 2\n", "line 2, column 5", "not a mapping"),
    ],
)
def test_a_yaml_key_must_be_a_single_value(text: str, where: str, what: str) -> None:
    with pytest.raises(kd.io.YamlError, match=f"^{where}: a key must be a single value.*{what}"):
        load_yaml(text)
    nested = "schema_version: 1\nmunicipality:\n  " + text.replace("\n", "\n  ")
    with pytest.raises(InputFileError, match=r"^strategy\.yaml: line \d+, column \d+: a key must"):
        loads_strategy(nested, source="strategy.yaml")


def test_an_impossible_date_is_named_with_path_and_line(tmp_path: Path) -> None:
    text = kd_yaml(demo_data()).replace("start: 2027-07-01", "start: 2027-02-30", 1)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "2027-02-30" in row)
    path = tmp_path / "strategy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        kd.load_strategy(path)
    assert str(info.value) == (
        "strategy.yaml: limits.start: 2027-02-30 is not a date: day is out of range for "
        f"month (line {line}, column 10)"
    )


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_an_impossible_quoted_date_is_named_with_its_path(fmt: str) -> None:
    data = demo_data()
    data["adopted_on"] = "2027-02-30"
    text = json.dumps(data, default=str) if fmt == "json" else kd_yaml(data)
    with pytest.raises(InputFileError) as info:
        loads_strategy(text, format=fmt, source=f"strategy.{fmt}")  # type: ignore[arg-type]  # a Format
    assert str(info.value) == (
        f"strategy.{fmt}: adopted_on: '2027-02-30' is not a date: day is out of range for month"
    )


def test_an_impossible_date_where_text_belongs_asks_for_quotes() -> None:
    data = demo_data()
    data["title"] = "<date>"
    text = kd_yaml(data).replace("<date>", "2027-02-30")
    with pytest.raises(InputFileError, match=r"title: expected text, got 2027-02-30 \(put it"):
        loads_strategy(text, source="strategy.yaml")


@pytest.mark.parametrize(
    ("literal", "message"),
    [
        ("1e400", "measures[0].staff_fte: expected a finite number, got inf"),
        ("-1e400", "measures[0].staff_fte: expected a finite number, got -inf"),
        ("NaN", "measures[0].staff_fte: expected a finite number, got nan"),
        ("Infinity", "measures[0].staff_fte: expected a finite number, got inf"),
        ("1e30", "measures[0].staff_fte: must be at most 10,000, got 1e+30"),
    ],
)
def test_json_numbers_must_be_finite_and_bounded(literal: str, message: str) -> None:
    data = demo_data()
    data["measures"][0]["staff_fte"] = "<number>"
    text = json.dumps(data, default=str).replace('"<number>"', literal)
    with pytest.raises(InputFileError) as info:
        loads_strategy(text, format="json", source="strategy.json")
    assert f"strategy.json: {message}" in str(info.value).splitlines()


def test_a_json_number_with_too_many_digits_is_refused_by_its_field() -> None:
    text = '{\n  "schema_version": 1,\n  "municipality": {"population": ' + "9" * 5000 + "}}"
    with pytest.raises(InputFileError) as info:
        loads_strategy(text, format="json", source="strategy.json")
    assert "strategy.json: municipality.population: " in str(info.value)


def test_json_options_of_a_ranking_rule_are_plain_finite_data() -> None:
    data = demo_data()
    data["ranking_rule"]["options"]["weights"] = {"nutzen": "<number>"}
    text = json.dumps(data, default=str).replace('"<number>"', "1e400")
    with pytest.raises(InputFileError, match=r"ranking_rule\.options\.weights\.nutzen: expected"):
        loads_strategy(text, format="json", source="strategy.json")


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


@needs_fifo
@pytest.mark.parametrize("name", ["strategy.yaml", "strategy.json", "strategy.xlsx"])
def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    os.mkfifo(path)
    with pytest.raises(InputFileError) as info:
        kd.load_strategy(path)
    assert str(info.value) == (
        f"{name}: is a named pipe (FIFO), not a file; give the path of a strategy file"
    )


@needs_fifo
def test_validate_refuses_a_named_pipe_at_once(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    os.mkfifo(path)
    result = subprocess.run(
        [sys.executable, "-m", "kommunal_digital", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert "strategy.yaml: is a named pipe (FIFO), not a file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "strategy.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputFileError, match=r"^strategy\.yaml: is a device, not a file"):
        kd.load_strategy(link)
    with pytest.raises(InputFileError, match=r"^strategy\.yaml: is a device"):
        check_regular_file(link)


def test_a_regular_file_passes_and_a_missing_one_is_named(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text("schema_version: 1\n", encoding="utf-8")
    assert check_regular_file(path).st_size == len("schema_version: 1\n")
    with pytest.raises(InputFileError, match=r"file not found"):
        check_regular_file(tmp_path / "fehlt.yaml")


def test_a_strategy_file_above_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(io_files, "MAX_STRATEGY_FILE_BYTES", 100)
    path = tmp_path / "strategy.yaml"
    path.write_text("schema_version: 1\n" + "# Kommentar\n" * 20, encoding="utf-8")
    with pytest.raises(InputFileError, match=r"^strategy\.yaml: the file has 258 bytes, more than"):
        kd.load_strategy(path)


def test_line_ends_are_read_as_before(tmp_path: Path) -> None:
    demo = kd.demo_strategy(planned=False)
    text = kd.dumps_strategy(demo)
    path = tmp_path / "strategy.yaml"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert kd.load_strategy(path) == demo
