"""Commands that move a strategy between formats: Excel workbook, calendar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

import kommunal_digital as kd
from kommunal_digital.cli.output import (
    count,
    out_file_option,
    reported,
    split_list,
    strategy_argument,
    workspace_for,
)

if TYPE_CHECKING:
    # The namespaces are imported on first access; this tells the type checker.
    import kommunal_digital.calendars
    import kommunal_digital.io
    import kommunal_digital.workspace

__all__ = ["calendar", "export", "import_"]


@click.command(
    "import",
    help="Read a workshop workbook (.xlsx, written by 'export' and edited) and write it "
    "as a strategy file. Every problem is listed with its sheet and cell.",
)
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@out_file_option("The strategy file to write (.yaml, .yml or .json).")
@click.option(
    "--pack",
    metavar="PACK",
    help="Record this pack in the strategy; by default the one the workbook records, "
    "else the installation's default pack (rlp).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def import_(workbook: Path, output: Path, pack: str | None, force: bool) -> None:
    """Import a workbook into a strategy file."""
    with reported():
        strategy = kd.io.import_workbook(workbook)
        if pack is not None or strategy.pack is None:
            workspace = workspace_for(None, pack)
            strategy = kd.workspace.with_pack(strategy, workspace, replace=True)
        target = kd.dump_strategy(strategy, output, force=force)
    click.echo(
        f"wrote {target}: {strategy.municipality.name}, {count(len(strategy.measures), 'measure')}"
    )


@click.command(
    help="Write a strategy file as a workshop workbook (.xlsx) with one German sheet per "
    "part and dropdowns; 'import' reads it back."
)
@strategy_argument
@out_file_option("The .xlsx file to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def export(strategy_file: Path, output: Path, force: bool) -> None:
    """Export a strategy file to a workbook."""
    if output.suffix.lower() != ".xlsx":
        raise click.BadParameter(
            f"{output.name}: the workbook must end in .xlsx", param_hint="--out"
        )
    with reported():
        target = kd.dump_strategy(kd.load_strategy(strategy_file), output, force=force)
    click.echo(f"wrote {target}")


@click.command(
    help="Write the deadlines and milestones of a strategy file as an iCalendar file (.ics)."
)
@strategy_argument
@out_file_option("The .ics file to write.")
@click.option(
    "--include",
    multiple=True,
    metavar="PART",
    help="What to export: roadmap, profiles, schedule (repeat it or separate with commas); "
    "roadmap and profiles by default.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def calendar(strategy_file: Path, output: Path, include: tuple[str, ...], force: bool) -> None:
    """Export the calendar."""
    parts = split_list(include)
    with reported():
        strategy = kd.load_strategy(strategy_file)
        if parts:
            events = kd.calendars.calendar_events(strategy, include=parts)
            target = kd.calendars.export_calendar(strategy, output, force=force, include=parts)
        else:
            events = kd.calendars.calendar_events(strategy)
            target = kd.calendars.export_calendar(strategy, output, force=force)
    click.echo(f"wrote {target}: {count(len(events), 'event')}")
