"""``pack check``: everything that can be wrong with a pack, reported at once."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import jinja2
from jinja2 import meta, nodes
from jinja2.exceptions import SecurityError

from kommunal_digital.documents.contexts import BUILTIN_DOCUMENT_TYPES
from kommunal_digital.documents.contributions import BUILTIN_PICTURES
from kommunal_digital.documents.docx_errors import docx_error_location, part_label
from kommunal_digital.documents.environment import hide_block_lines, make_environment
from kommunal_digital.documents.template_cache import RENDERED_PROPERTIES, patch_word_xml
from kommunal_digital.errors import InputFileError, KommunalDigitalError, PackError
from kommunal_digital.io.zipguard import office_zip_problems
from kommunal_digital.packs.archive import check_zip
from kommunal_digital.packs.assets import asset_type, load_asset
from kommunal_digital.packs.chain import with_parents
from kommunal_digital.packs.data import DATA_KINDS
from kommunal_digital.packs.manifest import EXCLUDE_ALL
from kommunal_digital.packs.pack import TemplatePack, load_pack
from kommunal_digital.workspace.workspace import TEMPLATE_KINDS, DocumentType, template_name

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

__all__ = [
    "CONTEXT_VARIABLES",
    "PackProblem",
    "builtin_filter_names",
    "check_pack",
    "lint_template",
    "lint_text_template",
]

#: Top-level variables of the Digitalstrategie render context (docs/render-context.md).
CONTEXT_VARIABLES = BUILTIN_DOCUMENT_TYPES[0].variables

# docxtpl puts each paragraph on a line of its own before compiling, so a
# Jinja line number points at a paragraph (documents/template_cache.py).
_PARAGRAPH = re.compile(r"<w:p([ >])")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_PARTS = ("the body", "header", "footer", "the footnotes")


@functools.cache
def builtin_filter_names() -> frozenset[str]:
    """The names of the filters every template has: Jinja's, the German ones, ``bild``, ``link``.

    A plugin's filter (hook ``kd_template_filters``) cannot take one of them.
    """
    return frozenset(make_environment().filters)


@attrs.frozen
class PackProblem:
    """One defect of a pack: where it is and what is wrong.

    Attributes:
        where: The file, table or key of the pack concerned.
        message: What is wrong there.
    """

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def lint_template(
    path: Path,
    variables: frozenset[str] = CONTEXT_VARIABLES,
    *,
    filters: Collection[str] = (),
) -> list[str]:
    """Check a .docx template's Jinja syntax, variables and filters.

    The body, headers, footers, footnotes and the document properties are
    checked; a problem names the part and quotes the paragraph it sits in.

    Args:
        path: The Word template.
        variables: The top-level variables the template may use (those of
            its document type); empty: not checked.
        filters: The names of the filters plugins add for the pack (the
            keys of ``workspace.template_filters``); a filter that is
            neither one of them nor built in is reported.

    Returns:
        One message per problem (empty when the template is fine).
    """
    return _lint_word(path, variables, filters, frozenset())


def _lint_word(
    path: Path, variables: frozenset[str], filters: Collection[str], svg: frozenset[str]
) -> list[str]:
    """:func:`lint_template`, also reporting uses of the pack's SVG pictures ``svg``."""
    from docx.opc.exceptions import PackageNotFoundError  # lazy: lxml
    from docxtpl import DocxTemplate  # lazy: heavy
    from lxml.etree import LxmlError  # lazy: lxml

    # A .docx is a zip: nothing opens it unless it keeps to the limits.
    refused = office_zip_problems(path)
    if any(problem.no_zip for problem in refused):
        return ["not a Word (.docx) document"]
    if refused:
        return [str(problem) for problem in refused]
    try:
        sources = _word_sources(DocxTemplate(str(path)))
    except PackageNotFoundError:
        return ["not a Word (.docx) document"]
    except (KeyError, ValueError, OSError, LxmlError) as exc:
        # LxmlError: a part whose XML is broken.
        return [f"cannot be read: {exc}"]
    env = make_environment()
    known = builtin_filter_names() | frozenset(filters)
    problems: list[str] = []
    used: set[str] = set()
    for part, source, original in sources:
        place = functools.partial(_paragraph_place, part, source, original)
        try:
            tree = env.parse(source)
            problems.extend(_unknown_filters(tree, known, env.tests, place))
            problems.extend(_svg_pictures(tree, svg, place))
            used |= _undeclared(env, tree)
        except jinja2.TemplateError as exc:
            problems.append(_compile_problem(exc, place(getattr(exc, "lineno", None))))
    return problems + _unknown_variables(used, variables)


