import datetime as dt
from pathlib import Path

import attrs
import docx

import kommunal_digital as kd
from kommunal_digital.model import RelationKind, RoleKind

ERFURT_LAND = kd.Municipality(
    name="Gemeinde Waldtal", kind=kd.MunicipalityKind.GEMEINDE, land="Thüringen"
)


def starter() -> kd.Strategy:
    pack = kd.get_pack("thueringen")
    return kd.starter_strategy(pack, ERFURT_LAND, start=dt.date(2027, 3, 1), entries_per_field=2)


def test_pack_is_registered_and_clean() -> None:
    pack = kd.get_pack("thueringen")
    assert pack.manifest.region == "Thüringen"
    assert pack.parent is not None
    assert pack.parent.name == "base"
    assert kd.check_pack(pack.root) == []
    assert len(kd.pack_action_fields(pack)) >= 6


def test_demo_built_from_the_pack_validates_and_renders(tmp_path: Path) -> None:
    strategy = starter()
    assert strategy.organigram is not None
    assert any(r.kind is RoleKind.TOPIC_SPONSOR for r in strategy.organigram.roles)
    assert kd.run_checks(strategy) == ()
    planned = kd.plan_strategy(kd.rank_strategy(strategy))
    path = kd.dump_strategy(planned, tmp_path / "strategy.yaml")
    assert kd.load_strategy(path) == planned
    out = kd.render_document(planned, tmp_path / "Digitalstrategie.docx", pack="thueringen")
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert "Gemeinde Waldtal" in text
    for measure in planned.measures:
        assert measure.title in text


def test_core_team_check_finds_a_sponsor_outside_the_line() -> None:
    strategy = starter()
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
    findings = kd.run_checks(loose, only=["thueringen-kernteam"])
    assert [f.objects for f in findings] == [(sponsor.key,)]
