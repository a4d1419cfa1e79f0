import attrs

import kommunal_digital as kd
from kommunal_digital.model import Relation, RelationKind


def test_plugin_is_installed_and_listed() -> None:
    names = [name for name, _version, _hooks in kd.describe_plugins()]
    assert "rlp" in names


def test_demo_passes_the_rlp_placement_check() -> None:
    findings = kd.run_checks(kd.demo_strategy(planned=False), only=["rlp-digitalbeauftragte"])
    assert findings == ()


def test_officer_without_placement_is_found() -> None:
    demo = kd.demo_strategy(planned=False)
    assert demo.organigram is not None
    relations = tuple(
        r
        for r in demo.organigram.relations
        if not (r.source == "digitalbeauftragter" and r.kind is RelationKind.LEADS)
    )
    loose = attrs.evolve(demo, organigram=attrs.evolve(demo.organigram, relations=relations))
    findings = kd.run_checks(loose, only=["rlp-digitalbeauftragte"])
    assert [f.objects for f in findings] == [("digitalbeauftragter",)]
    assert "Stabsstelle" in findings[0].message
    assert isinstance(relations[0], Relation)