def _svg_pictures(
    tree: nodes.Template, svg: frozenset[str], place: Callable[[int | None], str]
) -> list[str]:
    """Places where a Word template shows an SVG picture, which Word documents cannot hold."""
    problems = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            target, name = node.node, node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            target, name = node.node, node.arg.value
        else:
            continue
        if isinstance(target, nodes.Name) and target.name == "images" and name in svg:
            problems.append(
                f"shows the SVG picture {name!r} ({place(node.lineno)}); Word documents take "
                "PNG or JPEG pictures only, so ship a PNG of it"
            )
    return problems


def _word_sources(template: DocxTemplate) -> list[tuple[str, str, str]]:
    """The parts of a Word template docxtpl compiles, as (part, compiled source, original)."""
    template.init_docx()
    raw = [(part_label("/word/document.xml"), template.get_xml())]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        raw.extend(
            (part_label(str(part.partname)), template.get_part_xml(part))
            for _, part in template.get_headers_footers(uri)
        )
    for part in template.docx.part.package.parts:
        if part.content_type == _FOOTNOTES:
            blob = part.blob
            raw.append(
                (
                    part_label(str(part.partname)),
                    blob.decode("utf-8") if isinstance(blob, bytes) else blob,
                )
            )
    sources = [
        (label, _PARAGRAPH.sub(r"\n<w:p\1", patch_word_xml(template, xml)), xml)
        for label, xml in raw
    ]
    for name in RENDERED_PROPERTIES:
        value = getattr(template.docx.core_properties, name)
        if value:
            sources.append((f"document property {name!r}", value, ""))
    return sources


def _paragraph_place(part: str, source: str, original: str, lineno: int | None) -> str:
    """Name the part, quote the paragraph and give the table cell of a line of compiled XML."""
    if part.startswith("document property"):
        return part
    return docx_error_location(source, lineno, part, original or None).removeprefix("in ")


def _compile_problem(error: jinja2.TemplateError, place: str) -> str:
    where = f" ({place})" if place else ""
    if isinstance(error, jinja2.TemplateSyntaxError):
        if place.startswith(_PARTS) and (error.message or "").startswith("Unexpected end"):
            # Jinja points at the last paragraph, not at the block left open.
            where = f" ({place.partition(',')[0]})"
        return f"template syntax error{where}: {error.message}"
    if isinstance(error, SecurityError):
        return f"refused by the sandbox{where}: {error}"
    return f"template error{where}: {error}"


def _placeholder(value: object, *args: object, **kwargs: object) -> object:
    return value


def _undeclared(env: jinja2.Environment, tree: nodes.Template) -> set[str]:
    """The template's undeclared variables; its filters and tests are checked separately."""
    # Finding the variables compiles the template, which fails at the first
    # unknown filter or test; those are reported on their own, with their place.
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        registry = env.filters if isinstance(node, nodes.Filter) else env.tests
        registry.setdefault(node.name, _placeholder)
    return meta.find_undeclared_variables(tree)


def _unknown_filters(
    tree: nodes.Template,
    filters: Collection[str],
    tests: Collection[str],
    place: Callable[[int | None], str],
) -> list[str]:
    problems = []
    seen: set[tuple[str, str]] = set()
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        kind, known = ("filter", filters) if isinstance(node, nodes.Filter) else ("test", tests)
        if node.name in known or (kind, node.name) in seen:
            continue
        seen.add((kind, node.name))
        remedy = (
            "which is neither built in nor added by a plugin of this pack"
            if kind == "filter"
            else "which Jinja does not have"
        )
        problems.append(f"uses the {kind} {node.name!r} ({place(node.lineno)}), {remedy}")
    return problems


def _check_paths(root: Path) -> list[PackProblem]:
    problems = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in (*dirnames, *filenames):
            path = Path(dirpath) / name
            if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
                problems.append(
                    PackProblem(str(path.relative_to(root)), "link points outside the pack")
                )
    return problems


