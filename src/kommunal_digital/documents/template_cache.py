"""A cache of compiled Word templates.

docxtpl parses a template's XML, cleans it up for Jinja and compiles it on
every render. When many documents are rendered from one template (a batch
of municipalities, a profile sheet per measure) that work is the same each
time. The cache keeps, per template file (path, size and modification
time), the file's bytes and the compiled Jinja template of its body, so a
render only loads the package from memory and runs the compiled template.

Compiling also makes every ``<w:t>`` that holds a Jinja tag keep its
spaces (``xml:space="preserve"``), so text that starts or ends with blanks
shows in Word exactly as given, whoever made the template.
"""

from __future__ import annotations

import io
import itertools
import marshal
import re
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import jinja2
from jinja2.exceptions import TemplateRuntimeError
from markupsafe import Markup, escape

from kommunal_digital._version import __version__
from kommunal_digital.documents.docx_body import StreamedBody, install_body, stream_body
from kommunal_digital.documents.docx_errors import docx_error_location, part_label
from kommunal_digital.documents.docx_package import open_document, read_package
from kommunal_digital.documents.docx_parts import DocxPicture, docx_link
from kommunal_digital.documents.environment import _template_line, make_environment
from kommunal_digital.errors import DocumentError
from kommunal_digital.io.disk_cache import default_cache, key_of
from kommunal_digital.io.lru import Lru
from kommunal_digital.io.zipguard import forget_office_files, read_office_file

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

__all__ = [
    "CompiledTemplate",
    "TemplatePartError",
    "cached_document",
    "clear_cache",
    "RENDERED_PROPERTIES",
    "compile_template",
    "docx_environment",
    "make_docx_environment",
    "make_properties_environment",
    "patch_word_xml",
    "preserve_space",
]

#: Templates kept at most; the least recently used is dropped first.
CACHE_SIZE = 32

_CACHE: OrderedDict[tuple[Any, ...], CompiledTemplate] = OrderedDict()
_LOCK = threading.Lock()
_PARAGRAPH = re.compile(r"<w:p([ >])")
_PARAGRAPH_BACK = re.compile(r"\n<w:p([ >])")
_LISTING = re.compile("[\t\a\n\f]")
# A paragraph as docxtpl's resolve_listing finds it.
# (On the rendered body's UTF-8 bytes, see _resolve_listings.)
_WHOLE_PARAGRAPH_BYTES = re.compile(rb"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING_BYTES = re.compile(_LISTING.pattern.encode("ascii"))
# A text element whose content (up to its end) holds a Jinja tag.
_TEXT_WITH_TAG = re.compile(r"<w:t((?:\s[^>]*)?)>(?=(?:(?!</w:t>).)*?(?:\{\{|\{%))", re.DOTALL)
_SPACE_ATTRIBUTE = re.compile(r"\sxml:space=\"[^\"]*\"")
# The inside of a Jinja tag, as docxtpl's own clean-up finds it.
_IN_TAG = re.compile(r"(?<=\{[\{%])(.*?)(?=[\}%]\})", re.DOTALL)
# The core properties docxtpl renders (the others cannot all be written as text).
#: The document properties rendered as templates (``pack check`` checks the same).
RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


def preserve_space(xml: str) -> str:
    """Mark every ``<w:t>`` holding a Jinja tag with ``xml:space="preserve"``.

    Without it Word drops the spaces at the start and end of the text a
    value is rendered into.
    """

    def mark(match: re.Match[str]) -> str:
        attributes = _SPACE_ATTRIBUTE.sub("", match.group(1))
        return f'<w:t{attributes} xml:space="preserve">'

    return _TEXT_WITH_TAG.sub(mark, xml)


def _protect_markers(value: object) -> object:
    # docxtpl turns {_{, }_}, {_% and %_} in the rendered XML into {{, }}, {%
    # and %} (so template authors can write literal tags). Text from the
    # context must come out as given, so its braces next to an underscore
    # are written as character references, which that replacement misses.
    if (
        isinstance(value, str)
        and not isinstance(value, Markup)
        and ("{_" in value or "_}" in value)
    ):
        escaped = str(escape(value)).replace("{_", "&#123;_").replace("_}", "_&#125;")
        return Markup(escaped)
    return _foreign_object(value)


def _foreign_object(value: object) -> object:
    """Refuse or adopt docxtpl objects built outside the renderer."""
    module = type(value).__module__
    if not module.startswith("docxtpl"):
        return value
    from docxtpl import InlineImage  # lazy: docxtpl

    if type(value).__name__ == "Subdoc":  # docxtpl.subdoc needs docxcompose: not imported
        raise TemplateRuntimeError(
            "a docxtpl Subdoc in the render context cannot be used: it belongs to another "
            "document, and its pictures and styles would point nowhere; put the text into "
            "the context or a text block instead"
        )
    if isinstance(value, InlineImage):
        # An InlineImage is bound to the template object it was made with;
        # placed as a picture of its own it lands in the document rendered.
        descriptor = value.image_descriptor
        if hasattr(descriptor, "read"):
            descriptor.seek(0)
            data = descriptor.read()
        else:
            data = Path(descriptor).read_bytes()
        width = None if value.width is None else int(value.width) / 36_000
        height = None if value.height is None else int(value.height) / 36_000
        return DocxPicture("InlineImage", data, width, height)
    return value


def _plain_text(value: object) -> object:
    # Document properties are plain text, not XML: nothing is escaped.
    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(value)
    return value


def _filter_key(filters: Mapping[str, Callable[..., Any]] | None) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((name, id(func)) for name, func in (filters or {}).items()))


