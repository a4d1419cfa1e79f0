"""Turning values into cell contents and cell contents back into values.

Reading is tolerant where Excel gets in the way (a key typed as ``12``
arrives as a number, a date as a date-time, a whole number as ``6.0``) and
strict where a value would change its meaning. Problems are raised as
:class:`CellError` with a German message for the workbook's users.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from kommunal_digital.io.excel.layout import NO, YES, Column
from kommunal_digital.model.checks import MAX_EUROS, extensions_as_data, is_key
from kommunal_digital.model.labels import LabelledEnum

__all__ = ["CellError", "enum_choices", "exact_text", "is_empty", "read_cell", "write_cell"]

_CENT = Decimal("0.01")
_NUMBER_TEXT = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_GERMAN_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_ESCAPE = re.compile(r"\\(\\|n)")
_RACI_LETTERS = {"r": "responsible", "a": "accountable", "c": "consulted", "i": "informed"}


class CellError(Exception):
    """A cell holds a value its column cannot take (message in German)."""


def enum_choices(enum: type[LabelledEnum]) -> list[str]:
    """The labels a dropdown of this enumeration offers, in order."""
    return [member.label for member in enum]


def _escape_item(item: str) -> str:
    return item.replace("\\", "\\\\").replace("\n", "\\n")


def _unescape_item(item: str) -> str:
    return _ESCAPE.sub(lambda m: "\\" if m[1] == "\\" else "\n", item)


def write_cell(column: Column, value: Any) -> Any:
    """Return what a cell of ``column`` shows for ``value`` (``None``: empty)."""
    if value is None:
        return None
    kind = column.kind
    if kind in ("key", "text"):
        return value or None
    if kind == "list":
        return "\n".join(_escape_item(item) for item in value) or None
    if kind == "bool":
        return YES if value else NO
    if kind == "enum":
        return value.label
    if kind == "json":
        return _write_json(value)
    if kind == "shares":
        return "\n".join(f"{key}: {weight}" for key, weight in value.items()) or None
    if kind == "money":
        return float(value)
    return value  # int, number, date


def exact_text(value: Any) -> str | None:
    """Return the exact spelling of a number a cell would store rounded.

    Workbook files keep 16 significant digits; floats need up to 17 and
    integers any number. The exact spelling goes into the hidden sheet.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    stored = format(value, ".16g")
    if isinstance(value, int):
        return None if stored == str(value) else str(value)
    return None if float(stored) == value else repr(value)


def is_empty(raw: object) -> bool:
    """Tell whether a cell counts as empty."""
    return raw is None or raw == ""


def read_cell(column: Column, raw: object, exact: str | None = None) -> Any:
    """Return the value of a non-empty cell of ``column``.

    Args:
        column: The column the cell belongs to.
        raw: The cell's content as openpyxl returns it.
        exact: The exact spelling of the number exported into this cell,
            used when the cell still holds that number.

    Raises:
        CellError: The content does not fit the column.
    """
    kind = column.kind
    label = column.header
    if kind == "key":
        text = _as_text(raw).strip()
        if not is_key(text):
            raise CellError(
                f"{label} {text!r} ist kein gültiger Schlüssel "
                "(Kleinbuchstaben, Ziffern, „-“ und „_“)"
            )
        return text
    if kind == "text":
        return _as_text(raw)
    if kind == "list":
        lines = _as_text(raw).split("\n")
        return [_unescape_item(line) for line in lines if line.strip()]
    if kind == "bool":
        return _read_bool(label, raw)
    if kind == "enum":
        if column.enum is None:  # pragma: no cover - every enum column names its enum
            raise TypeError(f"column {label!r} has no enumeration")
        return _read_enum(label, column.enum, raw)
    if kind == "date":
        return _read_date(label, raw)
    if kind == "json":
        return _read_json(label, raw)
    if kind == "shares":
        return _read_shares(label, raw)
    number = _read_number(label, raw, exact)
    if kind == "money":
        return _read_money(label, number)
    if kind == "int":
        if isinstance(number, float):
            if not number.is_integer():
                raise CellError(f"{label} muss eine ganze Zahl sein")
            number = int(number)
    else:
        number = float(number)
    _check_range(column, number)
    return number


def _as_text(raw: object) -> str:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return YES if raw else NO
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat()
    return str(raw)


def _read_bool(label: str, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _as_text(raw).strip().casefold()
    if text in (YES, "j", "wahr", "true", "x"):
        return True
    if text in (NO, "n", "falsch", "false"):
        return False
    raise CellError(f"{label} muss „{YES}“ oder „{NO}“ sein, nicht {_as_text(raw)!r}")


def _write_json(value: Any) -> str | None:
    if not value:
        return None
    return json.dumps(extensions_as_data(value), ensure_ascii=False, separators=(",", ":"))


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} ist in JSON keine Zahl")


