"""Any text a user can enter comes out of a Word document exactly as given.

The property renders the demo strategy twice: once with a marker word in
the fields under test, once with hostile text. Every paragraph or cell that
showed a marker must show the hostile text in its place, character for
character (with line breaks, tabs, ``{{ }}``, XML specials, emoji, RTL and
combining marks), apart from what the template itself does (``|trim``).
"""

import datetime as dt
import functools
import io
import zipfile
from pathlib import Path
from typing import Any

import attrs
import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import kommunal_digital as kd
from kommunal_digital.documents import strategy_context
from kommunal_digital.documents.docx import render_docx_bytes
from kommunal_digital.documents.environment import render_text

from .docx_reading import make_template

TODAY = dt.date(2027, 3, 31)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
FORBIDDEN = [chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))] + [
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
]
TOKENS = [
    "{{", "}}", "{%", "%}", "{#", "#}", "{_{", "}_}", "{_%", "%_}", "{{ x }}", "{% if %}",
    "<", ">", "&", '"', "'", "&amp;", "<w:t>", "]]>", "\n", "\t", "\r\n", "\r", " ", "  ",
    "\xa0", "\u2028", "\x85", "👍🏽", "🇩🇪", "עברית", "مرحبا", "\u202e", "e\u0301", "ẞß", "€",
]  # fmt: skip
_characters = st.characters(codec="utf-8", exclude_characters=set(FORBIDDEN))
hostile_texts = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(_characters, min_size=1, max_size=4)),
    min_size=1,
    max_size=8,
).map("".join)
visible_texts = hostile_texts.filter(lambda s: s.strip() != "")

MARKERS = {
    "name": "Qmarkername",
    "title": "Qmarkertitle",
    "description": "Qmarkerdesc",
    "vision": "Qmarkervision",
}


def _with(values: dict[str, str]) -> kd.Strategy:
    demo = kd.demo_strategy()
    first, *rest = demo.measures
    measure = attrs.evolve(first, title=values["title"], description=values["description"])
    return attrs.evolve(
        demo,
        municipality=attrs.evolve(demo.municipality, name=values["name"]),
        vision=values["vision"],
        measures=(measure, *rest),
    )


@functools.cache
def _workspace() -> kd.Workspace:
    # The default workspace (like the ``workspace`` fixture), but not a
    # fixture: hypothesis would print its long repr with every failing example.
    return kd.open_workspace()


def _render(strategy: kd.Strategy) -> bytes:
    workspace = _workspace()
    template = workspace.pack.document_template("digitalstrategie")
    assert template is not None
    return render_docx_bytes(template, strategy_context(strategy, workspace, today=TODAY))


def _paragraphs(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.paragraphs)
    return texts


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@functools.cache
def _marked() -> tuple[str, ...]:
    # Not a fixture: hypothesis would print it with every failing example.
    return tuple(_paragraphs(_render(_with(MARKERS))))


