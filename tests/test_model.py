import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kommunal_digital.errors import (
    DependencyCycleError,
    KommunalDigitalError,
    ModelValidationError,
    PlanningError,
)
from kommunal_digital.model import (
    ActionField,
    Cost,
    Goal,
    Involvement,
    Measure,
    MemberMunicipality,
    Municipality,
    MunicipalityKind,
    Organigram,
    PackReference,
    Phase,
    ProjectProfile,
    Relation,
    RelationKind,
    Roadmap,
    Role,
    RoleKind,
    Stakeholder,
    Strategy,
    Task,
    find_cycle,
    measure_owner,
)
from kommunal_digital.model.ranking import Criterion
from kommunal_digital.planning.dependencies import dependency_graph
from kommunal_digital.testing import strategies as kst

KEY = re.compile(r"[a-z0-9][a-z0-9_-]*")
GEMEINDE = Municipality(name="Musterdorf", kind=MunicipalityKind.GEMEINDE, land="Rheinland-Pfalz")
VERWALTUNG = ActionField(
    key="verwaltung",
    title="Kommunale Verwaltung",
    goals=(Goal(key="online", statement="Leistungen online anbieten"),),
)
BILDUNG = ActionField(
    key="bildung",
    title="Bildung und Jugend",
    goals=(Goal(key="schulen", statement="Schulen digital ausstatten"),),
)


def measure(key: str = "portal", **changes: Any) -> Measure:
    fields: dict[str, Any] = {"title": "Bürgerportal", "action_field": "verwaltung"}
    fields.update(changes)
    return Measure(key=key, **fields)


def strategy(**changes: Any) -> Strategy:
    fields: dict[str, Any] = {"municipality": GEMEINDE, "action_fields": (VERWALTUNG, BILDUNG)}
    fields.update(changes)
    return Strategy(**fields)


def refused(build: Callable[[], object]) -> ModelValidationError:
    with pytest.raises(ModelValidationError) as info:
        build()
    assert isinstance(info.value, KommunalDigitalError)
    assert isinstance(info.value, ValueError)
    assert info.value.field, f"the error names no field: {info.value}"
    assert str(info.value) == f"{info.value.field}: {info.value.reason}"
    return info.value


# --- single objects -------------------------------------------------------


def test_negative_cost_is_refused_naming_the_field() -> None:
    error = refused(lambda: Cost(one_off=-1))
    assert error.field == "one_off"
    assert "one_off" in str(error)
    assert "negative" in str(error)
    error = refused(lambda: Cost(yearly=Decimal("-0.01")))
    assert error.field == "yearly"
    assert "negative" in error.reason


@pytest.mark.parametrize("value", ["viel", [100]])
def test_a_cost_that_is_no_number_is_refused_naming_the_field(value: object) -> None:
    # A converter turns the amount into a Decimal before the validators run;
    # its message must still say which amount is wrong.
    error = refused(lambda: Cost(one_off=value))  # type: ignore[arg-type]
    assert "one_off" in str(error)
    assert repr(value) in str(error)


def test_a_cost_with_fractions_of_a_cent_is_refused_naming_the_field() -> None:
    error = refused(lambda: Cost(yearly=Decimal("12.005")))
    assert "yearly" in str(error)
    assert "two decimal places" in str(error)


@pytest.mark.parametrize("value", ["1e999999999", Decimal("-1e999999999")])
def test_an_absurd_amount_is_refused_as_a_model_error(value: object) -> None:
    # Arithmetic on such a Decimal (abs(), quantize()) signals decimal.Overflow,
    # which is no KommunalDigitalError; the amount must be refused before.
    with pytest.raises(ModelValidationError, match="implausibly large"):
        Cost(one_off=value)  # type: ignore[arg-type]


def test_costs_are_kept_in_euros_and_cents() -> None:
    cost = Cost(one_off=12500, yearly="99.9")
    assert cost.one_off == Decimal("12500.00")
    assert cost.yearly == Decimal("99.90")
    assert str(cost.yearly) == "99.90"
    assert Cost(one_off=0.1) == Cost(one_off=Decimal("0.10"))


