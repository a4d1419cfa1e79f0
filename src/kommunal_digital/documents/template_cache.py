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
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from markupsafe import Markup, escape

from kommunal_digital.documents.environment import make_environment

if TYPE_CHECKING:
    import jinja2
    from docxtpl import DocxTemplate

__all__ = [
    "CompiledTemplate",
    "cached_document",
    "clear_cache",
    "make_docx_environment",
    "preserve_space",
]

#: Templates kept at most; the least recently used is dropped first.
CACHE_SIZE = 32

_CACHE: OrderedDict[tuple[str, int, int], CompiledTemplate] = OrderedDict()
_LOCK = threading.Lock()
_PARAGRAPH = re.compile(r"<w:p([ >])")
_PARAGRAPH_BACK = re.compile(r"\n<w:p([ >])")
_LISTING = re.compile("[\t\a\n\f]")
# A text element whose content (up to its end) holds a Jinja tag.
_TEXT_WITH_TAG = re.compile(r"<w:t((?:\s[^>]*)?)>(?=(?:(?!</w:t>).)*?(?:\{\{|\{%))", re.DOTALL)
_SPACE_ATTRIBUTE = re.compile(r"\sxml:space=\"[^\"]*\"")


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
    return value


def make_docx_environment() -> jinja2.Environment:
    """The sandboxed environment for Word templates (see :func:`make_environment`)."""
    return make_environment(finalize=_protect_markers)


@attrs.frozen
class CompiledTemplate:
    """A template file's bytes and its compiled body."""

    data: bytes
    body: jinja2.Template

    def document(self) -> DocxTemplate:
        """A fresh docxtpl document whose body renders with the compiled template."""
        return _make_cached_document(self)


def _make_cached_document(compiled: CompiledTemplate) -> DocxTemplate:
    from docxtpl import DocxTemplate

    class _Cached(DocxTemplate):  # type: ignore[misc]  # docxtpl has no type hints
        def patch_xml(self, src_xml: str) -> str:
            # Headers, footers and footnotes are compiled by docxtpl itself.
            return preserve_space(super().patch_xml(src_xml))

        def build_xml(self, context: dict[str, Any], jinja_env: Any = None) -> str:
            # Mirrors DocxTemplate.render_xml_part, with the compile step cached.
            self.current_rendering_part = self.docx._part
            xml: str = compiled.body.render(context)
            xml = _PARAGRAPH_BACK.sub(r"<w:p\1", xml)
            xml = (
                xml.replace("{_{", "{{")
                .replace("}_}", "}}")
                .replace("{_%", "{%")
                .replace("%_}", "%}")
            )
            # Listing escapes (tab, bell, line and page feed) only exist in the
            # text when a context value carried one; skipping the regex pass
            # otherwise gives the same XML.
            if _LISTING.search(xml):
                xml = self.resolve_listing(xml)
            return xml

    return _Cached(io.BytesIO(compiled.data))


def _compile(data: bytes) -> tuple[CompiledTemplate, DocxTemplate]:
    """Compile a template; also return a document ready to render with it.

    Reading the XML does not change the loaded package, so the package
    parsed for compiling serves the first render too.
    """
    from docxtpl import DocxTemplate

    loaded = DocxTemplate(io.BytesIO(data))
    loaded.init_docx()
    xml = _PARAGRAPH.sub(r"\n<w:p\1", preserve_space(loaded.patch_xml(loaded.get_xml())))
    compiled = CompiledTemplate(data=data, body=make_docx_environment().from_string(xml))
    document = compiled.document()
    document.docx = loaded.docx
    return compiled, document


def cached_document(path: Path) -> DocxTemplate:
    """A document to render from ``path``, compiling the template on first use.

    A changed file (other size or modification time) is compiled again.
    """
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
    if hit is not None:
        return hit.document()
    compiled, document = _compile(path.read_bytes())
    with _LOCK:
        _CACHE[key] = compiled
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return document


def clear_cache() -> None:
    """Forget every compiled template."""
    with _LOCK:
        _CACHE.clear()
