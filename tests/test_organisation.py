import functools
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.model import (
    Involvement,
    Organigram,
    Raci,
    Relation,
    RelationKind,
    Role,
    RoleKind,
    Stakeholder,
    StakeholderGroup,
    measure_owner,
)
from kommunal_digital.organisation import Finding
from kommunal_digital.organisation.governance import run_checks
from kommunal_digital.organisation.presets import build_organigram
from kommunal_digital.organisation.stakeholders import (
    Quadrant,
    key_stakeholders,
    quadrant,
    raci_matrix,
)


@functools.cache
def core() -> kd.Workspace:
    """The built-in behaviour only: installed regional plugins stay out."""
    return kd.open_workspace(entry_points=False)


def check_all(strategy: kd.Strategy, **options: Any) -> tuple[Finding, ...]:
    return run_checks(strategy, core().governance_checks, **options)


def demo() -> kd.Strategy:
    return kd.demo_strategy(planned=False)


def findings(strategy: kd.Strategy, check: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.message, f.objects) for f in check_all(strategy, only=[check])]


def with_org(strategy: kd.Strategy, roles: list[Role], relations: list[Relation]) -> kd.Strategy:
    return attrs.evolve(strategy, organigram=Organigram(roles=roles, relations=relations))


@pytest.mark.parametrize("preset", ["rlp-stabsstelle", "rlp-beigeordnete", "thueringen-kernteam"])
def test_presets_built_for_the_demo_pass_every_check(preset: str) -> None:
    strategy = demo()
    organigram = build_organigram(core().organigram_presets[preset], strategy)
    assert check_all(attrs.evolve(strategy, organigram=organigram)) == ()
    fields = {r.action_field for r in organigram.roles if r.action_field}
    assert fields == {f.key for f in strategy.chosen_fields}


def test_the_demos_own_organigram_passes() -> None:
    assert check_all(demo()) == ()


@pytest.mark.parametrize("preset", ["rlp-stabsstelle", "thueringen-kernteam"])
def test_deleting_one_fields_pilot_gives_exactly_that_finding(preset: str) -> None:
    strategy = demo()
    organigram = build_organigram(core().organigram_presets[preset], strategy)
    gone = next(
        r
        for r in organigram.roles
        if r.action_field == "bildung_jugend" and r.kind in (RoleKind.PILOT, RoleKind.TOPIC_SPONSOR)
    )
    roles = [r for r in organigram.roles if r.key != gone.key]
    relations = [r for r in organigram.relations if gone.key not in (r.source, r.target)]
    result = check_all(with_org(strategy, roles, relations))
    pilot = [f for f in result if f.check == "pilot-per-field"]
    assert [(f.objects, f.message) for f in pilot] == [
        (
            ("bildung_jugend",),
            "Für das Handlungsfeld „Bildung und Jugend“ ist kein Digitallotse benannt.",
        )
    ]
    # the measures of that field lose their implicit owner, nothing else breaks
    others = {f.check for f in result} - {"pilot-per-field"}
    assert others <= {"owner-roles", "working-groups-led"}
    owners = {o for f in result if f.check == "owner-roles" for o in f.objects}
    assert owners == {m.key for m in strategy.measures_in("bildung_jugend")}


MAYOR = Role("bm", "Bürgermeisterin", RoleKind.MAYOR)
OFFICER = Role("db", "Digitalbeauftragte", RoleKind.DIGITAL_OFFICER)
IT = Role("it", "IT", RoleKind.IT)


