"""Markdown and standalone HTML documents from Jinja text templates.

Both formats render the same Markdown template of a pack with the same
render context as the Word documents. Text from the strategy is escaped
for Markdown on the way in (``*``, ``_``, ``[``, ``#``, ``|`` and friends
lose their meaning, ``<``, ``>`` and ``&`` become entities, line breaks
become ``<br>``), so a measure called ``*Neu* <b>`` is printed as written
and can never inject markup or raw HTML into a transparency page. HTML is
the Markdown converted by Python-Markdown and wrapped in one self-contained
page: styles inline, pictures embedded as data URIs.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from kommunal_digital.documents.environment import render_text
from kommunal_digital.documents.lazy_mapping import MappedView
from kommunal_digital.errors import DocumentError

__all__ = [
    "IMAGE_CAPTIONS",
    "MarkdownPicture",
    "escape_markdown",
    "render_html",
    "render_markdown",
]

#: Alternative texts of the pictures documents embed, by image name.
IMAGE_CAPTIONS = {
    "zeitplan": "Zeitplan der Maßnahmen",
    "organigramm": "Organigramm",
    "stakeholder": "Einfluss und Interesse der Beteiligten",
    "reifegrad": "Digitaler Reifegrad",
}

_INLINE = re.compile(r"([\\`*_\[\]|])")
_LINE_START = re.compile(r"^(\s*)(\d+)([.)])(?=\s|$)", re.MULTILINE)
_LEADING_MARK = re.compile(r"^(\s*)([-+=#])", re.MULTILINE)

_PAGE = """<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kommunal-digital">
<title>{title}</title>
<style>
body {{ font-family: "Segoe UI", Calibri, Arial, sans-serif; line-height: 1.5;
  max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }}
h1, h2, h3 {{ color: #1f4e79; line-height: 1.25; }}
h1 {{ border-bottom: 2px solid #1f4e79; padding-bottom: .3rem; }}
table {{ border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: .95rem; }}
th, td {{ border: 1px solid #c8d3df; padding: .35rem .5rem; text-align: left;
  vertical-align: top; }}
th {{ background: #e8eef5; }}
img {{ max-width: 100%; height: auto; }}
blockquote {{ border-left: 4px solid #1f4e79; margin-left: 0; padding-left: 1rem;
  color: #333; }}
@media print {{ body {{ margin: 0; max-width: none; }} }}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def escape_markdown(text: str) -> str:
    """Escape text so that Markdown prints it literally.

    Inline markup characters (backslash, backtick, ``*``, ``_``, brackets
    and ``|``) get a backslash, ``<``, ``>`` and ``&`` become
    HTML entities, a number followed by ``.`` or ``)`` at the start of a
    line cannot start a list, and line breaks become ``<br>`` so text with
    several lines stays inside its paragraph or table cell. A ``-``, ``+``,
    ``=`` or ``#`` at the start cannot start a list, a heading or a rule.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\2\\\3", text)
    text = _LEADING_MARK.sub(r"\1\\\2", text)
    return text.replace("\n", "<br>")


def _finalize(value: object) -> object:
    # The environment escapes for HTML what is not Markup; Markdown text is
    # escaped here instead, so it is marked as Markup once escaped.
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return Markup(escape_markdown(value))  # escaped on the line itself
    return value


def _media_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if b"<svg" in data[:1024]:
        return "image/svg+xml"
    return "application/octet-stream"


class MarkdownPicture:
    """A picture of a Markdown or HTML document: ``{{ images.<name> }}``.

    Printed alone it is Markdown image syntax with the picture embedded as
    a data URI; ``|bild(breite_mm=..., hoehe_mm=...)`` gives an ``<img>``
    of that size (Markdown passes it through, HTML shows it).
    """

    __slots__ = ("_alt", "_data", "_height_mm", "_width_mm")

    def __init__(
        self, alt: str, data: bytes, width_mm: float | None = None, height_mm: float | None = None
    ) -> None:
        self._alt = alt
        self._data = data
        self._width_mm = width_mm
        self._height_mm = height_mm

    def sized(self, width_mm: float | None, height_mm: float | None) -> MarkdownPicture:
        """The same picture with a width and/or height in millimetres."""
        return MarkdownPicture(self._alt, self._data, width_mm, height_mm)

    def __html__(self) -> str:
        uri = f"data:{_media_type(self._data)};base64,{base64.b64encode(self._data).decode()}"
        if self._width_mm is None and self._height_mm is None:
            return f"![{escape_markdown(self._alt)}]({uri})"
        style = "; ".join(
            f"{side}: {value:g}mm"
            for side, value in (("width", self._width_mm), ("height", self._height_mm))
            if value is not None
        )
        return f'<img src="{uri}" alt="{escape(self._alt)}" style="{style}">'


def _images(images: Mapping[str, bytes]) -> Mapping[str, MarkdownPicture]:
    # Read when used: a document that shows no picture never waits for one.
    return MappedView(
        images, lambda name, data: MarkdownPicture(IMAGE_CAPTIONS.get(name, name), data)
    )


def _markdown_link(url: str | None, label: str) -> Markup:
    text = escape_markdown(label)
    if url is None:
        return Markup(text)
    target = url.replace("(", "%28").replace(")", "%29")
    return Markup(f"[{text}]({target})")


def render_markdown(
    template: str | Path,
    context: Mapping[str, Any],
    images: Mapping[str, bytes],
    *,
    filters: Mapping[str, Callable[..., Any]] | None = None,
) -> str:
    """Render a Markdown template of a pack with a render context.

    Args:
        template: The Markdown (Jinja) template file.
        context: The render context of the document type.
        images: Pictures (PNG, JPEG, SVG) by name, available as
            ``images.<name>`` (Markdown image syntax with an embedded data
            URI; ``|bild(...)`` for a size of its own).
        filters: More template filters by name (a plugin's), see
            :func:`~kommunal_digital.documents.environment.make_environment`.

    Raises:
        DocumentError: The template file cannot be read.
        TemplateRenderError: The template fails or is refused by the sandbox.
    """
    path = Path(template)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{path.name}: cannot read the template: {exc}") from None
    full = {**context, "images": _images(images)}
    text = render_text(
        source,
        full,
        name=path.name,
        finalize=_finalize,
        block_lines=True,
        filters=filters,
        links=_markdown_link,
    )
    return text if text.endswith("\n") else text + "\n"


def render_html(
    template: str | Path,
    context: Mapping[str, Any],
    images: Mapping[str, bytes],
    *,
    filters: Mapping[str, Callable[..., Any]] | None = None,
) -> str:
    """Render a Markdown template and convert it into one standalone HTML page.

    Arguments and errors as for :func:`render_markdown`.
    """
    import markdown  # lazy: only HTML needs it

    body = markdown.markdown(
        render_markdown(template, context, images, filters=filters),
        extensions=["tables", "sane_lists"],
        output_format="html",
    )
    document = context.get("document")
    title = document.get("title", "") if isinstance(document, Mapping) else ""
    return _PAGE.format(title=escape(str(title)), body=body)
