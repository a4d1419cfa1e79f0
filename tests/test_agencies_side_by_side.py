"""Several agencies' plugins in one installation: each applies to its own packs only."""

from __future__ import annotations

import json
import textwrap
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.cli.main import cli
from kommunal_digital.demo import DEMO_DATE

AGENCY = '''
"""A fourth agency (Hessen): own pack, document type, check, rule and a clashing field."""

from pathlib import Path

import attrs

from kommunal_digital import hookimpl
from kommunal_digital.model import ActionField, Severity
from kommunal_digital.organisation import Finding
from kommunal_digital.workspace import DocumentType

PACK = Path(__file__).parent / "hessen_pack"


def antrag(strategy, workspace, today):
    return {"municipality": strategy.municipality.name, "fields": len(workspace.action_fields)}


@attrs.frozen
class Interkommunal:
    name: str = "hessen-interkommunal"
    title: str = "Interkommunale Zusammenarbeit"

    def check(self, strategy, options):
        yield Finding(self.name, Severity.INFO, "Interkommunale Partner prüfen.")


@attrs.frozen
class Alphabetisch:
    name: str = "hessen-alphabetisch"
    title: str = "Alphabetisch"

    def rank(self, request):
        return request.rule("punktabfrage").rank(request)


@hookimpl
def kd_template_packs():
    return [PACK]


@hookimpl
def kd_document_types():
    return [DocumentType("foerderantrag", "Förderantrag", antrag)]


@hookimpl
def kd_document_template(pack, document_type, template_kind):
    if document_type == "foerderantrag" and template_kind == "markdown":
        return PACK / "foerderantrag.md"
    return None


@hookimpl
def kd_governance_checks():
    return [Interkommunal()]


@hookimpl
def kd_ranking_rules():
    return [Alphabetisch()]


@hookimpl
def kd_action_fields(pack):
    # Returned for every pack it is asked about: the same key as the pack's own
    # field, with another title, so the conflict must show (in its own packs only).
    return [ActionField("verwaltung", "Verwaltung 4.0")]
'''

FIELDS = "\n".join(
    f"  - key: {key}\n    title: {title}"
    for key, title in [
        ("verwaltung", "Moderne Verwaltung"),
        ("bildung", "Bildung"),
        ("mobilitaet", "Mobilität"),
        ("wirtschaft", "Wirtschaft"),
        ("gesundheit", "Gesundheit"),
        ("beteiligung", "Beteiligung"),
    ]
)


def _install_agency(site: Path) -> None:
    (site / "kd_hessen.py").write_text(AGENCY, "utf-8")
    pack = site / "hessen_pack"
    pack.mkdir()
    (pack / "pack.toml").write_text(
        textwrap.dedent(
            """\
            [pack]
            name = "hessen"
            version = "1.0"
            title = "Digitale Kommune Hessen"
            kommunal_digital = ">=0.1,<0.2"
            extends = "base"

            [data]
            action_fields = "fields.yaml"
            """
        ),
        "utf-8",
    )
    (pack / "fields.yaml").write_text(f"action_fields:\n{FIELDS}\n", "utf-8")
    (pack / "foerderantrag.md").write_text(
        "# Förderantrag {{ municipality }}\n\n{{ fields }} Handlungsfelder\n", "utf-8"
    )
    info = site / "kd_hessen-1.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kd-hessen\nVersion: 1.2\n")
    (info / "entry_points.txt").write_text("[kommunal_digital]\nhessen = kd_hessen\n")


@pytest.fixture
def agency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> kd.Installation:
    site = tmp_path / "site"
    site.mkdir()
    _install_agency(site)
    monkeypatch.syspath_prepend(str(site))
    installation = kd.load_installation()
    assert installation.disabled == ()
    assert {"rlp", "thueringen", "nrw", "hessen"} <= {p.name for p in installation.plugins.plugins}
    return installation


def _parts(folder: Path) -> dict[str, bytes]:
    """Every file of a build, the Word files opened up part by part."""
    parts: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    parts[f"{path.relative_to(folder)}/{member}"] = archive.read(member)
        elif path.is_file():
            parts[str(path.relative_to(folder))] = path.read_bytes()
    return parts


def test_the_rlp_demo_is_the_same_with_every_agencys_plugin_installed(
    agency: kd.Installation, tmp_path: Path
) -> None:
    alone = kd.open_workspace("rlp", entry_points=False)
    together = agency.workspace("rlp")
    assert "hessen" not in together.plugins
    assert "foerderantrag" not in together.document_types
    assert "hessen-interkommunal" not in together.governance_checks
    demo = kd.demo_strategy(alone)
    assert kd.demo_strategy(together) == demo
    formats = ("docx", "markdown", "json")
    kd.build_documents(demo, tmp_path / "alone", alone, formats=formats, today=DEMO_DATE)
    kd.build_documents(demo, tmp_path / "together", together, formats=formats, today=DEMO_DATE)
    alone_parts = _parts(tmp_path / "alone")
    assert alone_parts == _parts(tmp_path / "together")
    assert any(name.endswith("word/document.xml") for name in alone_parts)


def test_the_fourth_agency_builds_its_own_type_and_runs_its_own_check(
    agency: kd.Installation, tmp_path: Path
) -> None:
    workspace = agency.workspace("hessen")
    assert "foerderantrag" in workspace.document_types
    assert "hessen-alphabetisch" in workspace.ranking_rules
    strategy = kd.workspace.with_pack(kd.demo_strategy(workspace), workspace, replace=True)
    report = kd.check(strategy, workspace)
    assert "governance.hessen-interkommunal" in [d.code for d in report]
    out = kd.render_document(
        strategy, tmp_path / "antrag.md", workspace, document_type="foerderantrag"
    )
    assert out.read_text("utf-8").startswith("# Förderantrag Verbandsgemeinde Eichenberg")
    assert workspace.action_fields["verwaltung"].title == "Verwaltung 4.0"
    (conflict,) = [c for c in workspace.conflicts if c.registry == "action_fields"]
    assert conflict.key == "verwaltung"
    assert conflict.winner == "plugin hessen"
    assert conflict.overridden == ("plugin kommunal_digital.builtin",)


def test_plugins_conflicts_and_pack_check_name_who_won(
    agency: kd.Installation,
) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["plugins", "--conflicts", "--json"])
    assert result.exit_code == 0, result.stderr
    conflicts = json.loads(result.stdout)
    assert conflicts == [
        {
            "pack": "hessen",
            "registry": "action_fields",
            "key": "verwaltung",
            "winner": "plugin hessen",
            "overridden": ["plugin kommunal_digital.builtin"],
        }
    ]
    pack = agency.packs["hessen"].root
    result = runner.invoke(cli, ["pack", "check", str(pack)])
    assert result.exit_code == 0, result.output
    assert "conflict: action_fields: 'verwaltung'" in result.stdout
    assert "plugin hessen" in result.stdout


def test_merge_order_is_core_then_installed_by_name(agency: kd.Installation) -> None:
    names = [p.name for p in agency.plugins.plugins]
    assert names[0] == "kommunal_digital.builtin"
    installed = [p.name for p in agency.plugins.plugins if p.installed]
    assert installed == sorted(installed)
    versions = {p.name: p.version for p in agency.plugins.plugins}
    assert versions["hessen"] == "1.2"