def test_reporting_lines_pass_and_fail() -> None:
    strategy = demo()
    ok = with_org(
        strategy,
        [MAYOR, OFFICER, IT],
        [
            Relation("db", "bm", RelationKind.REPORTS_TO),
            Relation("it", "db", RelationKind.MEMBER_OF),
        ],
    )
    assert findings(ok, "reporting-lines") == []
    orphan = with_org(
        strategy, [MAYOR, OFFICER, IT], [Relation("db", "bm", RelationKind.REPORTS_TO)]
    )
    assert findings(orphan, "reporting-lines") == [
        ("„IT“ hat keinen Berichtsweg zur Verwaltungsspitze.", ("it",))
    ]
    circle = with_org(
        strategy,
        [MAYOR, OFFICER, IT],
        [
            Relation("db", "it", RelationKind.REPORTS_TO),
            Relation("it", "db", RelationKind.REPORTS_TO),
        ],
    )
    ((message, objects),) = findings(circle, "reporting-lines")
    assert message == "Die Berichtswege bilden einen Kreis: db → it → db."
    assert objects == ("db", "it")
    headless = with_org(strategy, [OFFICER], [])
    assert findings(headless, "reporting-lines")[0][0].startswith("Das Organigramm hat keine")


def test_digital_council_composition() -> None:
    strategy = demo()
    council = Role("dr", "Digitalrat", RoleKind.DIGITAL_COUNCIL)
    members = [
        Role("w", "Handel", RoleKind.EXTERNAL_PARTNER, group=StakeholderGroup.WIRTSCHAFT),
        Role("p", "Fraktionen", RoleKind.COMMITTEE),
        Role("v", "Sportverein", RoleKind.EXTERNAL_PARTNER, group=StakeholderGroup.VEREINE),
    ]
    relations = [Relation(m.key, "dr", RelationKind.MEMBER_OF) for m in [OFFICER, *members]]
    full = with_org(strategy, [MAYOR, OFFICER, council, *members], relations)
    assert findings(full, "digital-council") == []
    partial = with_org(strategy, [MAYOR, OFFICER, council, *members], relations[:2])
    assert findings(partial, "digital-council") == [
        (
            "Im Digitalrat fehlen Mitglieder aus: Politik, "
            "Institutionen oder Vereine und Verbände.",
            ("dr",),
        )
    ]


def test_working_groups_need_a_leader() -> None:
    strategy = demo()
    group = Role("ag", "Arbeitsgruppe Mobilität", RoleKind.WORKING_GROUP)
    sponsor = Role("pate", "Themenpate", RoleKind.TOPIC_SPONSOR)
    led = with_org(strategy, [MAYOR, group, sponsor], [Relation("pate", "ag", RelationKind.LEADS)])
    assert findings(led, "working-groups-led") == []
    unled = with_org(strategy, [MAYOR, group, sponsor], [])
    assert findings(unled, "working-groups-led") == [
        ("Die Arbeitsgruppe Mobilität hat keine Leitung.", ("ag",))
    ]


def test_role_limit_per_person() -> None:
    strategy = demo()
    roles = [
        attrs.evolve(MAYOR, holder="Erika Muster"),
        attrs.evolve(OFFICER, holder="Erika Muster"),
        attrs.evolve(IT, holder="Erika Muster"),
    ]
    org = with_org(strategy, roles, [])
    assert findings(org, "role-limit") == []
    assert [f.objects for f in check_all(org, only=["role-limit"], options={"max_roles": 2})] == [
        ("bm", "db", "it")
    ]


def test_owner_roles_by_key_title_or_field_pilot() -> None:
    strategy = demo()
    measure = strategy.measures[0]
    assert measure.owner_role == ""
    owner = measure_owner(strategy, measure)
    assert owner is not None
    assert owner.kind is RoleKind.PILOT
    assert owner.action_field == measure.action_field
    by_title = attrs.evolve(measure, owner_role="IT-Abteilung")
    assert measure_owner(strategy, by_title) == strategy.organigram.role("it")  # type: ignore[union-attr]
    broken = attrs.evolve(
        strategy, measures=(attrs.evolve(measure, owner_role="Kämmerei"), *strategy.measures[1:])
    )
    assert findings(broken, "owner-roles") == [
        (
            f"Maßnahme „{measure.title}“: die Rolle „Kämmerei“ gibt es im Organigramm nicht.",
            (measure.key,),
        )
    ]


