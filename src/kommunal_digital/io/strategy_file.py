"""Loading and dumping a :class:`~kommunal_digital.model.Strategy` as YAML or JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import cattrs

from kommunal_digital.errors import (
    DependencyCycleError,
    InputFileError,
    KommunalDigitalError,
    ModelValidationError,
)
from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.io.converter import make_converter
from kommunal_digital.io.errors import describe_problems
from kommunal_digital.io.schema import SCHEMA_VERSION, migrate
from kommunal_digital.io.yaml_io import YamlError, dump_yaml, load_yaml
from kommunal_digital.model import Strategy

__all__ = [
    "Format",
    "dump_strategy",
    "dumps_strategy",
    "load_strategy",
    "loads_strategy",
    "strategy_from_data",
    "strategy_to_data",
]

Format = Literal["yaml", "json"]

_CONVERTER = make_converter()


def _format_of(path: Path, explicit: Format | None) -> Format:
    if explicit is not None:
        return explicit
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    raise InputFileError(
        str(path), [f"unknown file type {suffix or '(none)'!r}; use .yaml, .yml or .json"]
    )


def strategy_to_data(strategy: Strategy) -> dict[str, Any]:
    """Return the strategy as plain data with ``schema_version`` first."""
    body = _CONVERTER.unstructure(strategy, Strategy)
    return {"schema_version": SCHEMA_VERSION, **body}


def strategy_from_data(data: object, source: str = "<data>") -> Strategy:
    """Build a strategy from plain data (as read from YAML or JSON).

    Args:
        data: A mapping with ``schema_version`` and the strategy's fields.
        source: Name used in error messages, usually the file name.

    Raises:
        InputFileError: The data is not a valid strategy; the message names
            ``source`` and every field path concerned.
    """
    if not isinstance(data, Mapping):
        raise InputFileError(source, ["expected a mapping of strategy fields at the top level"])
    body = migrate(dict(data), source)
    try:
        strategy = _CONVERTER.structure(body, Strategy)
    except (cattrs.BaseValidationError, ModelValidationError) as exc:
        raise InputFileError(source, describe_problems(exc)) from None
    except KommunalDigitalError:
        raise
    except RecursionError:
        raise InputFileError(source, ["the data is nested too deeply"]) from None
    except (ValueError, TypeError, KeyError) as exc:  # pragma: no cover - defensive
        raise InputFileError(source, [str(exc)]) from None
    _check_dependencies(strategy, source)
    return strategy


def _check_dependencies(strategy: Strategy, source: str) -> None:
    """Refuse a file whose measures depend on each other in a circle."""
    from kommunal_digital.graphs.dependencies import dependency_graph  # lazy: networkx

    try:
        dependency_graph(strategy.measures)
    except DependencyCycleError as exc:
        raise InputFileError(source, [f"measures: {exc}"]) from None


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


def dumps_strategy(strategy: Strategy, *, format: Format = "yaml") -> str:
    """Serialise a strategy to YAML or JSON text."""
    data = strategy_to_data(strategy)
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    return dump_yaml(data)


def loads_strategy(text: str, *, format: Format = "yaml", source: str = "<string>") -> Strategy:
    """Parse a strategy from YAML or JSON text.

    Raises:
        InputFileError: The text is not valid YAML/JSON or not a valid strategy.
    """
    if format == "json":
        try:
            data = json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
        except json.JSONDecodeError as exc:
            raise InputFileError(
                source, [f"line {exc.lineno}, column {exc.colno}: {exc.msg}"]
            ) from None
        except RecursionError:
            raise InputFileError(source, ["the document is nested too deeply"]) from None
        except ValueError as exc:
            raise InputFileError(source, [str(exc)]) from None
    else:
        try:
            data = load_yaml(text)
        except YamlError as exc:
            raise InputFileError(source, [str(exc)]) from None
    return strategy_from_data(data, source)


def load_strategy(path: str | os.PathLike[str], *, format: Format | None = None) -> Strategy:
    """Read a strategy file (``.yaml``, ``.yml``, ``.json`` or an ``.xlsx`` workbook).

    Args:
        path: The file to read.
        format: Force a format instead of deciding by the file suffix.

    Raises:
        InputFileError: The file cannot be read or is not a valid strategy;
            the message starts with the file name and names the field path.
    """
    file = Path(path)
    if format is None and file.suffix.lower() == ".xlsx":
        from kommunal_digital.io.excel import import_workbook  # lazy: openpyxl

        return import_workbook(file)
    fmt = _format_of(file, format)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(str(file), ["file not found"]) from None
    except UnicodeDecodeError as exc:
        raise InputFileError(file.name, [f"not UTF-8 text (byte {exc.start})"]) from None
    except OSError as exc:
        raise InputFileError(file.name, [f"cannot read: {exc.strerror or exc}"]) from None
    return loads_strategy(text, format=fmt, source=file.name)


def dump_strategy(
    strategy: Strategy,
    path: str | os.PathLike[str],
    *,
    format: Format | None = None,
    force: bool = False,
) -> Path:
    """Write a strategy file atomically.

    Args:
        strategy: The strategy to write.
        path: Target file; its suffix decides the format unless ``format`` is
            given (``.xlsx`` writes a workshop workbook).
        format: ``"yaml"`` or ``"json"``.
        force: Overwrite an existing file.

    Returns:
        The path written.
    """
    file = Path(path)
    if format is None and file.suffix.lower() == ".xlsx":
        from kommunal_digital.io.excel import export_workbook  # lazy: openpyxl

        return export_workbook(strategy, file, force=force)
    fmt = _format_of(file, format)
    return write_atomic(file, dumps_strategy(strategy, format=fmt).encode("utf-8"), force=force)