def test_an_unknown_cost_stays_unknown_and_is_not_zero() -> None:
    # Unknown is a value: nobody has estimated the cost yet, which is not 0 €.
    assert Cost() == Cost(one_off=None, yearly=None)
    assert Cost().one_off is None
    assert Cost().yearly is None
    assert not Cost().known
    assert Cost(one_off=0) != Cost()
    assert not Cost(one_off=0).known
    assert Cost(one_off=0, yearly=0).known
    partial = Cost(one_off=1000)
    assert partial.one_off == Decimal("1000.00")
    assert partial.yearly is None


def test_a_measure_without_estimates_keeps_them_unknown() -> None:
    unknown = Measure(key="m", title="M", action_field="f")
    assert unknown.duration_months is None
    assert unknown.staff_fte is None
    assert unknown.cost == Cost()


@pytest.mark.parametrize("months", [0, 121, -3])
def test_duration_outside_one_to_120_months_is_refused(months: int) -> None:
    error = refused(lambda: measure(duration_months=months))
    assert error.field == "duration_months"
    assert "between 1 and 120 months" in error.reason
    assert str(months) in error.reason


def test_duration_must_be_whole_months() -> None:
    error = refused(lambda: measure(duration_months=2.5))
    assert error.field == "duration_months"
    assert "whole number" in error.reason
    error = refused(lambda: measure(duration_months=True))
    assert error.field == "duration_months"


def test_duration_limits_are_accepted() -> None:
    assert measure(duration_months=1).duration_months == 1
    assert measure(duration_months=120).duration_months == 120


@pytest.mark.parametrize("progress", [101, -1])
def test_progress_outside_zero_to_100_is_refused(progress: int) -> None:
    error = refused(lambda: measure(progress=progress))
    assert error.field == "progress"
    assert "between 0 and 100" in error.reason
    assert str(progress) in error.reason


@pytest.mark.parametrize("key", ["Portal", "bürger", "-portal", "_x", "a b", "", "a.b", "a/b"])
def test_bad_key_is_refused(key: str) -> None:
    error = refused(lambda: measure(key=key))
    assert error.field == "key"
    assert repr(key) in error.reason
    assert "not a valid key" in error.reason


@pytest.mark.parametrize("key", ["portal\n", "a\nb", "x\r"])
def test_a_key_with_a_line_break_is_refused(key: str) -> None:
    # checks._KEY ends in "$", which also matches before a final "\n".
    error = refused(lambda: Goal(key=key, statement="Ziel"))
    assert error.field == "key"


@pytest.mark.parametrize(
    ("char", "code"),
    [("\x00", "U+0000"), ("\x07", "U+0007"), ("\x1b", "U+001B"), ("\ufffe", "U+FFFE")],
)
def test_control_character_in_text_is_refused(char: str, code: str) -> None:
    error = refused(lambda: measure(description=f"Portal{char}Text"))
    assert error.field == "description"
    assert code in error.reason
    assert "control character" in error.reason
    error = refused(lambda: measure(title=f"Titel {char}"))
    assert error.field == "title"


def test_surrogate_in_text_is_refused() -> None:
    error = refused(lambda: Goal(key="g", statement="a\ud800b"))
    assert error.field == "statement"
    assert "U+D800" in error.reason


def test_tab_line_breaks_and_any_script_are_accepted() -> None:
    text = "Zeile 1\tTab\r\nZeile 2 🚀 „Zitat“ & <b>{{ x }}</b> %"
    assert measure(description=text).description == text


def test_blank_title_is_refused() -> None:
    error = refused(lambda: measure(title=" \n\t"))
    assert error.field == "title"
    assert "empty" in error.reason


def test_text_list_items_are_checked_one_by_one() -> None:
    error = refused(lambda: measure(partners=("Kreis", " ")))
    assert error.field == "partners[1]"
    error = refused(lambda: measure(funding_sources=("ok", "a\x0bb")))
    assert error.field == "funding_sources[1]"


def test_text_instead_of_a_list_is_refused_naming_the_field() -> None:
    error = refused(lambda: measure(partners="Kreis"))
    assert error.field == "partners"
    assert "expected a list" in error.reason


