"""Validators and converters shared by the domain classes.

They raise :class:`~kommunal_digital.errors.ModelValidationError` naming the
attribute, so that a loader can prefix the path of the enclosing object.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeAlias, TypeVar

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model.bounds import (
    MAX_COUNT as MAX_COUNT,
)
from kommunal_digital.model.bounds import (
    MAX_DATE as MAX_DATE,
)
from kommunal_digital.model.bounds import (
    MAX_DURATION_MONTHS as MAX_DURATION_MONTHS,
)
from kommunal_digital.model.bounds import (
    MAX_EUROS as MAX_EUROS,
)
from kommunal_digital.model.bounds import (
    MAX_FTE as MAX_FTE,
)
from kommunal_digital.model.bounds import (
    MAX_HORIZON_YEARS as MAX_HORIZON_YEARS,
)
from kommunal_digital.model.bounds import (
    MAX_KEY_LENGTH as MAX_KEY_LENGTH,
)
from kommunal_digital.model.bounds import (
    MAX_MEASURED as MAX_MEASURED,
)
from kommunal_digital.model.bounds import (
    MAX_MONTHS as MAX_MONTHS,
)
from kommunal_digital.model.bounds import (
    MAX_NAME_LENGTH as MAX_NAME_LENGTH,
)
from kommunal_digital.model.bounds import (
    MAX_PLAIN_INTEGER as MAX_PLAIN_INTEGER,
)
from kommunal_digital.model.bounds import (
    MAX_PLAN_OFFSET_MONTHS as MAX_PLAN_OFFSET_MONTHS,
)
from kommunal_digital.model.bounds import (
    MAX_PLAN_START as MAX_PLAN_START,
)
from kommunal_digital.model.bounds import (
    MAX_POPULATION as MAX_POPULATION,
)
from kommunal_digital.model.bounds import (
    MAX_SHARE as MAX_SHARE,
)
from kommunal_digital.model.bounds import (
    MAX_TOTAL_EUROS as MAX_TOTAL_EUROS,
)
from kommunal_digital.model.bounds import (
    MAX_TOTAL_FTE as MAX_TOTAL_FTE,
)
from kommunal_digital.model.bounds import (
    MAX_WEIGHT as MAX_WEIGHT,
)
from kommunal_digital.model.bounds import (
    MIN_DATE as MIN_DATE,
)

#: How many levels of mappings and lists extension data may hold below a
#: plugin's key (``extensions.<key>`` itself is level 1).
MAX_EXTENSION_DEPTH = 16

#: Extension data: plain data (text, numbers, booleans, null, lists,
#: mappings) under one key per plugin.
Extensions: TypeAlias = Mapping[str, Mapping[str, Any]]


E = TypeVar("E", bound=Enum)

_CENT = Decimal("0.01")
# Whole numbers beyond this many bits do not convert to a float.
_FLOAT_BITS = 1000
# Characters that XML 1.0 (and so Word) cannot hold: C0 controls except tab,
# line feed and carriage return, surrogates and the two non-characters.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_KEY = re.compile(r"[a-z0-9][a-z0-9_-]*")


def _to_euros(value: Decimal | int | float | str, name: str, limit: Decimal) -> Decimal:
    """A finite Decimal amount of euros and cents below ``limit`` (in absolute value)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise ModelValidationError(name, f"expected an amount in euros, got {value!r}")
    try:
        amount = (
            value
            if isinstance(value, Decimal)
            else Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        )
    except InvalidOperation:
        raise ModelValidationError(name, f"expected an amount in euros, got {value!r}") from None
    if not amount.is_finite():
        raise ModelValidationError(name, f"expected a finite amount, got {value!r}")
    # copy_abs and the comparison do not round, so even 1e999999999 cannot overflow here.
    if amount.copy_abs() >= limit:
        raise ModelValidationError(name, f"is implausibly large: {value!r}")
    cents = amount.quantize(_CENT)
    if cents != amount:
        raise ModelValidationError(
            name, f"{value!r} has more than two decimal places; amounts are in euros and cents"
        )
    return cents