def check_pack(
    path: str | os.PathLike[str],
    *,
    packs: Mapping[str, TemplatePack],
    document_types: Mapping[str, DocumentType],
    supplied: Collection[tuple[str, str]] = (),
    filters: Collection[str] = (),
) -> list[PackProblem]:
    """Validate a pack folder or zip: manifest, data, references, templates, pictures, paths.

    Every problem found is reported; nothing stops at the first one except a
    manifest that cannot be read at all. Besides defects in what the pack
    has, it reports what it lacks: a document type without a Word or a
    Markdown template (own, inherited or from ``supplied``), which
    ``build`` could not write, and ``[exclude]`` keys that name nothing
    inherited. Each picture in ``[assets]`` is checked on its own (name,
    path, type, size; see :mod:`kommunal_digital.packs.assets`).

    Args:
        path: The pack folder or zip file.
        packs: The registered packs by name, to resolve ``extends``
            (``installation.packs``).
        document_types: The registered document types, which templates are
            checked against (``installation.document_types()``).
        supplied: Templates plugins supply for the pack, as (document type,
            template kind) pairs (the keys of ``workspace.templates``).
        filters: The names of the filters plugins add for the pack (the
            keys of ``workspace.template_filters``); templates may use them.
    """
    source = Path(path)
    problems: list[PackProblem] = []
    if source.is_file() and source.suffix.lower() == ".zip":
        zip_problems = check_zip(source)
        if zip_problems:
            return [PackProblem(source.name, p) for p in zip_problems]
    try:
        pack = load_pack(source)
    except KommunalDigitalError as exc:
        return [PackProblem(source.name, str(exc))]
    problems.extend(_check_paths(pack.root))
    chained = True
    try:
        pack = with_parents(pack, {**packs, pack.name: pack})
    except PackError as exc:
        problems.append(PackProblem("pack.toml", str(exc)))
        chained = False
    if chained:
        problems.extend(_check_exclusions(pack))
    data: dict[str, tuple[Any, ...]] = {}
    for kind in DATA_KINDS:
        try:
            data[kind] = pack.data(kind)
        except InputFileError as exc:
            problems.extend(PackProblem(exc.source, p) for p in exc.problems)
        except PackError as exc:
            problems.append(PackProblem(pack.manifest.data.get(kind, kind), str(exc)))
    # A reference into data that failed to load is not reported again.
    fields = {f.key for f in data["action_fields"]} if "action_fields" in data else None
    blocks = {b.key for b in data["text_blocks"]} if "text_blocks" in data else None
    # Named like the shape errors of the data files: "<pack>/<file>".
    catalogue_file = f"{pack.name}/{pack.manifest.data.get('catalogue', 'catalogue')}"
    for index, entry in enumerate(data.get("catalogue", ())):
        where = f"{catalogue_file}: entries[{index}]"
        if fields is not None and entry.action_field not in fields:
            problems.append(
                PackProblem(
                    f"{where}.action_field",
                    f"names the action field {entry.action_field!r}, which the pack does not have",
                )
            )
        if blocks is not None and entry.text_block is not None and entry.text_block not in blocks:
            problems.append(
                PackProblem(
                    f"{where}.text_block",
                    f"names the text block {entry.text_block!r}, which the pack does not have",
                )
            )
    questions_file = f"{pack.name}/{pack.manifest.data.get('needs_analysis', 'needs_analysis')}"
    for index, question in enumerate(data.get("needs_analysis", ())):
        if fields is not None and question.action_field not in fields:
            problems.append(
                PackProblem(
                    f"{questions_file}: questions[{index}].action_field",
                    f"names the action field {question.action_field!r}, "
                    "which the pack does not have",
                )
            )
    problems.extend(_check_templates(pack, document_types, filters))
    problems.extend(_check_assets(pack, chained))
    if chained:
        problems.extend(_missing_templates(pack, document_types, supplied))
    return problems


def _check_exclusions(pack: TemplatePack) -> list[PackProblem]:
    problems = []
    for kind, keys in pack.manifest.exclude.items():
        where = f"exclude.{kind}"
        if pack.parent is None:
            problems.append(
                PackProblem(where, "the pack extends no other pack, so there is nothing to drop")
            )
            continue
        try:
            inherited = {str(item.key) for item in pack.parent.data(kind)}
        except KommunalDigitalError:
            continue  # the parent's data is broken: reported with the data
        for key in keys:
            if key != EXCLUDE_ALL and key not in inherited:
                problems.append(
                    PackProblem(
                        where,
                        f"drops {key!r}, which {pack.parent.name!r} and the packs it "
                        "extends do not have",
                    )
                )
    return problems


_KIND_LABELS = {"docx": "Word", "markdown": "Markdown"}


