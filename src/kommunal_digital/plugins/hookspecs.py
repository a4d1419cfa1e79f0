"""The plugin contract: every hook kommunal-digital calls.

A plugin is any module or object with functions named like these hooks and
decorated with :data:`kommunal_digital.hookimpl`. Installed plugins are
found through the entry point group ``kommunal_digital``. The built-in
behaviour is itself a plugin (:mod:`kommunal_digital.plugins.builtin`).

Every hook is documented in ``docs/plugin-hooks.md``; a test keeps both in step.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kommunal_digital.plugins.markers import hookspec

if TYPE_CHECKING:
    from kommunal_digital.model import ActionField
    from kommunal_digital.model.catalogue import CatalogueEntry, TextBlock
    from kommunal_digital.model.funding import FundingProgramme
    from kommunal_digital.model.maturity import Questionnaire
    from kommunal_digital.model.organigram_preset import OrganigramPreset
    from kommunal_digital.model.preset import RoadmapPreset
    from kommunal_digital.organisation.findings import GovernanceCheck
    from kommunal_digital.packs.pack import TemplatePack
    from kommunal_digital.ranking.request import RankingRule
    from kommunal_digital.workspace.extensions import ExtensionSchema
    from kommunal_digital.workspace.workspace import (
        ContextExtension,
        DocumentType,
        OutputFormat,
        PictureSource,
        TemplateFilter,
    )


@hookspec
def kd_template_packs() -> Sequence[Path]:  # type: ignore[empty-body]  # a spec: never called
    """Return the folders of the template packs this plugin ships.

    Each folder holds a ``pack.toml``. Packs are looked up by the name in
    their manifest; a pack returned by a later-registered plugin wins over
    one of the same name from an earlier plugin (so a plugin can replace a
    built-in pack).

    Returns:
        Folder paths.
    """


@hookspec
def kd_action_fields(pack: TemplatePack) -> Sequence[ActionField]:  # type: ignore[empty-body]  # a spec: never called
    """Contribute action fields (Handlungsfelder) to a pack's catalogue.

    Called with every pack whose fields are asked for; return an empty list
    for packs the plugin does not serve. Fields are merged by key: a field
    from a later-registered plugin replaces a built-in one with the same key.

    Args:
        pack: The pack whose fields are being collected.

    Returns:
        Action fields.
    """


@hookspec(firstresult=True)
def kd_document_template(pack: TemplatePack, document_type: str, template_kind: str) -> Path | None:
    """Return the template for a document type of a pack.

    The first plugin that returns a path wins; the built-in plugin answers
    last, from the pack's ``[documents]`` table. An implementation that does
    not take ``template_kind`` is asked for Word templates only.

    Args:
        pack: The pack the document is rendered with.
        document_type: E.g. ``"digitalstrategie"``.
        template_kind: ``"docx"`` for a Word template, ``"markdown"`` for a
            Jinja text template (Markdown and HTML are rendered from it).

    Returns:
        Path of a template of that kind, or ``None`` if this plugin has none.
    """


@hookspec
def kd_ranking_rules() -> Sequence[RankingRule]:  # type: ignore[empty-body]  # a spec: never called
    """Contribute ranking rules.

    A rule is any object with a ``name`` (how strategies and packs select
    it), a German ``title`` and a method ``rank(request)`` that takes a
    :class:`~kommunal_digital.ranking.request.RankingRequest` and returns a
    :class:`~kommunal_digital.model.ranking.Ranking` whose entries explain
    every score. A rule from a later-registered plugin replaces a built-in
    rule of the same name.

    Returns:
        Ranking rules.
    """


@hookspec
def kd_organigram_presets() -> Sequence[OrganigramPreset]:  # type: ignore[empty-body]  # a spec: never called
    """Contribute organigram presets (proposals for organising the digital change).

    A preset lists roles and relations; roles marked ``per_field`` are
    repeated for every chosen action field when the preset is built for a
    strategy. A workspace collects presets by key: first the
    ``organigram_presets`` data of its pack chain, then this hook's, a
    preset of a later-registered plugin replacing one with the same key.

    Returns:
        Organigram presets.
    """


@hookspec
def kd_governance_checks() -> Sequence[GovernanceCheck]:  # type: ignore[empty-body]  # a spec: never called
    """Contribute governance checks (validators of a strategy's organisation).

    A check is any object with a ``name``, a German ``title`` and a method
    ``check(strategy, options)`` that yields
    :class:`~kommunal_digital.organisation.findings.Finding` objects. A check
    of a later-registered plugin replaces one with the same name.

    Returns:
        Governance checks.
    """


@hookspec
def kd_catalogue_entries(pack: TemplatePack) -> Sequence[CatalogueEntry]:  # type: ignore[empty-body]  # a spec: never called
    """Contribute example measures (Steckbriefe) to a pack's catalogue.

    Called with every pack whose catalogue is asked for; return an empty list
    for packs the plugin does not serve. Entries are merged by key: an entry
    of a later-registered plugin replaces one with the same key. The
    built-in plugin answers from the pack's ``catalogue`` data (with its
    ``extends`` chain).

    Args:
        pack: The pack whose catalogue is being collected.

    Returns:
        Catalogue entries.
    """


@hookspec
def kd_text_blocks(pack: TemplatePack) -> Sequence[TextBlock]:  # type: ignore[empty-body]  # a spec: never called
    """Contribute text blocks (Textbausteine) to a pack.

    Merged by key like catalogue entries; the built-in plugin answers from
    the pack's ``text_blocks`` data.

    Args:
        pack: The pack whose text blocks are being collected.

    Returns:
        Text blocks.
    """


@hookspec
def kd_roadmap_presets() -> Sequence[RoadmapPreset]:  # type: ignore[empty-body]  # a spec: never called
    """Contribute roadmap presets (procedures after the workshop).

    A workspace collects presets by key: first the ``roadmap_presets`` data
    of its pack and the packs it extends (the bundled ``base`` pack ships the
    three-phase default ``standard``), then this hook's, a preset of a
    later-registered plugin replacing one with the same key.

    Returns:
        Roadmap presets.
    """


@hookspec
def kd_document_types() -> Sequence[DocumentType]:  # type: ignore[empty-body]  # a spec: never called
    """Contribute document types.

    A document type has a ``name`` (packs name their template for it in
    ``[documents]``), a German ``title`` and a ``context`` function that
    builds the render context from a strategy, the workspace and the date
    to print (``measure_context`` for a type written once per measure).
    Types are collected by name; a later-registered plugin replaces a type
    of the same name.

    Returns:
        Document types.
    """


@hookspec
def kd_output_formats() -> Sequence[OutputFormat]:  # type: ignore[empty-body]  # a spec: never called
    """Contribute output formats.

    An output format has a ``name``, a file ``suffix`` and a ``render``
    function taking (template or ``None``, context, pictures) and returning
    the file's bytes. Formats are collected by name; a later-registered plugin
    replaces a format of the same name. The built-in plugin supplies
    ``docx``, ``pdf`` (the Word document converted by LibreOffice),
    ``markdown``, ``html`` and ``json`` (the render context itself).

    Returns:
        Output formats.
    """


@hookspec
def kd_maturity_questionnaires() -> Sequence[Questionnaire]:  # type: ignore[empty-body]  # a spec: never called
    """Contribute maturity questionnaires (Digicheck).

    A questionnaire has questions by dimension, each with scored answers.
    A workspace collects questionnaires by key: those in the
    ``questionnaires`` data of its pack chain first (the bundled ``base``
    pack ships ``digicheck``), then the hook's, a later one replacing an
    earlier one with the same key.

    Returns:
        Questionnaires.
    """


@hookspec
def kd_funding_programmes(pack: TemplatePack) -> Sequence[FundingProgramme]:  # type: ignore[empty-body]  # a spec: never called
    """Contribute funding programmes (Förderprogramme) to a pack's catalogue.

    Called with the pack whose programmes are asked for; return an empty
    list for packs the plugin does not serve. Programmes are merged by key:
    a programme of a later-registered plugin replaces one with the same key.
    The built-in plugin answers from the pack's ``funding_programmes`` data
    (with its ``extends`` chain).

    Args:
        pack: The pack whose programmes are being collected.

    Returns:
        Funding programmes.
    """


@hookspec
def kd_extension_schemas() -> Sequence[ExtensionSchema]:  # type: ignore[empty-body]  # a spec: never called
    """Declare the shape of this plugin's extension data.

    Measures, action fields and catalogue entries carry
    ``extensions: {<key>: {...}}``; the data under a key is checked against
    the attrs class its schema names when a strategy is loaded in a
    workspace, and errors name the file and the field path.

    Returns:
        Extension schemas, one per key.
    """


@hookspec
def kd_context_extensions() -> Sequence[ContextExtension]:  # type: ignore[empty-body]  # a spec: never called
    """Add variables to the render context of document types.

    An extension names the document types it extends (empty: all) and
    returns the variables to add, after the type has built its context. A
    variable the context has already is never replaced: the document fails
    with a ``DocumentError`` naming the extension and the variable, as it
    does when the extension raises. The ``json`` format writes the extended
    context.

    Returns:
        Context extensions.
    """


@hookspec
def kd_picture_sources() -> Sequence[PictureSource]:  # type: ignore[empty-body]  # a spec: never called
    """Contribute pictures that templates embed as ``images.<name>``.

    Each source draws a PNG from the strategy (or ``None``); ``build``
    also writes it into ``Bilder/<name>.png``. The names of the built-in
    pictures (``organigramm``, ``stakeholder``, ``zeitplan``,
    ``reifegrad``) are refused with a ``DocumentError`` naming the source.

    Returns:
        Picture sources.
    """


@hookspec
def kd_template_filters() -> Sequence[TemplateFilter]:  # type: ignore[empty-body]  # a spec: never called
    """Add filters to the template language (Word and Markdown templates alike).

    A :class:`~kommunal_digital.workspace.TemplateFilter` has a ``name``
    (how templates use it, ``{{ measure.key|aktenzeichen }}``) and a
    ``function`` taking the filtered value first. The function runs in the
    sandbox with the limits of the built-in filters; an exception it raises
    fails the document with a message naming the filter.

    Filters are collected by name; a later-registered plugin replaces a
    filter of the same name (a reported conflict). A name that is not a
    Python identifier, starts with ``_`` or is that of a built-in filter
    (Jinja's, the German ones such as ``euro`` and ``datum``, ``bild``,
    ``link``) is left out and reported in ``workspace.problems``, as is a
    filter whose ``function`` cannot be called.

    Returns:
        Template filters.
    """
