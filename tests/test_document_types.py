"""Every document type of the demo, read back from Word, Markdown and HTML."""

import datetime as dt
import html.parser
import os
import stat
import zipfile
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import kommunal_digital as kd
from kommunal_digital.authoring import check_pack
from kommunal_digital.documents.text_render import escape_markdown
from kommunal_digital.funding import cash_plan
from kommunal_digital.german import datum, euro, prozent
from kommunal_digital.maturity import assess_maturity
from kommunal_digital.model import MeasureStatus, ProgressUpdate
from kommunal_digital.monitoring import progress_report, record_progress
from kommunal_digital.packs import TemplatePack
from kommunal_digital.workspace import DocumentType

from .docx_reading import docx_text, make_template

TODAY = dt.date(2027, 3, 31)
TYPES = (
    "digitalstrategie",
    "steckbrief",
    "vorgehensplan",
    "beschlussvorlage",
    "fortschrittsbericht",
    "organigramm",
)


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


@pytest.fixture(scope="module")
def demo(workspace: kd.Workspace) -> kd.Strategy:
    return kd.demo_strategy(workspace)


@pytest.fixture(scope="module")
def built(
    demo: kd.Strategy, workspace: kd.Workspace, tmp_path_factory: pytest.TempPathFactory
) -> kd.BuildResult:
    out = tmp_path_factory.mktemp("set")
    return kd.build_documents(
        demo, out, workspace, formats=("docx", "markdown", "html"), today=TODAY
    )


def test_every_builtin_type_is_registered(workspace: kd.Workspace) -> None:
    types = workspace.document_types
    assert set(TYPES) <= set(types)
    assert types["steckbrief"].per_measure
    assert not types["beschlussvorlage"].per_measure


def test_build_writes_the_documented_layout(demo: kd.Strategy, built: kd.BuildResult) -> None:
    assert built.ok
    out = built.out_dir
    for title in (
        "Digitalstrategie",
        "Vorgehensplan",
        "Beschlussvorlage",
        "Fortschrittsbericht",
        "Organigramm",
    ):
        for suffix in (".docx", ".md", ".html"):
            assert (out / f"{title}{suffix}").is_file()
    sheets = sorted(p.name for p in (out / "Steckbriefe").glob("*.docx"))
    assert len(sheets) == len(demo.measures)
    first = kd.documents.numbered_measures(demo)[0]
    assert sheets[0] == f"Maßnahmen-Steckbrief-01-{first.key}.docx"
    assert {p.name for p in (out / "Bilder").iterdir()} >= {"Organigramm.png", "Zeitplan.png"}
    assert not list((out / "Bilder").glob("*.svg"))  # SVG only on request
    assert len(built.documents) == (5 + len(demo.measures)) * 3
    mode = stat.S_IMODE(os.stat(out / "Digitalstrategie.docx").st_mode)
    assert mode & 0o044 == 0o044  # readable by others, like any new file


def test_steckbrief_shows_everything_of_its_measure(
    demo: kd.Strategy, built: kd.BuildResult
) -> None:
    profile = demo.profiles[0]
    measure = demo.measure(profile.measure)
    number = kd.documents.measure_numbers(demo)[measure.key]
    path = built.out_dir / "Steckbriefe" / f"Maßnahmen-Steckbrief-{number:02d}-{measure.key}.docx"
    text = docx_text(path)
    assert measure.title in text
    assert demo.goal(measure.goal or "").statement.strip() in text
    assert measure.description.strip() in text
    assert f"{measure.duration_months} Monate" in text
    assert plain(euro(measure.cost.one_off)) in text
    assert plain(euro(measure.cost.yearly)) + " pro Jahr" in text
    names = {s.key: s.name for s in demo.stakeholders}
    for involvement in measure.stakeholders:
        assert names[involvement.stakeholder] in text
        assert involvement.role.label in text
    for task in profile.tasks:
        assert task.what in text
    for milestone in profile.milestones:
        assert milestone.what in text
    for indicator in measure.indicators:
        assert indicator.name in text
    assert profile.result.strip() in text
    assert demo.schedule is not None
    slot = next(p for p in demo.schedule.placed if p.measure == measure.key)
    assert kd_month(slot.start) in text


def kd_month(value: dt.date) -> str:
    from kommunal_digital.german import monat

    return monat(value)


