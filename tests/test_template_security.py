"""Hostile templates are refused; ordinary ones keep working.

Every file in ``hostile_templates/`` holds one attack: a first line
``{# <what it tries> -- expect: <part of the refusal message> #}`` and the
template. Each must be refused with a TemplateRenderError naming the
template, as a text template and inside a Word template.
"""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

import kommunal_digital as kd
from kommunal_digital.documents.docx import render_docx_bytes
from kommunal_digital.documents.environment import make_environment, render_text

from .docx_reading import docx_text, make_template

CORPUS = sorted((Path(__file__).parent / "hostile_templates").glob("*.txt"))
_HEADER = re.compile(r"\{# (?P<attack>.+) -- expect: (?P<expect>.+) #\}")


def _read(path: Path) -> tuple[str, str]:
    header, *body = path.read_text(encoding="utf-8").splitlines()
    match = _HEADER.fullmatch(header)
    assert match, f"{path.name}: first line must name the attack and the expected refusal"
    return "\n".join(body), match["expect"]


def test_corpus_is_there() -> None:
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_hostile_text_template_is_refused(path: Path) -> None:
    source, expect = _read(path)
    with pytest.raises(kd.TemplateRenderError) as caught:
        render_text(source, {}, name=path.name)
    message = str(caught.value)
    assert message.startswith(f"{path.name}: ")
    assert expect in message
    assert "Traceback" not in message


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_hostile_word_template_is_refused(path: Path, tmp_path: Path) -> None:
    source, expect = _read(path)
    template = make_template(tmp_path / f"{path.stem}.docx", *source.splitlines())
    with pytest.raises(kd.TemplateRenderError) as caught:
        render_docx_bytes(template, {})
    message = str(caught.value)
    assert message.startswith(f"{path.stem}.docx: ")
    assert expect in message


LEGITIMATE = """\
{% set ns = namespace(total=0, count=0) -%}
{% for m in measures -%}
{{ loop.index }}/{{ loop.length }} {{ m.title }}: {{ m.cost|euro }}, {{ m.months|monate }}, \
{{ m.progress|prozent }}, bis {{ m.due|datum }}, {{ m.fte|zahl }} VZÄ
{% set ns.total = ns.total + m.cost %}{% set ns.count = ns.count + 1 -%}
{% endfor -%}
{{ ns.count }} Maßnahmen, zusammen {{ ns.total|euro }}; {{ range(3)|join(',') }}; \
{{ dict(a=1)|length }}; {{ 'Bildung' ~ ' und ' ~ 'Jugend' }}; {{ '%s von %s'|format(1, 2) }}"""

MEASURES = [
    {
        "title": "WLAN im Rathaus",
        "cost": Decimal("12500"),
        "months": 6,
        "progress": 40,
        "due": dt.date(2027, 3, 31),
        "fte": 0.5,
    },
    {
        "title": "Online-Terminvergabe",
        "cost": Decimal("800.5"),
        "months": 1,
        "progress": 100,
        "due": dt.date(2026, 12, 1),
        "fte": 1,
    },
]

# Worked out by hand from MEASURES: 12.500 € + 800,50 € = 13.300,50 €.
EXPECTED = [
    "1/2 WLAN im Rathaus: 12.500 €, 6 Monate, 40 %, bis 31. März 2027, 0,5 VZÄ",
    "2/2 Online-Terminvergabe: 800,50 €, 1 Monat, 100 %, bis 1. Dezember 2026, 1 VZÄ",
    "2 Maßnahmen, zusammen 13.300,50 €; 0,1,2; 1; Bildung und Jugend; 1 von 2",
]


def test_legitimate_text_template_still_works() -> None:
    text = render_text(LEGITIMATE, {"measures": MEASURES}, name="ok.md")
    assert text.replace("\xa0", " ").splitlines() == EXPECTED


def test_legitimate_word_template_still_works(tmp_path: Path) -> None:
    lines = LEGITIMATE.replace("\\\n", "").splitlines()
    template = make_template(tmp_path / "ok.docx", *lines)
    out = tmp_path / "out.docx"
    out.write_bytes(render_docx_bytes(template, {"measures": MEASURES}))
    paragraphs = [p for p in docx_text(out).splitlines() if p]
    assert paragraphs == EXPECTED


def test_only_harmless_globals_remain() -> None:
    assert set(make_environment().globals) == {"range", "dict", "namespace"}


def test_loader_refuses_every_name_with_a_template_error() -> None:
    env = make_environment()
    for name in ("/etc/passwd", "digitalstrategie.md", "../pack.toml"):
        with pytest.raises(jinja2.TemplateError, match="cannot load other templates"):
            env.get_template(name)


