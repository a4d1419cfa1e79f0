import datetime as dt
import functools
import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import kommunal_digital as kd
from kommunal_digital.documents import strategy_context
from kommunal_digital.documents.docx import render_docx, render_docx_bytes
from kommunal_digital.german import datum, euro, monate, prozent, zahl
from kommunal_digital.testing import strategies as kst

from .docx_reading import docx_text, make_template

TODAY = dt.date(2027, 3, 31)


@pytest.fixture(scope="module")
def demo_docx(workspace: kd.Workspace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "Digitalstrategie.docx"
    return kd.render_document(kd.demo_strategy(workspace), out, workspace, today=TODAY)


def test_demo_document_names_municipality_fields_goals_and_measures(demo_docx: Path) -> None:
    strategy = kd.demo_strategy()
    text = docx_text(demo_docx)
    assert strategy.municipality.name in text
    for field in strategy.chosen_fields:
        assert field.title in text
        for goal in field.goals:
            assert goal.statement in text
    for measure in strategy.measures:
        assert measure.title in text
    for profile in strategy.profiles:
        assert profile.result in text
    assert "31. März 2027" in text
    assert "{{" not in text
    assert "{%" not in text


def test_demo_document_leaves_out_unchosen_fields(demo_docx: Path) -> None:
    strategy = kd.demo_strategy()
    text = docx_text(demo_docx)
    unchosen = [f for f in strategy.action_fields if not f.chosen]
    assert unchosen
    chosen_titles = " ".join(f.title for f in strategy.chosen_fields)
    for field in unchosen:
        if field.title not in chosen_titles:
            assert field.title not in text


def test_demo_document_shows_amounts_in_german(demo_docx: Path) -> None:
    strategy = kd.demo_strategy()
    text = docx_text(demo_docx)
    measure = max(strategy.measures, key=lambda m: m.cost.one_off or 0)  # all estimated
    assert euro(measure.cost.one_off).replace("\xa0", " ") in text


@functools.cache
def _workspace() -> kd.Workspace:
    # The default workspace (like the ``workspace`` fixture), but not a
    # fixture: hypothesis would print its long repr with every failing example.
    return kd.open_workspace()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategy=kst.strategies())
def test_any_valid_strategy_renders_and_reads_back(strategy: kd.Strategy) -> None:
    workspace = _workspace()
    data = render_docx_bytes(
        workspace.pack.document_template("digitalstrategie") or Path(),
        strategy_context(strategy, workspace, today=TODAY),
    )
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            text += "\n" + "\n".join(c.text for c in row.cells)
    assert strategy.municipality.name.strip() in text
    for measure in strategy.measures:
        assert measure.title.strip() in text


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t.docx", "Titel: {{ title }}")
    out = render_docx(template, {"title": 'Bildung & <Jugend> "Q" {{ x }}'}, tmp_path / "o.docx")
    assert 'Titel: Bildung & <Jugend> "Q" {{ x }}' in docx_text(out)


def test_undefined_variable_names_template(tmp_path: Path) -> None:
    template = make_template(tmp_path / "strategie.docx", "{{ municipalty.name }}")
    with pytest.raises(kd.TemplateRenderError, match=r"strategie\.docx: .*municipalty"):
        render_docx_bytes(template, {"municipality": {"name": "X"}})


def test_syntax_error_names_template(tmp_path: Path) -> None:
    template = make_template(tmp_path / "kaputt.docx", "{% for x in %}")
    with pytest.raises(kd.TemplateRenderError, match=r"kaputt\.docx: template syntax error"):
        render_docx_bytes(template, {})


