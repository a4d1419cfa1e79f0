"""Commands about template packs and plugins."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import kommunal_digital as kd
from kommunal_digital.cli.output import (
    EXIT_ERROR,
    count,
    emit_json,
    installation,
    json_option,
    reported,
)

if TYPE_CHECKING:
    # The namespaces are imported on first access; this tells the type checker.
    import kommunal_digital.authoring
    import kommunal_digital.plugins

__all__ = ["pack", "packs", "plugins"]


@click.command(
    help="List the available template packs (name, version, title, region, extends, plugin) "
    "and the installed plugins that were left out, with the reason."
)
@json_option
def packs(as_json: bool) -> None:
    """Print one row per registered pack, then the disabled plugins."""
    with reported():
        installed = installation()
    found = installed.packs
    rows = [
        {
            "name": name,
            "version": found[name].manifest.version,
            "title": found[name].manifest.title,
            "region": found[name].manifest.region,
            "extends": found[name].manifest.extends,
            "plugin": installed.pack_sources.get(name, ""),
        }
        for name in sorted(found)
    ]
    disabled = [_disabled_data(d) for d in installed.disabled]
    if as_json:
        emit_json({"packs": rows, "disabled": disabled})
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table()
    for column in ("name", "version", "title", "region", "extends", "plugin"):
        table.add_column(column)
    for row in rows:
        table.add_row(*(escape(str(row[key] or "-")) for key in row))
    Console(width=None if sys.stdout.isatty() else 160, highlight=False).print(table)
    for item in installed.disabled:
        click.echo(f"disabled: {item}")


def _disabled_data(item: kd.plugins.DisabledPlugin) -> dict[str, str]:
    return {
        "name": item.name,
        "distribution": item.distribution,
        "version": item.version,
        "reason": item.reason,
    }


@click.group(help="Work with template packs: check one, or create a new one.")
def pack() -> None:
    """Commands for template packs."""


@pack.command("check", help="Validate a pack folder or zip and list every defect.")
@click.argument("path", type=click.Path(path_type=Path))
def pack_check(path: Path) -> None:
    """Check a pack; exit status 1 when it has defects."""
    with reported():
        installed = installation()
        supplied: list[tuple[str, str]] = []
        filters: list[str] = []
        try:
            # The types this pack's workspace knows (plugins are scoped to packs),
            # the templates its plugins supply and the filters they add.
            opened = installed.workspace(path)
            types = dict(opened.document_types)
            supplied = list(opened.templates)
            filters = list(opened.template_filters)
        except kd.KommunalDigitalError:
            types = installed.document_types()  # the pack itself is broken: check_pack says how
        problems = kd.authoring.check_pack(
            path,
            packs=installed.packs,
            document_types=types,
            supplied=supplied,
            filters=filters,
        )
    for problem in problems:
        click.echo(str(problem))
    if not problems:
        # Informational: which keys several sources supply for this pack, who wins.
        with reported():
            conflicts = installed.workspace(path).conflicts
        for conflict in conflicts:
            click.echo(f"conflict: {conflict}")
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


@click.command(
    help="List the plugins: version, distribution and hooks of each, and the installed "
    "plugins left out with the reason. With --conflicts: every key that several plugins "
    "or packs supply, per pack, and which one wins."
)
@click.option("--conflicts", "show_conflicts", is_flag=True, help="List the conflicts instead.")
@json_option
def plugins(show_conflicts: bool, as_json: bool) -> None:
    """Print one line per plugin, or one per conflict."""
    with reported():
        installed = installation()
        conflicts = _conflicts(installed) if show_conflicts else []
    if show_conflicts:
        if as_json:
            emit_json(conflicts)
            return
        for item in conflicts:
            click.echo(
                f"{item['pack']}: {item['registry']} {item['key']!r}: {item['winner']} "
                f"wins over {', '.join(item['overridden'])}"
            )
        click.echo(f"{count(len(conflicts), 'conflict')}")
        return
    rows: list[dict[str, Any]] = [
        {
            "name": info.name,
            "distribution": info.distribution,
            "version": info.version,
            "priority": info.priority,
            "hooks": list(info.hooks),
            "disabled": None,
        }
        for info in installed.plugins.plugins
    ]
    rows += [
        {**_disabled_data(d), "priority": 0, "hooks": [], "disabled": d.reason}
        for d in installed.disabled
    ]
    for row in rows:
        row.pop("reason", None)
    rows.sort(key=lambda row: row["name"])
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        origin = " ".join(part for part in (row["distribution"], row["version"]) if part)
        head = f"{row['name']} {row['version'] or '-'}"
        where = f" ({origin})" if row["distribution"] else ""
        if row["disabled"] is not None:
            click.echo(f"{head}{where}: disabled: {row['disabled']}")
        else:
            click.echo(f"{head}{where}: {', '.join(row['hooks'])}")


def _conflicts(installed: kd.Installation) -> list[dict[str, Any]]:
    found = [
        {
            "pack": "",
            "registry": c.registry,
            "key": c.key,
            "winner": c.winner,
            "overridden": list(c.overridden),
        }
        for c in installed.conflicts
    ]
    for name in sorted(installed.packs):
        workspace = installed.workspace(name)
        found += [
            {
                "pack": name,
                "registry": c.registry,
                "key": c.key,
                "winner": c.winner,
                "overridden": list(c.overridden),
            }
            for c in workspace.conflicts
        ]
    return found
