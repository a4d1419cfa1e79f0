"""The workspace: a pack and everything the installed plugins supply for it, resolved once.

A :class:`Workspace` is plain, read-only data. It is built by
:func:`kommunal_digital.open_workspace` (or ``Installation.workspace``) and
handed to every function that needs a registry; nothing below it asks the
plugins for anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol, TypeVar, runtime_checkable

import attrs

from kommunal_digital.errors import DocumentError, ModelValidationError, PackError
from kommunal_digital.maturity.questionnaires import questionnaire_for
from kommunal_digital.model import ActionField, Strategy
from kommunal_digital.model.catalogue import CatalogueEntry, TextBlock
from kommunal_digital.model.funding import FundingProgramme
from kommunal_digital.model.labels import MaturityPhase
from kommunal_digital.model.maturity import PhaseGuide, Questionnaire
from kommunal_digital.model.organigram_preset import OrganigramPreset
from kommunal_digital.model.preset import RoadmapPreset
from kommunal_digital.organisation.findings import GovernanceCheck
from kommunal_digital.packs.pack import TemplatePack
from kommunal_digital.ranking.request import RankingRule
from kommunal_digital.workspace.extensions import ExtensionSchema

__all__ = [
    "Conflict",
    "ContextBuilder",
    "ContextExtension",
    "DocumentType",
    "MeasureContextBuilder",
    "OutputFormat",
    "PictureSource",
    "Renderer",
    "TemplateFilter",
    "Workspace",
    "template_name",
]

K = TypeVar("K")
V = TypeVar("V")

#: Builds the render context of a document about the whole strategy:
#: ``(strategy, workspace, today)``, where ``today`` is the date to print
#: (``None`` for today).
ContextBuilder = Callable[[Strategy, "Workspace", dt.date | None], dict[str, Any]]
#: Builds the render context of a per-measure document:
#: ``(strategy, workspace, measure, today)``, ``measure`` being the measure's key.
MeasureContextBuilder = Callable[[Strategy, "Workspace", str, dt.date | None], dict[str, Any]]
#: Writes a document: ``(template, context, pictures)`` to the file's bytes;
#: ``template`` is ``None`` for formats that need none, ``pictures`` are PNG
#: bytes by the name templates use.
Renderer = Callable[[Path | None, Mapping[str, Any], Mapping[str, bytes]], bytes]
#: Like :data:`Renderer`, with the filters plugins add to the template
#: language as a fourth argument (by name); see :attr:`OutputFormat.takes_filters`.
FilterRenderer = Callable[
    [Path | None, Mapping[str, Any], Mapping[str, bytes], Mapping[str, Callable[..., Any]]], bytes
]

#: The kinds of template a pack can supply: Word, and Jinja text (Markdown, HTML).
TEMPLATE_KINDS = ("docx", "markdown")


def template_name(document_type: str, template_kind: str) -> str:
    """The key under which a pack's ``[documents]`` table names a template.

    Word templates go by the document type (``steckbrief``), other kinds add
    the kind (``steckbrief-markdown``).

    Args:
        document_type: The document type's name.
        template_kind: One of :data:`TEMPLATE_KINDS`.
    """
    return document_type if template_kind == "docx" else f"{document_type}-{template_kind}"


@attrs.frozen
class DocumentType:
    """A kind of document a strategy can be rendered into.

    A type is either about the whole strategy (``context``) or written once
    per measure (``measure_context``, e.g. the Maßnahmen-Steckbrief); exactly
    one of the two builders is given. Both receive the workspace, so a
    context can use the pack's text blocks, funding programmes and
    questionnaires.

    Attributes:
        name: Identifier, e.g. ``"digitalstrategie"``; packs name their
            template for it in ``[documents]``.
        title: German title, also the default file name.
        context: Builds the render context from a strategy, the workspace
            and the date to print.
        measure_context: Builds the render context of one measure from the
            strategy, the workspace, the measure's key and the date to print.
        variables: The top-level variables of the context, as documented;
            ``pack check`` reports template variables outside them (empty:
            not checked).
    """

    name: str
    title: str
    context: ContextBuilder | None = None
    measure_context: MeasureContextBuilder | None = None
    variables: frozenset[str] = frozenset()

    def __attrs_post_init__(self) -> None:
        if (self.context is None) == (self.measure_context is None):
            raise ModelValidationError(
                "context", f"document type {self.name!r} needs either context or measure_context"
            )

    @property
    def per_measure(self) -> bool:
        """Whether one document is written for each measure."""
        return self.measure_context is not None

    def build_context(
        self,
        strategy: Strategy,
        workspace: Workspace,
        today: dt.date | None,
        measure: str | None = None,
    ) -> dict[str, Any]:
        """Build the render context, for one measure if the type is per measure.

        Args:
            strategy: The strategy the document is about.
            workspace: The workspace the document is rendered with.
            today: The date to print; ``None`` for today.
            measure: The measure's key; required for a per-measure type,
                ignored otherwise.

        Raises:
            ModelValidationError: The type is per measure and no measure is given.
        """
        if self.measure_context is not None:
            if measure is None:
                raise ModelValidationError(
                    "measure", f"the document type {self.name!r} is written per measure"
                )
            return self.measure_context(strategy, workspace, measure, today)
        assert self.context is not None  # guaranteed by __attrs_post_init__
        return self.context(strategy, workspace, today)


@attrs.frozen
class OutputFormat:
    """A file format documents are written in.

    Attributes:
        name: Identifier, e.g. ``"docx"``.
        suffix: File suffix including the dot, e.g. ``".docx"``.
        render: Turns (template or ``None``, context, pictures) into bytes.
        needs_template: Whether the format renders a pack template.
        template_kind: Which kind of template it renders: ``"docx"`` (Word)
            or ``"markdown"`` (a Jinja text template, also the source of HTML).
        takes_filters: Whether ``render`` takes the workspace's template
            filters (:class:`TemplateFilter`, by name) as a fourth argument
            (a :data:`FilterRenderer`); formats written before filters
            existed leave it false and are called with three.
    """

    name: str
    suffix: str
    render: Renderer | FilterRenderer
    needs_template: bool = True
    template_kind: str = "docx"
    takes_filters: bool = False

    def produce(
        self,
        template: Path | None,
        context: Mapping[str, Any],
        pictures: Mapping[str, bytes],
        filters: Mapping[str, TemplateFilter] | None = None,
    ) -> bytes:
        """Render a document in this format, handing over the filters if it takes them.

        Args:
            template: The template, or ``None`` for formats that need none.
            context: The render context.
            pictures: Pictures by the name templates use.
            filters: The workspace's template filters by name.
        """
        if self.takes_filters:
            functions = {name: f.function for name, f in (filters or {}).items()}
            return self.render(template, context, pictures, functions)  # type: ignore[call-arg]
        return self.render(template, context, pictures)  # type: ignore[call-arg]


@attrs.frozen
class TemplateFilter:
    """A filter a plugin adds to the template language of the packs it serves.

    Returned by the ``kd_template_filters`` hook. Templates use it like the
    built-in filters, ``{{ measure.key|aktenzeichen }}``. The function runs
    inside the sandbox with the same limits as the built-in filters: its
    result counts against the size limit, an exception it raises fails the
    document with a message naming the filter and the template, and it
    cannot replace a built-in filter.

    It should be pure: take a value (and optional arguments) and return a
    new one, without reading files, the network or global state.

    Attributes:
        name: The filter's name in templates, a Python identifier.
        function: The function; the first argument is the filtered value.
    """

    name: str
    function: Callable[..., Any]


@runtime_checkable
class ContextExtension(Protocol):
    """Adds variables to the render context of document types, built-in or not.

    Returned by the ``kd_context_extensions`` hook; a document's context is
    built first, then each extension of its type adds its variables (see
    :func:`kommunal_digital.documents.document_context`). An extension
    cannot replace a variable that exists: the document then fails with a
    :class:`~kommunal_digital.errors.DocumentError` naming the extension and
    the variable, as it does when ``extend`` raises.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Foerderprogramme:
        ...     name: str = "foerderprogramme"
        ...     document_types: frozenset[str] = frozenset({"beschlussvorlage"})
        ...
        ...     def extend(self, strategy, workspace, document_type, context, today):
        ...         titles = sorted(p.title for p in workspace.funding_programmes.values())
        ...         return {"foerderprogramme": titles}
    """

    @property
    def name(self) -> str:
        """Identifier, for conflicts and error messages."""
        ...  # pragma: no cover - protocol

    @property
    def document_types(self) -> frozenset[str]:
        """The document types it extends; empty for all."""
        ...  # pragma: no cover - protocol

    def extend(
        self,
        strategy: Strategy,
        workspace: Workspace,
        document_type: str,
        context: Mapping[str, Any],
        today: dt.date | None,
    ) -> Mapping[str, Any]:
        """Return the variables to add to ``context``.

        Args:
            strategy: The strategy the document is about.
            workspace: The workspace the document is rendered with.
            document_type: The type being rendered, e.g. ``"beschlussvorlage"``.
            context: The context built so far, read-only (for a per-measure
                type the measure is ``context["measure"]["key"]``).
            today: The date the document was asked for, ``None`` for today
                (``context["document"]["date"]`` is the date printed).

        Returns:
            New variables by name, as plain data (dicts, lists, text,
            numbers, dates, ``Decimal``, ``None``).
        """
        ...  # pragma: no cover - protocol


@runtime_checkable
class PictureSource(Protocol):
    """Draws a picture that templates embed as ``images.<name>``.

    Returned by the ``kd_picture_sources`` hook. ``build`` also writes the
    picture into ``Bilder/<name>.png``. The name is a key and cannot be that
    of a built-in picture (``organigramm``, ``stakeholder``, ``zeitplan``,
    ``reifegrad``).
    """

    @property
    def name(self) -> str:
        """The picture's name in templates, and its file name in ``Bilder/``."""
        ...  # pragma: no cover - protocol

    def draw(self, strategy: Strategy, workspace: Workspace) -> bytes | None:
        """PNG bytes, or ``None`` when the strategy gives nothing to draw.

        Args:
            strategy: The strategy the document is about.
            workspace: The workspace the document is rendered with.
        """
        ...  # pragma: no cover - protocol


