"""Producing a strategy's documents with a pack's templates."""

from __future__ import annotations

import datetime as dt
import gc
import io
import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from kommunal_digital.documents.charts import (
    document_images,
    document_pictures,
    draw_aside,
    picture_files,
    stop_drawing_aside,
)
from kommunal_digital.documents.contributions import (
    BUILTIN_PICTURE_ORDER,
    BUILTIN_PICTURES,
    extend_context,
)
from kommunal_digital.documents.council import (
    beschlussvorlage_context,
    partner_beschlussvorlage_context,
)
from kommunal_digital.documents.formats import BUILTIN_OUTPUT_FORMATS
from kommunal_digital.documents.lazy_mapping import MappedView
from kommunal_digital.documents.numbering import measure_numbers
from kommunal_digital.documents.output_set import existing_message, recover, write_set
from kommunal_digital.documents.pdf import convert_to_pdf, find_soffice
from kommunal_digital.drawing import ImageFormat
from kommunal_digital.errors import DocumentError, KommunalDigitalError, OutputExistsError
from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.io.filenames import MAX_FILE_NAME_BYTES, safe_file_name
from kommunal_digital.io.zipguard import read_office_file
from kommunal_digital.model import Strategy
from kommunal_digital.workspace.workspace import DocumentType, OutputFormat, Workspace

__all__ = [
    "BuildResult",
    "DocumentFailure",
    "build_documents",
    "document_context",
    "document_path",
    "per_partner",
    "render_document",
]

#: Sub-folder of the output folder that holds the per-measure documents.
MEASURE_FOLDER = "Steckbriefe"
#: Sub-folder of the output folder that holds the pictures.
PICTURE_FOLDER = "Bilder"


def _known(kind: str, name: str, known: Iterable[str]) -> DocumentError:
    return DocumentError(f"unknown {kind} {name!r} (known: {', '.join(sorted(known))})")


def _format_for(target: Path, formats: Mapping[str, OutputFormat], name: str | None) -> str:
    if name is None:
        by_suffix = {f.suffix: f.name for f in formats.values()}
        found = by_suffix.get(target.suffix.lower())
        if found is None:
            raise DocumentError(
                f"{target.name}: no output format for the suffix {target.suffix!r} "
                f"(known: {', '.join(sorted(by_suffix))})"
            )
        return found
    if name not in formats:
        raise _known("output format", name, formats)
    return name


def per_partner(strategy: Strategy, kind: DocumentType) -> bool:
    """Whether a type is written once per partner council of a joint strategy.

    That is the built-in Beschlussvorlage of a strategy with ``partners``:
    every partner's council adopts the joint strategy with its own share.
    """
    return bool(strategy.partners) and kind.context is beschlussvorlage_context


def _context(
    strategy: Strategy,
    workspace: Workspace,
    kind: DocumentType,
    today: dt.date | None,
    measure: str | None,
    partner: str | None = None,
) -> dict[str, Any]:
    """The type's own context, then what the workspace's context extensions add."""
    if partner is not None:
        context = partner_beschlussvorlage_context(strategy, workspace, today, partner)
    else:
        context = kind.build_context(strategy, workspace, today, measure)
    return extend_context(strategy, workspace, kind.name, context, today)


def _render(
    strategy: Strategy,
    workspace: Workspace,
    kind: DocumentType,
    chosen: OutputFormat,
    *,
    today: dt.date | None,
    measure: str | None,
    images: Mapping[str, bytes] | None,
    partner: str | None = None,
) -> bytes:
    context = _context(strategy, workspace, kind, today, measure, partner)
    template = None
    pictures: Mapping[str, bytes] = {}
    if chosen.needs_template:
        template = workspace.template(kind.name, chosen.template_kind)
        if images is None:
            images = document_images(strategy, workspace)
        pictures = images
    return chosen.produce(template, context, pictures, workspace.template_filters)


def _check_measure(
    strategy: Strategy, kind: DocumentType, measure: str | None, partner: str | None = None
) -> None:
    if kind.per_measure and measure is None:
        raise DocumentError(
            f"{kind.name}: one document per measure; name the measure "
            f"(known: {', '.join(m.key for m in strategy.measures)})"
        )
    keys = [p.key for p in strategy.partners]
    if per_partner(strategy, kind):
        if partner is None:
            raise DocumentError(
                f"{kind.name}: one document per partner council of the joint strategy; "
                f"name the partner (partners: {', '.join(keys)})"
            )
        if partner not in keys:
            raise DocumentError(
                f"{kind.name}: the strategy has no partner {partner!r} "
                f"(partners: {', '.join(keys)})"
            )
    elif partner is not None:
        raise DocumentError(f"{kind.name}: the document type is not written per partner")


