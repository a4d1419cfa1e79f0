"""What plugins add to documents: variables in render contexts, and pictures.

Context extensions (hook ``kd_context_extensions``) add variables to the
context of the document types they name, after the type has built it. They
never replace a variable: a document whose type already has the variable
fails with a message naming the extension and the variable, so a
conflicting plugin cannot quietly change a built-in document.

Picture sources (hook ``kd_picture_sources``) draw PNG pictures that
templates embed as ``images.<name>`` and that ``build`` writes into
``Bilder/`` as ``<name>.png``. Their names cannot be those of the built-in
pictures.

Plugin code may fail in any way; every failure here becomes a
:class:`~kommunal_digital.errors.DocumentError` naming the extension or
the picture source, so one broken contribution fails one document (or one
build) with a message, never with a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from kommunal_digital.errors import DocumentError, KommunalDigitalError
from kommunal_digital.model import Strategy
from kommunal_digital.model.checks import is_key
from kommunal_digital.workspace.workspace import Workspace

__all__ = [
    "BUILTIN_PICTURES",
    "BUILTIN_PICTURE_ORDER",
    "RESERVED_VARIABLES",
    "contributed_pictures",
    "extend_context",
]

#: The names of the pictures the library draws itself (``images.<name>``),
#: in the order they are listed (``Bilder/``, ``document_images``).
BUILTIN_PICTURE_ORDER = ("organigramm", "stakeholder", "zeitplan", "reifegrad")
#: The same names as a set.
BUILTIN_PICTURES = frozenset(BUILTIN_PICTURE_ORDER)

#: Variables the renderers add to every context; no extension may add them.
RESERVED_VARIABLES = frozenset({"images"})

# The file stems of the built-in pictures in Bilder/ are taken too: on a
# file system that ignores case, "stakeholder-matrix.png" would overwrite
# "Stakeholder-Matrix.png".
_TAKEN_PICTURE_NAMES = BUILTIN_PICTURES | {"stakeholder-matrix"}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _describe(error: BaseException) -> str:
    if isinstance(error, KommunalDigitalError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _name_of(contribution: object) -> str:
    return str(getattr(contribution, "name", type(contribution).__name__))


def _applies(extension: object, document_type: str) -> bool:
    types: Any = getattr(extension, "document_types", frozenset())
    if isinstance(types, str):  # a single name instead of a set
        types = frozenset({types})
    return not types or document_type in types


def extend_context(
    strategy: Strategy,
    workspace: Workspace,
    document_type: str,
    context: Mapping[str, Any],
    today: dt.date | None,
) -> dict[str, Any]:
    """Add the variables of the workspace's context extensions to a built context.

    The extensions whose ``document_types`` is empty or names the type are
    applied in the workspace's order; each sees the context built so far
    (read-only, including what earlier extensions added).

    Args:
        strategy: The strategy the document is about.
        workspace: Supplies the context extensions (``workspace.context_extensions``).
        document_type: The type whose context it is, e.g. ``"beschlussvorlage"``.
        context: The context the document type built.
        today: The date to print, as given to the document type (``None``
            for today; the context's ``document.date`` holds the date used).

    Returns:
        A new dict: the context with the added variables.

    Raises:
        DocumentError: An extension fails, returns something other than a
            mapping of variable names, or adds a variable the context has
            already (or ``images``, which the renderers add); the message
            names the extension, the document type and the variable.
    """
    extended = dict(context)
    added_by: dict[str, str] = {}
    for extension in workspace.context_extensions:
        if not _applies(extension, document_type):
            continue
        name = _name_of(extension)
        try:
            variables = extension.extend(
                strategy, workspace, document_type, MappingProxyType(extended), today
            )
        except (Exception, SystemExit) as error:  # plugin code: fails this document only
            raise DocumentError(
                f"context extension {name!r} failed for the document type "
                f"{document_type!r}: {_describe(error)}"
            ) from error
        if not isinstance(variables, Mapping):
            raise DocumentError(
                f"context extension {name!r} returned {type(variables).__name__} for the "
                f"document type {document_type!r}, not a mapping of variables"
            )
        for variable, value in variables.items():
            if not isinstance(variable, str) or not variable.isidentifier():
                raise DocumentError(
                    f"context extension {name!r} adds {variable!r} to the context of the "
                    f"document type {document_type!r}, which is not a valid variable name"
                )
            if variable in extended or variable in RESERVED_VARIABLES:
                if variable in added_by:
                    source = (
                        f"context extension {added_by[variable]!r} added already to the "
                        f"context of the document type {document_type!r}"
                    )
                elif variable in RESERVED_VARIABLES:
                    source = f"the renderers add to every document type ({document_type!r})"
                else:
                    source = f"the document type {document_type!r} has already"
                raise DocumentError(
                    f"context extension {name!r} adds the variable {variable!r}, which "
                    f"{source}; an extension cannot replace a variable (give it another name)"
                )
            extended[variable] = value
            added_by[variable] = name
    return extended


def contributed_pictures(strategy: Strategy, workspace: Workspace) -> dict[str, bytes]:
    """The PNG pictures of the workspace's picture sources, by name.

    A source that returns ``None`` has nothing to draw for this strategy
    and is left out.

    Raises:
        DocumentError: A source has a name that is not a key or that a
            built-in picture has (``organigramm``, ``reifegrad``,
            ``stakeholder``, ``zeitplan``; compared ignoring case), two
            sources have the same name, or a source fails or returns
            something other than PNG bytes; the message names the source.
    """
    pictures: dict[str, bytes] = {}
    seen: set[str] = set()
    for source in workspace.picture_sources:
        name = _name_of(source)
        if not is_key(name):
            raise DocumentError(
                f"picture source {name!r}: the name is not a key (use lower-case letters, "
                "digits, '-' and '_'); templates use it as images.<name>, build as the "
                "file name in Bilder/"
            )
        if name.casefold() in _TAKEN_PICTURE_NAMES:
            raise DocumentError(
                f"picture source {name!r}: the name is taken by a built-in picture "
                f"({', '.join(sorted(_TAKEN_PICTURE_NAMES))}); give the picture another name"
            )
        if name in seen:
            raise DocumentError(f"picture source {name!r}: two picture sources have this name")
        seen.add(name)
        try:
            data = source.draw(strategy, workspace)
        except (Exception, SystemExit) as error:  # plugin code: reported with its name
            raise DocumentError(f"picture source {name!r} failed: {_describe(error)}") from error
        if data is None:
            continue
        if not isinstance(data, bytes | bytearray) or not bytes(data).startswith(_PNG_SIGNATURE):
            raise DocumentError(
                f"picture source {name!r}: draw() returned {type(data).__name__}, "
                "not the bytes of a PNG picture (or None)"
            )
        pictures[name] = bytes(data)
    return pictures
