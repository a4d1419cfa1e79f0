"""The project's own cattrs converter.

:func:`make_converter` builds a fresh converter each time (never the global
one), so embedding applications can add hooks without affecting others.
Structuring is strict on purpose: a file that says ``name: 123`` or
``duration_months: "sechs"`` gets an error naming the field instead of a
silently converted value.

Unknown values (a cost, duration or staff figure nobody has estimated yet)
are ``null`` or simply absent in a file; they load as ``None`` and are
written by leaving them out, never as 0.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, is_mapping, mapping_structure_factory
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from kommunal_digital.io.yaml_io import ImpossibleDate
from kommunal_digital.model.checks import Extensions, extensions_as_data
from kommunal_digital.model.funding import FundingKind, FundingSource
from kommunal_digital.model.labels import LabelledEnum
from kommunal_digital.model.measure import Cost
from kommunal_digital.model.pack_reference import PackReference

__all__ = ["make_converter"]


def _describe(value: object) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(f"expected a number, got {_describe(value)}")
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        raise ValueError(f"expected a number, got {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"expected a finite number, got {value!r}")
    return number


def _unstructure_decimal(value: Decimal) -> int | float:
    # Amounts are whole cents below 10**12 euros, so a float keeps them exact
    # and the YAML stays readable (``12500`` instead of ``'12500.00'``).
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# A text shaped like an ISO date: when it does not parse, it names no day.
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _structure_date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date without a time, got {value.isoformat()!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, ImpossibleDate):
        raise ValueError(value.describe())
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            if _DATE_SHAPE.fullmatch(value.strip()):
                raise ValueError(f"{value.strip()!r} is not a date: {exc}") from None
    raise ValueError(f"expected a date like 2027-03-31, got {_describe(value)}")


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        quoting = isinstance(value, int | float | dt.date | ImpossibleDate)  # bool is an int
        hint = " (put it in quotes)" if quoting else ""
        raise ValueError(f"expected text, got {_describe(value)}{hint}")
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise ValueError(f"expected a whole number, got {_describe(value)}")
    return value


def _structure_text_or_int(value: object, _: type) -> str | int:
    # A maturity answer: its label or its points.
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected text or a whole number, got {_describe(value)}")
    return _structure_int(value, int)


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {_describe(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {value!r}")
    return number


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected a boolean, got {_describe(value)}")
    return value


def _structure_extensions(value: object, _: type) -> Mapping[str, Any]:
    # The model checks the data itself (plain data, keys, depth) and names the
    # path below ``extensions``; its shape is the workspace's business.
    if not isinstance(value, Mapping):
        raise ValueError(f"expected a mapping of extension keys, got {_describe(value)}")
    return value


def _structure_enum(value: object, enum_type: type[Enum]) -> Enum:
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in enum_type)
        raise ValueError(f"expected one of {allowed}, got {_describe(value)}") from None


def _unstructure_enum(value: Enum) -> Any:
    return value.value


def _is_homogeneous_tuple(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _list_guard(
    inner: Callable[[Any, Any], Any],
) -> Callable[[Any, Any], Any]:
    def structure(value: object, type_: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise ValueError(f"expected a list, got {_describe(value)}")
        return inner(value, type_)

    return structure


def _mapping_guard(inner: Callable[[Any, Any], Any], what: str) -> Callable[[Any, Any], Any]:
    def structure(value: object, type_: Any) -> Any:
        if not isinstance(value, Mapping):
            raise ValueError(f"expected {what}, got {_describe(value)}")
        return inner(value, type_)

    return structure


def make_converter() -> cattrs.Converter:
    """Build the converter that turns plain data into domain objects and back.

    The converter validates in detail (every problem with its field path),
    refuses unknown keys, leaves out values equal to their defaults when
    unstructuring, writes tuples as lists and keeps dates as
    :class:`datetime.date` (YAML writes them natively, the JSON writer as
    ISO strings). Extension data (``extensions``) is passed to the model as
    it is and written back as plain dicts and lists.

    Returns:
        A new, independent :class:`cattrs.Converter`.
    """
    converter = cattrs.Converter(detailed_validation=True, forbid_extra_keys=True)

    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(Decimal, _unstructure_decimal)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, lambda value: value)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(str | int, _structure_text_or_int)
    # Registered by class (not by predicate) so that text enums win over the
    # hooks for ``str``, which would otherwise match them through their MRO.
    converter.register_structure_hook(Enum, _structure_enum)
    converter.register_unstructure_hook(Enum, _unstructure_enum)
    converter.register_structure_hook(LabelledEnum, _structure_enum)
    converter.register_unstructure_hook(LabelledEnum, _unstructure_enum)
    converter.register_structure_hook_factory(
        _is_homogeneous_tuple,
        lambda t, c: _list_guard(homogenous_tuple_structure_factory(t, c)),
    )
    converter.register_unstructure_hook_factory(
        _is_homogeneous_tuple,
        lambda t, c: _tuple_to_list(get_args(t)[0], c),
    )
    converter.register_structure_hook_factory(
        lambda t: is_mapping(t) and not attrs.has(t),
        lambda t, c: _mapping_guard(mapping_structure_factory(t, c), "a mapping"),
    )
    converter.register_structure_hook_factory(
        attrs.has,
        lambda t, c: _mapping_guard(
            make_dict_structure_fn(t, c), f"a mapping of the fields of {t.__name__}"
        ),
    )
    converter.register_unstructure_hook_factory(
        attrs.has, lambda t, c: make_dict_unstructure_fn(t, c, _cattrs_omit_if_default=True)
    )
    # Registered after the mapping factory, so that it wins for this one type.
    converter.register_structure_hook_func(lambda t: t == Extensions, _structure_extensions)
    converter.register_unstructure_hook_func(lambda t: t == Extensions, extensions_as_data)
    _register_funding_sources(converter)
    _register_pack_references(converter)
    _register_costs(converter)
    return converter


def _register_costs(converter: cattrs.Converter) -> None:
    """``cost: null`` means nobody has estimated the cost yet: both parts unknown.

    Unknown parts are written by leaving them out (``cost: {yearly: 100}``,
    or no ``cost`` at all), like every other value at its default.
    """
    as_mapping = converter.get_structure_hook(Cost)

    def structure(value: object, type_: Any) -> Cost:
        if value is None:
            return Cost()
        return as_mapping(value, type_)  # type: ignore[no-any-return]  # cattrs hooks are untyped

    converter.register_structure_hook(Cost, structure)


def _register_funding_sources(converter: cattrs.Converter) -> None:
    """Funding sources may be plain text (as before structured sources): kind ``offen``."""
    as_mapping = converter.get_structure_hook(FundingSource)
    to_mapping = converter.get_unstructure_hook(FundingSource)

    def structure(value: object, type_: Any) -> FundingSource:
        if isinstance(value, str):
            return FundingSource(name=value)
        return as_mapping(value, type_)  # type: ignore[no-any-return]  # cattrs hooks are untyped

    def unstructure(value: FundingSource) -> Any:
        plain = value.kind is FundingKind.OFFEN and value.amount is None and value.share is None
        if plain and value.name.strip():
            return value.name
        return to_mapping(value)

    converter.register_structure_hook(FundingSource, structure)
    converter.register_unstructure_hook(FundingSource, unstructure)


def _register_pack_references(converter: cattrs.Converter) -> None:
    """A pack may be named by a plain key (``pack: rlp``): its version is then unknown.

    It is always written as a mapping, ``{name: rlp, version: 0.1.0}``.
    """
    as_mapping = converter.get_structure_hook(PackReference)

    def structure(value: object, type_: Any) -> PackReference:
        if isinstance(value, str):
            return PackReference(name=value)
        if not isinstance(value, Mapping):
            raise ValueError(
                f"expected a pack name or a mapping with name and version, got {_describe(value)}"
            )
        return as_mapping(value, type_)  # type: ignore[no-any-return]  # cattrs hooks are untyped

    converter.register_structure_hook(PackReference, structure)


def _tuple_to_list(item_type: Any, converter: cattrs.Converter) -> Callable[[Any], list[Any]]:
    unstructure_item = converter.get_unstructure_hook(item_type)

    def unstructure(value: Any) -> list[Any]:
        return [unstructure_item(item) for item in value]

    return unstructure
