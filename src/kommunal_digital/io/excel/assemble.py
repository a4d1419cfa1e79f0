"""Putting the rows of a workbook together into the data of a strategy.

Besides nesting the rows (goals into their action field, dependencies and
involvements into their measure), this checks what spans rows and sheets:
duplicate keys and references to action fields, goals, measures,
stakeholders and member municipalities. Each problem names the cell that
holds the offending value. Alongside the data it records which cell holds
which field path, so that the model's own checks can be reported there too.
"""

from __future__ import annotations

from typing import Any

from kommunal_digital.io.excel import layout
from kommunal_digital.io.excel.reader import Problems, Row

__all__ = ["Locations", "assemble"]

#: Field path of the strategy data → (sheet, cell or None).
Locations = dict[str, tuple[str, str | None]]


def _nest(values: dict[str, Any]) -> dict[str, Any]:
    """Turn ``{"cost.one_off": 1}`` into ``{"cost": {"one_off": 1}}``; drop ``@`` paths."""
    nested: dict[str, Any] = {}
    for path, value in values.items():
        if path.startswith("@"):
            continue
        *parents, last = path.split(".")
        target = nested
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    return nested


def _locate(locations: Locations, prefix: str, row: Row) -> None:
    locations[prefix] = (row.sheet, row.ref("key") if "key" in row.refs else f"A{row.number}")
    for path, cell in row.refs.items():
        if not path.startswith("@"):
            locations[f"{prefix}.{path}"] = (row.sheet, cell)


def _unique(rows: list[Row], problems: Problems, path: str = "key") -> dict[str, Row]:
    first: dict[str, Row] = {}
    for row in rows:
        key = row.values.get(path)
        if key is None:
            continue
        if key in first:
            problems.at(
                row,
                path,
                f"Schlüssel {key!r} kommt doppelt vor (zuerst in Zeile {first[key].number})",
            )
        else:
            first[key] = row
    return first


def assemble(
    kommune: Row,
    tables: dict[str, list[Row]],
    problems: Problems,
    werkstatt: Row | None = None,
) -> tuple[dict[str, Any], Locations]:
    """Build the strategy data and the cell of every field path.

    Args:
        kommune: The values of the ``Kommune`` sheet.
        tables: The rows of every table sheet (an optional sheet that is
            missing has none).
        problems: Where problems spanning rows and sheets are recorded.
        werkstatt: The values of the ``Werkstatt`` sheet, if it exists.
    """
    locations: Locations = {}
    top = _nest(kommune.values)
    data: dict[str, Any] = {key: value for key, value in top.items() if key != "municipality"}
    municipality = top.get("municipality", {})
    for path, cell in kommune.refs.items():
        locations[path] = (layout.KOMMUNE, cell)
    locations["municipality"] = (layout.KOMMUNE, "B2")
    _workshop(data, werkstatt, tables.get(layout.QUELLEN, []), locations)

    members = tables[layout.ORTSGEMEINDEN]
    _unique(members, problems, "name")
    municipality["members"] = [_nest(row.values) for row in members]
    for index, row in enumerate(members):
        _locate(locations, f"municipality.members[{index}]", row)
    data["municipality"] = municipality
    partner_keys = _keyed(tables, layout.PARTNER, "partners", data, problems, locations)
    milestone_keys = _keyed(
        tables, layout.EXTERNE_MEILENSTEINE, "external_milestones", data, problems, locations
    )
    _keyed(tables, layout.FOERDERUNG, "funding", data, problems, locations)
    _sharing_references(tables, layout.FOERDERUNG, partner_keys, problems)

    orphans: set[str] = set()
    fields = _fields(tables, problems, locations, orphans)
    data["action_fields"] = fields
    names = {r.values.get("name") for r in members}
    measures = _measures(tables, fields, names, orphans, problems, locations)
    data["measures"] = measures
    _sharing_references(tables, layout.MASSNAHMEN, partner_keys, problems)
    for row in tables[layout.MASSNAHMEN]:
        for key in row.values.get("waits_for", ()):
            if milestone_keys is not None and key not in milestone_keys:
                problems.at(
                    row,
                    "waits_for",
                    f"unbekannter externer Meilenstein {key!r} "
                    f"(Blatt {layout.EXTERNE_MEILENSTEINE})",
                )
    stakeholder_rows = tables[layout.BETEILIGTE]
    data["stakeholders"] = [_nest(row.values) for row in stakeholder_rows]
    for index, row in enumerate(stakeholder_rows):
        _locate(locations, f"stakeholders[{index}]", row)
    _unique(stakeholder_rows, problems)
    _involvements(tables, measures, stakeholder_rows, problems, locations)
    _dependencies(tables, measures, problems, locations)
    _indicators(tables, fields, measures, orphans, problems, locations)
    locations["measures"] = (layout.ABHAENGIGKEITEN, None)
    return data, locations


