"""Commands about template packs and plugins."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

import kommunal_digital as kd
from kommunal_digital.cli.output import EXIT_ERROR, count, emit_json, json_option, reported

if TYPE_CHECKING:
    # The namespaces are imported on first access; this tells the type checker.
    import kommunal_digital.authoring
    import kommunal_digital.plugins

__all__ = ["pack", "packs", "plugins"]


@click.command(help="List the available template packs: name, version, title, region, extends.")
@json_option
def packs(as_json: bool) -> None:
    """Print one row per registered pack."""
    with reported():
        found = kd.load_installation().packs
    rows = [
        {
            "name": name,
            "version": found[name].manifest.version,
            "title": found[name].manifest.title,
            "region": found[name].manifest.region,
            "extends": found[name].manifest.extends,
        }
        for name in sorted(found)
    ]
    if as_json:
        emit_json(rows)
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table()
    for column in ("name", "version", "title", "region", "extends"):
        table.add_column(column)
    for row in rows:
        table.add_row(*(escape(str(row[key] or "-")) for key in row))
    Console(width=None if sys.stdout.isatty() else 120, highlight=False).print(table)


@click.group(help="Work with template packs: check one, or create a new one.")
def pack() -> None:
    """Commands for template packs."""


@pack.command("check", help="Validate a pack folder or zip and list every defect.")
@click.argument("path", type=click.Path(path_type=Path))
def pack_check(path: Path) -> None:
    """Check a pack; exit status 1 when it has defects."""
    with reported():
        installation = kd.load_installation()
        problems = kd.authoring.check_pack(
            path, packs=installation.packs, document_types=installation.document_types()
        )
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{path.name}: {count(len(problems), 'problem')}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"{path.name}: no problems found")


@pack.command("new", help="Create a new, working pack folder NAME to start from.")
@click.argument("name")
@click.option(
    "--dir",
    "parent",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder to create the pack in.",
)
@click.option("--title", default="", help="Title of the pack.")
def pack_new(name: str, parent: Path, title: str) -> None:
    """Scaffold a pack."""
    with reported():
        root = kd.authoring.new_pack(name, parent, title=title)
    click.echo(f"created {root}; check it with: kommunal-digital pack check {root}")


@click.command(help="List the installed plugins with their versions and hooks.")
@json_option
def plugins(as_json: bool) -> None:
    """Print one line per plugin."""
    with reported():
        rows = kd.plugins.describe_plugins(kd.load_installation().manager)
    if as_json:
        emit_json([{"name": n, "version": v, "hooks": hooks} for n, v, hooks in rows])
        return
    for name, version, hooks in rows:
        click.echo(f"{name} {version}: {', '.join(hooks)}")
