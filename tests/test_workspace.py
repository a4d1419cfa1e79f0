"""The workspace: resolved once, passed explicitly, the only view of plugins and packs."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pluggy
import pytest

import kommunal_digital as kd
from kommunal_digital.model import MaturityCheck
from kommunal_digital.model.maturity import Questionnaire
from kommunal_digital.packs import TemplatePack, bundled_packs_dir
from kommunal_digital.ranking import RankingRequest
from kommunal_digital.testing.strategies import digicheck
from kommunal_digital.workspace import DocumentType, Workspace
from tests.docx_reading import docx_text

TODAY = dt.date(2028, 1, 31)
QUESTIONNAIRE = "reifecheck-test"


@attrs.frozen
class Alphabetical:
    """A ranking rule of the test agency: measures by title."""

    name: str = "alphabetisch"
    title: str = "Alphabetisch"

    def rank(self, request: RankingRequest) -> Any:
        order = sorted(request.measures, key=lambda m: m.title)
        scores = {m.key: float(len(order) - i) for i, m in enumerate(order)}
        return request.rule("punktabfrage").rank(
            attrs.evolve(
                request,
                measures=tuple(attrs.evolve(m, votes=int(scores[m.key])) for m in order),
            )
        )


def _short_report(
    strategy: kd.Strategy, workspace: Workspace, today: dt.date | None
) -> dict[str, Any]:
    questionnaire = workspace.questionnaire(QUESTIONNAIRE)
    return {"municipality": strategy.municipality.name, "questionnaire": questionnaire.title}


class AgencyPlugin:
    """A fourth agency: its own questionnaire, document type and ranking rule."""

    def __init__(self, template: Path) -> None:
        self.template = template

    @kd.hookimpl
    def kd_maturity_questionnaires(self) -> Sequence[Questionnaire]:
        return [attrs.evolve(digicheck(), key=QUESTIONNAIRE, title="Reifecheck der Testagentur")]

    @kd.hookimpl
    def kd_document_types(self) -> Sequence[DocumentType]:
        return [DocumentType("kurzbericht", "Kurzbericht", _short_report)]

    @kd.hookimpl
    def kd_ranking_rules(self) -> Sequence[Alphabetical]:
        return [Alphabetical()]

    @kd.hookimpl
    def kd_document_template(
        self, pack: TemplatePack, document_type: str, template_kind: str
    ) -> Path | None:
        if document_type == "kurzbericht" and template_kind == "markdown":
            return self.template
        return None


@pytest.fixture
def agency(tmp_path: Path) -> AgencyPlugin:
    template = tmp_path / "kurzbericht.md"
    template.write_text("# Kurzbericht {{ municipality }}\n\n{{ questionnaire }}\n", "utf-8")
    return AgencyPlugin(template)


def _demo_with_own_questionnaire(workspace: Workspace) -> kd.Strategy:
    demo = kd.demo_strategy(workspace)
    assert demo.maturity_check is not None
    check = attrs.evolve(demo.maturity_check, questionnaire=QUESTIONNAIRE)
    return attrs.evolve(demo, maturity_check=check)


def test_an_isolated_workspace_sees_only_its_plugins(agency: AgencyPlugin) -> None:
    workspace = kd.open_workspace(entry_points=False, plugins=[agency])
    assert workspace.plugins[0] == "kommunal_digital.builtin"
    assert len(workspace.plugins) == 2
    assert QUESTIONNAIRE in workspace.questionnaires
    assert "digicheck" in workspace.questionnaires  # data of the base pack
    assert "alphabetisch" in workspace.ranking_rules
    assert "kurzbericht" in workspace.document_types
    # No installed plugin reached it: the RLP plugin's check is absent.
    assert "rlp-digitalbeauftragte" not in workspace.governance_checks
    # The registries are read-only.
    with pytest.raises(TypeError):
        workspace.ranking_rules["x"] = Alphabetical()  # type: ignore[index]


def test_every_document_type_renders_with_the_plugins_questionnaire(
    agency: AgencyPlugin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = kd.open_workspace(entry_points=False, plugins=[agency])
    strategy = kd.rank(_demo_with_own_questionnaire(workspace), workspace, "alphabetisch")
    assert strategy.ranking is not None
    titles = [strategy.measure(key).title for key in strategy.ranking.order]
    active = [m.title for m in strategy.measures if m.key in strategy.ranking.order]
    assert titles == sorted(active)  # the plugin's rule ranked them
    created: list[object] = []
    original = pluggy.PluginManager.__init__

    def counting(self: pluggy.PluginManager, project_name: str) -> None:
        created.append(self)
        original(self, project_name)

    monkeypatch.setattr(pluggy.PluginManager, "__init__", counting)
    result = kd.build_documents(
        strategy,
        tmp_path / "out",
        workspace,
        formats=("docx", "markdown"),
        today=TODAY,
        strict=False,
    )
    assert created == []  # nothing behind the caller's back
    failed = {(f.document_type, f.output_format) for f in result.failures}
    # The plugin's type ships a Markdown template only; every other pair rendered.
    assert failed == {("kurzbericht", "docx")}
    names = {path.name for path in result.documents}
    assert "Kurzbericht.md" in names
    assert {"Digitalstrategie.docx", "Beschlussvorlage.docx", "Organigramm.md"} <= names
    assert "Reifecheck der Testagentur" in (tmp_path / "out" / "Kurzbericht.md").read_text("utf-8")
    strategy_text = docx_text(tmp_path / "out" / "Digitalstrategie.docx")
    assert "Reifecheck der Testagentur" in strategy_text
    assert "Reifegrad.png" in {path.name for path in result.pictures}


def test_the_default_workspace_does_not_know_the_agencys_questionnaire(
    agency: AgencyPlugin, isolated_workspace: Workspace, tmp_path: Path
) -> None:
    own = kd.open_workspace(entry_points=False, plugins=[agency])
    strategy = _demo_with_own_questionnaire(own)
    with pytest.raises(kd.ModelValidationError, match="unknown questionnaire 'reifecheck-test'"):
        kd.document_context(strategy, isolated_workspace)
    findings = kd.check(strategy, isolated_workspace)
    assert [d.code for d in findings if d.severity is kd.Severity.ERROR] == ["maturity.answers"]
    assert kd.check(strategy, own).valid


def test_a_pack_folder_gives_the_same_workspace_as_the_registered_pack(tmp_path: Path) -> None:
    copy = shutil.copytree(bundled_packs_dir() / "rlp", tmp_path / "rlp-kopie")
    installation = kd.load_installation(entry_points=False)
    by_name = installation.workspace("rlp")
    by_folder = installation.workspace(copy)
    assert by_folder.pack.root == copy.resolve()
    assert by_folder.pack.parent is not None
    assert by_folder.pack.parent.name == "base"
    for registry in (
        "action_fields",
        "catalogue",
        "text_blocks",
        "funding_programmes",
        "questionnaires",
        "phase_guides",
        "roadmap_presets",
        "organigram_presets",
    ):
        assert dict(getattr(by_folder, registry)) == dict(getattr(by_name, registry)), registry
    assert by_folder.templates == by_name.templates


def test_a_packs_own_phase_guides_reach_its_documents(tmp_path: Path) -> None:
    pack = shutil.copytree(bundled_packs_dir() / "rlp", tmp_path / "eigene-phasen")
    manifest = pack / "pack.toml"
    text = manifest.read_text("utf-8").replace('name = "rlp"', 'name = "eigene-phasen"')
    manifest.write_text(text.replace("[data]\n", '[data]\nphase_guide = "phases.yaml"\n'), "utf-8")
    base_phases = (bundled_packs_dir() / "base" / "phases.yaml").read_text("utf-8")
    (pack / "phases.yaml").write_text(
        base_phases.replace("situation: ", "situation: Eigene Lage. ", 1), "utf-8"
    )
    workspace = kd.load_installation(entry_points=False).workspace(pack)
    strategy = kd.demo_strategy(workspace)
    context = kd.document_context(strategy, workspace, today=TODAY)
    guides = {phase.value: guide.situation for phase, guide in workspace.phase_guides.items()}
    assert context["maturity"]["guide"]["situation"] == guides[context["maturity"]["phase"]]
    assert any(text.startswith("Eigene Lage.") for text in guides.values())


def test_the_strategy_records_its_pack_and_the_default_applies_without_one(
    workspace: Workspace,
) -> None:
    demo = kd.demo_strategy(workspace)
    assert demo.pack == kd.PackReference("rlp", workspace.pack.manifest.version)
    old = attrs.evolve(demo, pack=None)
    reloaded = kd.loads_strategy(kd.dumps_strategy(old))
    assert reloaded.pack is None
    default = kd.load_installation().workspace(reloaded.pack)
    assert default.pack.name == "rlp"


def test_check_reports_a_strategy_checked_with_another_pack(workspace: Workspace) -> None:
    demo = attrs.evolve(kd.demo_strategy(workspace), pack=kd.PackReference("thueringen", "0.1.0"))
    codes = [d.code for d in kd.check(demo, workspace)]
    assert "pack.other" in codes
    older = attrs.evolve(demo, pack=kd.PackReference("rlp", "0.0.1"))
    version = [d for d in kd.check(older, workspace) if d.code == "pack.version"]
    assert len(version) == 1
    assert "0.0.1" in version[0].message


def test_a_maturity_check_without_answers_of_the_questionnaire_is_one_diagnostic(
    workspace: Workspace,
) -> None:
    demo = kd.demo_strategy(workspace)
    broken = attrs.evolve(
        demo, maturity_check=MaturityCheck(questionnaire="digicheck", answers={"gibt-es-nicht": 1})
    )
    report = kd.check(broken, workspace)
    (diagnostic,) = [d for d in report if d.code == "maturity.answers"]
    assert diagnostic.location == "maturity_check.answers.gibt-es-nicht"
    assert diagnostic.severity is kd.Severity.ERROR
    assert not report.valid