def test_self_dependency_is_refused() -> None:
    error = refused(lambda: measure("portal", depends_on=("wlan", "portal")))
    assert error.field == "depends_on"
    assert "'portal' cannot depend on itself" in error.reason


def test_listing_a_dependency_twice_is_refused() -> None:
    error = refused(lambda: measure(depends_on=("wlan", "wlan")))
    assert error.field == "depends_on[1]"
    assert "twice" in error.reason


def test_involving_a_stakeholder_twice_is_refused() -> None:
    error = refused(lambda: measure(stakeholders=(Involvement("rat"), Involvement("rat"))))
    assert error.field == "stakeholders[1].stakeholder"
    assert "duplicate" in error.reason


def test_stakeholder_scale_is_one_to_five() -> None:
    assert refused(lambda: Stakeholder(key="s", name="S", power=6)).field == "power"
    assert refused(lambda: Stakeholder(key="s", name="S", interest=0)).field == "interest"


def test_negative_or_infinite_goal_weight_is_refused() -> None:
    assert "negative" in refused(lambda: Goal(key="g", statement="s", weight=-1)).reason
    error = refused(lambda: Goal(key="g", statement="s", weight=float("inf")))
    assert error.field == "weight"
    assert "finite" in error.reason


def test_duplicate_goal_keys_within_a_field_are_refused() -> None:
    error = refused(
        lambda: ActionField(
            key="f",
            title="F",
            goals=(Goal(key="g", statement="a"), Goal(key="g", statement="b")),
        )
    )
    assert error.field == "goals[1].key"
    assert "duplicate" in error.reason


@pytest.mark.parametrize("kind", [MunicipalityKind.GEMEINDE, MunicipalityKind.STADT])
def test_members_on_a_gemeinde_are_refused(kind: MunicipalityKind) -> None:
    error = refused(
        lambda: Municipality(
            name="X", kind=kind, land="Y", members=(MemberMunicipality(name="Ort"),)
        )
    )
    assert error.field == "members"
    assert f"a {kind.label} has no member municipalities" in error.reason
    assert "Verbandsgemeinde" in error.reason


def test_members_of_a_verbandsgemeinde_are_accepted_but_not_twice() -> None:
    ort = MemberMunicipality(name="Ort")
    vg = Municipality(name="VG", kind=MunicipalityKind.VERBANDSGEMEINDE, land="RLP", members=(ort,))
    assert vg.members == (ort,)
    error = refused(
        lambda: Municipality(name="VG", kind=MunicipalityKind.KREIS, land="RLP", members=(ort, ort))
    )
    assert error.field == "members[1].name"


@pytest.mark.parametrize("key", ["07133001", "071330001001"])
def test_official_keys_with_8_or_12_digits_are_accepted(key: str) -> None:
    assert Municipality(name="X", kind=MunicipalityKind.STADT, land="Y", official_key=key)
    assert MemberMunicipality(name="X", official_key=key).official_key == key


@pytest.mark.parametrize("key", ["1234", "0713300", "0713300A", "0713300100", "07 133 001", ""])
def test_official_key_of_the_wrong_format_is_refused(key: str) -> None:
    error = refused(
        lambda: Municipality(name="X", kind=MunicipalityKind.STADT, land="Y", official_key=key)
    )
    assert error.field == "official_key"
    assert "8-digit AGS" in error.reason
    assert "12-digit ARS" in error.reason
    assert refused(lambda: MemberMunicipality(name="X", official_key=key)).field == "official_key"


@pytest.mark.parametrize(
    "key",
    [
        "07133001\n",  # "$" matches before a final line break
        "٠٧١٣٣٠٠١",  # Arabic-Indic digits match "\d"
        "０７１３３００１",  # full-width digits
    ],
)
def test_official_key_must_be_ascii_digits_only(key: str) -> None:
    error = refused(
        lambda: Municipality(name="X", kind=MunicipalityKind.STADT, land="Y", official_key=key)
    )
    assert error.field == "official_key"


def test_roadmap_refuses_a_task_due_before_its_start() -> None:
    error = refused(
        lambda: Roadmap(
            start=dt.date(2027, 1, 1),
            phases=(Phase(key="p", title="P", tasks=(Task("t", due=dt.date(2026, 12, 31)),)),),
        )
    )
    assert error.field == "phases[0].tasks[0].due"
    assert "2026-12-31" in error.reason