def make_docx_environment(
    filters: Mapping[str, Callable[..., Any]] | None = None,
) -> jinja2.Environment:
    """The sandboxed environment for Word templates (see :func:`make_environment`).

    Besides the common filters it makes ``link`` insert real hyperlinks and
    keeps bell and form feed characters, which become a new paragraph and a
    page break as in docxtpl's ``Listing``.

    Args:
        filters: Plugin filters by name.
    """
    return make_environment(
        finalize=_protect_markers, filters=filters, links=docx_link, keep_breaks=True
    )


def make_properties_environment(
    filters: Mapping[str, Callable[..., Any]] | None = None,
) -> jinja2.Environment:
    """The sandboxed environment for document properties: plain text, not escaped."""
    return make_environment(finalize=_plain_text, filters=filters)


#: Environments, compiled parts and patched parts kept at most (each an LRU).
_SHARED_SIZE = 256
_ENVIRONMENTS: Lru[tuple[Any, ...], tuple[jinja2.Environment, object]] = Lru(_SHARED_SIZE)
_PARTS: Lru[tuple[int, str], tuple[jinja2.Environment, jinja2.Template]] = Lru(_SHARED_SIZE)
_PATCHED: Lru[str, str] = Lru(_SHARED_SIZE)


def _shared_environment(
    kind: str, filters: Mapping[str, Callable[..., Any]] | None
) -> jinja2.Environment:
    """One environment per kind and filter set: they hold no state of a render.

    The filters are kept with it, so their ids in the key stay theirs.
    """
    make = make_docx_environment if kind == "docx" else make_properties_environment
    key = (kind, _filter_key(filters))
    env, _ = _ENVIRONMENTS.get(key, lambda: (make(filters), dict(filters or {})))
    return env


def docx_environment(filters: Mapping[str, Callable[..., Any]] | None = None) -> jinja2.Environment:
    """The shared Word environment with ``filters`` (see :func:`make_docx_environment`)."""
    return _shared_environment("docx", filters)


