import datetime as dt
from pathlib import Path

import pytest

import kommunal_digital as kd
from kommunal_digital.authoring import starter_strategy
from kommunal_digital.organisation import run_checks

from .docx_reading import docx_text

MUSTERAU = kd.Municipality(
    name="Gemeinde Musterau", kind=kd.MunicipalityKind.GEMEINDE, land="Rheinland-Pfalz"
)

# These tests check the built-in behaviour, so they use the isolated workspace:
# installed regional plugins stay out.


def test_rlp_starter_strategy_validates_plans_and_renders(
    tmp_path: Path, isolated_workspace: kd.Workspace
) -> None:
    workspace = isolated_workspace
    assert workspace.pack.name == "rlp"
    strategy = starter_strategy(workspace, MUSTERAU, start=dt.date(2027, 1, 1))
    assert [f.key for f in strategy.chosen_fields] == list(workspace.action_fields)[:4]
    assert len(strategy.measures) == 12
    assert run_checks(strategy, workspace.governance_checks) == ()
    assert strategy.pack == kd.PackReference("rlp", workspace.pack.manifest.version)
    # the file round trip and the ranking/planning pipeline work on it
    path = kd.dump_strategy(strategy, tmp_path / "strategy.yaml")
    loaded = kd.load_strategy(path)
    assert loaded.pack == strategy.pack
    planned = kd.plan(kd.rank(loaded, workspace), workspace)
    assert planned.schedule is not None
    assert len(planned.schedule.placed) == 12
    out = kd.render_document(planned, tmp_path / "Digitalstrategie.docx", workspace)
    text = docx_text(out)
    assert "Gemeinde Musterau" in text
    for measure in strategy.measures:
        assert measure.title in text


def test_starter_refuses_unknown_fields(isolated_workspace: kd.Workspace) -> None:
    with pytest.raises(kd.PackError, match="has no action field"):
        starter_strategy(
            isolated_workspace, MUSTERAU, start=dt.date(2027, 1, 1), fields=["raumfahrt"]
        )