def test_steckbrief_without_profile_says_what_is_missing(
    demo: kd.Strategy, built: kd.BuildResult
) -> None:
    with_profile = {p.measure for p in demo.profiles}
    number, measure = next(
        (n, m)
        for n, m in enumerate(kd.documents.numbered_measures(demo), start=1)
        if m.key not in with_profile
    )
    path = built.out_dir / "Steckbriefe" / f"Maßnahmen-Steckbrief-{number:02d}-{measure.key}.docx"
    text = docx_text(path)
    assert measure.title in text
    assert "Die Arbeitsschritte werden in der vertieften Planung festgelegt." in text


def test_vorgehensplan_has_phases_tasks_and_milestones(
    demo: kd.Strategy, built: kd.BuildResult
) -> None:
    text = docx_text(built.out_dir / "Vorgehensplan.docx")
    assert demo.roadmap is not None
    for number, phase in enumerate(demo.roadmap.phases, start=1):
        assert f"Phase {number}: {phase.title}" in text
        for task in phase.tasks:
            assert task.what in text
        for milestone in phase.milestones:
            assert milestone.what in text
    for header in ("Was", "Wer", "Bis wann", "Erreicht am"):
        assert header in text.split("\n")
    media = [n for n in zipfile.ZipFile(built.out_dir / "Vorgehensplan.docx").namelist()]
    assert any(n.startswith("word/media/") for n in media)


def test_beschlussvorlage_has_decision_money_per_year_and_staff(
    demo: kd.Strategy, built: kd.BuildResult
) -> None:
    text = docx_text(built.out_dir / "Beschlussvorlage.docx")
    assert "Verbandsgemeinderat" in text
    assert f"Beschluss der „{demo.title}“" in text
    assert "Der Verbandsgemeinderat beschließt die" in text
    assert demo.schedule is not None
    for total in demo.schedule.years:
        assert plain(euro(total.one_off + total.follow_on)) in text
    first = demo.schedule.years[0]
    assert f"Die für {first.year} vorgesehenen Mittel von " in text
    plan = cash_plan(demo)
    assert plan.income > 0  # the demo's WLAN and Dorf-App are funded by programmes
    for year in plan.years:
        assert plain(euro(year.own_share)) in text
    assert plain(euro(plan.own_share)) in text
    assert f"(davon {plain(euro(plan.years[0].own_share))} Eigenanteil" in text
    planned = sum((t.one_off + t.follow_on for t in demo.schedule.years), Decimal(0))
    assert plain(euro(planned)) in text
    one_off = [m.cost.one_off for m in demo.measures if m.cost.one_off is not None]
    assert len(one_off) == len(demo.measures)  # the demo estimates every cost
    assert plain(euro(sum(one_off, Decimal(0)))) in text
    for measure in demo.measures:
        if measure.budgeting.needs_extra_staff:
            assert measure.title in text
    assert "Digitalbeauftragte" in text
    for heading in ("Beschlussvorschlag", "Begründung", "Finanzielle Auswirkungen"):
        assert heading in text


def test_beschlussvorlage_names_the_council_of_each_kind(
    demo: kd.Strategy, workspace: kd.Workspace
) -> None:
    councils = {
        kd.MunicipalityKind.GEMEINDE: "Gemeinderat",
        kd.MunicipalityKind.STADT: "Stadtrat",
        kd.MunicipalityKind.KREIS: "Kreistag",
    }
    for kind, council in councils.items():
        municipality = attrs.evolve(demo.municipality, kind=kind, members=())
        measures = tuple(attrs.evolve(m, members=()) for m in demo.measures)
        strategy = attrs.evolve(demo, municipality=municipality, measures=measures)
        context = kd.document_context(strategy, workspace, "beschlussvorlage", today=TODAY)
        assert context["council"] == council
        assert context["proposal"]["decision"][0].startswith(f"Der {council} beschließt")
        assert not any("Mitgliedsgemeinden" in p for p in context["proposal"]["decision"])