def document_context(
    strategy: Strategy,
    workspace: Workspace,
    document_type: str = "digitalstrategie",
    *,
    measure: str | None = None,
    today: dt.date | None = None,
    partner: str | None = None,
) -> dict[str, Any]:
    """The render context of any registered document type (see ``docs/render-context.md``).

    This is the context the templates see (without ``images``, which the
    renderers add) and the one the ``json`` format writes: the type's own
    variables, then those the workspace's context extensions (hook
    ``kd_context_extensions``) add.

    Args:
        strategy: The strategy.
        workspace: Supplies the document types, questionnaires, phase
            guides, text blocks and context extensions.
        document_type: The type, e.g. ``"beschlussvorlage"``.
        measure: The measure's key, for per-measure types such as ``"steckbrief"``.
        today: The date printed in the document.
        partner: The partner's key, for the Beschlussvorlage of a joint
            strategy (one per partner council, see :func:`per_partner`).

    Raises:
        DocumentError: Unknown type, measure or partner, a per-measure type
            without a measure, a per-partner type without a partner; a
            context extension fails or adds a variable the context has
            already (the message names the extension and the variable).
    """
    kind = workspace.document_type(document_type)
    _check_measure(strategy, kind, measure, partner)
    return _context(
        strategy, workspace, kind, today, measure if kind.per_measure else None, partner
    )


def render_document(
    strategy: Strategy,
    output: str | os.PathLike[str],
    workspace: Workspace,
    *,
    document_type: str = "digitalstrategie",
    force: bool = False,
    today: dt.date | None = None,
    output_format: str | None = None,
    measure: str | None = None,
    partner: str | None = None,
) -> Path:
    """Render one document of a strategy into a file.

    Args:
        strategy: The strategy to present.
        output: The file to write (atomically).
        workspace: The pack and registries to render with (types, formats,
            templates).
        document_type: A registered document type, e.g. ``"digitalstrategie"``
            or ``"steckbrief"``.
        force: Overwrite an existing output file.
        today: The date printed in the document; today by default.
        output_format: A registered format (``docx``, ``pdf``, ``markdown``,
            ``html``, ``json``, ...); by default the one whose suffix ``output``
            has. ``pdf`` needs LibreOffice (see :func:`convert_to_pdf`).
        measure: The measure's key, for types written per measure
            (``steckbrief``).
        partner: The partner's key, for the Beschlussvorlage of a joint
            strategy (one per partner council, see :func:`per_partner`).

    Returns:
        The path written.

    Raises:
        DocumentError: Unknown document type, output format or measure, or a
            per-measure type without ``measure``; a context extension or a
            picture source fails or conflicts (the message names it).
        PackError: The pack has no template for the type.
        TemplateRenderError: The template cannot be rendered.
        OutputExistsError: ``output`` exists and ``force`` is false.
    """
    kind = workspace.document_type(document_type)
    _check_measure(strategy, kind, measure, partner)
    formats = workspace.output_formats
    target = Path(output)
    chosen = formats[_format_for(target, formats, output_format)]
    if target.exists() and not force:
        raise OutputExistsError(f"{target}: exists already; pass force to overwrite it")
    data = _render(
        strategy,
        workspace,
        kind,
        chosen,
        today=today,
        measure=measure if kind.per_measure else None,
        images=None,
        partner=partner,
    )
    return write_atomic(target, data, force=force)


def document_path(
    out_dir: Path,
    kind: DocumentType,
    chosen: OutputFormat,
    strategy: Strategy,
    measure: str | None,
    partner: str | None = None,
) -> Path:
    """Where :func:`build_documents` puts a document (see the documented layout).

    Args:
        out_dir: The output folder.
        kind: The document's type.
        chosen: The format it is written in (it gives the suffix).
        strategy: The strategy (a per-measure document carries the
            measure's number, see :mod:`kommunal_digital.documents.numbering`).
        measure: The measure's key for a per-measure type, else ``None``.
        partner: The partner's key for a per-partner document
            (``Beschlussvorlage-<partner>.docx``), else ``None``.

    The name is made safe for Windows, macOS and Linux (see
    :func:`kommunal_digital.io.filenames.safe_file_name`): at most
    :data:`~kommunal_digital.io.filenames.MAX_FILE_NAME_BYTES` bytes with
    the suffix, no reserved device name, no characters Windows refuses.
    """
    folder = out_dir
    if partner is not None:
        stem = f"{kind.title}-{partner}"
    elif measure is None:
        stem = kind.title
    else:
        stem = f"{kind.title}-{measure_numbers(strategy)[measure]:02d}-{measure}"
        folder = out_dir / MEASURE_FOLDER
    # Titles come from plugins and keys from strategy files: the name must
    # suit every file system (see kommunal_digital.io.filenames).
    room = max(MAX_FILE_NAME_BYTES - len(chosen.suffix.encode("utf-8")), 32)
    return folder / (safe_file_name(stem, max_bytes=room) + chosen.suffix)