def test_organigram_refuses_a_relation_to_an_unknown_role() -> None:
    mayor = Role(key="mayor", title="Bürgermeisterin", kind=RoleKind.MAYOR)
    error = refused(
        lambda: Organigram(
            roles=(mayor,),
            relations=(Relation(source="mayor", target="cdo", kind=RelationKind.LEADS),),
        )
    )
    assert error.field == "relations[0].target"
    assert "unknown role 'cdo'" in error.reason
    error = refused(
        lambda: Organigram(
            roles=(mayor,),
            relations=(Relation(source="cdo", target="mayor", kind=RelationKind.REPORTS_TO),),
        )
    )
    assert error.field == "relations[0].source"


def test_organigram_refuses_self_relations_and_repeated_relations() -> None:
    a = Role(key="a", title="A", kind=RoleKind.MAYOR)
    b = Role(key="b", title="B", kind=RoleKind.CDO)
    loop = Relation(source="a", target="a", kind=RelationKind.ADVISES)
    assert refused(lambda: Organigram(roles=(a, b), relations=(loop,))).field == "relations[0]"
    edge = Relation(source="b", target="a", kind=RelationKind.REPORTS_TO)
    error = refused(lambda: Organigram(roles=(a, b), relations=(edge, edge)))
    assert error.field == "relations[1]"
    assert "twice" in error.reason


def test_organigram_refuses_duplicate_role_keys() -> None:
    a = Role(key="a", title="A", kind=RoleKind.MAYOR)
    assert refused(lambda: Organigram(roles=(a, a))).field == "roles[1].key"


# --- the strategy's cross-checks -----------------------------------------


def test_duplicate_measure_key_is_refused() -> None:
    error = refused(lambda: strategy(measures=(measure("portal"), measure("portal"))))
    assert error.field == "measures[1].key"
    assert "measures[1].key" in str(error)
    assert "duplicate" in str(error)
    assert "measures[0]" in error.reason


def test_measure_in_an_action_field_the_strategy_lacks_is_refused() -> None:
    error = refused(lambda: strategy(measures=(measure(action_field="tourismus"),)))
    assert error.field == "measures[0].action_field"
    assert "measures[0].action_field" in str(error)
    assert "'tourismus'" in error.reason
    assert "bildung, verwaltung" in error.reason


def test_measure_in_an_unchosen_field_is_refused() -> None:
    unchosen = attrs.evolve(BILDUNG, chosen=False)
    error = refused(
        lambda: strategy(
            action_fields=(VERWALTUNG, unchosen),
            measures=(measure("a"), measure("b", action_field="bildung")),
        )
    )
    assert error.field == "measures[1].action_field"
    assert "not chosen" in error.reason


def test_measure_serving_a_goal_of_another_field_is_refused() -> None:
    error = refused(lambda: strategy(measures=(measure(goal="schulen"),)))
    assert error.field == "measures[0].goal"
    assert "'schulen' belongs to action field 'bildung'" in error.reason


def test_measure_serving_an_unknown_goal_is_refused() -> None:
    error = refused(lambda: strategy(measures=(measure(goal="weltfrieden"),)))
    assert error.field == "measures[0].goal"
    assert "unknown goal 'weltfrieden'" in error.reason


def test_unknown_dependency_is_refused() -> None:
    error = refused(
        lambda: strategy(measures=(measure("wlan"), measure("portal", depends_on=("wlan", "x"))))
    )
    assert error.field == "measures[1].depends_on[1]"
    assert "unknown measure 'x'" in error.reason


def test_unknown_stakeholder_is_refused() -> None:
    rat = Stakeholder(key="rat", name="Gemeinderat")
    error = refused(
        lambda: strategy(
            stakeholders=(rat,),
            measures=(measure(stakeholders=(Involvement("rat"), Involvement("presse"))),),
        )
    )
    assert error.field == "measures[0].stakeholders[1].stakeholder"
    assert "unknown stakeholder 'presse'" in error.reason


