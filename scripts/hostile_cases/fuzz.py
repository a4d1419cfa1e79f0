"""The field fuzz: hostile values in the demo's fields, through load, plan, build and calendar.

The documented outcome is the same for every case: the file is refused
when it is loaded, with the field's path in the message, or everything
after it works. Values that can never be right (not a number, the wrong
type, an impossible or far date) must be refused; the others may pass.
"""

from __future__ import annotations

from hostile_cases import ALL_PARTS, Case, case, cli, either, error, exits, strategy

GROUP = "field-fuzz"

#: Raw YAML of each hostile number, and whether it must be refused.
NUMBER_VALUES = {
    "1e30": ("1.0e+30", False),
    "negative": ("-1", False),
    "nan": (".nan", True),
    "inf": (".inf", True),
    "text": ("viel", True),
    "list": ("[1, 2]", True),
}
#: Raw YAML of each hostile date, and whether it must be refused.
DATE_VALUES = {
    "9999-12-31": ("9999-12-31", True),
    "0001-01-01": ("0001-01-01", True),
    "2027-02-30": ("2027-02-30", True),
    "quoted-month-13": ("'2027-13-01'", True),
    "2199-12-31": ("2199-12-31", False),
}
#: Numbers of the demo and the values tried in each.
NUMBERS = {
    "municipality.population": ("1e30", "negative", "nan", "text"),
    "measures[0].votes": ("1e30", "negative", "text"),
    "stakeholders[0].power": ("1e30", "nan"),
    "measures[0].duration_months": ("1e30", "negative", "nan"),
    "limits.horizon_years": ("1e30", "negative"),
    "measures[0].staff_fte": ("1e30", "negative", "inf", "list"),
    "limits.staff_fte": ("1e30", "nan"),
    "action_fields[1].goals[0].weight": ("1e30", "nan", "negative"),
    "measures[0].scores.nutzen": ("1e30", "nan"),
    "measures[0].funding_sources[0].rate": ("1e30", "negative", "nan"),
    "measures[0].cost.one_off": ("1e30", "negative", "nan", "inf"),
    "measures[0].cost.yearly": ("1e30",),
    "limits.one_off_budget": ("1e30", "negative"),
    "action_fields[1].goals[0].indicators[0].target": ("1e30", "inf"),
    "measures[0].indicators[0].baseline": ("1e30",),
}
#: Dates of the demo and the values tried in each.
DATES = {
    "limits.start": ("9999-12-31", "0001-01-01", "2027-02-30", "2199-12-31"),
    "measures[0].funding_sources[0].deadline": ("9999-12-31", "2027-02-30", "quoted-month-13"),
    "roadmap.start": ("9999-12-31", "0001-01-01"),
    "progress_history[0].date": ("9999-12-31", "2027-02-30"),
}
#: Dates of the planned demo, checked by build and calendar only (plan would recompute them).
PLANNED_DATES = {
    "schedule.placed[0].end": ("9999-12-31", "2199-12-31"),
    "schedule.placed[0].start": ("0001-01-01",),
    "roadmap.phases[0].tasks[0].due": ("9999-12-31", "2027-02-30"),
}


def _slug(path: str) -> str:
    return path.replace("[", "-").replace("]", "").replace(".", "-").replace("_", "-")


def _fuzz(path: str, name: str, raw: str, refused: bool, base: str) -> Case:
    entry = {"api": "chain"} if base == "demo" else {"api": "chain", "steps": ["build", "calendar"]}
    expect = (error if refused else either)("InputFileError", "strategy.yaml", path, stage="load")
    return case(
        f"fuzz-{_slug(path)}-{name}",
        GROUP,
        f"{path}: {raw}",
        [strategy((path, raw), base=base)],
        entry,
        expect,
        seconds=20,
    )


def cases() -> list[Case]:
    """The field-fuzz group."""
    found = []
    tables = (
        (NUMBERS, NUMBER_VALUES, "demo"),
        (DATES, DATE_VALUES, "demo"),
        (PLANNED_DATES, DATE_VALUES, "demo_planned"),
    )
    for fields, values, base in tables:
        for path, names in fields.items():
            for name in names:
                raw, refused = values[name]
                found.append(_fuzz(path, name, raw, refused, base))
    out = ("--out", "@OUT@/geplant.yaml")
    calendar = ("calendar", "@IN@/strategy.yaml", "--out", "@OUT@/k.ics", "--include", ALL_PARTS)
    commands = [
        (
            "cli-build-staff-1e30",
            "build with staff_fte 1e30",
            "measures[0].staff_fte",
            "1.0e+30",
            "demo",
            ("build", "@IN@/strategy.yaml", "--out", "@OUT@/docs", "--format", "json"),
        ),
        (
            "cli-plan-far-start",
            "plan with limits.start 9999-01-01",
            "limits.start",
            "9999-01-01",
            "demo",
            ("plan", "@IN@/strategy.yaml", *out),
        ),
        (
            "cli-calendar-far-end",
            "calendar with schedule.placed[0].end 9999-12-31",
            "schedule.placed[0].end",
            "9999-12-31",
            "demo_planned",
            calendar,
        ),
        (
            "cli-validate-impossible-date",
            "validate with limits.start 2027-02-30",
            "limits.start",
            "2027-02-30",
            "demo",
            ("validate", "@IN@/strategy.yaml"),
        ),
    ]
    for id, what, path, raw, base, args in commands:
        found.append(
            case(
                id,
                GROUP,
                f"{what} on the command line",
                [strategy((path, raw), base=base)],
                cli(*args),
                exits([1], path),
            )
        )
    return found
