import datetime as dt
from pathlib import Path

import attrs
import docx
import pytest

import kommunal_digital as kd
from kommunal_digital.authoring import check_pack, starter_strategy
from kommunal_digital.model import RelationKind, RoleKind
from kommunal_digital.organisation import run_checks

ERFURT_LAND = kd.Municipality(
    name="Gemeinde Waldtal", kind=kd.MunicipalityKind.GEMEINDE, land="Thüringen"
)


@pytest.fixture(scope="module")
def installation() -> kd.Installation:
    return kd.load_installation()


@pytest.fixture(scope="module")
def workspace(installation: kd.Installation) -> kd.Workspace:
    return installation.workspace("thueringen")


def starter(workspace: kd.Workspace) -> kd.Strategy:
    return starter_strategy(workspace, ERFURT_LAND, start=dt.date(2027, 3, 1), entries_per_field=2)


def test_pack_is_registered_and_clean(
    installation: kd.Installation, workspace: kd.Workspace
) -> None:
    pack = installation.pack("thueringen")
    assert pack.manifest.region == "Thüringen"
    assert pack.parent is not None
    assert pack.parent.name == "base"
    problems = check_pack(
        pack.root, packs=installation.packs, document_types=installation.document_types()
    )
    assert problems == []
    assert workspace.pack.name == "thueringen"
    assert len(workspace.action_fields) >= 6


def test_demo_built_from_the_pack_validates_and_renders(
    workspace: kd.Workspace, tmp_path: Path
) -> None:
    strategy = starter(workspace)
    assert strategy.organigram is not None
    assert any(r.kind is RoleKind.TOPIC_SPONSOR for r in strategy.organigram.roles)
    assert run_checks(strategy, workspace.governance_checks) == ()
    planned = kd.plan(kd.rank(strategy, workspace), workspace)
    path = kd.dump_strategy(planned, tmp_path / "strategy.yaml")
    assert kd.load_strategy(path) == planned
    out = kd.render_document(planned, tmp_path / "Digitalstrategie.docx", workspace)
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert "Gemeinde Waldtal" in text
    for measure in planned.measures:
        assert measure.title in text


def test_core_team_check_finds_a_sponsor_outside_the_line(workspace: kd.Workspace) -> None:
    strategy = starter(workspace)
    assert strategy.organigram is not None
    sponsor = next(r for r in strategy.organigram.roles if r.kind is RoleKind.TOPIC_SPONSOR)
    relations = tuple(
        r
        for r in strategy.organigram.relations
        if not (r.source == sponsor.key and r.kind is RelationKind.REPORTS_TO)
    )
    loose = attrs.evolve(
        strategy, organigram=attrs.evolve(strategy.organigram, relations=relations)
    )
    findings = run_checks(loose, workspace.governance_checks, only=["thueringen-kernteam"])
    assert [f.objects for f in findings] == [(sponsor.key,)]
