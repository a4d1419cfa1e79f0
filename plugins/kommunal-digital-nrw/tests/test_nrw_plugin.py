import datetime as dt
from pathlib import Path

import docx
import pytest

import kommunal_digital as kd
from kommunal_digital.authoring import check_pack, starter_strategy
from kommunal_digital.organisation import run_checks

MUSTERSTADT = kd.Municipality(
    name="Stadt Musterhagen", kind=kd.MunicipalityKind.STADT, land="Nordrhein-Westfalen"
)
PACK = "nrw-digitale-agenda"


@pytest.fixture(scope="module")
def installation() -> kd.Installation:
    return kd.load_installation()


@pytest.fixture(scope="module")
def workspace(installation: kd.Installation) -> kd.Workspace:
    return installation.workspace(PACK)


def test_pack_is_registered_with_needs_analysis(
    installation: kd.Installation, workspace: kd.Workspace
) -> None:
    pack = installation.pack(PACK)
    assert workspace.pack.name == PACK
    problems = check_pack(
        pack.root, packs=installation.packs, document_types=installation.document_types()
    )
    assert problems == []
    fields = {f.key for f in workspace.action_fields.values()}
    questions = pack.data("needs_analysis")
    assert {q.action_field for q in questions} == fields
    assert any(e.legal_driver for e in workspace.catalogue.values())


def test_demo_built_from_the_pack_ranks_legal_duties_first_and_renders(
    workspace: kd.Workspace, tmp_path: Path
) -> None:
    strategy = starter_strategy(
        workspace, MUSTERSTADT, start=dt.date(2027, 1, 1), entries_per_field=2
    )
    assert run_checks(strategy, workspace.governance_checks) == ()
    ranked = kd.rank(strategy, workspace)
    assert ranked.ranking is not None
    assert ranked.ranking.rule == "nrw-pflichten"
    duties = [
        m.key for m in strategy.measures if "OZG" in m.legal_driver or "EGovG NRW" in m.legal_driver
    ]
    assert duties
    assert set(ranked.ranking.order[: len(duties)]) == set(duties)
    planned = kd.plan(ranked, workspace)
    assert planned.roadmap is not None
    assert strategy.roadmap_preset == "gestufte-mehrjahresplanung"
    assert len(planned.roadmap.phases) == 5
    out = kd.render_document(planned, tmp_path / "Digitalstrategie.docx", workspace)
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert "Stadt Musterhagen" in text
    assert "Pflichten aus dem Onlinezugangsgesetz" in text
