import attrs
import pytest

import kommunal_digital as kd
from kommunal_digital.model import Relation, RelationKind, RoleState
from kommunal_digital.organisation import run_checks
from kommunal_digital.plugins import describe_plugins


@pytest.fixture(scope="module")
def workspace() -> kd.Workspace:
    return kd.open_workspace()


def test_plugin_is_installed_and_listed(workspace: kd.Workspace) -> None:
    names = [name for name, _version, _hooks in describe_plugins(kd.load_installation().plugins)]
    assert "rlp" in names
    assert "rlp" in workspace.plugins


def test_demo_passes_the_rlp_placement_check(workspace: kd.Workspace) -> None:
    findings = run_checks(
        kd.demo_strategy(planned=False),
        workspace.governance_checks,
        only=["rlp-digitalbeauftragte"],
    )
    assert findings == ()


def test_officer_without_placement_is_found(workspace: kd.Workspace) -> None:
    demo = kd.demo_strategy(planned=False)
    assert demo.organigram is not None
    relations = tuple(
        r
        for r in demo.organigram.relations
        if not (r.source == "digitalbeauftragter" and r.kind is RelationKind.LEADS)
    )
    loose = attrs.evolve(demo, organigram=attrs.evolve(demo.organigram, relations=relations))
    findings = run_checks(loose, workspace.governance_checks, only=["rlp-digitalbeauftragte"])
    assert [f.objects for f in findings] == [("digitalbeauftragter",)]
    assert "Stabsstelle" in findings[0].message
    assert isinstance(relations[0], Relation)


def _officer(demo: kd.Strategy, state: RoleState) -> kd.Strategy:
    assert demo.organigram is not None
    roles = tuple(
        attrs.evolve(r, holder="", state=state) if r.key == "digitalbeauftragter" else r
        for r in demo.organigram.roles
    )
    return attrs.evolve(demo, organigram=attrs.evolve(demo.organigram, roles=roles))


def test_a_vacant_officer_post_is_provided_for(workspace: kd.Workspace) -> None:
    vacant = _officer(kd.demo_strategy(planned=False), RoleState.VACANT)
    assert run_checks(vacant, workspace.governance_checks, only=["rlp-digitalbeauftragte"]) == ()


def test_a_missing_or_rejected_officer_is_a_warning(workspace: kd.Workspace) -> None:
    rejected = _officer(kd.demo_strategy(planned=False), RoleState.REJECTED)
    findings = run_checks(rejected, workspace.governance_checks, only=["rlp-digitalbeauftragte"])
    assert [f.severity for f in findings] == [kd.Severity.WARNING]
    assert "abgelehnt" in findings[0].message
    demo = kd.demo_strategy(planned=False)
    assert demo.organigram is not None
    roles = tuple(r for r in demo.organigram.roles if r.key != "digitalbeauftragter")
    relations = tuple(
        r for r in demo.organigram.relations if "digitalbeauftragter" not in (r.source, r.target)
    )
    without = attrs.evolve(demo, organigram=kd.Organigram(roles=roles, relations=relations))
    findings = run_checks(without, workspace.governance_checks, only=["rlp-digitalbeauftragte"])
    assert [(f.severity, f.objects) for f in findings] == [(kd.Severity.WARNING, ())]
