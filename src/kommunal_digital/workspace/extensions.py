"""Extension data: the shapes plugins declare for their data on measures, fields and entries.

Measures, action fields and catalogue entries carry ``extensions``: plain
data under one key per plugin (``extensions: {hessen: {interkommunal:
true}}``). The model only checks that the data is plain; a plugin declares
its shape with the ``kd_extension_schemas`` hook, and the functions here
check the data against the shapes a workspace holds. Data under a key no
installed plugin declares is kept as it is and reported as unknown, never
refused: a file must stay readable where the plugin that wrote it is not
installed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from kommunal_digital.errors import InputFileError, ModelValidationError
from kommunal_digital.io.converter import make_converter
from kommunal_digital.io.errors import describe_problems
from kommunal_digital.model import ActionField, Measure, Strategy
from kommunal_digital.model.catalogue import CatalogueEntry

__all__ = [
    "EXTENDABLE",
    "ExtensionProblem",
    "ExtensionSchema",
    "check_extensions",
    "extension_problems",
    "read_extension",
]

#: The objects that carry ``extensions`` data.
EXTENDABLE = frozenset({"measure", "action_field", "catalogue_entry"})

_PLURAL = {
    "measure": "measures",
    "action_field": "action fields",
    "catalogue_entry": "catalogue entries",
}

# One converter for every shape: it builds and keeps a structuring function
# per shape class on first use.
_CONVERTER = make_converter()


@attrs.frozen
class ExtensionSchema:
    """The shape of one plugin's extension data.

    Attributes:
        key: The key under ``extensions`` (usually the plugin's name, e.g. ``hessen``).
        shape: An attrs class; the data under the key is structured into it,
            so every field is checked with the usual file and field-path errors.
        applies_to: Which objects may carry it: ``measure``, ``action_field``,
            ``catalogue_entry``.
    """

    key: str
    shape: type[Any]
    applies_to: frozenset[str] = EXTENDABLE


@attrs.frozen
class ExtensionProblem:
    """A finding about extension data.

    Attributes:
        path: Where, as a field path:
            ``measures[2].extensions.hessen.interkommunal``.
        message: What is wrong: ``expected a boolean, got 'ja bitte'``.
        unknown: The key has no installed schema: the data is kept
            unchecked, which is no error.
    """

    path: str
    message: str
    unknown: bool = False

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _kind(obj: object) -> str:
    if isinstance(obj, Measure):
        return "measure"
    if isinstance(obj, ActionField):
        return "action_field"
    if isinstance(obj, CatalogueEntry):
        return "catalogue_entry"
    raise TypeError(f"{type(obj).__name__} carries no extension data")


class _UnfitError(Exception):
    """The data does not fit its shape: every problem found."""

    def __init__(self, problems: list[ExtensionProblem]) -> None:
        super().__init__(problems)
        self.problems = problems


def _structure(data: Mapping[str, Any], schema: ExtensionSchema, path: str) -> Any:
    """Structure ``data`` into the schema's shape; raise a list of problems if it does not fit."""
    try:
        return _CONVERTER.structure(data, schema.shape)
    except RecursionError:
        raise _UnfitError([ExtensionProblem(path, "the data is nested too deeply")]) from None
    except (Exception, SystemExit) as exc:  # a plugin's class: its validators raise anything
        problems = []
        for line in describe_problems(exc, path):
            where, _, message = line.removeprefix(path).partition(": ")
            problems.append(ExtensionProblem(path + where, message))
        raise _UnfitError(problems) from None


def _object_problems(
    extensions: Mapping[str, Mapping[str, Any]],
    kind: str,
    path: str,
    schemas: Mapping[str, ExtensionSchema],
) -> Iterator[ExtensionProblem]:
    for key, data in extensions.items():
        where = f"{path}.extensions.{key}" if path else f"extensions.{key}"
        schema = schemas.get(key)
        if schema is None:
            yield ExtensionProblem(
                where,
                f"no installed plugin declares the extension {key!r}; its data is kept unchecked",
                unknown=True,
            )
            continue
        if kind not in schema.applies_to:
            allowed = ", ".join(_PLURAL[k] for k in sorted(schema.applies_to) if k in _PLURAL)
            yield ExtensionProblem(
                where,
                f"the extension {key!r} does not apply to {_PLURAL[kind]} "
                f"(only to {allowed or 'nothing'})",
            )
            continue
        try:
            _structure(data, schema, where)
        except _UnfitError as unfit:
            yield from unfit.problems


def extension_problems(
    strategy: Strategy, schemas: Mapping[str, ExtensionSchema]
) -> tuple[ExtensionProblem, ...]:
    """Check the extension data of a strategy's action fields and measures.

    Args:
        strategy: The strategy.
        schemas: The declared shapes by key, usually
            ``workspace.extension_schemas``.

    Returns:
        Every problem, action fields first, then measures, each with its
        full field path; data under a key without a schema is reported
        with ``unknown`` set.
    """
    problems: list[ExtensionProblem] = []
    for index, field in enumerate(strategy.action_fields):
        problems += _object_problems(
            field.extensions, "action_field", f"action_fields[{index}]", schemas
        )
    for index, measure in enumerate(strategy.measures):
        problems += _object_problems(measure.extensions, "measure", f"measures[{index}]", schemas)
    return tuple(problems)


def check_extensions(
    strategy: Strategy, schemas: Mapping[str, ExtensionSchema], source: str = "<strategy>"
) -> Strategy:
    """Check a strategy's extension data against the declared shapes.

    Run it after loading a strategy and opening its workspace
    (``check_extensions(strategy, workspace.extension_schemas, path.name)``),
    as the command line does. Data under a key without a schema is kept
    and is no error.

    Args:
        strategy: The strategy.
        schemas: The declared shapes by key, usually
            ``workspace.extension_schemas``.
        source: The file name, for the message.

    Returns:
        The strategy, unchanged.

    Raises:
        InputFileError: Some data does not fit its shape, or a key is used
            on objects its schema does not apply to; one line per problem,
            e.g. ``strategy.yaml: measures[2].extensions.hessen.interkommunal:
            expected a boolean, got 'ja bitte'``.
    """
    problems = [str(p) for p in extension_problems(strategy, schemas) if not p.unknown]
    if problems:
        raise InputFileError(source, problems)
    return strategy


def read_extension(obj: Measure | ActionField | CatalogueEntry, schema: ExtensionSchema) -> Any:
    """Return an object's data under the schema's key, structured into its shape.

    For plugin code (a governance check, a context extension) that wants
    its data as its own attrs class, with the shape's defaults filled in.

    Args:
        obj: A measure, action field or catalogue entry.
        schema: The plugin's schema.

    Returns:
        An instance of ``schema.shape``, or ``None`` when the object holds
        no data under the key.

    Raises:
        ModelValidationError: The data does not fit the shape; the field
            names the first problem's path below the object
            (``extensions.hessen.interkommunal``).
    """
    data = obj.extensions.get(schema.key)
    if data is None:
        return None
    kind = _kind(obj)
    if kind not in schema.applies_to:
        raise ModelValidationError(
            f"extensions.{schema.key}",
            f"the extension {schema.key!r} does not apply to {_PLURAL[kind]}",
        )
    try:
        return _structure(data, schema, f"extensions.{schema.key}")
    except _UnfitError as unfit:
        first = unfit.problems[0]
        raise ModelValidationError(first.path, first.message) from None