def _assert_valid_docx(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        body = archive.read("word/document.xml")
    root = etree.fromstring(body)  # strict parser: no recovery
    for text in root.iter(f"{W}t"):
        value = text.text or ""
        if value != value.strip(" \t\n"):
            assert text.get(XML_SPACE) == "preserve", value
    return root


@settings(max_examples=20, deadline=None)
@given(
    name=visible_texts,
    title=visible_texts,
    description=hostile_texts,
    vision=hostile_texts,
)
def test_hostile_text_reads_back_exactly(
    name: str, title: str, description: str, vision: str
) -> None:
    marked = _marked()
    data = _render(
        _with({"name": name, "title": title, "description": description, "vision": vision})
    )
    _assert_valid_docx(data)
    hostile = _paragraphs(data)
    assert len(hostile) == len(marked)
    # The template trims description and vision (``|trim``); name and title
    # are shown as given, spaces included.
    expected = {
        MARKERS["name"]: _normalised(name),
        MARKERS["title"]: _normalised(title),
        MARKERS["description"]: _normalised(description).strip(),
        MARKERS["vision"]: _normalised(vision).strip(),
    }
    seen = dict.fromkeys(expected, 0)
    for before, after in zip(marked, hostile, strict=True):
        want = before
        for marker, text in expected.items():
            if marker in before:
                seen[marker] += 1
                want = want.replace(marker, text)
        assert after == want
    assert all(seen.values()), seen


@settings(max_examples=30, deadline=None)
@given(
    text=hostile_texts,
    bad=st.sampled_from(FORBIDDEN),
    where=st.sampled_from(["name", "title", "description", "vision"]),
    at=st.integers(min_value=0, max_value=8),
)
def test_model_refuses_characters_word_cannot_hold(
    text: str, bad: str, where: str, at: int
) -> None:
    values = dict(MARKERS)
    values[where] = text[:at] + bad + text[at:]
    with pytest.raises(kd.ModelValidationError) as caught:
        _with(values)
    assert caught.value.field == where
    assert f"U+{ord(bad):04X}" in caught.value.reason


#: Bell and form feed are breaks (docxtpl's Listing), not removed.
BREAKS = ("\a", "\f")
REMOVED = [c for c in FORBIDDEN if c not in BREAKS]


@settings(max_examples=30, deadline=None)
@given(text=hostile_texts, bad=st.lists(st.sampled_from(REMOVED), min_size=1, max_size=3))
def test_plugin_context_control_characters_are_removed(
    tmp_path_factory: pytest.TempPathFactory, text: str, bad: list[str]
) -> None:
    # Context values that never went through the model (a plugin's context
    # builder) lose the characters XML cannot hold; the file stays valid.
    template = _plain_template(tmp_path_factory)
    dirty = "".join(b + c for b, c in zip(bad, text, strict=False)) + text[len(bad) :] + bad[-1]
    data = render_docx_bytes(template, {"v": dirty})
    _assert_valid_docx(data)
    clean = _normalised("".join(c for c in dirty if c not in FORBIDDEN))
    assert _paragraphs(data)[0] == f"[{clean}]"
    assert render_text("{{ v }}", {"v": dirty}, name="v.txt", finalize=_verbatim) == clean


def test_bell_and_form_feed_break_instead_of_gluing_words(tmp_path: Path) -> None:
    # In Word a bell starts a new paragraph and a form feed a new page (as
    # docxtpl's Listing does); in text formats both become a line break.
    template = make_template(tmp_path / "t.docx", "[{{ v }}]")
    data = render_docx_bytes(template, {"v": "Absatz 1\aAbsatz 2\fSeite 2"})
    _assert_valid_docx(data)
    paragraphs = _paragraphs(data)
    assert paragraphs[:2] == ["[Absatz 1", "Absatz 2"]
    assert paragraphs[-1] == "Seite 2]"
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert body.count('<w:br w:type="page"/>') == 1
    text = render_text("{{ v }}", {"v": "Absatz 1\aAbsatz 2\fSeite 2"}, name="v.txt")
    assert text == "Absatz 1\nAbsatz 2\nSeite 2"


def _verbatim(value: object) -> object:
    from markupsafe import Markup

    return Markup(value)


_TEMPLATES: dict[str, Path] = {}


def _plain_template(factory: pytest.TempPathFactory) -> Path:
    # One template for all examples (tmp_path is per test, not per example).
    if "plain" not in _TEMPLATES:
        _TEMPLATES["plain"] = make_template(factory.mktemp("plain") / "plain.docx", "[{{ v }}]")
    return _TEMPLATES["plain"]


def test_docxtpl_markers_in_text_are_kept(tmp_path: Path) -> None:
    template = make_template(tmp_path / "m.docx", "{{ v }}", "Literal {_{ x }_}")
    text = "{_{ v }_} und {_% if %_}"
    paragraphs = _paragraphs(render_docx_bytes(template, {"v": text}))
    # The template's own {_{ ... }_} still becomes {{ ... }}, as in docxtpl.
    assert paragraphs[:2] == [text, "Literal {{ x }}"]


def test_spaces_are_preserved_in_any_template(tmp_path: Path) -> None:
    # A template whose text element says xml:space="default" (a third-party
    # tool's output) still shows leading and trailing spaces of a value.
    path = make_template(tmp_path / "t.docx", "{{ v }}")
    document = docx.Document(str(path))
    element = document.paragraphs[0].runs[0]._r.find(f"{W}t")
    element.set(XML_SPACE, "default")
    document.save(str(path))
    data = render_docx_bytes(path, {"v": "  zwei Leerzeichen  "})
    root = _assert_valid_docx(data)
    texts = [t for t in root.iter(f"{W}t") if t.text and "Leerzeichen" in t.text]
    assert [t.get(XML_SPACE) for t in texts] == ["preserve"]
    assert _paragraphs(data)[0] == "  zwei Leerzeichen  "


def test_line_breaks_and_tabs_become_word_breaks_and_tabs(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t.docx", "{{ v }}")
    root = _assert_valid_docx(render_docx_bytes(template, {"v": "a\tb\r\nc"}))
    paragraph: Any = root.find(f".//{W}p")
    kinds = [child.tag.removeprefix(W) for run in paragraph.iter(f"{W}r") for child in run]
    assert [k for k in kinds if k in ("t", "br", "tab")] == ["t", "tab", "t", "br", "t"]
