import datetime as dt
from pathlib import Path

import docx

import kommunal_digital as kd

MUSTERSTADT = kd.Municipality(
    name="Stadt Musterhagen", kind=kd.MunicipalityKind.STADT, land="Nordrhein-Westfalen"
)


def test_pack_is_registered_with_needs_analysis() -> None:
    pack = kd.get_pack("nrw-digitale-agenda")
    assert kd.check_pack(pack.root) == []
    fields = {f.key for f in kd.pack_action_fields(pack)}
    questions = pack.data("needs_analysis")
    assert {q.action_field for q in questions} == fields
    assert any(e.legal_driver for e in kd.pack_catalogue(pack))


def test_demo_built_from_the_pack_ranks_legal_duties_first_and_renders(tmp_path: Path) -> None:
    pack = kd.get_pack("nrw-digitale-agenda")
    strategy = kd.starter_strategy(
        pack, MUSTERSTADT, start=dt.date(2027, 1, 1), entries_per_field=2
    )
    assert kd.run_checks(strategy) == ()
    ranked = kd.rank_strategy(strategy)
    assert ranked.ranking is not None
    assert ranked.ranking.rule == "nrw-pflichten"
    duties = [
        m.key for m in strategy.measures if "OZG" in m.legal_driver or "EGovG NRW" in m.legal_driver
    ]
    assert duties
    assert set(ranked.ranking.order[: len(duties)]) == set(duties)
    planned = kd.plan_strategy(ranked)
    assert planned.roadmap is not None
    assert strategy.roadmap_preset == "gestufte-mehrjahresplanung"
    assert len(planned.roadmap.phases) == 5
    out = kd.render_document(planned, tmp_path / "Digitalstrategie.docx", pack=pack)
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert "Stadt Musterhagen" in text
    assert "Pflichten aus dem Onlinezugangsgesetz" in text