def compile_template(env: jinja2.Environment, kind: str, source: str) -> jinja2.Template:
    """``env.from_string(source)``, with the compiled code kept in the disk cache.

    A later process (the next ``build``) loads the code instead of compiling
    the template again. The key holds the source, the environment's kind
    and its filter and test names (plugin filters decide whether a template
    compiles) and the versions of Python, Jinja and kommunal-digital.
    """
    cache = default_cache()
    # What shapes the generated code besides the source: the environment's
    # class and options, and the names a template may use.
    shape = (
        f"{type(env).__qualname__} {env.autoescape!r} {getattr(env.finalize, '__qualname__', '')} "
        f"{env.optimized} {env.trim_blocks} {env.lstrip_blocks} {env.keep_trailing_newline}"
    )
    key = key_of(
        _CODE_VERSION,
        kind,
        shape,
        " ".join(sorted(env.filters)),
        " ".join(sorted(env.tests)),
        source,
    )
    stored = cache.get("templates", key)
    if stored is not None:
        try:
            code = marshal.loads(stored)
        except (ValueError, EOFError, TypeError):
            code = None
        if isinstance(code, types.CodeType):
            return env.template_class.from_code(env, code, env.make_globals(None), None)
    code = env.compile(source)
    cache.put("templates", key, marshal.dumps(code))
    return env.template_class.from_code(env, code, env.make_globals(None), None)


_CODE_VERSION = f"{sys.implementation.cache_tag} jinja {jinja2.__version__} kd {__version__}"


class _PartCompiler:
    """Stands in for the environment docxtpl compiles a header, footer or footnotes with.

    docxtpl compiles those parts on every render; the same part of the same
    template compiles to the same template, so it is compiled once.
    """

    def __init__(self, env: jinja2.Environment, kind: str = "docx") -> None:
        self.env = env
        self.kind = kind

    def from_string(self, source: str) -> jinja2.Template:
        env = self.env
        _, template = _PARTS.get(
            (id(env), source), lambda: (env, compile_template(env, self.kind, source))
        )
        return template


def _unescape_tags(xml: str) -> str:
    """Turn the XML escapes Word stores inside Jinja tags back into characters.

    Word writes ``&`` in ``{{ x|default("F&E") }}`` as ``&amp;``; docxtpl
    already restores ``<`` and ``>``. Left as is, the literal would print as
    ``F&amp;E`` once autoescaped.
    """
    return _IN_TAG.sub(
        lambda m: m.group(0).replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&"),
        xml,
    )


def patch_word_xml(template: DocxTemplate, xml: str) -> str:
    """A Word part's XML made ready to compile, as rendering does it.

    docxtpl's ``patch_xml`` (its tag syntax, ``{%p``, ``{%tr``, ... turned
    into plain Jinja), then the XML escapes Word stores inside tags turned
    back into characters, and ``xml:space="preserve"`` where printed text
    needs it. ``pack check`` compiles with the same function.
    """
    from docxtpl import DocxTemplate  # lazy: docxtpl

    return preserve_space(_unescape_tags(str(DocxTemplate.patch_xml(template, xml))))


@attrs.frozen
class CompiledTemplate:
    """A template file's bytes, its compiled body and the body's source."""

    data: bytes
    body: jinja2.Template
    source: str = ""
    original: str = ""
    filters: Mapping[str, Callable[..., Any]] | None = None
    #: The file's parts, unzipped once (see :mod:`~kommunal_digital.documents.docx_package`).
    parts: Any = None

    def document(self) -> DocxTemplate:
        """A fresh docxtpl document whose body renders with the compiled template."""
        return _make_cached_document(self)


class TemplatePartError(jinja2.TemplateError):
    """A template error located in a part of a Word template."""

    def __init__(self, error: jinja2.TemplateError, where: str) -> None:
        super().__init__(str(error))
        self.error = error
        self.where = where


def _located(
    error: jinja2.TemplateError, xml: str, partname: str, original: str | None = None
) -> TemplatePartError:
    if isinstance(error, TemplatePartError):
        return error
    lineno = getattr(error, "lineno", None) or _template_line(error.__traceback__)
    where = docx_error_location(xml, lineno, part_label(partname), original)
    return TemplatePartError(error, where)