def test_text_errors_name_template_and_line() -> None:
    with pytest.raises(
        kd.TemplateRenderError, match=r"^bericht\.md: template syntax error \(line 2\)"
    ):
        render_text("Titel\n{% for x in %}", {}, name="bericht.md")
    with pytest.raises(
        kd.TemplateRenderError,
        match=r"^bericht\.md: the template uses a variable .* \(line 3\): 'visoin' is undefined",
    ):
        render_text("a\nb\n{{ visoin }}", {"vision": "x"}, name="bericht.md")
    with pytest.raises(
        kd.TemplateRenderError,
        match=r"^bericht\.md: the template failed \(line 2\): ZeroDivisionError",
    ):
        render_text("a\n{{ 1 / 0 }}", {}, name="bericht.md")


def test_failing_filter_is_a_template_error_in_both_paths(tmp_path: Path) -> None:
    with pytest.raises(
        kd.TemplateRenderError, match=r"^x\.md: the template failed \(line 1\): ValueError"
    ):
        render_text("{{ d|datum }}", {"d": "kein Datum"}, name="x.md")
    template = make_template(tmp_path / "datum.docx", "{{ d|datum }}")
    with pytest.raises(
        kd.TemplateRenderError, match=r"^datum\.docx: the template failed: ValueError"
    ):
        render_docx_bytes(template, {"d": "kein Datum"})


def test_render_text_escapes_html_and_finalize_can_take_over() -> None:
    context = {"t": "Bildung & <Jugend>\r\nzwei\x00"}
    assert render_text("{{ t }}", context, name="a.html") == "Bildung &amp; &lt;Jugend&gt;\nzwei"
    seen: list[object] = []

    def plain(value: object) -> object:
        seen.append(value)
        return Markup(str(value).upper())

    assert (
        render_text("{{ t }}", context, name="a.md", finalize=plain) == "BILDUNG & <JUGEND>\nZWEI"
    )
    assert seen == ["Bildung & <Jugend>\nzwei"]


def test_context_lists_are_not_changed_by_a_template() -> None:
    items = [1, 2]
    with pytest.raises(kd.TemplateRenderError, match="refused by the sandbox"):
        render_text("{{ items.append(3) }}", {"items": items}, name="x.md")
    assert items == [1, 2]


def test_render_text_block_lines_leave_no_trace() -> None:
    source = "| a |\n{% for i in items %}\n  {% if i %}\n| {{ i }} |\n  {% endif %}\n{% endfor %}\n"
    assert render_text(source, {"items": [0, 1, 2]}, name="a.md", block_lines=True) == (
        "| a |\n| 1 |\n| 2 |\n"
    )
    assert "\n\n" in render_text(source, {"items": [0, 1, 2]}, name="a.md")


def test_a_tag_ending_a_line_of_text_keeps_the_line_break() -> None:
    # Jinja's trim_blocks would swallow the break after "{% endif %}" here,
    # gluing the list to the table below it.
    source = "{% for i in items %}\n- {{ i }}{% if i %} (ja){% endif %}\n\n{% endfor %}\n| t |\n"
    assert render_text(source, {"items": [1]}, name="a.md", block_lines=True) == (
        "- 1 (ja)\n\n| t |\n"
    )


def test_block_lines_keep_the_line_numbers_of_errors() -> None:
    source = "{# Kommentar #}\n{% for i in items %}\n{{ i.nicht_da }}\n{% endfor %}\n"
    with pytest.raises(kd.TemplateRenderError, match=r"a\.md: .*\(line 3\)"):
        render_text(source, {"items": [{}]}, name="a.md", block_lines=True)


def test_every_text_method_is_accounted_for() -> None:
    # The sandbox bounds what text methods can allocate: each public method
    # of str and bytes is known to stay small, estimated before it runs, or
    # refused. A method a new Python adds is refused until it is judged.
    from kommunal_digital.documents import environment

    judged = environment._TEXT_METHODS | environment._GROWING_METHODS
    refused = {"format", "format_map"}
    static = {"maketrans", "fromhex"}  # bound to the type, they build no text of a value
    for kind in (str, bytes):
        public = {name for name in dir(kind) if not name.startswith("_")}
        assert public - judged - refused - static == set(), kind
    for name in sorted(refused | {"__len__"}):
        with pytest.raises(kd.TemplateRenderError, match="refused by the sandbox"):
            render_text(f"{{{{ 'abc'.{name}() }}}}", {}, name="t.md")
