"""A :class:`~kommunal_digital.model.Strategy` as plain data and as YAML or JSON text.

Files on disk, and the choice of format by suffix, are
:mod:`kommunal_digital.io.files`'s business; the workbook reader
and writer build on the plain data from here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any, Literal

import cattrs

from kommunal_digital.errors import InputFileError, KommunalDigitalError, ModelValidationError
from kommunal_digital.io.converter import make_converter
from kommunal_digital.io.errors import describe_problems
from kommunal_digital.io.schema import SCHEMA_VERSION, migrate
from kommunal_digital.io.yaml_io import YamlError, dump_yaml, load_yaml
from kommunal_digital.model import Strategy

__all__ = [
    "Format",
    "dumps_strategy",
    "loads_strategy",
    "strategy_from_data",
    "strategy_to_data",
]

#: The text formats of a strategy file.
Format = Literal["yaml", "json"]

_CONVERTER = make_converter()


def strategy_to_data(strategy: Strategy) -> dict[str, Any]:
    """Return the strategy as plain data with ``schema_version`` first.

    The pack, when recorded, comes next: it tells a reader (and the tools)
    which action fields, rules and templates the rest of the file assumes.

    Args:
        strategy: The strategy to convert.
    """
    body = _CONVERTER.unstructure(strategy, Strategy)
    head: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    if "pack" in body:
        head["pack"] = body.pop("pack")
    return {**head, **body}


def strategy_from_data(data: object, source: str = "<data>") -> Strategy:
    """Build a strategy from plain data (as read from YAML or JSON).

    Args:
        data: A mapping with ``schema_version`` and the strategy's fields.
        source: Name used in error messages, usually the file name.

    Raises:
        InputFileError: The data is not a valid strategy; the message names
            ``source`` and every field path concerned (a dependency cycle as
            ``measures: dependency cycle: a -> b -> a``).
    """
    if not isinstance(data, Mapping):
        raise InputFileError(source, ["expected a mapping of strategy fields at the top level"])
    body = migrate(dict(data), source)
    try:
        return _CONVERTER.structure(body, Strategy)
    except (cattrs.BaseValidationError, ModelValidationError) as exc:
        raise InputFileError(source, describe_problems(exc)) from None
    except KommunalDigitalError:
        raise
    except RecursionError:
        raise InputFileError(source, ["the data is nested too deeply"]) from None
    except (ValueError, TypeError, KeyError) as exc:  # pragma: no cover - defensive
        raise InputFileError(source, [str(exc)]) from None


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")  # pragma: no cover


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice")
        result[key] = value
    return result


# No field accepts a whole number of more digits (the largest bound, 2**63,
# has 19), and converting very long digit strings is slow or refused.
_MAX_JSON_DIGITS = 30


def _json_int(literal: str) -> int | float:
    digits = literal.lstrip("-")
    if len(digits) > _MAX_JSON_DIGITS:
        # Read as a float (linear in its length, infinite when too long):
        # the field that receives it refuses it by its bounds and names
        # itself, which a parse error could not.
        return float(literal)
    return int(literal)


def _load_json(text: str, source: str) -> Any:
    """Parse JSON: no duplicate keys; very long whole numbers read as floats.

    ``NaN``, ``Infinity``, numbers too large for a float (``1e400``) and
    whole numbers of more than 30 digits are read as floats (not finite,
    or far beyond every bound); every number field of the model refuses
    them with its field path (``measures[0].staff_fte: expected a finite
    number``), which says more than a line number would.

    Raises:
        InputFileError: The text is not valid JSON; the message names line
            and column.
    """
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicate_keys, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise InputFileError(
            source, [f"line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from None
    except RecursionError:
        raise InputFileError(source, ["the document is nested too deeply"]) from None
    except ValueError as exc:
        raise InputFileError(source, [str(exc)]) from None


def dumps_strategy(strategy: Strategy, *, format: Format = "yaml") -> str:
    """Serialise a strategy to YAML or JSON text.

    Args:
        strategy: The strategy to write.
        format: ``"yaml"`` or ``"json"``.
    """
    data = strategy_to_data(strategy)
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    return dump_yaml(data)


def loads_strategy(text: str, *, format: Format = "yaml", source: str = "<string>") -> Strategy:
    """Parse a strategy from YAML or JSON text.

    Args:
        text: The file's text.
        format: ``"yaml"`` or ``"json"``.
        source: Name used in error messages, usually the file name.

    Raises:
        InputFileError: The text is not valid YAML/JSON or not a valid strategy.
    """
    if format == "json":
        data = _load_json(text, source)
    else:
        try:
            data = load_yaml(text)
        except YamlError as exc:
            raise InputFileError(source, [str(exc)]) from None
    return strategy_from_data(data, source)
