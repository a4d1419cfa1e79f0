"""Fingerprints of the inputs of derived data (ranking, schedule, roadmap).

A stored ranking, schedule or roadmap records the fingerprint of the data it
was computed from. When the strategy changes afterwards (a measure added by
an Excel import, a vote corrected), the recomputed fingerprint differs and
the stored result is known to be stale instead of silently used.

A fingerprint is ``"sha256:"`` followed by the hex digest of a canonical
JSON form of the inputs (attrs classes as dicts, keys sorted, tuples as
lists, dates and amounts as text), so it is the same on every machine and
in every Python run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from kommunal_digital.model.measure import Measure

__all__ = ["MEASURE_TEXT_FIELDS", "fingerprint", "measure_inputs", "ranking_inputs"]

#: Measure fields no computation depends on: changing them keeps derived data current.
MEASURE_TEXT_FIELDS = frozenset({"description", "indicators", "progress"})


_SCALARS = frozenset({str, int, bool, type(None)})


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """The attrs field names of a class, or ``None`` for other classes."""
    if kind not in _FIELD_NAMES:
        names = tuple(field.name for field in attrs.fields(kind)) if attrs.has(kind) else None
        _FIELD_NAMES[kind] = names
    return _FIELD_NAMES[kind]


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _SCALARS:
        return value
    names = _field_names(kind)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = [_plain(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, frozenset | set) else items
    if isinstance(value, Decimal | dt.date):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def fingerprint(*parts: Any) -> str:
    """The fingerprint of some inputs: ``"sha256:<hex>"``.

    Args:
        parts: attrs instances, tuples, dicts, texts, numbers, dates; the
            same values give the same fingerprint in every run.
    """
    text = json.dumps([_plain(part) for part in parts], sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def measure_inputs(measure: Measure) -> dict[str, Any]:
    """The measure's fields that computations may read (all but the text-only ones).

    Args:
        measure: The measure.
    """
    return {
        field.name: getattr(measure, field.name)
        for field in attrs.fields(Measure)
        if field.name not in MEASURE_TEXT_FIELDS
    }


def ranking_inputs(strategy: Any) -> str:
    """The fingerprint of what a ranking is computed from.

    The measures (all fields but the text-only ones), the criteria, the
    pairwise comparisons and the chosen rule with its options.

    Args:
        strategy: The strategy (a :class:`~kommunal_digital.model.Strategy`).
    """
    return fingerprint(
        "ranking",
        [measure_inputs(m) for m in strategy.measures],
        strategy.criteria,
        strategy.comparisons,
        strategy.ranking_rule,
    )
