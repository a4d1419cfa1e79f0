"""The ``batch`` command: the documents of many municipalities at once."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import kommunal_digital as kd
from kommunal_digital.cli.output import (
    EXIT_ERROR,
    date_option,
    emit_json,
    installation,
    json_option,
    out_folder_option,
    reported,
    split_list,
)

if TYPE_CHECKING:
    import concurrent.futures as cf

    from rich.console import Console

    # The namespaces are imported on first access; this tells the type checker.
    import kommunal_digital.batch
    import kommunal_digital.documents

__all__ = ["batch"]


def _console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # Off a terminal (a pipe, a log file) Rich would assume 80 columns and wrap paths.
    width = None if stream.isatty() else 120
    return Console(stderr=stderr, width=width, highlight=False)


def _sources(sources: tuple[Path, ...]) -> Path | list[Path]:
    folders = [path for path in sources if path.is_dir()]
    if not folders:
        return list(sources)
    if len(sources) == 1:
        return folders[0]
    raise click.BadParameter(
        f"{folders[0]} is a folder: give either one folder or a list of strategy files",
        param_hint="SOURCES",
    )


@contextlib.contextmanager
def _executor(workers: int | None, threads: bool) -> Iterator[cf.Executor | None]:
    if not threads:
        # run_batch's own process pool (--workers sizes it): it survives a
        # dead worker and its workers end when this process is killed.
        yield None
        return
    import concurrent.futures as cf  # lazy: only when a batch runs

    with cf.ThreadPoolExecutor(workers) as pool:
        yield pool


def _item_data(item: kd.batch.BatchItem) -> dict[str, Any]:
    return {
        "source": item.source,
        "status": item.status.value,
        "municipality": item.municipality,
        "out_dir": item.out_dir,
        "documents": item.documents,
        "error": item.error,
        "warnings": list(item.warnings),
        "seconds": round(item.seconds, 3),
    }


def _table(result: kd.batch.BatchResult) -> Any:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Batch: {result.out_dir}")
    table.add_column("Kommune")
    table.add_column("Datei")
    table.add_column("Status")
    table.add_column("Dokumente", justify="right")
    table.add_column("Sekunden", justify="right")
    for item in result.items:
        status = "[green]ok[/green]" if item.ok else "[red]fehlgeschlagen[/red]"
        table.add_row(
            escape(item.municipality or "-"),
            escape(item.source.name),
            status,
            str(len(item.documents)),
            f"{item.seconds:.1f}",
        )
    return table


@click.command(
    help="Build the documents of many strategy files at once, one folder per municipality, "
    "with a progress bar and a summary table. SOURCES is one folder (its .yaml, .yml, .json "
    "and .xlsx files) or a list of strategy files. Exit status 1 when any file failed."
)
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@out_folder_option("Folder for the municipalities' folders (created if missing).")
@click.option(
    "--pack",
    metavar="PACK",
    help="Pack name, folder or zip for every file; by default the pack each file records.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="FORMAT",
    help="Output format: docx, pdf, markdown, html or json (repeat or separate with commas); "
    "docx by default. pdf needs LibreOffice and writes only the PDFs; docx,pdf writes both.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Worker processes; one per CPU by default.",
)
@click.option(
    "--threads", is_flag=True, help="Use threads in this process instead of worker processes."
)
@click.option("--force", is_flag=True, help="Replace municipality folders of an earlier run.")
@date_option(
    "--date",
    "today",
    help="The date printed in the documents (YYYY-MM-DD); today by default.",
)
@json_option
def batch(
    sources: tuple[Path, ...],
    out_dir: Path,
    pack: str | None,
    formats: tuple[str, ...],
    workers: int | None,
    threads: bool,
    force: bool,
    today: dt.date | None,
    as_json: bool,
) -> None:
    """Run a batch and report per municipality."""
    from rich.markup import escape
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    chosen = _sources(sources)
    wanted = split_list(formats) or ("docx",)
    with reported():
        installation()  # plugins left out are named once here, not by every worker
        if "pdf" in wanted:
            # Without LibreOffice every file would fail for it; say so once, up front.
            kd.documents.find_soffice()
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_console(stderr=True),
        disable=as_json,
    )
    task = bar.add_task("Strategien", total=None)

    def advance(done: int, total: int, item: kd.batch.BatchItem) -> None:
        label = "Strategien" if done == total else escape(item.source.name)
        bar.update(task, completed=done, total=total, description=label)

    with reported(), _executor(workers, threads) as pool, bar:
        result = kd.batch.run_batch(
            chosen,
            out_dir,
            executor=pool,
            workers=workers,
            pack=pack,
            formats=wanted,
            force=force,
            today=today,
            progress=advance,
        )
    if as_json:
        emit_json(
            {
                "out_dir": result.out_dir,
                "seconds": round(result.seconds, 3),
                "ok": len(result.ok),
                "failed": len(result.failed),
                "items": [_item_data(item) for item in result.items],
            }
        )
    else:
        console = _console()
        console.print(_table(result))
        click.echo(result.summary().splitlines()[0])
    for item in result.items:
        for warning in item.warnings:
            click.echo(f"warning: {item.source.name}: {warning}", err=True)
    for item in result.failed:
        # One line per failure, each naming its file; multi-line messages are indented.
        click.echo("error: " + str(item).replace("\n", "\n  "), err=True)
    if result.failed:
        sys.exit(EXIT_ERROR)