def test_sandbox_refuses_unsafe_access(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "evil.docx", "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    )
    with pytest.raises(kd.TemplateRenderError, match=r"evil\.docx"):
        render_docx_bytes(template, {})


def test_not_a_docx_template(tmp_path: Path) -> None:
    template = tmp_path / "fake.docx"
    template.write_text("no zip", encoding="utf-8")
    with pytest.raises(kd.DocumentError, match=r"fake\.docx"):
        render_docx_bytes(template, {})
    with pytest.raises(kd.DocumentError, match="template not found"):
        render_docx_bytes(tmp_path / "missing.docx", {})


def test_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t.docx", "Neu: {{ v }}")
    out = tmp_path / "o.docx"
    out.write_bytes(b"old")
    with pytest.raises(kd.OutputExistsError, match="exists already"):
        render_docx(template, {"v": 1}, out)
    assert out.read_bytes() == b"old"
    render_docx(template, {"v": 1}, out, force=True)
    assert "Neu: 1" in docx_text(out)


def test_failed_render_leaves_nothing_behind(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t.docx", "{{ missing }}")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(kd.TemplateRenderError):
        render_docx(template, {}, out_dir / "o.docx")
    assert os.listdir(out_dir) == []


def test_german_filters() -> None:
    assert euro(Decimal("12500")).replace("\xa0", " ") == "12.500 €"
    assert euro(Decimal("12500.5")).replace("\xa0", " ") == "12.500,50 €"
    assert datum(dt.date(2027, 3, 31)) == "31. März 2027"
    assert datum(None) == "offen"
    assert zahl(1234.5) == "1.234,5"
    assert prozent(40).replace("\xa0", " ") == "40 %"
    assert prozent(14.16).replace("\xa0", " ") == "14,2 %"
    assert monate(1) == "1 Monat"
    assert monate(6) == "6 Monate"


def test_unknown_document_type(workspace: kd.Workspace, tmp_path: Path) -> None:
    with pytest.raises(kd.DocumentError, match="unknown document type 'flyer'"):
        kd.render_document(
            kd.demo_strategy(workspace), tmp_path / "x.docx", workspace, document_type="flyer"
        )


def test_demo_document_shows_the_schedule(demo_docx: Path) -> None:
    strategy = kd.demo_strategy()
    assert strategy.schedule is not None
    text = docx_text(demo_docx)
    assert "Zeit- und Finanzplan der Maßnahmen" in text
    for item in strategy.schedule.placed:
        if item.delay_reason:
            assert item.delay_reason in text
    for total in strategy.schedule.years:
        assert euro(total.one_off).replace("\xa0", " ") in text
    for missing in strategy.schedule.unplaced:
        assert missing.reason in text


def test_cached_render_equals_bare_docxtpl(workspace: kd.Workspace, tmp_path: Path) -> None:
    import io
    import zipfile

    from docxtpl import DocxTemplate

    from kommunal_digital.documents.environment import make_environment
    from kommunal_digital.documents.template_cache import clear_cache

    template = workspace.pack.document_template("digitalstrategie")
    assert template is not None
    context = strategy_context(kd.demo_strategy(workspace), workspace, today=TODAY)
    bare = DocxTemplate(str(template))
    bare.render(context, jinja_env=make_environment(), autoescape=True)
    buffer = io.BytesIO()
    bare.save(buffer)
    clear_cache()
    cold = render_docx_bytes(template, context)
    warm = render_docx_bytes(template, context)

    def body(data: bytes) -> bytes:
        return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")

    assert body(cold) == body(buffer.getvalue())
    assert body(warm) == body(cold)


def test_changed_template_is_compiled_again(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t.docx", "Erste Fassung {{ v }}")
    first = render_docx(template, {"v": 1}, tmp_path / "a.docx")
    assert "Erste Fassung 1" in docx_text(first)
    make_template(template, "Zweite Fassung {{ v }}")
    second = render_docx(template, {"v": 2}, tmp_path / "b.docx")
    assert "Zweite Fassung 2" in docx_text(second)


def test_demo_document_embeds_gantt_organigram_and_grid(demo_docx: Path) -> None:
    import zipfile

    media = [n for n in zipfile.ZipFile(demo_docx).namelist() if n.startswith("word/media/")]
    assert len(media) == 4
    text = docx_text(demo_docx)
    for caption in (
        "Reifegrad je Dimension",
        "Zeitplan der Maßnahmen",
        "Organigramm",
        "Einfluss und Interesse der Beteiligten",
    ):
        assert caption in text


def test_context_as_json_and_plugin_formats(workspace: kd.Workspace, tmp_path: Path) -> None:
    import json

    from kommunal_digital.workspace import DocumentType, OutputFormat

    demo = kd.demo_strategy(workspace)
    data = json.loads(
        kd.render_document(demo, tmp_path / "kontext.json", workspace, today=TODAY).read_text(
            encoding="utf-8"
        )
    )
    assert data["municipality"]["name"] == demo.municipality.name
    assert data["document"]["date"] == "2027-03-31"
    # Measures come in document order: by field, then by rank.
    ordered = kd.documents.numbered_measures(demo)
    assert [m["title"] for m in data["measures"]] == [m.title for m in ordered]
    assert [m["number"] for m in data["measures"]] == list(range(1, len(ordered) + 1))

    class Plugin:
        @kd.hookimpl
        def kd_output_formats(self) -> list[OutputFormat]:
            return [
                OutputFormat(
                    "text",
                    ".txt",
                    lambda t, c, i: c["name"].encode(),
                    needs_template=False,
                )
            ]

        @kd.hookimpl
        def kd_document_types(self) -> list[DocumentType]:
            return [
                DocumentType("kurz", "Kurzfassung", lambda s, w, d: {"name": s.municipality.name})
            ]

    isolated = kd.open_workspace(entry_points=False, plugins=[Plugin()])
    out = kd.render_document(demo, tmp_path / "k.txt", isolated, document_type="kurz")
    assert out.read_text(encoding="utf-8") == demo.municipality.name
    with pytest.raises(kd.DocumentError, match=r"no output format for the suffix '\.odt'"):
        kd.render_document(demo, tmp_path / "x.odt", workspace)