def _refuse_twice(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"der Name {key!r} steht doppelt")
        result[key] = value
    return result


def _read_json(label: str, raw: object) -> dict[str, Any]:
    text = _as_text(raw).strip()
    if not text:
        return {}
    try:
        data = json.loads(text, object_pairs_hook=_refuse_twice, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise CellError(
            f"{label}: kein gültiges JSON ({exc.msg} bei Zeichen {exc.pos + 1})"
        ) from None
    except RecursionError:
        raise CellError(f"{label}: das JSON ist zu tief verschachtelt") from None
    except ValueError as exc:
        raise CellError(f"{label}: kein gültiges JSON ({exc})") from None
    if not isinstance(data, dict):
        raise CellError(
            f'{label} muss ein JSON-Objekt sein, z. B. {{"hessen": {{"interkommunal": true}}}}'
        )
    return data


def _read_shares(label: str, raw: object) -> dict[str, Decimal]:
    shares: dict[str, Decimal] = {}
    for line in _as_text(raw).splitlines():
        if not line.strip():
            continue
        key, colon, number = line.partition(":")
        key = key.strip()
        if not colon or not is_key(key):
            raise CellError(
                f"{label}: {line.strip()!r} ist kein Anteil; bitte je Zeile "
                "„Schlüssel: Zahl“, z. B. „stadt: 2“"
            )
        if key in shares:
            raise CellError(f"{label}: der Partner {key!r} steht doppelt")
        try:
            weight = Decimal(number.strip().replace(",", "."))
        except InvalidOperation:
            weight = Decimal("NaN")
        if not weight.is_finite() or weight < 0:
            raise CellError(
                f"{label}: der Anteil von {key!r} muss eine Zahl ab 0 sein, "
                f"nicht {number.strip()!r}"
            )
        shares[key] = weight
    return shares


def _read_enum(label: str, enum: type[LabelledEnum], raw: object) -> str:
    text = _as_text(raw).strip().casefold()
    for member in enum:
        if text in (member.label.casefold(), member.value):
            return member.value
    if enum.__name__ == "Raci" and text in _RACI_LETTERS:
        return _RACI_LETTERS[text]
    allowed = ", ".join(enum_choices(enum))
    raise CellError(f"{label}: unbekannter Wert {_as_text(raw)!r} (erlaubt: {allowed})")


def _read_date(label: str, raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time():
            raise CellError(f"{label} muss ein Datum ohne Uhrzeit sein")
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        german = _GERMAN_DATE.fullmatch(text)
        try:
            if german:
                return dt.date(int(german[3]), int(german[2]), int(german[1]))
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise CellError(f"{label} muss ein Datum sein (TT.MM.JJJJ)")


def _read_number(label: str, raw: object, exact: str | None) -> int | float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise CellError(f"{label} muss eine Zahl sein")
    if isinstance(raw, str):
        text = raw.strip()
        if not _NUMBER_TEXT.fullmatch(text):
            raise CellError(f"{label} muss eine Zahl sein, nicht {raw!r}")
        text = text.replace(",", ".")
        return float(text) if "." in text else int(text)
    if not math.isfinite(raw):
        raise CellError(f"{label} muss eine endliche Zahl sein")
    if exact is not None:
        precise = float(exact) if any(c in exact for c in ".eEn") else int(exact)
        if float(format(precise, ".16g")) == raw:
            return precise
    return raw


def _read_money(label: str, number: int | float) -> Decimal:
    try:
        amount = Decimal(repr(number) if isinstance(number, float) else number)
    except InvalidOperation:  # pragma: no cover - finite numbers always convert
        raise CellError(f"{label} muss ein Betrag in Euro sein") from None
    if amount < 0:
        raise CellError(f"{label} darf nicht negativ sein")
    if amount >= MAX_EUROS:
        raise CellError(f"{label} ist unplausibel hoch")
    cents = amount.quantize(_CENT)
    if cents != amount:
        raise CellError(f"{label} hat mehr als zwei Nachkommastellen")
    return cents


def _check_range(column: Column, number: float) -> None:
    low, high = column.low, column.high
    if low is not None and high is not None and not low <= number <= high:
        raise CellError(f"{column.header} muss zwischen {low:g} und {high:g} liegen")
    if low is not None and number < low:
        if low == 0:
            raise CellError(f"{column.header} darf nicht negativ sein")
        raise CellError(f"{column.header} muss mindestens {low:g} sein")
