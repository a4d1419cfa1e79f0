"""What the sheets do not carry, kept in the hidden ``_daten`` sheet.

The sheets hold what a workshop edits. Everything else a strategy holds
(profiles, roadmap, organigram, schedule, ranking, funding sources, and any
field a later release adds) is split off the strategy's plain data here,
object by object, and merged back in on import. Objects are matched by
their key (member municipalities by name), so the hidden data stays with
its measure when rows are moved or inserted; what belonged to a deleted or
renamed object is dropped.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from kommunal_digital.io.excel.layout import CARRIED

__all__ = ["merge_residue", "split_residue"]

Data = dict[str, Any]

_MISSING = object()


def _leftover(obj: Data, kind: str) -> Data:
    rest = copy.deepcopy(obj)
    for path in CARRIED[kind]:
        *parents, last = path.split(".")
        chain = [rest]
        for part in parents:
            inner = chain[-1].get(part)
            if not isinstance(inner, dict):
                break
            chain.append(inner)
        else:
            if chain[-1].pop(last, _MISSING) is _MISSING:
                # Nothing carried here: an empty mapping (``workshop: {}``, a
                # workshop recorded without details) stays, so it comes back.
                continue
            for parent, part in zip(reversed(chain[:-1]), reversed(parents), strict=True):
                if not parent[part]:
                    del parent[part]
    return rest


def _objects(data: Data) -> Iterator[tuple[str, str, Data]]:
    """Yield (identifier, kind, object) for every object the sheets carry."""
    municipality = data.get("municipality")
    if isinstance(municipality, dict):
        yield "municipality", "municipality", municipality
        for member in municipality.get("members", ()):
            yield f"member:{member.get('name')}", "member", member
    for field in data.get("action_fields", ()):
        yield f"field:{field.get('key')}", "field", field
        for goal in field.get("goals", ()):
            yield f"goal:{goal.get('key')}", "goal", goal
            for index, indicator in enumerate(goal.get("indicators", ())):
                yield f"indicator:goal:{goal.get('key')}:{index}", "indicator", indicator
    for measure in data.get("measures", ()):
        key = measure.get("key")
        yield f"measure:{key}", "measure", measure
        for involvement in measure.get("stakeholders", ()):
            yield f"involvement:{key}:{involvement.get('stakeholder')}", "involvement", involvement
        for index, indicator in enumerate(measure.get("indicators", ())):
            yield f"indicator:measure:{key}:{index}", "indicator", indicator
    for stakeholder in data.get("stakeholders", ()):
        yield f"stakeholder:{stakeholder.get('key')}", "stakeholder", stakeholder
    for partner in data.get("partners", ()):
        yield f"partner:{partner.get('key')}", "partner", partner
    for funding in data.get("funding", ()):
        yield f"funding:{funding.get('key')}", "funding", funding
    for milestone in data.get("external_milestones", ()):
        yield f"external:{milestone.get('key')}", "external", milestone


def split_residue(data: Data) -> Data:
    """Return what the sheets do not carry of a strategy's plain data.

    Returns:
        ``{"strategy": {...}, "objects": {identifier: {...}}}``, objects
        with nothing left over being left out.
    """
    objects = {}
    for identifier, kind, obj in _objects(data):
        rest = _leftover(obj, kind)
        if rest:
            objects[identifier] = rest
    return {"strategy": _leftover(data, "strategy"), "objects": objects}


def _merge(target: Data, extra: Data) -> None:
    for key, value in extra.items():
        if key not in target:
            target[key] = copy.deepcopy(value)
        elif isinstance(target[key], dict) and isinstance(value, dict):
            _merge(target[key], value)


def merge_residue(data: Data, residue: Data) -> None:
    """Merge the hidden data back into the data read from the sheets (in place).

    Values from the sheets win over hidden ones.
    """
    strategy = residue.get("strategy")
    objects = residue.get("objects")
    if isinstance(objects, dict):
        for identifier, _, obj in list(_objects(data)):
            extra = objects.get(identifier)
            if isinstance(extra, dict):
                _merge(obj, extra)
    if isinstance(strategy, dict):
        _merge(data, strategy)
