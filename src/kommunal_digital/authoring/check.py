"""``pack check``: everything that can be wrong with a pack, reported at once."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import attrs
import jinja2
from jinja2 import meta

from kommunal_digital.documents.contexts import BUILTIN_DOCUMENT_TYPES
from kommunal_digital.documents.environment import hide_block_lines, make_environment
from kommunal_digital.errors import InputFileError, KommunalDigitalError, PackError
from kommunal_digital.packs.archive import check_zip
from kommunal_digital.packs.chain import with_parents
from kommunal_digital.packs.data import DATA_KINDS
from kommunal_digital.packs.manifest import EXCLUDE_ALL
from kommunal_digital.packs.pack import TemplatePack, load_pack
from kommunal_digital.workspace.workspace import TEMPLATE_KINDS, DocumentType, template_name

__all__ = [
    "CONTEXT_VARIABLES",
    "PackProblem",
    "check_pack",
    "lint_template",
    "lint_text_template",
]

#: Top-level variables of the Digitalstrategie render context (docs/render-context.md).
CONTEXT_VARIABLES = BUILTIN_DOCUMENT_TYPES[0].variables


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


def lint_template(path: Path, variables: frozenset[str] = CONTEXT_VARIABLES) -> list[str]:
    """Check a .docx template's Jinja syntax and its variables against the context.

    Args:
        path: The Word template.
        variables: The top-level variables the template may use (those of
            its document type); empty: not checked.

    Returns:
        One message per problem (empty when the template is fine).
    """
    from docx.opc.exceptions import PackageNotFoundError  # lazy: lxml
    from docxtpl import DocxTemplate  # lazy: heavy

    try:
        template = DocxTemplate(str(path))
        undeclared = template.get_undeclared_template_variables(jinja_env=make_environment())
    except jinja2.TemplateSyntaxError as exc:
        return [f"template syntax error: {exc.message}"]
    except PackageNotFoundError:
        return ["not a Word (.docx) document"]
    except (KeyError, ValueError, OSError) as exc:
        return [f"cannot be read: {exc}"]
    return _unknown_variables(set(undeclared), variables)


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
) -> list[PackProblem]:
    """Validate a pack folder or zip: manifest, data, references, templates, paths.

    Every problem found is reported; nothing stops at the first one except a
    manifest that cannot be read at all. Besides defects in what the pack
    has, it reports what it lacks: a document type without a Word or a
    Markdown template (own, inherited or from ``supplied``), which
    ``build`` could not write, and ``[exclude]`` keys that name nothing
    inherited.

    Args:
        path: The pack folder or zip file.
        packs: The registered packs by name, to resolve ``extends``
            (``installation.packs``).
        document_types: The registered document types, which templates are
            checked against (``installation.document_types()``).
        supplied: Templates plugins supply for the pack, as (document type,
            template kind) pairs (the keys of ``workspace.templates``).
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
    problems.extend(_check_templates(pack, document_types))
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


def lint_text_template(path: Path, variables: frozenset[str] = CONTEXT_VARIABLES) -> list[str]:
    """Check a Markdown (Jinja text) template's syntax and variables against the context.

    Args:
        path: The text template.
        variables: The top-level variables the template may use (those of
            its document type); empty: not checked.

    Returns:
        One message per problem (empty when the template is fine).
    """
    try:
        source = path.read_text(encoding="utf-8")
        env = make_environment()
        undeclared = meta.find_undeclared_variables(env.parse(hide_block_lines(source)))
    except jinja2.TemplateSyntaxError as exc:
        return [f"template syntax error (line {exc.lineno}): {exc.message}"]
    except (OSError, UnicodeDecodeError) as exc:
        return [f"cannot be read: {exc}"]
    return _unknown_variables(undeclared, variables)


def _unknown_variables(used: set[str], variables: frozenset[str]) -> list[str]:
    if not variables:
        return []
    return [
        f"uses {name!r}, which is not in the render context "
        f"(available: {', '.join(sorted(variables))})"
        for name in sorted(set(used) - variables)
    ]


def _check_templates(pack: Any, types: Mapping[str, DocumentType]) -> list[PackProblem]:
    problems = []
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
        lint = lint_template if kind == "docx" else lint_text_template
        problems.extend(PackProblem(relative, m) for m in lint(template, variables))
    return problems
