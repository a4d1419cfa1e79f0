"""The ``kommunal-digital`` command line, a thin layer over the public API."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from kommunal_digital._version import __version__
from kommunal_digital.errors import KommunalDigitalError

__all__ = ["cli", "main"]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@contextlib.contextmanager
def _reported() -> Iterator[None]:
    """Turn a library error into its message on stderr and exit status 1."""
    try:
        yield
    except KommunalDigitalError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)


@click.group(help="Turn digital-strategy workshop results into council-ready documents.")
@click.version_option(__version__, prog_name="kommunal-digital")
def cli() -> None:
    """Entry group of the command line."""


@cli.command(help="Write the built-in demo (strategy.yaml and Digitalstrategie.docx) into DIR.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-output"),
    show_default=True,
    help="Folder to write into.",
)
@click.option("--force", is_flag=True, help="Overwrite files of an earlier run.")
def demo(out_dir: Path, force: bool) -> None:
    """Write the demo's files."""
    from kommunal_digital.demo import write_demo

    with _reported():
        result = write_demo(out_dir, force=force)
    for path in (result.strategy_file, *result.documents, *result.images):
        click.echo(f"wrote {path}")


@cli.command(help="Check a strategy file (YAML or JSON) and report every problem.")
@click.argument("strategy_file", type=click.Path(dir_okay=False, path_type=Path))
def validate(strategy_file: Path) -> None:
    """Load a strategy file and report problems."""
    from kommunal_digital.io.strategy_file import load_strategy

    with _reported():
        strategy = load_strategy(strategy_file)
    fields, measures = len(strategy.chosen_fields), len(strategy.measures)
    click.echo(
        f"{strategy_file.name}: valid: {strategy.municipality.name}, "
        f"{_count(fields, 'action field')}, {_count(measures, 'measure')}"
    )