def _keyed(
    tables: dict[str, list[Row]],
    sheet: str,
    field: str,
    data: dict[str, Any],
    problems: Problems,
    locations: Locations,
) -> set[str] | None:
    """Put the rows of an optional sheet of keyed objects into ``data[field]``.

    Returns:
        The keys found, or ``None`` when the sheet is missing (the objects
        then come from the hidden sheet, unchecked here).
    """
    if sheet not in tables:
        return None
    rows = tables[sheet]
    data[field] = [_nest(row.values) for row in rows]
    for index, row in enumerate(rows):
        _locate(locations, f"{field}[{index}]", row)
    return set(_unique(rows, problems))


def _sharing_references(
    tables: dict[str, list[Row]], sheet: str, partners: set[str] | None, problems: Problems
) -> None:
    """Report partners named in a sharing that the ``Partner`` sheet does not list."""
    if partners is None:
        return
    for row in tables.get(sheet, ()):
        named = [*row.values.get("sharing.partners", ()), *row.values.get("sharing.shares", {})]
        path = "sharing.partners"
        for index, key in enumerate(named):
            if index >= len(row.values.get("sharing.partners", ())):
                path = "sharing.shares"
            if key not in partners:
                problems.at(row, path, f"unbekannter Partner {key!r} (Blatt {layout.PARTNER})")
                break


def _workshop(
    data: dict[str, Any], werkstatt: Row | None, sources: list[Row], locations: Locations
) -> None:
    """Put the workshop record together from ``Werkstatt`` and ``Quellen``.

    A workshop whose cells are all empty and that has no sources is not
    recorded (no ``workshop`` key).
    """
    workshop: dict[str, Any] = {}
    if werkstatt is not None:
        workshop = _nest(werkstatt.values).get("workshop", {})
        for path, cell in werkstatt.refs.items():
            locations[path] = (layout.WERKSTATT, cell)
    if sources:
        workshop["sources"] = [_nest(row.values) for row in sources]
        for index, row in enumerate(sources):
            _locate(locations, f"workshop.sources[{index}]", row)
    locations["workshop"] = (layout.WERKSTATT, None)
    if workshop:
        data["workshop"] = workshop


def _fields(
    tables: dict[str, list[Row]], problems: Problems, locations: Locations, orphans: set[str]
) -> list[dict[str, Any]]:
    """Build the action fields with their goals; collect goals of unknown fields in ``orphans``."""
    rows = tables[layout.HANDLUNGSFELDER]
    fields = []
    for index, row in enumerate(rows):
        fields.append({**_nest(row.values), "goals": []})
        _locate(locations, f"action_fields[{index}]", row)
    index_of = {key: rows.index(row) for key, row in _unique(rows, problems).items()}
    goals_seen: dict[str, Row] = {}
    for row in tables[layout.ZIELE]:
        field_key = row.values.get("@field")
        if field_key is None:
            continue
        if field_key not in index_of:
            problems.at(row, "@field", f"unbekanntes Handlungsfeld {field_key!r}")
            if "key" in row.values:
                orphans.add(row.values["key"])
            continue
        key = row.values.get("key")
        if key is not None and key in goals_seen:
            problems.at(
                row,
                "key",
                f"Schlüssel {key!r} kommt doppelt vor (zuerst in Zeile {goals_seen[key].number})",
            )
            continue
        if key is not None:
            goals_seen[key] = row
        goals = fields[index_of[field_key]]["goals"]
        _locate(locations, f"action_fields[{index_of[field_key]}].goals[{len(goals)}]", row)
        goals.append(_nest(row.values))
    return fields


def _goal_fields(fields: list[dict[str, Any]]) -> dict[str, str]:
    return {
        goal["key"]: field["key"]
        for field in fields
        if "key" in field
        for goal in field["goals"]
        if "key" in goal
    }