@attrs.frozen
class DocumentFailure:
    """A document that could not be produced, and why.

    Attributes:
        document_type: The type that failed.
        output_format: The format it was to be written in.
        measure: The measure's key, for per-measure types.
        message: The error message (it names the template or field).
        partner: The partner's key, for per-partner documents.
    """

    document_type: str
    output_format: str
    measure: str | None
    message: str
    partner: str | None = None

    def __str__(self) -> str:
        item = f"{self.document_type}/{self.measure}" if self.measure else self.document_type
        if self.partner:
            item = f"{self.document_type}/{self.partner}"
        return f"{item} ({self.output_format}): {self.message}"


@attrs.frozen
class BuildResult:
    """What :func:`build_documents` wrote and what failed.

    Attributes:
        out_dir: The output folder.
        documents: The documents written, in build order.
        pictures: The pictures written (PNG and SVG).
        failures: Documents that could not be produced; the others were written.
    """

    out_dir: Path
    documents: tuple[Path, ...] = ()
    pictures: tuple[Path, ...] = ()
    failures: tuple[DocumentFailure, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every document was produced."""
        return not self.failures


#: The formats pictures can be written in (``Bilder/``): PNG, and SVG, whose
#: labels stay text (searchable, editable).
PICTURE_FORMATS: tuple[ImageFormat, ...] = ("png", "svg")


def _picture_formats(formats: Sequence[str]) -> tuple[ImageFormat, ...]:
    unknown = [f for f in formats if f not in PICTURE_FORMATS]
    if unknown:
        raise _known("picture format", unknown[0], PICTURE_FORMATS)
    return tuple(f for f in PICTURE_FORMATS if f in formats)  # as ImageFormat, in order


def _pictures(
    strategy: Strategy, out_dir: Path, workspace: Workspace, formats: Sequence[ImageFormat]
) -> Mapping[Path, bytes]:
    """The pictures for ``Bilder/`` by path, each drawn when first read."""
    pictures = picture_files(strategy, workspace, formats=formats)
    return MappedView(
        {out_dir / PICTURE_FOLDER / name: name for name in pictures},
        lambda _, name: pictures[name],
    )


_PICTURE_USE = re.compile(rb"\bimages\.([A-Za-z_][A-Za-z0-9_]*)")
_ANY_USE = re.compile(rb"\bimages\b")
#: A method of the mapping (``images.items()``, ``images.get(...)``), not a picture.
_METHOD_USE = re.compile(rb"\bimages\.(?:items|values|keys|get)\b|\bimages\.[A-Za-z_]\w*\s*\(")
#: Largest text template (Markdown, HTML) looked at for the pictures it shows.
_TEXT_TEMPLATE_BYTES = 8 * 1024 * 1024
#: The parts of a Word template docxtpl renders.
_RENDERED = re.compile(r"word/(?:document|header\d*|footer\d*|footnotes)\.xml")
_IS_DEFINED = re.compile(rb"\bimages\s+is\s+(?:not\s+)?defined\b")


def _pictures_shown(
    workspace: Workspace, kind: DocumentType, fmt: OutputFormat
) -> tuple[str, ...] | None:
    """The pictures the type's template in ``fmt`` may show (names after ``images.``), in order.

    ``None`` for a template that mentions ``images`` in another way too (it
    may show any), or that cannot be read. A build draws aside only the
    pictures its documents show and renders the documents that show fewer
    first, so most need not wait. It only plans the work: a wrong guess
    costs time, never a document.
    """
    if not fmt.needs_template:
        return ()
    try:
        template = workspace.template(kind.name, fmt.template_kind)
        if zipfile.is_zipfile(template):
            # Checked as an Office zip first (shared with compiling), so no
            # zip bomb is unpacked to look at it.
            data = read_office_file(template, DocumentError)
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                sources = [
                    archive.read(name) for name in archive.namelist() if _RENDERED.fullmatch(name)
                ]
        elif template.stat().st_size <= _TEXT_TEMPLATE_BYTES:
            sources = [template.read_bytes()]
        else:
            return None
    except (KommunalDigitalError, OSError, zipfile.BadZipFile, KeyError, ValueError):
        return None
    return _pictures_named(sources)


def _pictures_named(sources: Iterable[bytes]) -> tuple[str, ...] | None:
    """The names after ``images.`` in template sources, in the order they first appear.

    ``None`` if ``images`` is used otherwise: ``images is defined`` (and
    ``is not defined``) shows no picture; any other use (``images['x']``,
    ``images.items()``, a loop over ``images``) may show any.
    """
    names: dict[str, None] = {}
    for source in sources:
        uses = _ANY_USE.findall(_IS_DEFINED.sub(b"", source))
        named = _PICTURE_USE.findall(source)
        if len(uses) > len(named) or _METHOD_USE.search(source):
            return None
        names.update(dict.fromkeys(name.decode() for name in named))
    return tuple(names)


#: The built-in Word and PDF formats: a build converts the PDFs of the
#: built-in format in one LibreOffice run from Word documents (a format a
#: plugin registers under the name ``pdf`` renders each document itself).
_WORD = next(f for f in BUILTIN_OUTPUT_FORMATS if f.name == "docx")
_PDF = next(f for f in BUILTIN_OUTPUT_FORMATS if f.name == "pdf")
#: At most this many documents go to one LibreOffice run, so a run that
#: fails or runs out of time fails no more than these.
_PDF_RUN = 40

#: A build job: type, format, measure key, partner key.
_Job = tuple[DocumentType, OutputFormat, str | None, str | None]
#: A document regardless of its format: type name, measure key, partner key.
_Key = tuple[str, str | None, str | None]


def _produce(
    strategy: Strategy,
    workspace: Workspace,
    kind: DocumentType,
    fmt: OutputFormat,
    measure: str | None,
    partner: str | None,
    *,
    today: dt.date | None,
    images: Mapping[str, bytes] | None,
    reported_as: str | None = None,
) -> bytes | DocumentFailure:
    """One document's bytes, or its failure (reported in ``reported_as``, else in ``fmt``)."""
    try:
        return _render(
            strategy,
            workspace,
            kind,
            fmt,
            today=today,
            measure=measure,
            images=images,
            partner=partner,
        )
    except KommunalDigitalError as error:
        return DocumentFailure(kind.name, reported_as or fmt.name, measure, str(error), partner)
    finally:
        if _frozen():
            # docxtpl leaves object cycles behind; where the long-lived
            # objects are frozen (batch workers) collecting them after
            # each document is cheap and keeps memory flat.
            gc.collect()


#: Whether this process has frozen its long-lived objects (sticky: nothing unfreezes).
_FROZEN: list[bool] = []


def _frozen() -> bool:
    # gc.get_freeze_count() counts the frozen objects one by one (12 ms in
    # a batch worker, once per document was a third of the build time); it
    # is cheap while nothing is frozen, so ask until the answer is yes.
    if not _FROZEN and gc.get_freeze_count():
        _FROZEN.append(True)
    return bool(_FROZEN)


def _pdf_documents(
    strategy: Strategy,
    workspace: Workspace,
    jobs: Mapping[int, _Job],
    word: Mapping[_Key, bytes],
    *,
    today: dt.date | None,
    images: Mapping[str, bytes] | None,
) -> tuple[dict[int, bytes], dict[int, DocumentFailure]]:
    """The PDFs of a build's ``pdf`` jobs (by job index), and those that failed.

    Each document's Word file (the one the build wrote anyway, else
    rendered here) is converted with the others in one LibreOffice run of
    up to ``_PDF_RUN`` documents; LibreOffice starts in about two seconds,
    a document converts in a fraction of one.
    """

    def failure(index: int, message: str) -> DocumentFailure:
        kind, fmt, measure, partner = jobs[index]
        return DocumentFailure(kind.name, fmt.name, measure, message, partner)

    try:
        find_soffice()
    except DocumentError as error:
        return {}, {index: failure(index, str(error)) for index in jobs}
    failures: dict[int, DocumentFailure] = {}
    sources: dict[int, bytes] = {}
    for index, (kind, fmt, measure, partner) in jobs.items():
        found = word.get((kind.name, measure, partner))
        if found is None:
            produced = _produce(
                strategy,
                workspace,
                kind,
                _WORD,
                measure,
                partner,
                today=today,
                images=images,
                reported_as=fmt.name,
            )
            if isinstance(produced, DocumentFailure):
                failures[index] = produced
                continue
            found = produced
        sources[index] = found
    converted: dict[int, bytes] = {}
    pending = list(sources)
    for start in range(0, len(pending), _PDF_RUN):
        run = pending[start : start + _PDF_RUN]
        try:
            pdfs = convert_to_pdf({str(index): sources[index] for index in run}, partial=True)
        except DocumentError as error:
            failures.update({index: failure(index, str(error)) for index in run})
            continue
        for index in run:
            if str(index) in pdfs:
                converted[index] = pdfs[str(index)]
            else:
                failures[index] = failure(
                    index, "LibreOffice produced no PDF from the rendered Word document"
                )
    return converted, failures


def build_documents(
    strategy: Strategy,
    out_dir: str | os.PathLike[str],
    workspace: Workspace,
    *,
    document_types: Sequence[str] | None = None,
    formats: Sequence[str] = ("docx",),
    force: bool = False,
    today: dt.date | None = None,
    pictures: bool = True,
    strict: bool = False,
    picture_formats: Sequence[str] = ("png",),
) -> BuildResult:
    """Produce the full document set of a strategy in one folder.

    Every document is rendered in memory first; then the whole set is
    written into a hidden staging folder inside ``out_dir`` and moved into
    place, replacing the files of an earlier set only once the new set is
    complete. Builds into one folder take turns (a lock on the folder), and
    what a killed build left there is finished or removed by the next one
    (see ``docs/documents.md``). A document that fails is reported in the
    result and the others are still written, unless ``strict`` is set: then
    nothing is written and the failures are raised together.

    The layout (see ``docs/documents.md``): one file per strategy-wide type
    named by its title (``Digitalstrategie.docx``, ``Beschlussvorlage.md``;
    for a joint strategy one Beschlussvorlage per partner council,
    ``Beschlussvorlage-<partner key>.docx``),
    the per-measure types in ``Steckbriefe/`` (``Maßnahmen-Steckbrief-01-<key>.docx``),
    the pictures in ``Bilder/`` (the built-in ones, then those of the
    workspace's picture sources as ``<name>.png``).

    A context extension that fails or adds a variable the context has
    already fails the documents it extends, like any other document error.

    PDF (format ``pdf``) is the Word document converted by LibreOffice
    (see :func:`convert_to_pdf`). The build
    converts all its PDFs together, in one LibreOffice run per 40
    documents, from the Word documents it renders anyway or renders for
    the purpose; ``formats=("pdf",)`` writes only the PDFs, ``("docx",
    "pdf")`` both. Without LibreOffice, or when a run fails, every PDF
    affected is a failure with the reason (what to install, the time limit
    that ran out) and the other formats are still written.

    Args:
        strategy: The strategy.
        out_dir: The folder to write into (created if missing).
        workspace: The pack whose templates are used, and the registered
            types and formats.
        document_types: The types to produce; all registered types by default.
        formats: The output formats, e.g. ``("docx", "html")``.
        force: Overwrite files of an earlier run.
        today: The date printed in the documents.
        pictures: Also write the pictures (organigram, stakeholder grid,
            Gantt chart, maturity radar, the picture sources' pictures).
        picture_formats: The formats of the built-in pictures in ``Bilder/``
            (:data:`PICTURE_FORMATS`): PNG by default, SVG on request. Each
            picture is drawn once per format and strategy; the documents
            embed the same PNG.
        strict: Write nothing unless every document succeeds.

    Returns:
        The paths written and the failures.

    Raises:
        DocumentError: Unknown document type or output format; a picture
            source fails or has the name of a built-in picture; with
            ``strict``, any failed document (all are listed).
        OutputExistsError: A file to be written exists and ``force`` is false
            (checked before anything is written).
        OutputError: The set cannot be written (the old set is kept then), or
            another build held the folder for longer than two minutes.
    """
    folder = Path(out_dir)
    types = workspace.document_types
    wanted = list(types) if document_types is None else list(document_types)
    for name in wanted:
        workspace.document_type(name)
    chosen_formats = [workspace.output_format(name) for name in formats]
    jobs = [
        (types[name], fmt, measure, partner)
        for name in wanted
        for fmt in chosen_formats
        for measure in ([m.key for m in strategy.measures] if types[name].per_measure else [None])
        for partner in (
            [p.key for p in strategy.partners] if per_partner(strategy, types[name]) else [None]
        )
    ]
    targets = [
        document_path(folder, kind, fmt, strategy, measure, partner)
        for kind, fmt, measure, partner in jobs
    ]
    chosen_pictures = _picture_formats(picture_formats) if pictures else ()
    picture_data = _pictures(strategy, folder, workspace, chosen_pictures) if pictures else {}
    # What an interrupted build left is finished or removed first, so the
    # check below sees whole sets. It is repeated under the folder's lock
    # before anything is written; this early one saves the rendering.
    recover(folder)
    existing = [p for p in (*targets, *picture_data) if p.exists() or p.is_symlink()]
    if existing and not force:
        raise OutputExistsError(existing_message(existing))
    try:
        return _build(
            strategy,
            folder,
            workspace,
            jobs,
            targets,
            picture_data,
            picture_formats=chosen_pictures,
            force=force,
            today=today,
            strict=strict,
        )
    finally:
        stop_drawing_aside()


def _build(
    strategy: Strategy,
    folder: Path,
    workspace: Workspace,
    jobs: Sequence[_Job],
    targets: Sequence[Path],
    picture_data: Mapping[Path, bytes],
    *,
    picture_formats: Sequence[ImageFormat],
    force: bool,
    today: dt.date | None,
    strict: bool,
) -> BuildResult:
    """Render every job (documents that show no picture first), then write the set."""
    images = None
    if any(fmt.needs_template for _, fmt, _, _ in jobs):
        images = document_pictures(strategy, workspace)
    outputs: dict[int, bytes] = {}
    failures: dict[int, DocumentFailure] = {}
    word: dict[_Key, bytes] = {}  # Word documents rendered anyway, reused for their PDFs
    shown: dict[tuple[str, str], tuple[str, ...] | None] = {}
    for kind, fmt, _, _ in jobs:
        if (kind.name, fmt.name) not in shown:
            # The built-in PDF is the Word document converted: its template shows.
            looked_at = _WORD if fmt == _PDF else fmt
            shown[(kind.name, fmt.name)] = _pictures_shown(workspace, kind, looked_at)

    def pictures_of(index: int) -> Sequence[str]:
        names = shown[(jobs[index][0].name, jobs[index][1].name)]
        return (
            BUILTIN_PICTURE_ORDER if names is None else [n for n in names if n in BUILTIN_PICTURES]
        )

    # Documents that show fewer pictures first; meanwhile the pictures are
    # drawn aside (where a second core is free) in the order they are needed.
    order = sorted(
        (i for i, job in enumerate(jobs) if job[1] != _PDF), key=lambda i: len(pictures_of(i))
    )
    converted_last = [i for i, job in enumerate(jobs) if job[1] == _PDF]
    needed = dict.fromkeys(name for i in (*order, *converted_last) for name in pictures_of(i))
    draw_aside(
        strategy,
        workspace,
        [
            *((name, "png") for name in needed),
            *((name, fmt) for fmt in picture_formats for name in BUILTIN_PICTURE_ORDER),
        ],
    )
    for index in order:
        kind, fmt, measure, partner = jobs[index]
        produced = _produce(
            strategy, workspace, kind, fmt, measure, partner, today=today, images=images
        )
        if isinstance(produced, DocumentFailure):
            failures[index] = produced
            continue
        outputs[index] = produced
        if fmt == _WORD:
            word[(kind.name, measure, partner)] = produced
    pdf_jobs = {index: job for index, job in enumerate(jobs) if job[1] == _PDF}
    if pdf_jobs and not (strict and failures):
        converted, failed = _pdf_documents(
            strategy, workspace, pdf_jobs, word, today=today, images=images
        )
        outputs.update(converted)
        failures.update(failed)
    rendered = [(targets[index], outputs[index]) for index in sorted(outputs)]
    if strict and failures:
        raise DocumentError(
            f"{folder}: {len(failures)} document(s) failed, nothing written: "
            + "; ".join(str(failures[index]) for index in sorted(failures))
        )
    files = {**dict(rendered), **picture_data}
    if files:
        write_set(folder, files, force=force)
    return BuildResult(
        out_dir=folder,
        documents=tuple(path for path, _ in rendered),
        pictures=tuple(picture_data),
        failures=tuple(failures[index] for index in sorted(failures)),
    )
