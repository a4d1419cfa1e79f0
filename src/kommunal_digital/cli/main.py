"""The ``kommunal-digital`` command line, a thin layer over the public API.

The commands live in modules by subject; this module holds the group and
the console-script entry point. Exit codes (see ``docs/getting-started.md``):
0 success, 1 invalid input or a library error, 2 wrong usage (click's),
3 a completeness gate not passed.
"""

from __future__ import annotations

import click

from kommunal_digital._version import __version__
from kommunal_digital.cli import (
    commands_batch,
    commands_data,
    commands_documents,
    commands_init,
    commands_packs,
    commands_strategy,
)

__all__ = ["cli", "main"]


@click.group(help="Turn digital-strategy workshop results into council-ready documents.")
@click.version_option(__version__, prog_name="kommunal-digital")
def cli() -> None:
    """Entry group of the command line."""


for _command in (
    commands_init.init,
    commands_strategy.validate,
    commands_strategy.rank,
    commands_strategy.plan,
    commands_strategy.check,
    commands_documents.build,
    commands_documents.render,
    commands_documents.charts,
    commands_documents.demo,
    commands_data.import_,
    commands_data.export,
    commands_data.calendar,
    commands_batch.batch,
    commands_packs.packs,
    commands_packs.pack,
    commands_packs.plugins,
):
    cli.add_command(_command)


def main() -> None:
    """Run the command line (console script entry point)."""
    cli()