def _measures(
    tables: dict[str, list[Row]],
    fields: list[dict[str, Any]],
    member_names: set[Any],
    orphans: set[str],
    problems: Problems,
    locations: Locations,
) -> list[dict[str, Any]]:
    rows = tables[layout.MASSNAHMEN]
    chosen = {f["key"]: f.get("chosen", True) for f in fields if "key" in f}
    goal_field = _goal_fields(fields)
    _unique(rows, problems)
    measures = []
    for index, row in enumerate(rows):
        values = row.values
        measure = _nest(values)
        measure["depends_on"], measure["stakeholders"], measure["indicators"] = [], [], []
        measures.append(measure)
        _locate(locations, f"measures[{index}]", row)
        field = values.get("action_field")
        if field is not None and field not in chosen:
            problems.at(row, "action_field", f"unbekanntes Handlungsfeld {field!r}")
        elif field is not None and not chosen[field]:
            problems.at(row, "action_field", f"Handlungsfeld {field!r} ist nicht ausgewählt")
        goal = values.get("goal")
        if goal in orphans:
            # Its goal row is already reported; the measure waits for it without a goal.
            del measure["goal"]
        elif goal is not None and goal not in goal_field:
            problems.at(row, "goal", f"unbekanntes Ziel {goal!r}")
        elif goal is not None and field in chosen and goal_field[goal] != field:
            problems.at(
                row,
                "goal",
                f"Ziel {goal!r} gehört zum Handlungsfeld {goal_field[goal]!r}, nicht zu {field!r}",
            )
        for name in values.get("members", ()):
            if name not in member_names:
                problems.at(
                    row,
                    "members",
                    f"{name!r} ist keine Ortsgemeinde (Blatt {layout.ORTSGEMEINDEN})",
                )
    return measures


def _measure_index(measures: list[dict[str, Any]]) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, measure in enumerate(measures):
        if "key" in measure:
            index.setdefault(measure["key"], position)
    return index


def _owner(row: Row, index: dict[str, int], problems: Problems) -> int | None:
    key = row.values.get("@measure")
    if key is None:
        return None
    if key not in index:
        problems.at(row, "@measure", f"unbekannte Maßnahme {key!r}")
        return None
    return index[key]


def _dependencies(
    tables: dict[str, list[Row]],
    measures: list[dict[str, Any]],
    problems: Problems,
    locations: Locations,
) -> None:
    index = _measure_index(measures)
    for row in tables[layout.ABHAENGIGKEITEN]:
        owner = _owner(row, index, problems)
        target = row.values.get("depends_on")
        if owner is None or target is None:
            continue
        listed = measures[owner]["depends_on"]
        if target not in index:
            problems.at(row, "depends_on", f"unbekannte Maßnahme {target!r}")
        elif target == row.values["@measure"]:
            problems.at(row, "depends_on", "eine Maßnahme kann nicht von sich selbst abhängen")
        elif target in listed:
            problems.at(row, "depends_on", f"die Abhängigkeit von {target!r} steht doppelt")
        else:
            locations[f"measures[{owner}].depends_on[{len(listed)}]"] = (
                row.sheet,
                row.ref("depends_on"),
            )
            listed.append(target)


def _involvements(
    tables: dict[str, list[Row]],
    measures: list[dict[str, Any]],
    stakeholder_rows: list[Row],
    problems: Problems,
    locations: Locations,
) -> None:
    index = _measure_index(measures)
    people = {row.values.get("key") for row in stakeholder_rows}
    for row in tables[layout.BETEILIGUNG]:
        owner = _owner(row, index, problems)
        who = row.values.get("stakeholder")
        if owner is None or who is None:
            continue
        listed = measures[owner]["stakeholders"]
        if who not in people:
            problems.at(row, "stakeholder", f"unbekannte/r Beteiligte/r {who!r}")
        elif any(item.get("stakeholder") == who for item in listed):
            problems.at(row, "stakeholder", f"{who!r} ist bei dieser Maßnahme schon eingetragen")
        else:
            _locate(locations, f"measures[{owner}].stakeholders[{len(listed)}]", row)
            listed.append(_nest(row.values))


def _indicators(
    tables: dict[str, list[Row]],
    fields: list[dict[str, Any]],
    measures: list[dict[str, Any]],
    orphans: set[str],
    problems: Problems,
    locations: Locations,
) -> None:
    goals: dict[str, tuple[int, int]] = {}
    for f_index, field in enumerate(fields):
        for g_index, goal in enumerate(field["goals"]):
            if "key" in goal:
                goals.setdefault(goal["key"], (f_index, g_index))
    index = _measure_index(measures)
    for row in tables[layout.INDIKATOREN]:
        goal, measure = row.values.get("@goal"), row.values.get("@measure")
        if (goal is None) == (measure is None):
            if (row.sheet, row.number) not in problems.rows:
                problems.at(row, "@goal", "bitte genau eines angeben: Ziel oder Maßnahme")
            continue
        if goal is not None:
            if goal not in goals:
                if goal not in orphans:
                    problems.at(row, "@goal", f"unbekanntes Ziel {goal!r}")
                continue
            f_index, g_index = goals[goal]
            owner = fields[f_index]["goals"][g_index]
            prefix = f"action_fields[{f_index}].goals[{g_index}]"
        elif measure is not None:
            position = _owner(row, index, problems)
            if position is None:
                continue
            owner = measures[position]
            prefix = f"measures[{position}]"
        else:
            continue
        listed = owner.setdefault("indicators", [])
        _locate(locations, f"{prefix}.indicators[{len(listed)}]", row)
        listed.append(_nest(row.values))