def test_duplicate_goal_keys_across_fields_are_refused() -> None:
    other = ActionField(key="bildung", title="B", goals=(Goal(key="online", statement="x"),))
    error = refused(lambda: strategy(action_fields=(VERWALTUNG, other)))
    assert error.field == "action_fields[1].goals[0].key"
    assert "duplicate goal key 'online'" in error.reason
    assert "'verwaltung'" in error.reason


def test_duplicate_action_field_and_stakeholder_keys_are_refused() -> None:
    assert (
        refused(lambda: strategy(action_fields=(VERWALTUNG, VERWALTUNG))).field
        == "action_fields[1].key"
    )
    rat = Stakeholder(key="rat", name="Rat")
    assert refused(lambda: strategy(stakeholders=(rat, rat))).field == "stakeholders[1].key"


def test_profile_for_an_unknown_measure_is_refused() -> None:
    error = refused(
        lambda: strategy(
            measures=(measure("portal"),),
            profiles=(ProjectProfile(measure="wlan", result="WLAN überall"),),
        )
    )
    assert error.field == "profiles[0].measure"
    assert "unknown measure 'wlan'" in error.reason


def test_two_profiles_for_one_measure_are_refused() -> None:
    error = refused(
        lambda: strategy(
            measures=(measure("portal"),),
            profiles=(
                ProjectProfile(measure="portal", result="A"),
                ProjectProfile(measure="portal", result="B"),
            ),
        )
    )
    assert error.field == "profiles[1].measure"
    assert "already has a profile (profiles[0])" in error.reason


def test_profile_naming_an_unknown_stakeholder_is_refused() -> None:
    error = refused(
        lambda: strategy(
            measures=(measure("portal"),),
            profiles=(ProjectProfile(measure="portal", result="A", stakeholders=("rat",)),),
        )
    )
    assert error.field == "profiles[0].stakeholders[0]"


def test_measure_for_an_unknown_member_municipality_is_refused() -> None:
    error = refused(lambda: strategy(measures=(measure(members=("Nirgendwo",)),)))
    assert error.field == "measures[0].members[0]"
    assert "'Nirgendwo' is not a member municipality" in error.reason


def test_organigram_role_for_an_unknown_action_field_is_refused() -> None:
    pilot = Role(key="lotse", title="Lotse", kind=RoleKind.PILOT, action_field="tourismus")
    error = refused(lambda: strategy(organigram=Organigram(roles=(pilot,))))
    assert error.field == "organigram.roles[0].action_field"
    assert "'tourismus'" in error.reason


def test_score_outside_the_criterion_scale_is_refused() -> None:
    nutzen = Criterion(key="nutzen", title="Nutzen", scale_min=1, scale_max=5)
    error = refused(
        lambda: strategy(criteria=(nutzen,), measures=(measure(scores={"nutzen": 7.0}),))
    )
    assert error.field == "measures[0].scores.nutzen"
    assert "outside the scale" in error.reason


# --- properties of generated objects ---------------------------------------

SINGLE_OBJECTS: list[tuple[str, st.SearchStrategy[Any]]] = [
    ("indicators", kst.indicators()),
    ("goals", kst.goals()),
    ("action_fields", kst.action_fields()),
    ("costs", kst.costs()),
    ("budgetings", kst.budgetings()),
    ("measures", kst.measures()),
    ("member_municipalities", kst.member_municipalities()),
    ("municipalities", kst.municipalities()),
    ("stakeholders", kst.stakeholders()),
    ("involvements", kst.involvements()),
    ("tasks", kst.tasks()),
    ("milestones", kst.milestones()),
    ("phases", kst.phases()),
    ("roadmaps", kst.roadmaps()),
    ("roles", kst.roles()),
    ("relations", kst.relations()),
    ("organigrams", kst.organigrams()),
    ("resources", kst.resources()),
    ("project_profiles", kst.project_profiles()),
    ("criteria", kst.criteria()),
    ("comparisons", kst.comparisons()),
    ("year_limits", kst.year_limits()),
    ("schedule_limits", kst.schedule_limits()),
    ("progress_updates", kst.progress_updates()),
    ("reportings", kst.reportings()),
    ("ozg_services", kst.ozg_services()),
    ("maturity_checks", kst.maturity_checks()),
    ("funding_sources", kst.funding_sources()),
    ("operators", kst.operators()),
    ("funding_programmes", kst.funding_programmes()),
    ("pack_references", kst.pack_references()),
    ("partners", kst.partners()),
    (
        "cost_sharings",
        st.lists(kst.partners(), min_size=1, max_size=3, unique_by=lambda p: p.key).flatmap(
            lambda partners: kst.cost_sharings(partners=partners)
        ),
    ),
    ("strategy_fundings", kst.strategy_fundings()),
    ("external_milestones", kst.external_milestones()),
    ("strategies", kst.strategies()),
    ("thin_strategies", kst.thin_strategies()),
    ("workshop_sources", kst.workshop_sources()),
    ("workshops", kst.workshops()),
]