@attrs.frozen
class Conflict:
    """Two or more sources supplied the same key of a registry; the last one won.

    Attributes:
        registry: E.g. ``action_fields``, ``ranking_rules``, ``packs``.
        key: The key (or name) supplied more than once.
        winner: The source whose item is used (``plugin <name>`` or ``pack <name>``).
        overridden: The sources whose items were replaced, in merge order.
    """

    registry: str
    key: str
    winner: str
    overridden: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"{self.registry}: {self.key!r} from {', '.join(self.overridden)} "
            f"is replaced by {self.winner}"
        )


def _frozen(items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> Mapping[K, V]:
    return MappingProxyType(dict(items))


def _field(default: Any = ()) -> Any:
    return attrs.field(factory=lambda: _frozen(default), converter=_frozen)


@attrs.frozen(kw_only=True)
class Workspace:
    """Everything a strategy is worked on with: a pack and the resolved registries.

    Built once per command or application (see
    :func:`kommunal_digital.open_workspace`); every registry is a read-only
    mapping by key or name, merged in the documented order (the pack's own
    data after its parents', then the plugins). Registries that apply to any
    pack (ranking rules, governance checks, document types, output formats)
    come from the plugins alone.

    Attributes:
        pack: The pack, with the chain of packs it extends.
        action_fields: Action fields (Handlungsfelder) by key.
        catalogue: Catalogue entries (example measures) by key.
        text_blocks: Text blocks (Textbausteine) by key.
        funding_programmes: Funding programmes (Förderprogramme) by key.
        questionnaires: Maturity questionnaires (Digicheck) by key.
        phase_guides: The pack's guide for each maturity phase it covers.
        roadmap_presets: Procedures after the workshop, by key.
        organigram_presets: Proposals for the organisation, by key.
        ranking_rules: Ranking rules by name.
        governance_checks: Governance checks by name.
        document_types: Document types by name.
        output_formats: Output formats by name.
        templates: Template files by (document type, template kind).
        extension_schemas: The shapes of plugins' extension data, by key.
        context_extensions: What plugins add to render contexts.
        picture_sources: Pictures plugins draw for templates.
        template_filters: Filters plugins add to the template language, by name.
        plugins: Names of the plugins the registries came from, in merge
            order (plugins out of the pack's scope are not among them).
        conflicts: Keys that more than one source supplied (the last won).
        problems: Contributions left out because an installed plugin
            failed while answering a hook (one line each, naming it).
    """

    pack: TemplatePack
    action_fields: Mapping[str, ActionField] = _field()
    catalogue: Mapping[str, CatalogueEntry] = _field()
    text_blocks: Mapping[str, TextBlock] = _field()
    funding_programmes: Mapping[str, FundingProgramme] = _field()
    questionnaires: Mapping[str, Questionnaire] = _field()
    phase_guides: Mapping[MaturityPhase, PhaseGuide] = _field()
    roadmap_presets: Mapping[str, RoadmapPreset] = _field()
    organigram_presets: Mapping[str, OrganigramPreset] = _field()
    ranking_rules: Mapping[str, RankingRule] = _field()
    governance_checks: Mapping[str, GovernanceCheck] = _field()
    document_types: Mapping[str, DocumentType] = _field()
    output_formats: Mapping[str, OutputFormat] = _field()
    templates: Mapping[tuple[str, str], Path] = _field()
    extension_schemas: Mapping[str, ExtensionSchema] = _field()
    context_extensions: tuple[ContextExtension, ...] = ()
    picture_sources: tuple[PictureSource, ...] = ()
    template_filters: Mapping[str, TemplateFilter] = _field()
    plugins: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def wording(self) -> Mapping[str, str]:
        """The pack's wording of recurring document terms (``[wording]`` along its chain)."""
        return MappingProxyType(self.pack.wording())

    def questionnaire(self, key: str) -> Questionnaire:
        """The questionnaire with this key.

        Args:
            key: The questionnaire's key, e.g. a maturity check's ``questionnaire``.

        Raises:
            ModelValidationError: No questionnaire has the key; the message
                names the field ``maturity_check.questionnaire``.
        """
        return questionnaire_for(key, self.questionnaires)

    def document_type(self, name: str) -> DocumentType:
        """The document type with this name.

        Args:
            name: The type's name, e.g. ``"digitalstrategie"``.

        Raises:
            DocumentError: No such type is registered.
        """
        if name not in self.document_types:
            raise _unknown("document type", name, self.document_types)
        return self.document_types[name]

    def output_format(self, name: str) -> OutputFormat:
        """The output format with this name.

        Args:
            name: The format's name, e.g. ``"docx"``.

        Raises:
            DocumentError: No such format is registered.
        """
        if name not in self.output_formats:
            raise _unknown("output format", name, self.output_formats)
        return self.output_formats[name]

    def template(self, document_type: str, template_kind: str = "docx") -> Path:
        """The template file for a document type, as a plugin or the pack supplies it.

        Args:
            document_type: The document type's name.
            template_kind: One of :data:`TEMPLATE_KINDS`.

        Raises:
            PackError: Neither a plugin nor the pack supplies such a template.
        """
        found = self.templates.get((document_type, template_kind))
        if found is None:
            known = ", ".join(sorted(self.pack.documents())) or "none"
            kind = "" if template_kind == "docx" else f"{template_kind} "
            raise PackError(
                f"{self.pack.name}: no {kind}template for document type {document_type!r} "
                f"(available: {known})"
            )
        return found


def _unknown(kind: str, name: str, known: Iterable[str]) -> DocumentError:
    return DocumentError(f"unknown {kind} {name!r} (known: {', '.join(sorted(known))})")