def _resolve_listings(xml: bytes, resolve: Callable[[str], str]) -> bytes:
    """Docxtpl's listing pass over the paragraphs that hold a tab, bell or line or page feed.

    The paragraphs are found as docxtpl's pass over the whole text finds
    them, but on the bytes (the patterns are ASCII, so they match in UTF-8
    where they match in the text), and only a paragraph that needs the pass
    is copied and decoded.
    """
    changed: list[bytes | memoryview] = []
    view = memoryview(xml)
    done = 0
    for match in _WHOLE_PARAGRAPH_BYTES.finditer(xml):
        start, end = match.span()
        if _LISTING_BYTES.search(xml, start, end) is None:
            continue
        changed += [view[done:start], resolve(xml[start:end].decode("utf-8")).encode("utf-8")]
        done = end
    if not changed:
        return xml
    changed.append(view[done:])
    return b"".join(changed)


#: Pieces of rendered output joined at a time (see :func:`_pieces`).
_BATCH = 4096


def _pieces(generated: Iterator[str]) -> Iterator[str]:
    r"""Rendered output in parts that each end just before a line break (or at the end).

    Every pattern ``build_xml`` replaces either starts with a line break
    (``"\n<w:p"``) or holds none (``"{_{"``), so none spans two parts.
    """
    pending: list[str] = []
    while batch := list(itertools.islice(generated, _BATCH)):
        text = "".join(batch)
        cut = text.rfind("\n")
        if cut < 0:
            pending.append(text)
            continue
        head = "".join((*pending, text[:cut]))
        if head:
            yield head
        pending = [text[cut:]]
    rest = "".join(pending)
    if rest:
        yield rest


def _make_cached_document(compiled: CompiledTemplate) -> DocxTemplate:
    from docxtpl import DocxTemplate

    class _Cached(DocxTemplate):  # type: ignore[misc]  # docxtpl has no type hints
        def init_docx(self, reload: bool = True) -> None:
            # Opened from the parts read once, XML parsed where read (docx_package.py).
            if compiled.parts is None:
                super().init_docx(reload)
            else:
                document: Any = self  # docxtpl has no type hints
                if not document.docx or (document.is_rendered and reload):
                    document.docx = open_document(compiled.parts)
                    document.is_rendered = False

        def patch_xml(self, src_xml: str) -> str:
            # Headers, footers and footnotes: docxtpl patches them on every
            # render; the same part gives the same result.
            return _PATCHED.get(src_xml, lambda: patch_word_xml(self, src_xml))

        def render_xml_part(
            self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None
        ) -> str:
            compiler = _PartCompiler(jinja_env) if jinja_env is not None else None
            try:
                return str(super().render_xml_part(src_xml, part, context, compiler))
            except jinja2.TemplateError as error:
                numbered = _PARAGRAPH.sub(r"\n<w:p\1", src_xml)
                original = self.get_part_xml(part) if hasattr(part, "blob") else None
                raise _located(error, numbered, str(part.partname), original) from None

        def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
            env = _PartCompiler(_shared_environment("properties", compiled.filters), "properties")
            for name in RENDERED_PROPERTIES:
                initial = getattr(self.docx.core_properties, name)
                if not initial or ("{{" not in initial and "{%" not in initial):
                    continue
                try:
                    rendered = env.from_string(initial).render(context)
                except jinja2.TemplateError as error:
                    raise TemplatePartError(error, f"in the document property {name!r}") from None
                try:
                    setattr(self.docx.core_properties, name, rendered)
                except ValueError as error:
                    raise TemplatePartError(
                        jinja2.TemplateError(str(error)), f"in the document property {name!r}"
                    ) from None

        def fix_tables(self, xml: str) -> Any:
            # The body child by child (docx_body.py); docxtpl's whole tree
            # only where that cannot be done.
            streamed = stream_body(self, xml)
            if streamed is not None:
                return streamed
            return super().fix_tables(xml)

        def fix_docpr_ids(self, tree: Any) -> None:
            if not isinstance(tree, StreamedBody):  # numbered while streamed
                super().fix_docpr_ids(tree)

        def map_tree(self, tree: Any) -> None:
            if isinstance(tree, StreamedBody):
                install_body(self, tree)
            else:
                super().map_tree(tree)

        def build_xml(self, context: dict[str, Any], jinja_env: Any = None) -> bytes:
            # Mirrors DocxTemplate.render_xml_part, with the compile step cached;
            # the body comes as UTF-8 bytes, made piece by piece (a large body
            # never exists as one text as well).
            self.current_rendering_part = self.docx._part
            out = io.BytesIO()
            listing = False
            try:
                for text in _pieces(compiled.body.generate(context)):
                    text = _PARAGRAPH_BACK.sub(r"<w:p\1", text)
                    text = (
                        text.replace("{_{", "{{")
                        .replace("}_}", "}}")
                        .replace("{_%", "{%")
                        .replace("%_}", "%}")
                    )
                    listing = listing or _LISTING.search(text) is not None
                    out.write(text.encode("utf-8"))
            except jinja2.TemplateError as error:
                raise _located(
                    error, compiled.source, "/word/document.xml", compiled.original
                ) from None
            xml = out.getvalue()
            # Listing escapes (tab, bell, line and page feed) only exist in the
            # text when a context value carried one; skipping the regex pass
            # otherwise gives the same XML.
            if listing:
                # Only the paragraphs holding such a character need docxtpl's
                # pass, which otherwise runs its regexes over every paragraph.
                xml = _resolve_listings(xml, self.resolve_listing)
            return xml

    return _Cached(io.BytesIO(compiled.data))