@pytest.mark.parametrize(
    "objects", [s for _, s in SINGLE_OBJECTS], ids=[name for name, _ in SINGLE_OBJECTS]
)
@given(data=st.data())
def test_generated_objects_are_valid_and_rebuild_equal(
    objects: st.SearchStrategy[Any], data: st.DataObject
) -> None:
    obj = data.draw(objects)
    assert attrs.has(type(obj))
    attrs.validate(obj)
    copy = type(obj)(**attrs.asdict(obj, recurse=False))
    assert copy == obj
    assert copy is not obj


def test_every_public_strategy_is_covered() -> None:
    import kommunal_digital.testing as testing

    tested = {name for name, _ in SINGLE_OBJECTS}
    helpers = {"dates", "digicheck", "extension_data", "keys", "money", "texts"}
    assert set(testing.__all__) == tested | helpers
    assert testing.__all__ == sorted(testing.__all__)
    assert kst.__all__ == sorted(kst.__all__)
    assert set(kst.__all__) == set(testing.__all__)


@given(key=kst.keys())
def test_generated_keys_are_valid_keys(key: str) -> None:
    assert KEY.fullmatch(key)
    assert Goal(key=key, statement="x").key == key


@given(text=kst.texts())
def test_generated_texts_are_valid_text(text: str) -> None:
    assert measure(description=text).description == text


@given(text=kst.texts(allow_empty=False, multiline=False))
def test_generated_titles_are_visible_single_lines(text: str) -> None:
    assert text.strip()
    assert not {"\n", "\r", "\x85", "\u2028", "\u2029"} & set(text)
    assert measure(title=text).title == text


@given(amount=kst.money())
def test_generated_money_is_whole_cents_in_range(amount: Decimal) -> None:
    assert amount.as_tuple().exponent == -2
    assert Decimal(0) <= amount <= Decimal(10**9)
    assert Cost(one_off=amount).one_off == amount


@given(amount=kst.money(max_euros=5))
def test_money_respects_its_upper_bound(amount: Decimal) -> None:
    assert amount <= 5


@given(
    m=kst.measures(
        key="portal",
        field_key="verwaltung",
        goal_keys=["online"],
        depends_on=["wlan", "portal", "kurs"],
        stakeholder_keys=["rat"],
        member_names=["Ort A", "Ort B"],
        scored_by=[Criterion(key="nutzen", title="Nutzen", scale_min=1, scale_max=5)],
    )
)
def test_measures_respect_the_given_surroundings(m: Measure) -> None:
    assert m.key == "portal"
    assert m.action_field == "verwaltung"
    assert m.goal in (None, "online")
    assert set(m.depends_on) <= {"wlan", "kurs"}
    assert {i.stakeholder for i in m.stakeholders} <= {"rat"}
    assert set(m.members) <= {"Ort A", "Ort B"}
    assert set(m.scores) <= {"nutzen"}
    assert all(1 <= score <= 5 for score in m.scores.values())


@given(m=kst.measures(field_key="f", goal_keys=[]))
def test_measures_without_goal_keys_have_no_goal(m: Measure) -> None:
    assert m.goal is None


@given(relation=kst.relations(role_keys=["a", "b"]))
def test_relations_connect_two_different_given_roles(relation: Relation) -> None:
    assert {relation.source, relation.target} == {"a", "b"}


