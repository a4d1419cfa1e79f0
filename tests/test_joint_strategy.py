"""Joint strategies (issue 17, part 1): partners, cost shares and one Vorlage per council."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.documents.build import document_context
from kommunal_digital.documents.statements import council_name
from kommunal_digital.errors import DocumentError, ModelValidationError, PlanningError
from kommunal_digital.funding import cash_plan, partner_cash_plans
from kommunal_digital.io.strategy_text import dumps_strategy, loads_strategy
from kommunal_digital.model import (
    ActionField,
    Cost,
    CostSharing,
    Measure,
    MemberMunicipality,
    Municipality,
    MunicipalityKind,
    Partner,
    ScheduleLimits,
    ShareBasis,
    Strategy,
    StrategyFunding,
)
from kommunal_digital.planning import partner_plans, partner_weights, plan_strategy

from .docx_reading import docx_text

TODAY = dt.date(2026, 12, 4)
FIELD = ActionField("verwaltung", "Kommunale Verwaltung")
PARTNERS = (
    Partner("adorf", "Stadt Adorf", MunicipalityKind.STADT, population=20_000),
    Partner("nord", "Verbandsgemeinde Nord", MunicipalityKind.VERBANDSGEMEINDE, population=15_000),
    Partner(
        "sued",
        "Verbandsgemeinde Süd",
        MunicipalityKind.VERBANDSGEMEINDE,
        population=10_000,
        council="Verbandsgemeinderat Süd",
    ),
)


def _measure(key: str, one_off: str | None, yearly: str | None, **kwargs: object) -> Measure:
    return Measure(
        key,
        f"Maßnahme {key}",
        "verwaltung",
        duration_months=6,
        cost=Cost(one_off, yearly),
        **kwargs,  # type: ignore[arg-type]
    )


def joint_strategy() -> Strategy:
    """A Stadt and two Verbandsgemeinden with shared and single-partner measures."""
    return Strategy(
        municipality=Municipality("Stadt Adorf", MunicipalityKind.STADT, "Rheinland-Pfalz"),
        title="Gemeinsame Digitalstrategie Adorf-Nord-Süd",
        action_fields=(FIELD,),
        partners=PARTNERS,
        cost_sharing=ShareBasis.POPULATION,
        measures=(
            # all three, by population
            _measure("portal", "100000.01", "1200", staff_fte=0.5),
            # two, agreed shares
            _measure(
                "wlan",
                "20000",
                None,
                sharing=CostSharing(("nord", "sued"), ShareBasis.AGREED, {"nord": 1, "sued": 1}),
                staff_fte=0.3,
            ),
            # single partner
            _measure("schule", "7777.77", "100", sharing=CostSharing(("sued",))),
            # all three, equal, cost unknown
            _measure("ki", None, None, sharing=CostSharing(basis=ShareBasis.EQUAL)),
        ),
        limits=ScheduleLimits(start=dt.date(2027, 1, 1)),
    )


def test_partner_plans_split_every_measure_to_the_cent() -> None:
    strategy = joint_strategy()
    plans = {p.partner: p for p in partner_plans(strategy)}
    assert list(plans) == ["adorf", "nord", "sued"]
    # portal by population 20:15:10 of 100000.01
    portal = [plans[k].share("portal") for k in plans]
    assert sum(s.one_off for s in portal if s and s.one_off) == Decimal("100000.01")
    assert plans["adorf"].share("portal").one_off == Decimal("44444.45")  # type: ignore[union-attr]
    # wlan: only nord and sued, half each
    assert plans["adorf"].share("wlan") is None
    assert plans["nord"].share("wlan").one_off == Decimal("10000.00")  # type: ignore[union-attr]
    # single partner carries everything
    assert plans["sued"].share("schule").one_off == Decimal("7777.77")  # type: ignore[union-attr]
    assert plans["nord"].share("schule") is None
    # unknown stays unknown per partner
    for plan in plans.values():
        ki = plan.share("ki")
        assert ki is not None
        assert ki.one_off is None
        assert ki.yearly is None
        assert "ki" in plan.uncosted
    assert plans["nord"].share("wlan").yearly is None  # type: ignore[union-attr]
    # staff in hundredths, summing to the measure's staff
    assert sum(plans[k].staff["portal"] or 0 for k in plans) == Decimal("0.50")
    total = sum((p.one_off for p in plans.values()), Decimal(0))
    assert total == Decimal("100000.01") + Decimal("20000") + Decimal("7777.77")


def test_acceptance_one_strategy_and_three_vorlagen(
    tmp_path: Path, workspace: kd.Workspace
) -> None:
    strategy = plan_strategy(joint_strategy(), workspace.roadmap_presets)
    result = kd.build_documents(
        strategy,
        tmp_path,
        workspace,
        document_types=["digitalstrategie", "beschlussvorlage", "steckbrief"],
        formats=["markdown", "docx"],
        today=TODAY,
        pictures=False,
    )
    assert result.ok, result.failures
    names = sorted(p.name for p in result.documents if p.parent == tmp_path)
    assert names == [
        "Beschlussvorlage-adorf.docx",
        "Beschlussvorlage-adorf.md",
        "Beschlussvorlage-nord.docx",
        "Beschlussvorlage-nord.md",
        "Beschlussvorlage-sued.docx",
        "Beschlussvorlage-sued.md",
        "Digitalstrategie.docx",
        "Digitalstrategie.md",
    ]
    strategie = (tmp_path / "Digitalstrategie.md").read_text(encoding="utf-8")
    for partner in PARTNERS:
        assert partner.name in strategie
    sued = (tmp_path / "Beschlussvorlage-sued.md").read_text(encoding="utf-8")
    assert "Verbandsgemeinderat Süd" in sued
    assert "gemeinsam mit der Stadt Adorf und der Verbandsgemeinde Nord" in sued
    adorf = (tmp_path / "Beschlussvorlage-adorf.md").read_text(encoding="utf-8")
    assert "Der Stadtrat beschließt" in adorf
    assert "Maßnahme schule" not in adorf  # not Adorf's measure
    steckbrief = next((tmp_path / "Steckbriefe").glob("*schule.md")).read_text(encoding="utf-8")
    assert "Verbandsgemeinde Süd" in steckbrief


def test_each_vorlage_carries_its_partners_share_to_the_cent(workspace: kd.Workspace) -> None:
    strategy = plan_strategy(joint_strategy(), workspace.roadmap_presets)
    plans = {p.partner: p for p in partner_plans(strategy)}
    totals = Decimal(0)
    planned = Decimal(0)
    for partner in PARTNERS:
        context = document_context(
            strategy, workspace, "beschlussvorlage", partner=partner.key, today=TODAY
        )
        finances = context["finances"]
        assert finances["one_off"] == plans[partner.key].one_off
        assert context["partner"]["one_off"] == plans[partner.key].one_off
        assert finances["one_off_missing"] == 1  # "ki" has no estimate for anybody
        assert context["council"] == (partner.council or council_name(partner.kind))
        assert context["municipality"]["name"] == partner.name
        totals += finances["one_off"]
        planned += finances["planned_total"]
    assert totals == sum((m.cost.one_off or Decimal(0) for m in strategy.measures), Decimal(0))
    whole = document_context(strategy, workspace, "digitalstrategie", today=TODAY)
    assert planned == sum((y["total"] for y in whole["funding"]["years"]), Decimal(0))


def test_partner_cash_plans_add_up_to_the_whole_plan() -> None:
    strategy = joint_strategy()
    plan = cash_plan(strategy)
    plans = partner_cash_plans(strategy, plan)
    for year in plan.years:
        parts = [p.year(year.year) for p in plans.values()]
        assert sum((p.one_off for p in parts), Decimal(0)) == year.one_off
        assert sum((p.follow_on for p in parts), Decimal(0)) == year.follow_on
    assert plans["adorf"].uncosted == ("ki",)
    assert "schule" not in [m.measure for m in plans["adorf"].measures]


def test_vorlage_needs_a_partner_in_a_joint_strategy(workspace: kd.Workspace) -> None:
    strategy = joint_strategy()
    with pytest.raises(DocumentError, match="name the partner"):
        document_context(strategy, workspace, "beschlussvorlage", today=TODAY)
    with pytest.raises(DocumentError, match="no partner 'west'"):
        document_context(strategy, workspace, "beschlussvorlage", partner="west", today=TODAY)
    with pytest.raises(DocumentError, match="not written per partner"):
        document_context(strategy, workspace, "vorgehensplan", partner="nord", today=TODAY)


def test_a_single_municipality_has_no_partner_keys(workspace: kd.Workspace) -> None:
    strategy = Strategy(
        municipality=Municipality(
            "Verbandsgemeinde Eichenberg",
            MunicipalityKind.VERBANDSGEMEINDE,
            "Rheinland-Pfalz",
            members=(MemberMunicipality("Adorf"), MemberMunicipality("Bdorf")),
        ),
        action_fields=(FIELD,),
        measures=(_measure("portal", "100", None, members=("Adorf",)),),
    )
    context = document_context(strategy, workspace, "beschlussvorlage", today=TODAY)
    assert context["partner"] is None
    assert context["partners"] == []
    assert context["council"] == "Verbandsgemeinderat"
    strategie = document_context(strategy, workspace, "digitalstrategie", today=TODAY)
    assert strategie["measures"][0]["sharing"] is None


def test_model_refuses_broken_partner_references() -> None:
    base = joint_strategy()
    with pytest.raises(ModelValidationError, match="unknown partner 'west'"):
        Strategy(
            municipality=base.municipality,
            action_fields=(FIELD,),
            partners=PARTNERS,
            measures=(_measure("x", "1", "1", sharing=CostSharing(("west",))),),
        )
    with pytest.raises(ModelValidationError, match="no partners to share"):
        Strategy(
            municipality=base.municipality,
            action_fields=(FIELD,),
            measures=(_measure("x", "1", "1", sharing=CostSharing(("nord",))),),
        )
    with pytest.raises(ModelValidationError, match="no agreed share for partner 'adorf'"):
        Strategy(
            municipality=base.municipality,
            action_fields=(FIELD,),
            partners=PARTNERS,
            cost_sharing=ShareBasis.AGREED,
            measures=(_measure("x", "1", "1"),),
        )
    with pytest.raises(ModelValidationError, match="has no population"):
        Strategy(
            municipality=base.municipality,
            action_fields=(FIELD,),
            partners=(Partner("a", "Gemeinde A", MunicipalityKind.GEMEINDE), *PARTNERS[1:]),
            measures=(_measure("x", "1", "1", sharing=CostSharing(basis=ShareBasis.POPULATION)),),
        )
    with pytest.raises(ModelValidationError, match="duplicate"):
        Strategy(
            municipality=base.municipality,
            action_fields=(FIELD,),
            partners=(*PARTNERS, PARTNERS[0]),
        )
    with pytest.raises(ModelValidationError, match="does not take part"):
        CostSharing(("nord",), ShareBasis.AGREED, {"sued": 1})
    with pytest.raises(ModelValidationError, match="zero or more"):
        CostSharing(shares={"nord": -1})


def test_partner_weights_fall_back_to_equal_and_need_partners() -> None:
    strategy = joint_strategy()
    zero = CostSharing(("nord", "sued"), ShareBasis.AGREED, {"nord": 0, "sued": 0})
    assert list(partner_weights(strategy, zero).values()) == [Decimal(1), Decimal(1)]
    single = Strategy(municipality=strategy.municipality)
    with pytest.raises(PlanningError, match="no partners"):
        partner_plans(single)


def test_joint_strategy_round_trips_in_yaml_and_json() -> None:
    strategy = joint_strategy()
    for fmt in ("yaml", "json"):
        text = dumps_strategy(strategy, format=fmt)
        assert loads_strategy(text, format=fmt) == strategy
    data = json.loads(dumps_strategy(strategy, format="json"))
    assert data["partners"][0]["key"] == "adorf"
    assert data["measures"][1]["sharing"]["shares"] == {"nord": 1, "sued": 1}


costs = st.one_of(
    st.none(),
    st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False, allow_infinity=False),
)
weights = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False),
)


@given(
    measures=st.lists(
        st.tuples(
            costs,
            costs,
            st.lists(st.sampled_from(["adorf", "nord", "sued"]), unique=True, max_size=3),
            st.sampled_from(list(ShareBasis)),
            st.fixed_dictionaries({"adorf": weights, "nord": weights, "sued": weights}),
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_shares_sum_to_the_measure_costs_for_any_costs_and_shares(
    measures: list[tuple[Decimal | None, Decimal | None, list[str], ShareBasis, dict[str, object]]],
) -> None:
    items = []
    for index, (one_off, yearly, partners, basis, agreed) in enumerate(measures):
        shares = {k: v for k, v in agreed.items() if not partners or k in partners}
        items.append(
            _measure(
                f"m{index}",
                None if one_off is None else str(one_off),
                None if yearly is None else str(yearly),
                sharing=CostSharing(tuple(partners), basis, shares),
            )
        )
    strategy = Strategy(
        municipality=Municipality("Stadt Adorf", MunicipalityKind.STADT, "Rheinland-Pfalz"),
        action_fields=(FIELD,),
        partners=PARTNERS,
        measures=tuple(items),
    )
    plans = partner_plans(strategy)
    for measure in strategy.measures:
        parts = [s for p in plans if (s := p.share(measure.key)) is not None]
        taking_part = measure.sharing.partners if measure.sharing else ()
        assert len(parts) == (len(taking_part) or len(PARTNERS))
        for cost, got in (
            (measure.cost.one_off, [s.one_off for s in parts]),
            (measure.cost.yearly, [s.yearly for s in parts]),
        ):
            if cost is None:
                assert got == [None] * len(parts)  # unknown stays unknown per partner
            else:
                assert sum(got) == cost  # type: ignore[arg-type]
                assert all(g is not None and g >= 0 for g in got)
    known = sum((m.cost.one_off or Decimal(0) for m in strategy.measures), Decimal(0))
    assert sum((p.one_off for p in plans), Decimal(0)) == known


def _funded(partners: tuple[Partner, ...] = ()) -> Strategy:
    return Strategy(
        municipality=Municipality("Stadt Adorf", MunicipalityKind.STADT, "Rheinland-Pfalz"),
        action_fields=(FIELD,),
        partners=partners,
        measures=(_measure("portal", "1000", "100"),),
        limits=ScheduleLimits(start=dt.date(2027, 1, 1)),
        funding=(
            StrategyFunding(
                "smart-city",
                "Modellprojekte Smart Cities",
                provider="Bund",
                amount="5000000",
                own_share=10,
                start=dt.date(2027, 7, 1),
                end=dt.date(2029, 6, 30),
            ),
            StrategyFunding("prozess", "Förderung des Strategieprozesses", provider="Land"),
        ),
    )


def test_strategy_funding_in_the_cash_plan_and_the_vorlage(
    tmp_path: Path, workspace: kd.Workspace
) -> None:
    strategy = plan_strategy(_funded(), workspace.roadmap_presets)
    smart = strategy.funding[0]
    assert smart.own_amount == Decimal("500000.00")
    assert smart.grant == Decimal("4500000.00")
    assert strategy.funding[1].own_amount is None
    assert strategy.funding[1].grant is None
    plan = cash_plan(strategy)
    spread = plan.programmes[0]
    assert [year for year, _, _ in spread.years] == [2027, 2028, 2029]
    assert sum(amount for _, amount, _ in spread.years) == Decimal("5000000")
    assert sum(own or 0 for _, _, own in spread.years) == Decimal("500000.00")
    assert plan.programmes[1].years == ()
    context = document_context(strategy, workspace, "beschlussvorlage", today=TODAY)
    assert [p["title"] for p in context["finances"]["programmes"]] == [
        "Modellprojekte Smart Cities",
        "Förderung des Strategieprozesses",
    ]
    kd.build_documents(
        strategy,
        tmp_path,
        workspace,
        document_types=["digitalstrategie", "beschlussvorlage"],
        formats=["markdown", "docx"],
        today=TODAY,
        pictures=False,
    )
    vorlage = (tmp_path / "Beschlussvorlage.md").read_text(encoding="utf-8")
    assert "Modellprojekte Smart Cities (Bund) | 5.000.000 € | 500.000 € (10 %)" in vorlage
    assert "Förderung des Strategieprozesses (Land) | noch offen | noch offen" in vorlage
    strategie = (tmp_path / "Digitalstrategie.md").read_text(encoding="utf-8")
    assert "Juli 2027 bis 30\\. Juni 2029" in strategie
    assert "Modellprojekte Smart Cities" in docx_text(tmp_path / "Beschlussvorlage.docx")


def test_partners_share_the_own_share_of_strategy_funding(workspace: kd.Workspace) -> None:
    strategy = _funded(PARTNERS)
    owns = [
        document_context(strategy, workspace, "beschlussvorlage", partner=p.key, today=TODAY)[
            "finances"
        ]["programmes"][0]["partner_own_amount"]
        for p in PARTNERS
    ]
    assert sum(owns) == Decimal("500000.00")
    assert owns[0] == Decimal("166666.67")  # equal by default


def test_strategy_funding_is_checked() -> None:
    with pytest.raises(ModelValidationError, match="ends"):
        StrategyFunding("x", "X", start=dt.date(2028, 1, 1), end=dt.date(2027, 1, 1))
    with pytest.raises(ModelValidationError, match="percent"):
        StrategyFunding("x", "X", own_share=150)
    with pytest.raises(ModelValidationError, match="duplicate"):
        Strategy(
            municipality=Municipality("Stadt Adorf", MunicipalityKind.STADT, "Rheinland-Pfalz"),
            funding=(StrategyFunding("x", "X"), StrategyFunding("x", "Y")),
        )
    strategy = _funded()
    for fmt in ("yaml", "json"):
        text = dumps_strategy(strategy, format=fmt)
        assert loads_strategy(text, format=fmt) == strategy


def test_joint_docx_names_the_partners(tmp_path: Path, workspace: kd.Workspace) -> None:
    strategy = plan_strategy(joint_strategy(), workspace.roadmap_presets)
    kd.build_documents(
        strategy,
        tmp_path,
        workspace,
        document_types=["digitalstrategie", "beschlussvorlage"],
        formats=["docx"],
        today=TODAY,
        pictures=False,
    )
    text = docx_text(tmp_path / "Digitalstrategie.docx")
    assert "Gemeinsame Strategie von Stadt Adorf, Verbandsgemeinde Nord" in text
    assert "Anteile der Partner" in text
    vorlage = docx_text(tmp_path / "Beschlussvorlage-nord.docx")
    assert "Summe Verbandsgemeinde Nord" in vorlage
    assert "43.333,34 €" in vorlage
