"""Maturity check: scoring, phase placement, phase guides, OZG services, radar chart."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.authoring import new_pack
from kommunal_digital.documents import document_images
from kommunal_digital.errors import InputFileError, ModelValidationError
from kommunal_digital.maturity import (
    PhaseRule,
    assess_maturity,
    maturity_radar_image,
    ozg_summary,
)
from kommunal_digital.model import (
    AnswerOption,
    MaturityPhase,
    MaturityQuestion,
    OzgService,
    PhaseGuide,
    Questionnaire,
)
from kommunal_digital.packs import load_pack, phase_guides
from kommunal_digital.testing import strategies as kst

DIGICHECK = kst.digicheck()
FULL = "ja, vollständig"


def check(**answers: str | int) -> kd.MaturityCheck:
    return kd.MaturityCheck(answers=dict(answers))


# Worked example, checked by hand (points 0 to 3 per question):
#   strategie      3 + 2 = 5 of 6   83.3 %
#   organisation   3 + 3 = 6 of 6  100 %
#   kompetenzen    2 + 2 = 4 of 6   66.6 %
#   infrastruktur  3 + 3 = 6 of 6  100 %
#   onlinedienste  2 + 1 = 3 of 6   50 %
#   daten          1 + - = 1 of 6   16.6 %  (daten-offen unanswered: 0 points)
#   beteiligung    2 + 2 = 4 of 6   66.6 %
#   total                 29 of 42  69.0 %  -> Strategie (50 to under 75 %)
WORKED: dict[str, str | int] = {
    "strategie-ziele": FULL,
    "strategie-beschluss": "überwiegend",
    "organisation-zustaendig": 3,
    "organisation-ressourcen": FULL,
    "kompetenzen-fortbildung": "überwiegend",
    "kompetenzen-erfahrung": 2,
    "infrastruktur-netz": FULL,
    "infrastruktur-arbeitsplatz": 3,
    "onlinedienste-angebot": "überwiegend",
    "onlinedienste-medienbruch": "in Ansätzen",
    "daten-ueberblick": 1,
    "beteiligung-online": "überwiegend",
    "beteiligung-transparenz": 2,
}


def test_worked_example_gives_dimension_shares_phase_and_reasons() -> None:
    result = assess_maturity(kd.MaturityCheck(answers=WORKED), DIGICHECK)
    shares = {d.dimension: (d.reached, d.possible) for d in result.dimensions}
    assert shares == {
        "strategie": (5, 6),
        "organisation": (6, 6),
        "kompetenzen": (4, 6),
        "infrastruktur": (6, 6),
        "onlinedienste": (3, 6),
        "daten": (1, 6),
        "beteiligung": (4, 6),
    }
    assert result.dimension("daten").percent == pytest.approx(100 / 6)
    assert (result.reached, result.possible) == (29, 42)
    assert result.percent == pytest.approx(69.047, abs=0.001)
    assert result.score_phase is MaturityPhase.STRATEGIE
    assert result.phase is MaturityPhase.STRATEGIE
    assert result.unanswered == ("daten-offen",)
    assert result.reasons == (
        "Gesamtwert 29 von 42 Punkten (69 %): das entspricht der Phase „Strategie“ "
        "(ab 50 % bis unter 75 %).",
        "Die Schlüsseldimensionen „Strategie“ (83,3 %, Phase „Wachstum“) und "
        "„Organisation“ (100 %, Phase „Wachstum“) lassen diese Einstufung zu "
        "(höchstens eine Phase über der eigenen).",
        "Stärkste Dimension ist „Organisation“ mit 100 %, schwächste „Daten“ mit 16,6 %.",
        "1 von 14 Fragen ist unbeantwortet und zählt mit 0 Punkten: daten-offen.",
    )


def test_a_weak_key_dimension_caps_the_phase() -> None:
    # Everything fully answered except the strategy: 36 of 42 points (85.7 %)
    # would be Wachstum, but strategie at 0 % (Orientierung) allows only Start.
    answers: dict[str, str | int] = {q.key: FULL for q in DIGICHECK.questions}
    answers["strategie-ziele"] = answers["strategie-beschluss"] = "nein"
    result = assess_maturity(kd.MaturityCheck(answers=answers), DIGICHECK)
    assert (result.reached, result.possible) == (36, 42)
    assert result.score_phase is MaturityPhase.WACHSTUM
    assert result.phase is MaturityPhase.START
    assert (
        "Die Schlüsseldimension „Strategie“ erreicht nur 0 % (Phase „Orientierung“); die "
        "Einstufung kann höchstens eine Phase darüber liegen und wird auf „Start“ begrenzt."
    ) in result.reasons
    assert result.unanswered == ()
    strict = assess_maturity(
        kd.MaturityCheck(answers=answers), DIGICHECK, rule=PhaseRule(cap_steps=0)
    )
    assert strict.phase is MaturityPhase.ORIENTIERUNG
    lenient = assess_maturity(
        kd.MaturityCheck(answers=answers), DIGICHECK, rule=PhaseRule(key_dimensions=())
    )
    assert lenient.phase is MaturityPhase.WACHSTUM


def hundred_points(dimension: str = "x") -> Questionnaire:
    """Ten questions worth 0 to 10 points each: points equal percent."""
    options = [AnswerOption(str(n), n) for n in range(11)]
    return Questionnaire(
        key="hundert",
        title="Hundert",
        questions=[MaturityQuestion(f"q{i}", dimension, "Frage", options) for i in range(10)],
    )


def answers_worth(points: int) -> dict[str, str | int]:
    full, rest = divmod(points, 10)
    answers: dict[str, str | int] = {f"q{i}": 10 for i in range(full)}
    if rest:
        answers[f"q{full}"] = rest
    return answers


@pytest.mark.parametrize(
    ("points", "phase"),
    [
        (0, "orientierung"),
        (24, "orientierung"),
        (25, "start"),
        (49, "start"),
        (50, "strategie"),
        (74, "strategie"),
        (75, "wachstum"),
        (100, "wachstum"),
    ],
)
def test_a_share_exactly_on_a_threshold_belongs_to_the_higher_phase(
    points: int, phase: str
) -> None:
    questionnaire = hundred_points()
    result = assess_maturity(
        kd.MaturityCheck(questionnaire="hundert", answers=answers_worth(points)), questionnaire
    )
    assert result.percent == points
    assert result.phase.value == phase


@pytest.mark.parametrize(("points", "phase"), [(24, "start"), (25, "strategie")])
def test_the_cap_of_a_key_dimension_changes_at_its_threshold(points: int, phase: str) -> None:
    # One dimension "strategie" with 100 points possible plus a fully answered
    # second dimension that pushes the total into Wachstum.
    strategy_part = hundred_points("strategie")
    other = hundred_points("infrastruktur")
    questionnaire = Questionnaire(
        key="hundert",
        title="Hundert",
        questions=[
            *strategy_part.questions,
            *(attrs.evolve(q, key=f"i{q.key}") for q in other.questions),
        ],
    )
    answers = answers_worth(points) | {f"iq{i}": 10 for i in range(10)}
    result = assess_maturity(
        kd.MaturityCheck(questionnaire="hundert", answers=answers), questionnaire
    )
    assert result.score_phase is MaturityPhase.STRATEGIE  # 124 or 125 of 200
    assert result.phase.value == phase


def test_phase_rule_thresholds_can_be_changed_and_are_checked() -> None:
    rule = PhaseRule(thresholds=(10, 20, 30))
    assert rule.phase_for(30, 100) is MaturityPhase.WACHSTUM
    assert rule.band(MaturityPhase.START) == "ab 10 % bis unter 20 %"
    with pytest.raises(ModelValidationError, match="thresholds: must rise strictly"):
        PhaseRule(thresholds=(50, 25, 75))


def test_unanswered_questions_count_with_zero_points_and_are_reported() -> None:
    result = assess_maturity(check(), DIGICHECK)
    assert (result.reached, result.possible) == (0, 42)
    assert result.unanswered == tuple(q.key for q in DIGICHECK.questions)
    assert result.phase is MaturityPhase.ORIENTIERUNG
    assert result.reasons[-1].startswith("14 von 14 Fragen sind unbeantwortet und zählen mit 0")


def test_answer_to_an_unknown_question_names_its_field() -> None:
    with pytest.raises(ModelValidationError) as caught:
        assess_maturity(check(**{"daten-offen": 1, "wlan-im-rathaus": 2}), DIGICHECK)
    message = str(caught.value)
    assert message.startswith(
        "maturity_check.answers.wlan-im-rathaus: questionnaire 'digicheck' has no question "
        "'wlan-im-rathaus' (questions: strategie-ziele, "
    )


@pytest.mark.parametrize("answer", ["vielleicht", "Ja, vollständig", 4])
def test_an_answer_that_is_no_option_names_its_field_and_the_options(answer: str | int) -> None:
    with pytest.raises(ModelValidationError) as caught:
        assess_maturity(check(**{"daten-offen": answer}), DIGICHECK)
    assert str(caught.value) == (
        f"maturity_check.answers.daten-offen: {answer!r} is no answer to this question "
        "(answers: 'nein' (0), 'in Ansätzen' (1), 'überwiegend' (2), 'ja, vollständig' (3))"
    )


def test_questionnaire_is_looked_up_by_key_and_must_match(
    isolated_workspace: kd.Workspace,
) -> None:
    answered = check(**{"daten-offen": 3})
    found = assess_maturity(answered, isolated_workspace.questionnaire(answered.questionnaire))
    assert found.questionnaire == "digicheck"
    assert found.dimension("daten").reached == 3
    unknown = kd.MaturityCheck(questionnaire="reifetest")
    with pytest.raises(ModelValidationError, match=r"^maturity_check.questionnaire: unknown "):
        isolated_workspace.questionnaire(unknown.questionnaire)
    with pytest.raises(
        ModelValidationError,
        match=r"^maturity_check.questionnaire: the answers are for 'hundert', not for "
        r"questionnaire 'digicheck'$",
    ):
        assess_maturity(kd.MaturityCheck(questionnaire="hundert"), DIGICHECK)


def test_a_strategy_without_check_is_refused() -> None:
    strategy = attrs.evolve(kd.demo_strategy(planned=False), maturity_check=None)
    with pytest.raises(ModelValidationError, match=r"^maturity_check: the strategy has no"):
        assess_maturity(strategy, DIGICHECK)


def test_answers_are_checked_in_form_when_the_file_is_read() -> None:
    text = (
        "schema_version: 1\n"
        "municipality: {name: Musterdorf, kind: gemeinde, land: Rheinland-Pfalz}\n"
        "maturity_check:\n  answers:\n    daten-offen: true\n"
    )
    with pytest.raises(InputFileError) as caught:
        kd.loads_strategy(text)
    assert "maturity_check.answers" in str(caught.value)
    assert "daten-offen" in str(caught.value)
    with pytest.raises(ModelValidationError, match=r"^answers.daten-offen: points must be"):
        check(**{"daten-offen": 11})


def test_demo_strategy_carries_a_check_placed_in_its_phase(
    isolated_workspace: kd.Workspace,
) -> None:
    demo = kd.demo_strategy(planned=False)
    assert demo.maturity_check is not None
    questionnaire = isolated_workspace.questionnaire(demo.maturity_check.questionnaire)
    result = assess_maturity(demo, questionnaire)
    assert demo.municipality.maturity is result.phase
    assert result.ozg is not None
    assert result.ozg.per_level == {0: 0, 1: 1, 2: 1, 3: 0, 4: 1}


# Phase guides -------------------------------------------------------------


def test_every_bundled_pack_has_a_guide_for_every_phase(
    isolated_workspace: kd.Workspace,
) -> None:
    rlp = kd.load_installation(entry_points=False).pack("rlp")
    guides = phase_guides(rlp)
    assert list(guides) == list(MaturityPhase)
    assert all(g.goals and g.methods and g.results for g in guides.values())
    assert any("Digicheck" in method for method in guides[MaturityPhase.STRATEGIE].methods)
    assert isolated_workspace.pack.name == "rlp"
    assert isolated_workspace.phase_guides == guides
    result = assess_maturity(
        kd.MaturityCheck(answers=WORKED), DIGICHECK, guides=isolated_workspace.phase_guides
    )
    assert result.guide == guides[MaturityPhase.STRATEGIE]


def test_a_pack_replaces_the_guide_of_one_phase(tmp_path: Path) -> None:
    folder = new_pack("eigen", tmp_path)
    (folder / "phases.yaml").write_text(
        "phases:\n- phase: strategie\n  goals: [Eigenes Ziel]\n  methods: [Eigene Methode]\n",
        encoding="utf-8",
    )
    manifest = folder / "pack.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        .replace("[data]\n", '[data]\nphase_guide = "phases.yaml"\n')
        .replace('extends = "base"', 'extends = "rlp"'),
        encoding="utf-8",
    )
    pack = kd.load_installation(entry_points=False).pack(folder)
    guides = phase_guides(pack)
    assert guides[MaturityPhase.STRATEGIE].methods == ("Eigene Methode",)
    assert list(guides) == list(MaturityPhase)  # the others inherited from base
    own = [PhaseGuide(MaturityPhase.STRATEGIE, goals=["Anderes Ziel"])]
    result = assess_maturity(kd.MaturityCheck(answers=WORKED), DIGICHECK, guides=own)
    assert result.guide is not None
    assert result.guide.goals == ("Anderes Ziel",)


def test_a_broken_phase_file_names_file_and_field(tmp_path: Path) -> None:
    folder = new_pack("kaputt", tmp_path)
    (folder / "phases.yaml").write_text("phases:\n- phase: bluete\n", encoding="utf-8")
    manifest = folder / "pack.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "[data]\n", '[data]\nphase_guide = "phases.yaml"\n'
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as caught:
        phase_guides(load_pack(folder))
    assert str(caught.value).startswith("kaputt/phases.yaml: phases[0].phase")


# OZG ----------------------------------------------------------------------


def test_a_service_reaches_the_level_of_its_lowest_criterion() -> None:
    service = OzgService(
        "melde", "Meldebescheinigung", {"information": 4, "antrag": 2, "bescheid": 2}
    )
    assert service.level == 2
    assert service.limiting == ("antrag", "bescheid")
    summary = ozg_summary([service, OzgService("hund", "Hundesteuer", {"information": 1}), service])
    assert summary.per_level == {0: 0, 1: 1, 2: 2, 3: 0, 4: 0}
    assert summary.average == pytest.approx(5 / 3)
    assert [s.level for s in summary.services] == [2, 1, 2]
    assert summary.services[1].label == "Stufe 1: Information online"
    assert ozg_summary([]).average is None


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ({}, "criteria: rate at least one criterion"),
        ({"antrag": 5}, "criteria.antrag: must be between 0 and 4, got 5"),
        ({"antrag": True}, "criteria.antrag: expected a whole number, got True"),
    ],
)
def test_ozg_levels_are_checked(criteria: dict[str, int], message: str) -> None:
    with pytest.raises(ModelValidationError, match=f"^{message}"):
        OzgService("melde", "Meldebescheinigung", criteria)


@given(service=kst.ozg_services())
def test_no_criterion_lies_below_the_service_level(service: OzgService) -> None:
    assert all(level >= service.level for level in service.criteria.values())
    assert service.level in service.criteria.values()


# Properties ---------------------------------------------------------------


@given(maturity=kst.maturity_checks(questionnaire=DIGICHECK))
def test_shares_stay_between_0_and_100_percent(maturity: kd.MaturityCheck) -> None:
    result = assess_maturity(maturity, DIGICHECK)
    assert 0 <= result.percent <= 100
    assert all(0 <= d.percent <= 100 for d in result.dimensions)
    assert result.reached == sum(d.reached for d in result.dimensions)
    assert set(result.unanswered).isdisjoint(maturity.answers)


@given(maturity=kst.maturity_checks(questionnaire=DIGICHECK), data=st.data())
def test_a_better_answer_never_lowers_the_phase(
    maturity: kd.MaturityCheck, data: st.DataObject
) -> None:
    question = data.draw(st.sampled_from(DIGICHECK.questions))
    low, high = sorted(
        (data.draw(st.sampled_from(question.answers)) for _ in range(2)), key=lambda o: o.score
    )
    others = {k: v for k, v in maturity.answers.items() if k != question.key}
    # Unanswered, then the lower answer (by label), then the higher (by points).
    results = [
        assess_maturity(attrs.evolve(maturity, answers=answers), DIGICHECK)
        for answers in (
            others,
            others | {question.key: low.label},
            others | {question.key: high.score},
        )
    ]
    phases = list(MaturityPhase)
    ranks = [phases.index(r.phase) for r in results]
    assert ranks == sorted(ranks)
    assert [r.reached for r in results] == sorted(r.reached for r in results)
    assert question.key in results[0].unanswered
    assert question.key not in results[2].unanswered


# Radar chart --------------------------------------------------------------


def test_radar_png_is_a_16_cm_wide_png_and_stable() -> None:
    result = assess_maturity(kd.MaturityCheck(answers=WORKED), DIGICHECK)
    png = maturity_radar_image(result, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, _height = struct.unpack(">II", png[16:24])
    assert abs(width / 200 * 2.54 - 16) < 0.05  # 200 dpi
    assert maturity_radar_image(result, "png") == png


def test_radar_svg_parses_and_names_every_dimension() -> None:
    result = assess_maturity(kd.MaturityCheck(answers=WORKED), DIGICHECK)
    svg = maturity_radar_image(result, "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    for title in ("Strategie", "Organisation", "Onlinedienste", "Beteiligung"):
        assert title in text
    assert "16,6 %" in text  # daten
    assert maturity_radar_image(result, "svg") == svg


def test_documents_embed_the_radar_when_the_strategy_has_a_check(
    isolated_workspace: kd.Workspace,
) -> None:
    demo = kd.demo_strategy(planned=False)
    images = document_images(demo, isolated_workspace)
    assert images["reifegrad"].startswith(b"\x89PNG")
    without = attrs.evolve(demo, maturity_check=None)
    assert "reifegrad" not in document_images(without, isolated_workspace)