@given(field=kst.action_fields(key="f", goal_keys=["g1", "g2"], chosen=False))
def test_action_fields_take_the_given_keys(field: ActionField) -> None:
    assert field.key == "f"
    assert [g.key for g in field.goals] == ["g1", "g2"]
    assert not field.chosen


@given(task=kst.tasks(not_before=dt.date(2099, 12, 1)))
def test_tasks_are_not_due_before_the_given_date(task: Task) -> None:
    assert task.due is None or task.due >= dt.date(2099, 12, 1)


@given(s=kst.strategies())
def test_measure_lookup_finds_every_measure_by_key(s: Strategy) -> None:
    for m in s.measures:
        assert s.measure(m.key) is m
    missing = "-".join(m.key for m in s.measures) + "-fehlt"
    with pytest.raises(KeyError):
        s.measure(missing)


@given(s=kst.strategies())
def test_chosen_fields_are_the_chosen_ones_in_order(s: Strategy) -> None:
    assert s.chosen_fields == tuple(f for f in s.action_fields if f.chosen)
    for f in s.action_fields:
        assert s.action_field(f.key) is f


@given(s=kst.strategies())
def test_measures_in_partitions_the_measures_by_chosen_field(s: Strategy) -> None:
    collected: list[Measure] = []
    for f in s.chosen_fields:
        inside = s.measures_in(f.key)
        assert all(m.action_field == f.key for m in inside)
        assert list(inside) == [m for m in s.measures if m.action_field == f.key]
        collected.extend(inside)
    assert sorted(m.key for m in collected) == sorted(m.key for m in s.measures)
    for f in s.action_fields:
        if not f.chosen:
            assert s.measures_in(f.key) == ()
    assert s.measures_in("gibt-es-nicht" * 3) == ()


@given(s=kst.strategies())
def test_profile_for_finds_the_profile_of_a_measure_or_none(s: Strategy) -> None:
    profiled = {p.measure: p for p in s.profiles}
    for m in s.measures:
        assert s.profile_for(m.key) is profiled.get(m.key)
    assert s.profile_for("gibt-es-nicht" * 3) is None


@given(s=kst.strategies())
def test_generated_strategies_are_consistent(s: Strategy) -> None:
    # Goals are unique across fields and found by key; every measure serves a
    # goal of its own field; the dependencies form a graph without cycles.
    for f in s.action_fields:
        for g in f.goals:
            assert s.goal(g.key) is g
    for m in s.measures:
        assert s.action_field(m.action_field).chosen
        if m.goal is not None:
            assert m.goal in {g.key for g in s.action_field(m.action_field).goals}
    graph = dependency_graph(s.measures)
    assert set(graph.nodes) == {m.key for m in s.measures}
    assert s.roadmap_preset is None


@given(s=kst.strategies(roadmap_presets=["drei-phasen", "no"]))
def test_strategies_take_roadmap_presets_from_the_given_keys(s: Strategy) -> None:
    assert s.roadmap_preset in (None, "drei-phasen", "no")


# --- dependency cycles -----------------------------------------------------


def test_a_strategy_refuses_measures_that_depend_on_each_other_in_a_circle() -> None:
    measures = (
        measure("c", depends_on=("a",)),
        measure("a", depends_on=("b",)),
        measure("b", depends_on=("c",)),
        measure("d", depends_on=("c",)),
    )
    with pytest.raises(DependencyCycleError) as info:
        strategy(measures=measures)
    assert isinstance(info.value, PlanningError)
    assert info.value.cycle == ("a", "b", "c", "a")
    assert str(info.value) == "dependency cycle: a -> b -> c -> a"


def test_evolve_checks_the_dependencies_again() -> None:
    acyclic = strategy(measures=(measure("a"), measure("b", depends_on=("a",))))
    with pytest.raises(DependencyCycleError) as info:
        attrs.evolve(acyclic, measures=(measure("a", depends_on=("b",)), acyclic.measures[1]))
    assert info.value.cycle == ("a", "b", "a")


def test_other_problems_are_reported_before_a_cycle() -> None:
    measures = (
        measure("a", depends_on=("b",)),
        measure("b", depends_on=("a", "x")),
    )
    error = refused(lambda: strategy(measures=measures))
    assert error.field == "measures[1].depends_on[1]"