def test_fortschrittsbericht_shows_recorded_progress(
    demo: kd.Strategy, workspace: kd.Workspace, tmp_path: Path
) -> None:
    measure = demo.measures[0]
    last = max((u.date for u in demo.progress_history), default=dt.date(2027, 1, 1))
    on = last + dt.timedelta(days=10)
    update = ProgressUpdate(
        measure=measure.key,
        date=on,
        status=MeasureStatus.IN_UMSETZUNG,
        progress=40,
        note="Ausschreibung veröffentlicht",
        author="Digitallotse Bildung",
    )
    updated = record_progress(demo, update)
    out = kd.render_document(
        updated,
        tmp_path / "Fortschrittsbericht.docx",
        workspace,
        document_type="fortschrittsbericht",
        today=on + dt.timedelta(days=20),
    )
    text = docx_text(out)
    assert "Ausschreibung veröffentlicht" in text
    assert datum(on) in text
    assert plain(prozent(40)) in text
    for m in demo.measures:
        assert m.title in text
    report = progress_report(updated, as_of=on + dt.timedelta(days=20))
    assert plain(prozent(report.overall.progress)) in text


def test_organigramm_sheet_lists_roles_and_field_pilots(
    demo: kd.Strategy, built: kd.BuildResult
) -> None:
    text = docx_text(built.out_dir / "Organigramm.docx")
    assert demo.organigram is not None
    for role in demo.organigram.roles:
        assert role.title in text
    for field in demo.chosen_fields:
        assert field.title in text