def to_money(value: Decimal | int | float | str, name: str = "") -> Decimal:
    """Convert a number to a Decimal amount of euros and cents (attrs converter).

    Args:
        value: The amount.
        name: The field's name, for the error message.

    Raises:
        ModelValidationError: The value is not a finite number.
    """
    return _to_euros(value, name, MAX_EUROS)


def money(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """Validate an amount of euros: not negative and below :data:`MAX_EUROS`."""
    if value < 0:
        raise ModelValidationError(attribute.name, f"must not be negative, got {value}")
    if value >= MAX_EUROS:
        raise ModelValidationError(attribute.name, f"is implausibly large: {value}")


def total_money(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """Validate a computed sum of euros: not negative and below :data:`MAX_TOTAL_EUROS`."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ModelValidationError(attribute.name, f"expected an amount in euros, got {value!r}")
    if value < 0:
        raise ModelValidationError(attribute.name, f"must not be negative, got {value}")
    if value >= MAX_TOTAL_EUROS:
        raise ModelValidationError(attribute.name, f"is implausibly large: {value}")


def to_total(value: Decimal | int | float | str, name: str) -> Decimal:
    """Convert a computed sum to a Decimal amount of euros and cents.

    Args:
        value: The sum.
        name: The field's name, for the error message.

    Raises:
        ModelValidationError: The value is not a finite number with at most
            two decimal places, or not below :data:`MAX_TOTAL_EUROS`.
    """
    return _to_euros(value, name, MAX_TOTAL_EUROS)


def is_finite_number(value: object) -> bool:
    """Tell whether a value is a finite int or float (not a bool) that converts to a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, int):
        return value.bit_length() <= _FLOAT_BITS
    return math.isfinite(value)


def finite(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    """Validate a finite number (not a bool, NaN or infinity)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ModelValidationError(attribute.name, f"expected a finite number, got {value!r}")
    if isinstance(value, int):
        if value.bit_length() > _FLOAT_BITS:
            # Such a number does not convert to a float (OverflowError).
            raise ModelValidationError(
                attribute.name, f"is far too large: a whole number of {value.bit_length()} bits"
            )
        return
    if not math.isfinite(value):
        raise ModelValidationError(attribute.name, f"expected a finite number, got {value!r}")


def non_negative(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    """Validate a finite number of zero or more."""
    finite(instance, attribute, value)
    if value < 0:
        raise ModelValidationError(attribute.name, f"must not be negative, got {value}")


def whole(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    """Validate a whole number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ModelValidationError(attribute.name, f"expected a whole number, got {value!r}")


def show_number(value: float) -> str:
    """A bound as people read it: ``2199``, ``1,000,000`` for whole numbers, else ``0.111111``."""
    if isinstance(value, int) or (math.isfinite(value) and value.is_integer()):
        # Years stay years (2199); larger bounds get separators (100,000,000).
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    return f"{value:g}"


def show_value(value: object) -> str:
    """A value for an error message; a huge whole number by its size (it may not print)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"a whole number of {value.bit_length()} bits"
    return repr(value)


def between(low: float, high: float) -> Callable[[object, attrs.Attribute[Any], float], None]:
    """Build a validator for ``low <= value <= high``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
        if not low <= value <= high:
            raise ModelValidationError(
                attribute.name,
                f"must be between {show_number(low)} and {show_number(high)}, "
                f"got {show_value(value)}",
            )

    return check


def up_to(high: float) -> Callable[[object, attrs.Attribute[Any], float], None]:
    """Build a validator for a finite number of zero or more, at most ``high``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
        non_negative(instance, attribute, value)
        if value > high:
            raise ModelValidationError(
                attribute.name, f"must be at most {show_number(high)}, got {value:g}"
            )

    return check


def magnitude(limit: float) -> Callable[[object, attrs.Attribute[Any], float], None]:
    """Build a validator for a finite number from ``-limit`` to ``limit``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
        finite(instance, attribute, value)
        if abs(value) > limit:
            raise ModelValidationError(
                attribute.name,
                f"must be between -{show_number(limit)} and {show_number(limit)}, got {value:g}",
            )

    return check


def check_date(value: object, field: str, *, latest: dt.date = MAX_DATE) -> None:
    """Refuse anything but a date (without a time) from :data:`MIN_DATE` to ``latest``.

    Args:
        value: The value to check.
        field: The field's name, for the error message.
        latest: The latest date allowed; :data:`MAX_DATE` unless the date is
            the start of a plan (:data:`MAX_PLAN_START`).

    Raises:
        ModelValidationError: The value is no date, has a time, or lies
            outside the range.
    """
    if isinstance(value, dt.datetime):
        raise ModelValidationError(field, f"expected a date without a time, got {value!r}")
    if not isinstance(value, dt.date):
        raise ModelValidationError(field, f"expected a date (YYYY-MM-DD), got {value!r}")
    if not MIN_DATE <= value <= latest:
        raise ModelValidationError(
            field,
            f"{value.isoformat()} lies outside the dates accepted "
            f"({MIN_DATE.isoformat()} to {latest.isoformat()})",
        )


def date(instance: object, attribute: attrs.Attribute[Any], value: dt.date) -> None:
    """Validate a date from :data:`MIN_DATE` to :data:`MAX_DATE`."""
    check_date(value, attribute.name)


def optional_date(instance: object, attribute: attrs.Attribute[Any], value: dt.date | None) -> None:
    """Validate a date from :data:`MIN_DATE` to :data:`MAX_DATE`, or ``None``."""
    if value is not None:
        check_date(value, attribute.name)


def plan_start(instance: object, attribute: attrs.Attribute[Any], value: dt.date) -> None:
    """Validate the first day of a plan: from :data:`MIN_DATE` to :data:`MAX_PLAN_START`."""
    check_date(value, attribute.name, latest=MAX_PLAN_START)


def dates(instance: object, attribute: attrs.Attribute[Any], value: Iterable[dt.date]) -> None:
    """Validate every item of a tuple of dates."""
    for index, item in enumerate(value):
        check_date(item, f"{attribute.name}[{index}]")


def year(instance: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    """Validate a calendar year of the date range (or ``None``)."""
    if value is None:
        return
    whole(instance, attribute, value)
    between(MIN_DATE.year, MAX_DATE.year)(instance, attribute, value)


def population(instance: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    """Validate a number of inhabitants (or ``None``): 0 to :data:`MAX_POPULATION`."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise ModelValidationError(attribute.name, f"expected a whole number, got {value!r}")
    if not 0 <= value <= MAX_POPULATION:
        raise ModelValidationError(
            attribute.name,
            f"must be between 0 and {show_number(MAX_POPULATION)} inhabitants, "
            f"got {show_value(value)}",
        )


def fte(instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    """Validate staff in full-time equivalents (or ``None``): 0 to :data:`MAX_FTE`."""
    if value is not None:
        up_to(MAX_FTE)(instance, attribute, value)


def text(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Validate free text: only characters a Word document can hold."""
    if value is None:
        return
    if not isinstance(value, str):
        raise ModelValidationError(attribute.name, f"expected text, got {value!r}")
    bad = _XML_FORBIDDEN.search(value)
    if bad:
        raise ModelValidationError(
            attribute.name,
            f"contains the control character U+{ord(bad.group()):04X}, "
            "which a Word document cannot hold",
        )


def required_text(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Validate free text that must not be blank."""
    text(instance, attribute, value)
    if not value.strip():
        raise ModelValidationError(attribute.name, "must not be empty")


def name(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Validate a name (not blank) of at most :data:`MAX_NAME_LENGTH` characters."""
    required_text(instance, attribute, value)
    if len(value) > MAX_NAME_LENGTH:
        raise ModelValidationError(
            attribute.name, f"is {len(value)} characters long, more than {MAX_NAME_LENGTH}"
        )


def texts(instance: object, attribute: attrs.Attribute[Any], value: Iterable[str]) -> None:
    """Validate every item of a tuple of free texts."""
    for index, item in enumerate(value):
        try:
            required_text(instance, attribute, item)
        except ModelValidationError as exc:
            raise ModelValidationError(f"{attribute.name}[{index}]", exc.reason) from None


def _key_problem(value: object) -> str | None:
    """Why a value is no valid key, or ``None`` when it is one."""
    if isinstance(value, str) and len(value) > MAX_KEY_LENGTH:
        return f"{value[:20]!r}... is not a valid key: longer than {MAX_KEY_LENGTH} characters"
    if not isinstance(value, str) or not _KEY.fullmatch(value):
        return (
            f"{value!r} is not a valid key (use lower-case letters, digits, '-' and '_', "
            "starting with a letter or digit)"
        )
    return None


def is_key(value: str) -> bool:
    """Tell whether a string is a valid key (at most :data:`MAX_KEY_LENGTH` characters)."""
    return _key_problem(value) is None


def key(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Validate an identifier: ``a``-``z``, digits, ``-`` and ``_``, at most 64 characters."""
    problem = _key_problem(value)
    if problem is not None:
        raise ModelValidationError(attribute.name, problem)


def keys(instance: object, attribute: attrs.Attribute[Any], value: Iterable[str]) -> None:
    """Validate a tuple of keys: each valid, none twice."""
    seen: set[str] = set()
    for index, item in enumerate(value):
        if _key_problem(item) is not None:
            raise ModelValidationError(f"{attribute.name}[{index}]", f"{item!r} is not a valid key")
        if item in seen:
            raise ModelValidationError(f"{attribute.name}[{index}]", f"{item!r} is listed twice")
        seen.add(item)


def unique_keys(items: Iterable[Any], field: str, *, attribute: str = "key") -> dict[str, int]:
    """Return ``{key: index}`` for items, refusing a key that appears twice."""
    index_of: dict[str, int] = {}
    for index, item in enumerate(items):
        value = getattr(item, attribute)
        if value in index_of:
            raise ModelValidationError(
                f"{field}[{index}].{attribute}",
                f"duplicate key {value!r} (already used by {field}[{index_of[value]}])",
            )
        index_of[value] = index
    return index_of


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Convert any iterable except text to a tuple (attrs converter).

    Text is passed through unchanged, so that :func:`is_tuple`, which knows
    the field's name, can refuse it.
    """
    if isinstance(value, str | bytes):
        return value  # type: ignore[return-value]  # refused by is_tuple with the field name
    return tuple(value)


def is_tuple(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validate that a list field got a list, not a text."""
    if not isinstance(value, tuple):
        raise ModelValidationError(attribute.name, f"expected a list, got the text {value!r}")


def member_of(enum_type: type[E]) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """Build a validator that accepts only members of ``enum_type``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, enum_type):
            allowed = ", ".join(f"{enum_type.__name__}.{m.name}" for m in enum_type)
            raise ModelValidationError(attribute.name, f"expected one of {allowed}, got {value!r}")

    return check


# Named converters per money field: attrs converters do not learn the field's
# name, and the mypy attrs plugin only accepts plain functions, so each field
# gets a small function that tells ``to_money`` its name.
Money = Decimal | int | float | str


def one_off_amount(value: Money) -> Decimal:
    """Converter for fields named ``one_off``."""
    return to_money(value, "one_off")


def yearly_amount(value: Money) -> Decimal:
    """Converter for fields named ``yearly``."""
    return to_money(value, "yearly")


def optional_one_off(value: Money | None) -> Decimal | None:
    """Converter for a ``one_off`` amount that may be unknown (``None`` stays ``None``)."""
    return None if value is None else to_money(value, "one_off")


def optional_yearly(value: Money | None) -> Decimal | None:
    """Converter for a ``yearly`` amount that may be unknown (``None`` stays ``None``)."""
    return None if value is None else to_money(value, "yearly")


def low_amount(value: Money) -> Decimal:
    """Converter for fields named ``low``."""
    return to_money(value, "low")


def high_amount(value: Money) -> Decimal:
    """Converter for fields named ``high``."""
    return to_money(value, "high")


def follow_on_amount(value: Money) -> Decimal:
    """Converter for fields named ``follow_on``."""
    return to_money(value, "follow_on")


def budget_amount(value: Money | None) -> Decimal | None:
    """Converter for optional budgets (``None`` means no limit)."""
    return None if value is None else to_money(value, "one_off_budget")


# Extension data: plugins' own data on measures, action fields and catalogue
# entries. The model does not know its shape (the workspace checks it against
# the shapes the plugins declare); it only makes sure the data is plain, so
# that it survives YAML, JSON and the workbook unchanged.

_PLAIN = "text, a number, true or false, null, a list or a mapping"


def _plain_text(value: str, path: str) -> str:
    bad = _XML_FORBIDDEN.search(value)
    if bad:
        raise ModelValidationError(
            path,
            f"contains the control character U+{ord(bad.group()):04X}, "
            "which a Word document cannot hold",
        )
    return value


def _plain(value: object, path: str, depth: int) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) > MAX_PLAIN_INTEGER:
            raise ModelValidationError(
                path,
                "whole numbers in extension data are at most 2**63 in size, "
                f"got one of {value.bit_length()} bits",
            )
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ModelValidationError(path, f"expected a finite number, got {value!r}")
        return value
    if isinstance(value, str):
        return _plain_text(value, path)
    if depth > MAX_EXTENSION_DEPTH:
        raise ModelValidationError(
            path, f"is nested too deeply (at most {MAX_EXTENSION_DEPTH} levels)"
        )
    if isinstance(value, Mapping):
        plain: dict[str, Any] = {}
        for name, item in value.items():
            if not isinstance(name, str):
                raise ModelValidationError(
                    path, f"the name {name!r} is not text (put it in quotes)"
                )
            plain[_plain_text(name, path)] = _plain(item, f"{path}.{name}", depth + 1)
        return plain
    if isinstance(value, list | tuple):
        return tuple(_plain(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
    hint = " (put it in quotes)" if isinstance(value, dt.date) else ""
    raise ModelValidationError(path, f"expected {_PLAIN}, got {value!r}{hint}")


def check_plain(value: object, path: str) -> None:
    """Refuse anything but plain data, as in extension data (see :func:`to_extensions`).

    Args:
        value: The data.
        path: Its field path, for the error message.

    Raises:
        ModelValidationError: The data is not plain, a number is not finite
            or too large, or it is nested too deeply; the field names the path.
    """
    _plain(value, path, 1)


def to_extensions(value: object) -> dict[str, dict[str, Any]]:
    """Copy extension data, checking it is plain (attrs converter for ``extensions``).

    The data is ``{key: {name: value}}``: one valid key per plugin, each
    holding a mapping of plain data (text, finite numbers, booleans,
    ``None``, lists and mappings with text names), nested at most
    :data:`MAX_EXTENSION_DEPTH` levels. Lists become tuples and every
    mapping is copied, so the object does not share data with its input.

    Raises:
        ModelValidationError: The data is not plain; the field names the path,
            e.g. ``extensions.hessen.partner[1]``.
    """
    if not isinstance(value, Mapping):
        raise ModelValidationError(
            "extensions", f"expected a mapping of extension keys, got {value!r}"
        )
    copied: dict[str, dict[str, Any]] = {}
    for name, data in value.items():
        problem = _key_problem(name)
        if problem is not None:
            raise ModelValidationError("extensions", problem)
        if not isinstance(data, Mapping):
            raise ModelValidationError(f"extensions.{name}", f"expected a mapping, got {data!r}")
        copied[name] = _plain(data, f"extensions.{name}", 1)
    return copied


def _as_data(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {name: _as_data(item) for name, item in value.items()}
    if isinstance(value, tuple):
        return [_as_data(item) for item in value]
    return value


def extensions_as_data(value: Extensions) -> dict[str, Any]:
    """Return extension data as plain dicts and lists, as YAML and JSON write it."""
    return {name: _as_data(data) for name, data in value.items()}