def test_find_cycle_names_the_cycle_the_search_meets_first() -> None:
    # Two cycles: a -> b -> a and c -> d -> c; the search starts at the smallest key.
    measures = [
        measure("d", depends_on=("c",)),
        measure("c", depends_on=("d",)),
        measure("b", depends_on=("a",)),
        measure("a", depends_on=("b",)),
    ]
    assert find_cycle(measures) == ("a", "b", "a")
    assert find_cycle(measures[:2]) == ("c", "d", "c")
    assert find_cycle([measure("a"), measure("b", depends_on=("a",))]) == ()
    assert find_cycle([]) == ()


def test_find_cycle_follows_dependencies_in_their_order() -> None:
    # From a, the search follows a's first dependency and meets the circle through it.
    others = [measure("b", depends_on=("a",)), measure("c", depends_on=("a",))]
    assert find_cycle([measure("a", depends_on=("b", "c")), *others]) == ("a", "b", "a")
    assert find_cycle([measure("a", depends_on=("c", "b")), *others]) == ("a", "c", "a")


def test_find_cycle_handles_long_chains_without_recursion() -> None:
    count = 5000
    chain = [measure(f"m{i:05d}", depends_on=(f"m{i + 1:05d}",)) for i in range(count - 1)]
    closing = measure(f"m{count - 1:05d}", depends_on=("m00000",))
    cycle = find_cycle([*chain, closing])
    assert len(cycle) == count + 1
    assert cycle[0] == cycle[-1] == "m00000"
    assert find_cycle(chain) == ()


def test_the_model_imports_without_networkx() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import kommunal_digital.model\n"
        "print(sorted(m for m in sys.modules if m.partition('.')[0] in "
        "{'networkx', 'openpyxl', 'matplotlib', 'cattrs'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- the pack a strategy was made with ------------------------------------


def test_a_strategy_records_its_pack() -> None:
    assert strategy().pack is None
    recorded = strategy(pack=PackReference("rlp", "0.1.0"))
    assert recorded.pack == PackReference(name="rlp", version="0.1.0")
    assert PackReference("rlp").version == ""
    # The last field, so the positional order of the others is unchanged.
    assert Strategy(GEMEINDE, "Digitalstrategie Musterdorf").title == "Digitalstrategie Musterdorf"


@pytest.mark.parametrize("name", ["RLP", "", "mein paket", "-rlp", 5])
def test_a_pack_name_must_be_a_key(name: Any) -> None:
    error = refused(lambda: PackReference(name))
    assert error.field == "name"
    assert "not a valid key" in error.reason


@pytest.mark.parametrize("version", ["0.1 beta", " 0.1.0", ".1", "0.1.0\n", 1.0])
def test_a_pack_version_is_a_word_without_spaces(version: Any) -> None:
    error = refused(lambda: PackReference("rlp", version))
    assert error.field == "version"


@pytest.mark.parametrize("version", ["", "0.1.0", "1.2rc1", "2024.1+lindenau", "v3", "1!2.0"])
def test_pack_versions_in_common_notations_are_accepted(version: str) -> None:
    assert PackReference("rlp", version).version == version


# --- who carries a measure --------------------------------------------------


def test_measure_owner_by_key_title_or_the_fields_pilot() -> None:
    pilot = Role(key="lotse", title="Digitallotse", kind=RoleKind.PILOT, action_field="verwaltung")
    it = Role(key="it", title="IT-Abteilung", kind=RoleKind.IT)
    organigram = Organigram(roles=(it, pilot))
    plain = measure("a")
    by_key = measure("b", owner_role="it")
    by_title = measure("c", owner_role=" IT-Abteilung ")
    unknown = measure("d", owner_role="Kämmerei")
    s = strategy(measures=(plain, by_key, by_title, unknown), organigram=organigram)
    assert measure_owner(s, plain) == pilot
    assert measure_owner(s, by_key) == it
    assert measure_owner(s, by_title) == it
    assert measure_owner(s, unknown) is None
    assert measure_owner(attrs.evolve(s, organigram=None), by_key) is None
    elsewhere = measure("e", action_field="bildung")
    assert measure_owner(strategy(measures=(elsewhere,), organigram=organigram), elsewhere) is None
