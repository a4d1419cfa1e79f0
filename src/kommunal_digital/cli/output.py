"""What every command shares: error reporting, exit codes, JSON output, options."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

import kommunal_digital as kd
from kommunal_digital.errors import KommunalDigitalError, OutputExistsError
from kommunal_digital.model.bounds import MAX_DATE, MIN_DATE

if TYPE_CHECKING:
    # The namespaces are imported on first access; this tells the type checker.
    import kommunal_digital.workspace
    from kommunal_digital.model import Strategy
    from kommunal_digital.plugins import Installation
    from kommunal_digital.workspace import Workspace

__all__ = [
    "EXIT_ERROR",
    "EXIT_GATE",
    "EXIT_OK",
    "count",
    "date_option",
    "emit_json",
    "fail",
    "installation",
    "json_option",
    "load_in_workspace",
    "out_file_option",
    "out_folder_option",
    "pack_option",
    "reported",
    "split_list",
    "strategy_argument",
    "workspace_for",
]

#: Success.
EXIT_OK = 0
#: Invalid input, a library error, failed documents or governance errors.
EXIT_ERROR = 1
#: The completeness gate (``validate --gate``) was not passed.
EXIT_GATE = 3
# Exit status 2 is click's: wrong usage (unknown option, missing argument).

_F = TypeVar("_F", bound=Callable[..., Any])


def count(number: int, noun: str) -> str:
    """``1 measure``, ``3 measures``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def fail(message: str, status: int = EXIT_ERROR) -> NoReturn:
    """Print ``error: <message>`` on stderr and exit with ``status``."""
    click.echo(f"error: {message}", err=True)
    sys.exit(status)


@contextlib.contextmanager
def reported() -> Iterator[None]:
    """Turn a library error (or a failed file operation) into ``error: ...`` and status 1.

    The library's messages name the file and field path, so they are
    printed as they are; no traceback reaches the user.
    """
    try:
        yield
    except OutputExistsError as error:
        # The library speaks of its ``force`` argument; here it is a flag.
        fail(str(error).replace("pass force", "pass --force"))
    except KommunalDigitalError as error:
        fail(str(error))
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        fail(f"{where}{error.strerror or error}")


def _plain(value: object) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return str(value)


def emit_json(data: object) -> None:
    """Write one JSON document to stdout (paths and dates as strings)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=_plain))


def json_option(function: _F) -> _F:
    """The ``--json`` flag: a JSON document on stdout instead of text."""
    option = click.option(
        "--json",
        "as_json",
        is_flag=True,
        help="Print one JSON document on stdout instead of text (errors stay on stderr).",
    )
    return option(function)


def strategy_argument(function: _F) -> _F:
    """The ``STRATEGY_FILE`` argument (YAML, JSON or an Excel workbook)."""
    argument = click.argument(
        "strategy_file", type=click.Path(dir_okay=False, path_type=Path), metavar="STRATEGY_FILE"
    )
    return argument(function)


def split_list(values: tuple[str, ...]) -> tuple[str, ...]:
    """Options given several times or comma-separated: ``--format docx,html``."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _to_date(
    ctx: click.Context, param: click.Parameter, value: dt.datetime | None
) -> dt.date | None:
    if value is None:
        return None
    day = value.date()
    if not MIN_DATE <= day <= MAX_DATE:
        # The model takes no date outside these; documents and plans
        # computed from one could not be written.
        raise click.BadParameter(
            f"{day.isoformat()} is outside {MIN_DATE.isoformat()} to {MAX_DATE.isoformat()}"
        )
    return day


def out_file_option(help: str) -> Callable[[_F], _F]:
    """The required ``--out FILE`` option, passed to the command as ``output``."""
    return click.option(
        "--out",
        "output",
        type=click.Path(dir_okay=False, path_type=Path),
        required=True,
        help=help,
    )


def out_folder_option(help: str) -> Callable[[_F], _F]:
    """The required ``--out DIR`` option, passed to the command as ``out_dir``."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        required=True,
        help=help,
    )


def date_option(*names: str, help: str) -> Callable[[_F], _F]:
    """An option taking a calendar date written as ``YYYY-MM-DD``."""
    return click.option(
        *names,
        type=click.DateTime(formats=["%Y-%m-%d"]),
        callback=_to_date,
        metavar="YYYY-MM-DD",
        help=help,
    )


def pack_option(function: _F) -> _F:
    """The ``--pack`` option: overrides the pack the strategy file records."""
    option = click.option(
        "--pack",
        metavar="PACK",
        help="Pack name, pack folder or zip; by default the pack the strategy file records "
        "(the installation's default pack, rlp, for files that record none).",
    )
    return option(function)


def installation() -> Installation:
    """The installation, loaded once per command; its notices go to stderr as warnings.

    A disabled plugin or a plugin author's slip is one ``warning: ...`` line
    naming the plugin; the command itself goes on.
    """
    meta = click.get_current_context().meta
    if "kommunal_digital.installation" not in meta:
        loaded = kd.load_installation()
        for notice in loaded.notices():
            click.echo(f"warning: {notice}", err=True)
        meta["kommunal_digital.installation"] = loaded
    found: Installation = meta["kommunal_digital.installation"]
    return found


def workspace_for(strategy: Strategy | None, pack: str | None) -> Workspace:
    """The workspace a command works in: ``--pack`` if given, else the strategy's pack.

    Problems of plugins while resolving it are printed as warnings.

    Raises:
        PackError: The pack cannot be found.
    """
    spec = pack if pack is not None else (strategy.pack if strategy is not None else None)
    workspace = installation().workspace(spec)
    for problem in workspace.problems:
        click.echo(f"warning: {problem}", err=True)
    return workspace


def load_in_workspace(strategy_file: Path, pack: str | None) -> tuple[Strategy, Workspace]:
    """Load a strategy file, open its workspace and check its extension data there.

    Raises:
        InputFileError: The file is not a valid strategy, or its extension
            data does not fit the shapes the workspace's plugins declare
            (``strategy.yaml: measures[2].extensions.hessen.interkommunal: ...``).
        PackError: The pack cannot be found.
    """
    strategy = kd.load_strategy(strategy_file)
    workspace = workspace_for(strategy, pack)
    schemas = workspace.extension_schemas
    return kd.workspace.check_extensions(strategy, schemas, strategy_file.name), workspace