def _compile(
    data: bytes, filters: Mapping[str, Callable[..., Any]] | None
) -> tuple[CompiledTemplate, DocxTemplate]:
    """Compile a template; also return a document ready to render with it.

    Reading the XML does not change the loaded package, so the package
    parsed for compiling serves the first render too.
    """
    parts = read_package(data)
    placeholder = CompiledTemplate(data=data, body=None, parts=parts)  # type: ignore[arg-type]
    loaded = placeholder.document()
    loaded.init_docx()
    original = loaded.get_xml()
    xml = _PARAGRAPH.sub(r"\n<w:p\1", patch_word_xml(loaded, original))
    try:
        body = compile_template(docx_environment(filters), "docx", xml)
    except jinja2.TemplateError as error:
        raise _located(error, xml, "/word/document.xml", original) from None
    compiled = CompiledTemplate(
        data=data, body=body, source=xml, original=original, filters=filters, parts=parts
    )
    document = compiled.document()
    document.docx = loaded.docx
    return compiled, document


def cached_document(
    path: Path, filters: Mapping[str, Callable[..., Any]] | None = None
) -> DocxTemplate:
    """A document to render from ``path``, compiling the template on first use.

    A changed file (other size or modification time) is compiled again, and
    so is a template rendered with other plugin filters.

    Raises:
        TemplatePartError: The template does not compile; the error says
            where (part, paragraph, table cell).
        DocumentError: The template's zip breaks a limit of
            :data:`~kommunal_digital.io.zipguard.OFFICE_LIMITS` or an XML part
            declares a DOCTYPE; the message names the template and the member.
    """
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, _filter_key(filters))
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
    if hit is not None:
        return hit.document()
    compiled, document = _compile(read_office_file(path, DocumentError), filters)
    with _LOCK:
        _CACHE[key] = compiled
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return document


def clear_cache() -> None:
    """Forget every compiled template (and the parts and environments kept with them)."""
    with _LOCK:
        _CACHE.clear()
        _PARTS.clear()
        _PATCHED.clear()
        _ENVIRONMENTS.clear()
    forget_office_files()  # the templates' zip checks too