@pytest.mark.parametrize("document_type", TYPES)
def test_markdown_and_html_carry_the_same_content(
    demo: kd.Strategy, workspace: kd.Workspace, built: kd.BuildResult, document_type: str
) -> None:
    title = workspace.document_types[document_type].title
    if document_type == "steckbrief":
        md = built.out_dir / "Steckbriefe" / f"{title}-01-{demo.measures[0].key}.md"
    else:
        md = built.out_dir / f"{title}.md"
    page = md.with_suffix(".html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="de">' in page
    text = md.read_text(encoding="utf-8")
    assert "{{" not in text
    assert "{%" not in text
    shown = page_text(page)
    assert demo.municipality.name in shown
    if document_type in ("digitalstrategie", "fortschrittsbericht", "vorgehensplan"):
        for measure in demo.measures:
            assert measure.title in shown


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def page_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return "".join(parser.parts)


def page_tags(page: str) -> list[str]:
    parser = _Text()
    parser.feed(page)
    return parser.tags


HOSTILE = [
    '*Neu* <script>alert("x")</script> & | Spalte',
    "[Link](javascript:alert(1)) _kursiv_ `code` ~durch~",
    "1. Platz\n- Liste\n# Überschrift\n+ plus",
    "Zeile eins\nZeile zwei",
    "\\ Backslash \\* und ![Bild](x.png)",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_text_prints_literally_in_markdown_and_html(
    demo: kd.Strategy, workspace: kd.Workspace, tmp_path: Path, title: str
) -> None:
    measure = attrs.evolve(demo.measures[0], title=title)
    strategy = attrs.evolve(demo, measures=(measure, *demo.measures[1:]), ranking=None)
    page = kd.render_document(
        strategy,
        tmp_path / "s.html",
        workspace,
        document_type="steckbrief",
        measure=measure.key,
        today=TODAY,
    ).read_text(encoding="utf-8")
    assert "script" not in page_tags(page)
    assert "a" not in page_tags(page)
    assert title.replace("\n", "") in page_text(page).replace("\n", "")
    markdown = kd.render_document(
        strategy,
        tmp_path / "s.md",
        workspace,
        document_type="steckbrief",
        measure=measure.key,
        today=TODAY,
    ).read_text(encoding="utf-8")
    assert escape_markdown(title) in markdown


def test_build_refuses_to_overwrite_and_writes_nothing(
    demo: kd.Strategy, workspace: kd.Workspace, tmp_path: Path
) -> None:
    kd.build_documents(demo, tmp_path, workspace, document_types=["vorgehensplan"], pictures=False)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(kd.OutputExistsError, match=r"Vorgehensplan\.docx"):
        kd.build_documents(
            demo, tmp_path, workspace, document_types=["vorgehensplan", "organigramm"]
        )
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    again = kd.build_documents(
        demo, tmp_path, workspace, document_types=["vorgehensplan", "organigramm"], force=True
    )
    assert again.ok
    assert (tmp_path / "Organigramm.docx").is_file()


def failing_plugin() -> object:
    def broken(
        strategy: kd.Strategy, workspace: kd.Workspace, today: dt.date | None
    ) -> dict[str, object]:
        raise kd.DocumentError("kaputt: the context cannot be built")

    class Plugin:
        @kd.hookimpl
        def kd_document_types(self) -> list[DocumentType]:
            return [DocumentType("kaputt", "Kaputt", broken)]

    return Plugin()


def test_one_failing_document_does_not_stop_the_others(demo: kd.Strategy, tmp_path: Path) -> None:
    workspace = kd.open_workspace(entry_points=False, plugins=[failing_plugin()])
    result = kd.build_documents(
        demo,
        tmp_path,
        workspace,
        document_types=["kaputt", "organigramm"],
        pictures=False,
    )
    assert not result.ok
    assert [str(f) for f in result.failures] == [
        "kaputt (docx): kaputt: the context cannot be built"
    ]
    assert result.documents == (tmp_path / "Organigramm.docx",)


def test_strict_build_writes_nothing_when_one_document_fails(
    demo: kd.Strategy, tmp_path: Path
) -> None:
    workspace = kd.open_workspace(entry_points=False, plugins=[failing_plugin()])
    with pytest.raises(kd.DocumentError, match=r"1 document\(s\) failed, nothing written: kaputt"):
        kd.build_documents(
            demo,
            tmp_path / "out",
            workspace,
            document_types=["organigramm", "kaputt"],
            strict=True,
        )
    assert not (tmp_path / "out").exists()


def test_per_measure_type_needs_a_known_measure(
    demo: kd.Strategy, workspace: kd.Workspace, tmp_path: Path
) -> None:
    with pytest.raises(kd.DocumentError, match="steckbrief: one document per measure"):
        kd.render_document(demo, tmp_path / "s.docx", workspace, document_type="steckbrief")
    with pytest.raises(kd.DocumentError, match="the strategy has no measure 'gibt-es-nicht'"):
        kd.render_document(
            demo,
            tmp_path / "s.docx",
            workspace,
            document_type="steckbrief",
            measure="gibt-es-nicht",
        )
    assert list(tmp_path.iterdir()) == []


def test_unknown_names_are_listed(
    demo: kd.Strategy, workspace: kd.Workspace, tmp_path: Path
) -> None:
    with pytest.raises(kd.DocumentError, match=r"unknown document type 'flyer' \(known: "):
        kd.build_documents(demo, tmp_path, workspace, document_types=["flyer"])
    with pytest.raises(kd.DocumentError, match="unknown output format 'odt'"):
        kd.build_documents(demo, tmp_path, workspace, formats=["odt"])


def test_pack_without_markdown_template_names_what_is_missing(
    demo: kd.Strategy, tmp_path: Path
) -> None:
    pack = tmp_path / "mini"
    (pack / "templates").mkdir(parents=True)
    base = kd.load_installation().pack("base").document_template("organigramm")
    assert base is not None
    (pack / "templates" / "organigramm.docx").write_bytes(base.read_bytes())
    (pack / "pack.toml").write_text(
        '[pack]\nname = "mini"\nversion = "1.0"\ntitle = "Mini"\n'
        '[documents]\norganigramm = "templates/organigramm.docx"\n',
        encoding="utf-8",
    )
    mini = kd.open_workspace(pack)
    assert kd.render_document(demo, tmp_path / "o.docx", mini, document_type="organigramm")
    with pytest.raises(kd.PackError, match="mini: no markdown template for document type"):
        kd.render_document(demo, tmp_path / "o.md", mini, document_type="organigramm")


def test_old_style_template_plugins_are_asked_for_word_only(
    demo: kd.Strategy, tmp_path: Path
) -> None:
    asked: list[str] = []
    old_style = make_template(tmp_path / "alt.docx", "Alter Stil: {{ municipality.name }}")

    class OldPlugin:
        @kd.hookimpl
        def kd_document_template(self, pack: TemplatePack, document_type: str) -> Path | None:
            asked.append(document_type)
            return old_style

    # Templates are resolved when the workspace is opened: the old-style
    # plugin is asked once per document type, for the Word template only.
    workspace = kd.open_workspace(entry_points=False, plugins=[OldPlugin()])
    assert sorted(asked) == sorted(workspace.document_types)
    assert workspace.template("vorgehensplan") == old_style
    assert workspace.template("vorgehensplan", "markdown") != old_style
    md = kd.render_document(demo, tmp_path / "v.md", workspace, document_type="vorgehensplan")
    assert "Phase 1" in md.read_text(encoding="utf-8")
    assert "Alter Stil" not in md.read_text(encoding="utf-8")
    word = kd.render_document(demo, tmp_path / "v.docx", workspace, document_type="vorgehensplan")
    assert sorted(asked) == sorted(workspace.document_types)
    assert f"Alter Stil: {demo.municipality.name}" in docx_text(word)


def test_pack_check_lints_templates_against_their_own_context(tmp_path: Path) -> None:
    pack = tmp_path / "lint"
    (pack / "templates").mkdir(parents=True)
    (pack / "templates" / "steckbrief.md").write_text(
        "# {{ measure.title }}\n{{ proposal.subject }}\n", encoding="utf-8"
    )
    (pack / "templates" / "organigramm.md").write_text("{% for r in %}\n", encoding="utf-8")
    (pack / "pack.toml").write_text(
        '[pack]\nname = "lint"\nversion = "1.0"\ntitle = "Lint"\nextends = "base"\n'
        "[documents]\n"
        'steckbrief-markdown = "templates/steckbrief.md"\n'
        'organigramm-markdown = "templates/organigramm.md"\n'
        'flyer = "templates/flyer.docx"\n',
        encoding="utf-8",
    )
    installation = kd.load_installation()
    problems = [
        str(p)
        for p in check_pack(
            pack, packs=installation.packs, document_types=installation.document_types()
        )
    ]
    assert any(
        p.startswith("templates/steckbrief.md: uses 'proposal', which is not in the render context")
        for p in problems
    )
    assert any(
        p.startswith("templates/organigramm.md: template syntax error (line 1)") for p in problems
    )
    assert any(p.startswith("documents.flyer: names the document type 'flyer'") for p in problems)
    assert len(problems) == 3


def test_report_dated_before_the_last_report_covers_one_rhythm(
    demo: kd.Strategy, workspace: kd.Workspace
) -> None:
    assert demo.reporting.last_report_on is not None
    as_of = demo.reporting.last_report_on - dt.timedelta(days=30)
    report = kd.document_context(demo, workspace, "fortschrittsbericht", today=as_of)["report"]
    assert report["as_of"] == as_of
    assert report["since"] < as_of
    assert (as_of - report["since"]).days in range(89, 93)  # three months back


@pytest.mark.parametrize("document_type", TYPES)
def test_markdown_tables_and_lists_stand_on_their_own(
    demo: kd.Strategy, workspace: kd.Workspace, built: kd.BuildResult, document_type: str
) -> None:
    title = workspace.document_types[document_type].title
    folder = built.out_dir / ("Steckbriefe" if document_type == "steckbrief" else "")
    for md in sorted(folder.glob(f"{title}*.md")):
        lines = md.read_text(encoding="utf-8").split("\n")
        for number, line in enumerate(lines[1:], start=1):
            starts_table = line.startswith("| ") and lines[
                min(number + 1, len(lines) - 1)
            ].startswith("| ---")
            if starts_table:
                # A table glued to a paragraph or list item is no table in Markdown.
                assert lines[number - 1] == "", f"{md.name}:{number + 1}"
    page = (
        folder
        / f"{title}{'-01-' + demo.measures[0].key if document_type == 'steckbrief' else ''}.html"
    )
    assert "| ---" not in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", [".docx", ".html"])
def test_digitalstrategie_shows_maturity_funding_and_monitoring(
    demo: kd.Strategy, workspace: kd.Workspace, built: kd.BuildResult, suffix: str
) -> None:
    path = built.out_dir / f"Digitalstrategie{suffix}"
    text = docx_text(path) if suffix == ".docx" else page_text(path.read_text(encoding="utf-8"))
    text = plain(text)
    assert demo.maturity_check is not None
    assessment = assess_maturity(
        demo,
        workspace.questionnaire(demo.maturity_check.questionnaire),
        guides=workspace.phase_guides,
    )
    for reason in assessment.reasons:
        assert reason in text
    assert f"„{assessment.phase.label}“" in text
    plan = cash_plan(demo)
    assert plain(euro(plan.own_share)) in text
    assert plain(euro(plan.income)) in text
    for heading in ("Digitaler Reifegrad", "Finanzierung und Förderung", "Erfolgskontrolle"):
        assert heading in text
    for measure in demo.measures:
        for indicator in measure.indicators:
            assert indicator.name in text
