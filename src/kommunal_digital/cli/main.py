"""The ``kommunal-digital`` command line, a thin layer over the public API.

The commands live in modules by subject and are imported only when one of
them runs (click's lazy subcommands), so ``kommunal-digital --help`` starts
about as fast as click itself. This module holds the group, the list of
commands with their one-line help, and the console-script entry point. Exit
codes (see ``docs/getting-started.md``): 0 success, 1 invalid input or a
library error, 2 wrong usage (click's), 3 a completeness gate not passed.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from kommunal_digital._version import __version__

__all__ = ["COMMANDS", "cli", "main"]

#: Every command: where it lives and its one-line help in the command list.
COMMANDS: dict[str, tuple[str, str]] = {
    "batch": ("commands_batch:batch", "Build the documents of many strategy files at once."),
    "build": ("commands_documents:build", "Build every document of a strategy file."),
    "calendar": ("commands_data:calendar", "Write deadlines and milestones as iCalendar."),
    "charts": ("commands_documents:charts", "Draw the pictures of a strategy file."),
    "check": ("commands_strategy:check", "Run the governance checks on the organisation."),
    "demo": ("commands_documents:demo", "Write the demo strategy and its documents."),
    "export": ("commands_data:export", "Write a strategy file as a workshop workbook."),
    "import": ("commands_data:import_", "Read a workshop workbook into a strategy file."),
    "init": ("commands_init:init", "Start a new strategy project from a template pack."),
    "pack": ("commands_packs:pack", "Check a template pack, or create a new one."),
    "packs": ("commands_packs:packs", "List the available template packs."),
    "plan": ("commands_strategy:plan", "Schedule the measures and generate the roadmap."),
    "plugins": ("commands_packs:plugins", "List the installed plugins and their hooks."),
    "rank": ("commands_strategy:rank", "Rank the measures and store the ranking."),
    "render": ("commands_documents:render", "Render one document of a strategy file."),
    "validate": ("commands_strategy:validate", "Check a strategy file and list every problem."),
}


class _LazyGroup(click.Group):
    """A group that imports a command's module only when the command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        target, short_help = COMMANDS[cmd_name]
        module_name, _, attribute = target.partition(":")
        module = importlib.import_module(f"kommunal_digital.cli.{module_name}")
        command: click.Command = getattr(module, attribute)
        command.short_help = short_help
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; what plugin code raises and no command caught becomes an error line.

        Plugin code runs inside the commands. Whatever it raises that no
        command caught, ``SystemExit`` included, ends the command with an
        ``error:`` line naming the plugin and its distribution and exit
        status 1, never with a traceback or with the status the plugin
        chose (3 means "gate not passed").
        """
        try:
            return super().invoke(ctx)
        except (KeyboardInterrupt, click.exceptions.Exit, click.Abort, click.ClickException):
            raise
        except BaseException as error:
            message = _plugin_fault(error)
            if message is None:
                raise
            click.echo(f"error: {message}", err=True)
            ctx.exit(1)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The list comes from COMMANDS, so --help imports no command module.
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=_LazyGroup,
    help="Turn digital-strategy workshop results into council-ready documents.",
)
@click.version_option(__version__, prog_name="kommunal-digital")
def cli() -> None:
    """Entry group of the command line."""


#: Modules whose ``SystemExit`` is the command line's own exit status.
_OWN_EXITS = ("kommunal_digital.cli", "click")


def _innermost_module(error: BaseException) -> str:
    tb = error.__traceback__
    module = ""
    while tb is not None:
        name = tb.tb_frame.f_globals.get("__name__")
        module = name if isinstance(name, str) else ""
        tb = tb.tb_next
    return module


def _plugin_fault(error: BaseException) -> str | None:
    """The error line for a failure of plugin code that escaped, or ``None`` when it is ours."""
    from kommunal_digital.plugins.manager import (  # lazy: only when a command failed
        describe_fault,
        plugin_in_traceback,
    )

    if isinstance(error, SystemExit):
        module = _innermost_module(error)
        if module == "__main__" or module.startswith(_OWN_EXITS):
            return None
    found = plugin_in_traceback(error)
    if found is None:
        if not isinstance(error, SystemExit):
            return None  # our own fault: the traceback is what a bug report needs
        where = _innermost_module(error) or "unknown code"
        return f"the command was ended by code outside kommunal-digital ({where}): " + (
            describe_fault(error)
        )
    name, distribution, version = found
    origin = " ".join(part for part in (distribution, version) if part)
    return f"plugin {name!r} ({origin or 'unknown distribution'}) failed: {describe_fault(error)}"


def main() -> None:
    """Run the command line (console script entry point)."""
    cli()
