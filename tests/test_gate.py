"""The completeness gate "ready for the council" (Beschlussreife)."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
import pytest

import kommunal_digital as kd
from kommunal_digital.gate import check_readiness
from kommunal_digital.model import (
    FundingKind,
    FundingSource,
    Milestone,
    Operator,
    Resources,
    Task,
)
from kommunal_digital.organisation import GovernanceCheck

# The demo's five best-ranked measures still to do: "online-termine" (rank 2)
# is finished and not up for decision any more.
TOP_FIVE = [
    "ozg-leistungen",
    "e-akte",
    "tablet-sprechstunde",
    "wlan-schulen",
    "dorf-app",
]

UNCLASSIFIED = (
    "Keine Finanzierungsquelle ist eingeordnet (Eigenmittel, Drittmittel oder Förderprogramm)."
)
NO_OPERATOR = "Kein Betreiber für die Zeit nach Projektende benannt."
NO_PROFILE = "Kein Projektsteckbrief (sieben Kernfragen)."


@pytest.fixture
def checks(isolated_workspace: kd.Workspace) -> Mapping[str, GovernanceCheck]:
    return isolated_workspace.governance_checks


def test_the_demo_fails_the_gate_with_exactly_these_findings(
    checks: Mapping[str, GovernanceCheck],
) -> None:
    report = check_readiness(kd.demo_strategy(), checks)
    assert not report.ok
    assert report.gate == "beschluss"
    assert report.top_n == 5
    assert [m.measure for m in report.measures] == TOP_FIVE
    assert [m.rank for m in report.measures] == [1, 3, 4, 5, 6]
    assert {m.measure: list(m.missing) for m in report.measures} == {
        # Profiled, measured by indicators, but plain-text funding and no operator.
        "ozg-leistungen": [UNCLASSIFIED, NO_OPERATOR],
        "e-akte": [NO_PROFILE, "Kein Indikator angegeben.", UNCLASSIFIED, NO_OPERATOR],
        "tablet-sprechstunde": [UNCLASSIFIED, NO_OPERATOR],
        # Funded by a programme with an own share and run by the IT department.
        "wlan-schulen": [NO_PROFILE],
        "dorf-app": [NO_PROFILE, "Kein Indikator angegeben.", NO_OPERATOR],
    }
    # Every measure of the demo has its costs, duration and staff estimated.
    assert report.unestimated == ()
    assert report.strategy_missing == ()
    assert report.governance == ()
    assert report.problems[:3] == (
        f"Maßnahme „OZG-Leistungen online anbieten“: {UNCLASSIFIED}",
        f"Maßnahme „OZG-Leistungen online anbieten“: {NO_OPERATOR}",
        f"Maßnahme „Einführung der E-Akte“: {NO_PROFILE}",
    )
    assert len(report.problems) == 12


def full_profile(key: str) -> kd.ProjectProfile:
    return kd.ProjectProfile(
        measure=key,
        result="Das Ergebnis steht fest.",
        target_group="Alle Einwohnerinnen und Einwohner",
        stakeholders=("it-abteilung",),
        lead="Digitallotse",
        resources=Resources(financial="Haushalt", staff="0,2 VZÄ", organisational="Team"),
        tasks=(Task("Ausschreiben", "IT-Abteilung", dt.date(2028, 1, 31)),),
        milestones=(Milestone("Start", planned=dt.date(2028, 2, 1)),),
    )


def complete(strategy: kd.Strategy, keys: list[str]) -> kd.Strategy:
    """Fill in what the gate asks for, for the given measures."""
    own = FundingSource(kind=FundingKind.EIGENMITTEL, name="Haushalt")
    measures = []
    for measure in strategy.measures:
        if measure.key in keys:
            changes: dict[str, Any] = {
                "funding_sources": (*measure.funding_sources, own),
                "operator": Operator("IT-Abteilung", budget="Teilhaushalt IT"),
            }
            if not measure.indicators:
                changes["indicators"] = (kd.Indicator("Akten digital", "%", 0, 90),)
            measure = attrs.evolve(measure, **changes)
        measures.append(measure)
    profiles = list(strategy.profiles)
    profiles += [full_profile(k) for k in keys if strategy.profile_for(k) is None]
    return attrs.evolve(strategy, measures=tuple(measures), profiles=tuple(profiles))


def test_the_demo_passes_once_the_missing_pieces_are_filled_in(
    checks: Mapping[str, GovernanceCheck],
) -> None:
    demo = kd.demo_strategy()
    report = check_readiness(complete(demo, TOP_FIVE), checks)
    assert report.problems == ()
    assert report.ok
    # The sixth measure is not checked with the default of five ...
    assert len(report.measures) == 5
    # ... but is with top_n=6.
    wider = check_readiness(complete(demo, TOP_FIVE), checks, top_n=6)
    assert not wider.ok
    assert [m.measure for m in wider.measures if not m.ok] == [wider.measures[5].measure]


def test_each_unanswered_core_question_is_named(checks: Mapping[str, GovernanceCheck]) -> None:
    demo = complete(kd.demo_strategy(), TOP_FIVE)
    bare = kd.ProjectProfile(measure="e-akte", result="Alles digital.")
    profiles = tuple(bare if p.measure == "e-akte" else p for p in demo.profiles)
    report = check_readiness(attrs.evolve(demo, profiles=profiles), checks)
    assert report.problems == tuple(
        f"Maßnahme „Einführung der E-Akte“: Steckbrief: {text} ist nicht beantwortet."
        for text in (
            "Kernfrage 2 (Zielgruppe)",
            "Kernfrage 3 (Beteiligte)",
            "Kernfrage 4 (Durchführung)",
            "Kernfrage 5 (Ressourcen, finanziell/sachlich)",
            "Kernfrage 5 (Ressourcen, personell)",
            "Kernfrage 5 (Ressourcen, organisatorisch)",
            "Kernfrage 6 (Aufgaben und Reihenfolge)",
            "Kernfrage 7 (Meilensteine)",
        )
    )


def test_follow_on_costs_must_be_given_or_stated_as_none(
    checks: Mapping[str, GovernanceCheck],
) -> None:
    item = kd.Measure(
        key="a",
        title="A",
        action_field="verwaltung",
        owner_role="Amtsleitung",
        cost=kd.Cost(one_off=500),
        duration_months=6,
        staff_fte=0.2,
        indicators=(kd.Indicator("Zufriedenheit", "%", 50, 80),),
        funding_sources=(FundingSource(kind=FundingKind.EIGENMITTEL, name="Haushalt"),),
        operator=Operator("Bürgerbüro"),
    )
    strategy = kd.Strategy(
        municipality=kd.Municipality(
            name="Gemeinde Test", kind=kd.MunicipalityKind.GEMEINDE, land="Rheinland-Pfalz"
        ),
        action_fields=(kd.ActionField(key="verwaltung", title="Kommunale Verwaltung"),),
        measures=(item,),
        profiles=(attrs.evolve(full_profile("a"), stakeholders=()),),
    )
    report = check_readiness(strategy, checks)
    # Without a ranking every measure is checked; without an organigram the
    # owner is the measure's owner_role.
    assert report.top_n is None
    assert report.problems == (
        "Die Strategie hat kein Organigramm.",
        "Für 1 Maßnahme fehlen noch Schätzungen, die der Rat für seine Entscheidung "
        "braucht: „A“ (jährliche Folgekosten).",
        "Maßnahme „A“: Steckbrief: Kernfrage 3 (Beteiligte) ist nicht beantwortet.",
        "Maßnahme „A“: Folgekosten nach Projektende fehlen "
        "(jährliche Kosten oder ausdrücklich keine).",
    )
    stated = attrs.evolve(item, operator=Operator("Bürgerbüro", no_follow_on_costs=True))
    report = check_readiness(attrs.evolve(strategy, measures=(stated,)), checks)
    assert "Maßnahme „A“: Folgekosten" not in " ".join(report.problems)
    # The operator stating "no follow-on costs" is the yearly estimate.
    assert report.unestimated == ()


def test_governance_errors_block_the_gate(checks: Mapping[str, GovernanceCheck]) -> None:
    demo = complete(kd.demo_strategy(), TOP_FIVE)
    assert demo.organigram is not None
    # A missing Digitallotse is a warning by default: it does not block the gate.
    roles = tuple(r for r in demo.organigram.roles if r.key != "lotse-dorf")
    relations = tuple(
        r for r in demo.organigram.relations if "lotse-dorf" not in (r.source, r.target)
    )
    organigram = attrs.evolve(demo.organigram, roles=roles, relations=relations)
    report = check_readiness(attrs.evolve(demo, organigram=organigram), checks)
    assert report.governance == ()
    # An owner role that names no role of the organigram is an error and blocks it.
    measures = tuple(
        attrs.evolve(m, owner_role="gibt-es-nicht") if m.key == "dorf-app" else m
        for m in demo.measures
    )
    report = check_readiness(attrs.evolve(demo, measures=measures), checks)
    assert not report.ok
    assert [f.check for f in report.governance] == ["owner-roles"]
    # The Dorf-App among the five checked measures has no owner left ...
    assert report.problems[0] == (
        "Maßnahme „Dorf-App für Eichenberg und Mühlbach am Wald“: Keine verantwortliche "
        "Rolle benannt."
    )
    # ... and the organisation's problems follow the measures'.
    assert report.problems[1].startswith("Organisation: ")


def test_unknown_gates_and_bad_limits_are_refused(workspace: kd.Workspace) -> None:
    demo = kd.demo_strategy()
    with pytest.raises(kd.KommunalDigitalError, match="unknown gate 'haushalt'"):
        check_readiness(demo, workspace.governance_checks, gate="haushalt")
    with pytest.raises(kd.KommunalDigitalError, match="top_n must be 1 or more"):
        check_readiness(demo, workspace.governance_checks, top_n=0)