def _missing_templates(
    pack: TemplatePack,
    types: Mapping[str, DocumentType],
    supplied: Collection[tuple[str, str]],
) -> list[PackProblem]:
    named = {name for member in pack.chain() for name in member.manifest.documents}
    problems = []
    for document_type in sorted(types):
        missing = [
            kind
            for kind in TEMPLATE_KINDS
            if template_name(document_type, kind) not in named
            and (document_type, kind) not in supplied
        ]
        own = any(template_name(document_type, kind) in named for kind in TEMPLATE_KINDS)
        # A type whose templates only a plugin supplies is the plugin's choice of
        # formats (a Markdown-only form, say); a type without any template, or one
        # the pack templates only in part, is the pack's gap.
        if missing and (len(missing) == len(TEMPLATE_KINDS) or own):
            labels = " and ".join(_KIND_LABELS.get(kind, kind) for kind in missing)
            problems.append(
                PackProblem(
                    "documents",
                    f"no {labels} template for the document type {document_type!r}, so "
                    "build cannot write it; name one under [documents] or extend a pack "
                    'that has one (extends = "base")',
                )
            )
    return problems


def lint_text_template(
    path: Path,
    variables: frozenset[str] = CONTEXT_VARIABLES,
    *,
    filters: Collection[str] = (),
) -> list[str]:
    """Check a Markdown (Jinja text) template's syntax, variables and filters.

    Args:
        path: The text template.
        variables: The top-level variables the template may use (those of
            its document type); empty: not checked.
        filters: The names of the filters plugins add for the pack, see
            :func:`lint_template`.

    Returns:
        One message per problem (empty when the template is fine).
    """
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [f"cannot be read: {exc}"]
    env = make_environment()

    def place(lineno: int | None) -> str:
        return f"line {lineno}" if lineno else ""

    known = builtin_filter_names() | frozenset(filters)
    try:
        tree = env.parse(hide_block_lines(source))
        unknown = _unknown_filters(tree, known, env.tests, place)
        used = _undeclared(env, tree)
    except jinja2.TemplateError as exc:
        return [_compile_problem(exc, place(getattr(exc, "lineno", None)))]
    return [*unknown, *_unknown_variables(used, variables)]


def _unknown_variables(used: set[str], variables: frozenset[str]) -> list[str]:
    if not variables:
        return []
    return [
        f"uses {name!r}, which is not in the render context "
        f"(available: {', '.join(sorted(variables))})"
        for name in sorted(set(used) - variables)
    ]


def _check_assets(pack: TemplatePack, chained: bool) -> list[PackProblem]:
    problems = []
    for name, relative in pack.manifest.assets.items():
        where = f"assets.{name}"
        if name in BUILTIN_PICTURES:
            problems.append(
                PackProblem(
                    where,
                    "the name is taken by a built-in picture "
                    f"({', '.join(sorted(BUILTIN_PICTURES))}); give the picture another name",
                )
            )
        try:
            path = pack.resolve(relative)
        except PackError as exc:
            problems.append(PackProblem(where, str(exc)))
            continue
        try:
            load_asset(path)
        except PackError as exc:
            problems.append(PackProblem(relative, f"picture {name!r}: {exc}"))
    if chained and not problems:
        # The inherited pictures and the total size of all of them.
        try:
            pack.asset_data()
        except PackError as exc:
            problems.append(PackProblem("assets", str(exc)))
    return problems


def _svg_names(pack: TemplatePack) -> frozenset[str]:
    """The names of the SVG pictures of a pack (with inherited ones); empty if any is broken."""
    try:
        pictures = pack.asset_data()
    except PackError:
        return frozenset()  # reported with the pictures
    return frozenset(name for name, data in pictures.items() if asset_type(data) == "svg")


def _check_templates(
    pack: TemplatePack, types: Mapping[str, DocumentType], filters: Collection[str]
) -> list[PackProblem]:
    problems = []
    svg = _svg_names(pack)
    for name, relative in pack.manifest.documents.items():
        document_type, _, kind = name.partition("-")
        kind = kind or "docx"
        where = f"documents.{name}"
        if document_type not in types:
            problems.append(
                PackProblem(
                    where,
                    f"names the document type {document_type!r}, which no installed plugin "
                    f"registers (known: {', '.join(sorted(types))})",
                )
            )
            continue
        if kind not in ("docx", "markdown"):
            problems.append(
                PackProblem(where, f"unknown template kind {kind!r} (known: docx, markdown)")
            )
            continue
        try:
            template = pack.resolve(relative)
        except PackError as exc:
            problems.append(PackProblem(where, str(exc)))
            continue
        if not template.is_file():
            problems.append(PackProblem(relative, "template not found"))
            continue
        variables = types[document_type].variables
        if kind == "docx":
            found = _lint_word(template, variables, filters, svg)
        else:
            found = lint_text_template(template, variables, filters=filters)
        problems.extend(PackProblem(relative, m) for m in found)
    return problems