@cli.command(help="Render a document of a strategy file into a Word file.")
@click.argument("strategy_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The .docx file to write.",
)
@click.option("--pack", default="rlp", show_default=True, help="Pack name or pack folder.")
@click.option(
    "--type",
    "document_type",
    default="digitalstrategie",
    show_default=True,
    help="Document type.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def render(strategy_file: Path, output: Path, pack: str, document_type: str, force: bool) -> None:
    """Render one document."""
    from kommunal_digital.documents.build import render_document
    from kommunal_digital.io.strategy_file import load_strategy

    with _reported():
        strategy = load_strategy(strategy_file)
        path = render_document(
            strategy, output, document_type=document_type, pack=pack, force=force
        )
    click.echo(f"wrote {path}")


@cli.command(help="Schedule the measures of a strategy file and generate its roadmap.")
@click.argument("strategy_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the planned strategy (YAML or JSON by suffix); "
    "without it, the input file is updated.",
)
def plan(strategy_file: Path, output: Path | None) -> None:
    """Plan a strategy file and report what did not fit."""
    from kommunal_digital.io.strategy_file import dump_strategy, load_strategy
    from kommunal_digital.planning.plan import plan_strategy

    with _reported():
        planned = plan_strategy(load_strategy(strategy_file))
        target = dump_strategy(planned, output or strategy_file, force=True)
    schedule = planned.schedule
    assert schedule is not None  # plan_strategy always sets it
    click.echo(
        f"wrote {target}: {_count(len(schedule.placed), 'measure')} placed, "
        f"{len(schedule.unplaced)} not placed"
    )
    for item in schedule.unplaced:
        click.echo(f"  {item.measure}: {item.reason}")


@cli.command(help="Rank the measures of a strategy file and store the ranking in it.")
@click.argument("strategy_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--rule", help="Ranking rule; by default the file's ranking_rule, else nutzwert.")
@click.option(
    "--out",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the ranked strategy; without it, the input file is updated.",
)
@click.option(
    "--sensitivity",
    "check",
    is_flag=True,
    help="Also report how stable the top 5 is when weights move by up to 20 %.",
)
def rank(strategy_file: Path, rule: str | None, output: Path | None, check: bool) -> None:
    """Rank a strategy file and print the ranking."""
    from kommunal_digital.io.strategy_file import dump_strategy, load_strategy
    from kommunal_digital.ranking.registry import rank_strategy
    from kommunal_digital.ranking.sensitivity import sensitivity

    with _reported():
        strategy = load_strategy(strategy_file)
        ranked = rank_strategy(strategy, rule)
        report = sensitivity(ranked, rule=rule) if check else None
        target = dump_strategy(ranked, output or strategy_file, force=True)
    ranking = ranked.ranking
    assert ranking is not None  # rank_strategy always sets it
    click.echo(f"ranked with {ranking.rule!r}, wrote {target}")
    for entry in ranking.entries:
        title = ranked.measure(entry.measure).title
        click.echo(f"{entry.rank:>3}. {title} ({entry.score:.3f})")
    if report is not None:
        if report.stable:
            click.echo("the top 5 stays the same for weight changes up to 20 %")
        for finding in report.findings:
            moved = ", ".join(
                f"{c.measure} {c.rank_before}->{c.rank_after}" for c in finding.changes
            )
            click.echo(f"weight of {finding.criterion} {finding.change:+.0%}: {moved}")


@cli.command(help="Run the governance checks on a strategy file's organisation.")
@click.argument("strategy_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--max-roles", type=int, default=3, show_default=True, help="Roles one person may hold."
)
def check(strategy_file: Path, max_roles: int) -> None:
    """Print the findings; exit status 1 when there is an error finding."""
    from kommunal_digital.io.strategy_file import load_strategy
    from kommunal_digital.model.labels import Severity
    from kommunal_digital.organisation.governance import run_checks

    with _reported():
        findings = run_checks(load_strategy(strategy_file), options={"max_roles": max_roles})
    for finding in findings:
        click.echo(f"{finding.severity.label}: [{finding.check}] {finding.message}")
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    click.echo(f"{strategy_file.name}: {_count(len(findings), 'finding')}, {errors} error(s)")
    if errors:
        sys.exit(1)


@cli.command(help="Draw the organigram and the stakeholder grid of a strategy file (PNG and SVG).")
@click.argument("strategy_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the pictures into.",
)
@click.option("--force", is_flag=True, help="Overwrite existing pictures.")
def charts(strategy_file: Path, out_dir: Path, force: bool) -> None:
    """Write Organigramm.png/.svg and Stakeholder-Matrix.png/.svg."""
    from kommunal_digital.documents.charts import chart_images
    from kommunal_digital.io.atomic import write_atomic
    from kommunal_digital.io.strategy_file import load_strategy

    with _reported():
        images = chart_images(load_strategy(strategy_file))
        for name, data in images.items():
            click.echo(f"wrote {write_atomic(out_dir / name, data, force=force)}")


@cli.group(help="Work with template packs.")
def pack() -> None:
    """Commands for template packs."""


@pack.command("check", help="Validate a pack folder or zip and list every defect.")
@click.argument("path", type=click.Path(path_type=Path))
def pack_check(path: Path) -> None:
    """Check a pack; exit status 1 when it has defects."""
    from kommunal_digital.packs.check import check_pack

    problems = check_pack(path)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{path.name}: {_count(len(problems), 'problem')}", err=True)
        sys.exit(1)
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
    from kommunal_digital.packs.scaffold import new_pack

    with _reported():
        root = new_pack(name, parent, title=title)
    click.echo(f"created {root}; check it with: kommunal-digital pack check {root}")


@cli.command(help="List the installed plugins with their versions and hooks.")
def plugins() -> None:
    """Print one line per plugin."""
    from kommunal_digital.plugins.manager import describe_plugins

    with _reported():
        rows = describe_plugins()
    for name, version, hooks in rows:
        click.echo(f"{name} {version}: {', '.join(hooks)}")


def main() -> None:
    """Run the command line (console script entry point)."""
    cli()
