import datetime as dt
from pathlib import Path

import pytest

import kommunal_digital as kd

from .docx_reading import docx_text

MUSTERAU = kd.Municipality(
    name="Gemeinde Musterau", kind=kd.MunicipalityKind.GEMEINDE, land="Rheinland-Pfalz"
)


@pytest.fixture(autouse=True)
def _core_plugins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests check the built-in behaviour; installed regional plugins stay out."""
    from kommunal_digital.plugins import manager

    monkeypatch.setattr(manager, "entry_points", lambda group: [])


def test_rlp_starter_strategy_validates_plans_and_renders(tmp_path: Path) -> None:
    pack = kd.get_pack("rlp")
    strategy = kd.starter_strategy(pack, MUSTERAU, start=dt.date(2027, 1, 1))
    assert [f.key for f in strategy.chosen_fields] == [
        f.key for f in kd.pack_action_fields(pack)[:4]
    ]
    assert len(strategy.measures) == 12
    assert kd.run_checks(strategy) == ()
    # the file round trip and the ranking/planning pipeline work on it
    path = kd.dump_strategy(strategy, tmp_path / "strategy.yaml")
    planned = kd.plan_strategy(kd.rank_strategy(kd.load_strategy(path)))
    assert planned.schedule is not None
    assert len(planned.schedule.placed) == 12
    out = kd.render_document(planned, tmp_path / "Digitalstrategie.docx", pack=pack)
    text = docx_text(out)
    assert "Gemeinde Musterau" in text
    for measure in strategy.measures:
        assert measure.title in text


def test_starter_refuses_unknown_fields() -> None:
    import pytest

    with pytest.raises(kd.PackError, match="has no action field"):
        kd.starter_strategy(
            kd.get_pack("rlp"), MUSTERAU, start=dt.date(2027, 1, 1), fields=["raumfahrt"]
        )
