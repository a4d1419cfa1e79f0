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

#: How many levels of mappings and lists extension data may hold below a
#: plugin's key (``extensions.<key>`` itself is level 1).
MAX_EXTENSION_DEPTH = 16

#: Extension data: plain data (text, numbers, booleans, null, lists,
#: mappings) under one key per plugin.
Extensions: TypeAlias = Mapping[str, Mapping[str, Any]]

#: Largest amount of money accepted, in euros (exclusive). A municipality's
#: digital measure never comes near it; the bound keeps amounts exact when
#: they are written as plain numbers.
MAX_EUROS = Decimal("1000000000000")

E = TypeVar("E", bound=Enum)

_CENT = Decimal("0.01")
# Characters that XML 1.0 (and so Word) cannot hold: C0 controls except tab,
# line feed and carriage return, surrogates and the two non-characters.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_KEY = re.compile(r"[a-z0-9][a-z0-9_-]*")


def to_money(value: Decimal | int | float | str, name: str = "") -> Decimal:
    """Convert a number to a Decimal amount of euros and cents (attrs converter).

    Args:
        value: The amount.
        name: The field's name, for the error message.

    Raises:
        ModelValidationError: The value is not a finite number.
    """
    if isinstance(value, bool):
        raise ModelValidationError(name, f"expected an amount in euros, got {value!r}")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int | float | str):
        try:
            amount = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        except InvalidOperation:
            raise ModelValidationError(
                name, f"expected an amount in euros, got {value!r}"
            ) from None
    else:
        raise ModelValidationError(name, f"expected an amount in euros, got {value!r}")
    if not amount.is_finite():
        raise ModelValidationError(name, f"expected a finite amount, got {value!r}")
    # copy_abs and the comparison do not round, so even 1e999999999 cannot overflow here.
    if amount.copy_abs() >= MAX_EUROS:
        raise ModelValidationError(name, f"is implausibly large: {value!r}")
    cents = amount.quantize(_CENT)
    if cents != amount:
        raise ModelValidationError(
            name, f"{value!r} has more than two decimal places; amounts are in euros and cents"
        )
    return cents


def money(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """Validate an amount of euros: not negative and below :data:`MAX_EUROS`."""
    if value < 0:
        raise ModelValidationError(attribute.name, f"must not be negative, got {value}")
    if value >= MAX_EUROS:
        raise ModelValidationError(attribute.name, f"is implausibly large: {value}")


def finite(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    """Validate a finite number (not a bool, NaN or infinity)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
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


def between(low: float, high: float) -> Callable[[object, attrs.Attribute[Any], float], None]:
    """Build a validator for ``low <= value <= high``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
        if not low <= value <= high:
            raise ModelValidationError(
                attribute.name, f"must be between {low:g} and {high:g}, got {value}"
            )

    return check


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


def texts(instance: object, attribute: attrs.Attribute[Any], value: Iterable[str]) -> None:
    """Validate every item of a tuple of free texts."""
    for index, item in enumerate(value):
        try:
            required_text(instance, attribute, item)
        except ModelValidationError as exc:
            raise ModelValidationError(f"{attribute.name}[{index}]", exc.reason) from None


def is_key(value: str) -> bool:
    """Tell whether a string is a valid key."""
    return bool(_KEY.fullmatch(value))


def key(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Validate an identifier: lower-case letters, digits, ``-`` and ``_``."""
    if not isinstance(value, str) or not _KEY.fullmatch(value):
        raise ModelValidationError(
            attribute.name,
            f"{value!r} is not a valid key (use lower-case letters, digits, '-' and '_', "
            "starting with a letter or digit)",
        )


def keys(instance: object, attribute: attrs.Attribute[Any], value: Iterable[str]) -> None:
    """Validate a tuple of keys: each valid, none twice."""
    seen: set[str] = set()
    for index, item in enumerate(value):
        if not isinstance(item, str) or not _KEY.fullmatch(item):
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
    if value is None or isinstance(value, bool | int):
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
        if not isinstance(name, str) or not _KEY.fullmatch(name):
            raise ModelValidationError(
                "extensions",
                f"{name!r} is not a valid key (use lower-case letters, digits, '-' and '_', "
                "starting with a letter or digit)",
            )
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