def test_raci_exactly_one_accountable() -> None:
    strategy = demo()
    assert findings(strategy, "raci") == []
    first = strategy.measures[0]
    responsible = tuple(attrs.evolve(i, role=Raci.RESPONSIBLE) for i in first.stakeholders)
    nobody = attrs.evolve(
        strategy, measures=(attrs.evolve(first, stakeholders=responsible), *strategy.measures[1:])
    )
    assert findings(nobody, "raci") == [
        (f"Für „{first.title}“ ist niemand verantwortlich (A).", (first.key,))
    ]
    accountable = tuple(attrs.evolve(i, role=Raci.ACCOUNTABLE) for i in first.stakeholders)
    many = attrs.evolve(
        strategy, measures=(attrs.evolve(first, stakeholders=accountable), *strategy.measures[1:])
    )
    ((message, objects),) = findings(many, "raci")
    assert f"sind {len(accountable)} Stellen verantwortlich" in message
    assert objects[0] == first.key
    matrix = raci_matrix(strategy)
    assert sum(1 for r in matrix[first.key].values() if r is Raci.ACCOUNTABLE) == 1


def test_a_broken_plugin_check_does_not_stop_the_others() -> None:
    @attrs.frozen
    class Broken:
        name: str = "kaputt"
        title: str = "Kaputt"

        def check(self, strategy: kd.Strategy, options: object) -> list[object]:
            raise RuntimeError("boom")

    class Plugin:
        @kd.hookimpl
        def kd_governance_checks(self) -> list[Broken]:
            return [Broken()]

    workspace = kd.open_workspace(entry_points=False, plugins=[Plugin()])
    result = run_checks(demo(), workspace.governance_checks)
    assert [f.message for f in result] == [
        "Die Prüfung „kaputt“ ist fehlgeschlagen: RuntimeError: boom"
    ]


@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.integers(1, 5))
def test_quadrants_are_monotone(
    power: int, interest: int, more_power: int, more_interest: int
) -> None:
    base = quadrant(Stakeholder("s", "S", power=power, interest=interest))
    higher = quadrant(
        Stakeholder("s", "S", power=max(power, more_power), interest=max(interest, more_interest))
    )
    rank = {
        Quadrant.MONITOR: 0,
        Quadrant.KEEP_INFORMED: 1,
        Quadrant.KEEP_SATISFIED: 1,
        Quadrant.MANAGE_CLOSELY: 2,
    }
    assert rank[higher] >= rank[base]
    high_power, high_interest = power >= 4, interest >= 4
    assert (base in (Quadrant.MANAGE_CLOSELY, Quadrant.KEEP_SATISFIED)) == high_power
    assert (base in (Quadrant.MANAGE_CLOSELY, Quadrant.KEEP_INFORMED)) == high_interest


def test_quadrant_corners() -> None:
    assert quadrant(Stakeholder("a", "A", power=5, interest=5)) is Quadrant.MANAGE_CLOSELY
    assert quadrant(Stakeholder("a", "A", power=5, interest=1)) is Quadrant.KEEP_SATISFIED
    assert quadrant(Stakeholder("a", "A", power=1, interest=5)) is Quadrant.KEEP_INFORMED
    assert quadrant(Stakeholder("a", "A", power=3, interest=3)) is Quadrant.MONITOR


def test_key_stakeholders_by_weighted_degree() -> None:
    strategy = demo()
    ranking = key_stakeholders(strategy)
    assert ranking[0].stakeholder == "digitalbeauftragter"
    assert ranking[0].centrality == 1.0
    degrees = [w.weighted_degree for w in ranking]
    assert degrees == sorted(degrees, reverse=True)
    expected = sum(
        {Raci.ACCOUNTABLE: 4, Raci.RESPONSIBLE: 3, Raci.CONSULTED: 2, Raci.INFORMED: 1}[i.role]
        for m in strategy.measures
        for i in m.stakeholders
        if i.stakeholder == "digitalbeauftragter"
    )
    assert ranking[0].weighted_degree == expected
    assert len(key_stakeholders(strategy, top=3)) == 3
    assert all(isinstance(i, Involvement) for m in strategy.measures for i in m.stakeholders)
