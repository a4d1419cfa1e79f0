"""Commands that write documents and pictures: build, render, charts, demo."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

import kommunal_digital as kd
from kommunal_digital.cli.output import (
    EXIT_ERROR,
    date_option,
    emit_json,
    installation,
    json_option,
    load_in_workspace,
    out_file_option,
    out_folder_option,
    pack_option,
    reported,
    split_list,
    strategy_argument,
)

if TYPE_CHECKING:
    # The namespaces are imported on first access; this tells the type checker.
    import kommunal_digital.demo
    import kommunal_digital.documents
    import kommunal_digital.io
    import kommunal_digital.organisation
    import kommunal_digital.workspace

__all__ = ["build", "charts", "demo", "render"]

_DATE_HELP = "The date printed in the documents (YYYY-MM-DD); today by default."


@click.command(
    help="Build every document of a strategy file into a folder: all document types "
    "(or those named with --type) in the formats named with --format, plus the pictures. "
    "A document that fails is listed and gives exit status 1; the others are still written."
)
@strategy_argument
@out_folder_option("Folder to write into (created if missing).")
@pack_option
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="A document type to build (repeat it or separate with commas); all by default.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="FORMAT",
    help="An output format: docx, pdf, markdown, html or json (repeat it or separate with "
    "commas); docx by default. pdf needs LibreOffice and writes only the PDFs; "
    "docx,pdf writes both.",
)
@click.option("--force", is_flag=True, help="Overwrite files of an earlier run.")
@date_option("--date", "today", help=_DATE_HELP)
@click.option(
    "--pictures",
    "picture_formats",
    default="png",
    show_default=True,
    metavar="FORMATS",
    help="The formats of the pictures in Bilder/: png, svg or png,svg; none writes no "
    "pictures (the documents still embed theirs).",
)
@click.option("--no-pictures", is_flag=True, help="Do not write the pictures (--pictures none).")
@click.option(
    "--strict",
    is_flag=True,
    help="Write nothing at all unless every document succeeds, and refuse a strategy the "
    "documents cannot present completely (no measures, unknown costs, passed deadlines, ...).",
)
@click.option(
    "--keep-current",
    is_flag=True,
    help="Keep the stored ranking and schedule where they still fit the data; by default "
    "they are recomputed in memory (stale ones always are).",
)
@click.option(
    "--allow-organisation-errors",
    is_flag=True,
    help="Build even when the governance checks find errors in the organisation "
    "(see the check command); by default such a strategy is refused.",
)
@json_option
def build(
    strategy_file: Path,
    out_dir: Path,
    pack: str | None,
    types: tuple[str, ...],
    formats: tuple[str, ...],
    force: bool,
    today: dt.date | None,
    picture_formats: str,
    no_pictures: bool,
    strict: bool,
    keep_current: bool,
    allow_organisation_errors: bool,
    as_json: bool,
) -> None:
    """Build the whole document set."""
    with reported():
        strategy, workspace = load_in_workspace(strategy_file, pack)
        _refuse_organisation_errors(strategy_file, strategy, workspace, allow_organisation_errors)
        # What the documents cannot honestly say yet is said here, once.
        content = [
            d
            for d in kd.workspace.content_diagnostics(strategy, today)
            if d.code.startswith("content.")
        ]
        for diagnostic in content:
            click.echo(f"warning: {strategy_file.name}: {diagnostic.message}", err=True)
        if strict and content:
            raise kd.KommunalDigitalError(
                f"{strategy_file.name}: --strict: {len(content)} warning(s) above; nothing written"
            )
        refreshed = kd.workspace.refresh_derived(strategy, workspace, keep_current=keep_current)
        for line in refreshed.notices():
            click.echo(f"note: {strategy_file.name}: {line}", err=True)
        strategy = refreshed.strategy
        result = kd.build_documents(
            strategy,
            out_dir,
            workspace,
            document_types=split_list(types) or None,
            formats=split_list(formats) or ("docx",),
            force=force,
            today=today,
            pictures=not no_pictures and picture_formats.strip().lower() != "none",
            picture_formats=split_list((picture_formats.lower(),)) or ("png",),
            strict=strict,
        )
    if as_json:
        emit_json(
            {
                "out_dir": result.out_dir,
                "pack": {"name": workspace.pack.name, "version": workspace.pack.manifest.version},
                "ok": result.ok,
                "documents": result.documents,
                "pictures": result.pictures,
                "failures": [
                    {
                        "document_type": f.document_type,
                        "output_format": f.output_format,
                        "measure": f.measure,
                        "message": f.message,
                    }
                    for f in result.failures
                ],
            }
        )
    else:
        for path in (*result.documents, *result.pictures):
            click.echo(f"wrote {path}")
        click.echo(
            f"{strategy_file.name}: {len(result.documents)} document(s) and "
            f"{len(result.pictures)} picture(s) in {result.out_dir} with the pack "
            f"{workspace.pack.name} {workspace.pack.manifest.version}, "
            f"{len(result.failures)} failed"
        )
    for failure in result.failures:
        click.echo(f"error: {failure}", err=True)
    if not result.ok:
        sys.exit(EXIT_ERROR)


def _refuse_organisation_errors(
    strategy_file: Path, strategy: kd.Strategy, workspace: kd.Workspace, allow: bool
) -> None:
    """Stop ``build`` when the governance checks find errors, unless allowed."""
    findings = kd.organisation.run_checks(strategy, workspace.governance_checks)
    errors = kd.organisation.organisation_errors(findings)
    if not errors:
        return
    level = "warning" if allow else "error"
    for finding in errors:
        click.echo(f"{level}: {strategy_file.name}: [{finding.check}] {finding.message}", err=True)
    if not allow:
        raise kd.KommunalDigitalError(
            f"{strategy_file.name}: the organisation has {len(errors)} error(s); nothing "
            "written (--allow-organisation-errors builds anyway)"
        )


@click.command(help="Render one document of a strategy file (Word, PDF, Markdown, HTML or JSON).")
@strategy_argument
@out_file_option(
    "The file to write; its suffix (.docx, .pdf, .md, .html, .json) decides the format."
)
@pack_option
@click.option(
    "--type",
    "document_type",
    default="digitalstrategie",
    show_default=True,
    help="Document type.",
)
@click.option(
    "--format",
    "output_format",
    help="Output format, instead of the suffix's (pdf needs LibreOffice).",
)
@click.option("--measure", help="The measure's key, for the steckbrief of one measure.")
@click.option(
    "--partner",
    help="The partner's key, for the beschlussvorlage of a joint strategy "
    "(one per partner council).",
)
@date_option("--date", "today", help=_DATE_HELP)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def render(
    strategy_file: Path,
    output: Path,
    pack: str | None,
    document_type: str,
    output_format: str | None,
    measure: str | None,
    partner: str | None,
    today: dt.date | None,
    force: bool,
) -> None:
    """Render one document."""
    with reported():
        strategy, workspace = load_in_workspace(strategy_file, pack)
        refreshed = kd.workspace.refresh_derived(strategy, workspace)
        for line in refreshed.notices():
            click.echo(f"note: {strategy_file.name}: {line}", err=True)
        strategy = refreshed.strategy
        path = kd.render_document(
            strategy,
            output,
            workspace,
            document_type=document_type,
            force=force,
            today=today,
            output_format=output_format,
            measure=measure,
            partner=partner,
        )
    click.echo(f"wrote {path}")


@click.command(
    help="Draw the pictures of a strategy file (PNG and SVG): organigram, stakeholder grid, "
    "Gantt chart of the schedule and radar chart of the maturity check, where it has them."
)
@strategy_argument
@out_folder_option("Folder to write the pictures into.")
@pack_option
@click.option("--force", is_flag=True, help="Overwrite existing pictures.")
def charts(strategy_file: Path, out_dir: Path, pack: str | None, force: bool) -> None:
    """Write the strategy's pictures as PNG and SVG."""
    with reported():
        strategy, workspace = load_in_workspace(strategy_file, pack)
        images = kd.documents.chart_images(strategy, workspace)
        for name, data in images.items():
            written = kd.io.write_atomic(out_dir / name, data, force=force)
            click.echo(f"wrote {written}")


@click.command(
    help="Write the built-in demo into a folder: its strategy.yaml and full document set."
)
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
    with reported():
        workspace = installation().workspace(kd.demo.DEMO_PACK)
        result = kd.write_demo(out_dir, workspace, force=force)
    for path in (result.strategy_file, *result.documents, *result.images):
        click.echo(f"wrote {path}")
