from pathlib import Path

import kommunal_digital as kd
from kommunal_digital.authoring import check_pack, new_pack
from kommunal_digital.model import MaturityQuestion, Questionnaire
from kommunal_digital.testing import strategies as kst


def test_builtin_digicheck_covers_seven_dimensions(isolated_workspace: kd.Workspace) -> None:
    # The Digicheck is data of the bundled base pack, which rlp extends.
    digicheck = isolated_workspace.questionnaire("digicheck")
    assert digicheck == kst.digicheck()
    assert digicheck.dimensions == (
        "strategie",
        "organisation",
        "kompetenzen",
        "infrastruktur",
        "onlinedienste",
        "daten",
        "beteiligung",
    )
    assert all(len(q.answers) == 4 for q in digicheck.questions)
    assert [a.score for a in digicheck.questions[0].answers] == [0, 1, 2, 3]


def test_questionnaires_from_packs_and_plugins(tmp_path: Path) -> None:
    pack = new_pack("fragen", tmp_path)
    (pack / "questionnaires.yaml").write_text(
        "questionnaires:\n- key: kurz\n  title: Kurz\n  questions:\n"
        "  - {key: a, dimension: daten, text: Gibt es Daten}\n",
        encoding="utf-8",
    )
    manifest = pack / "pack.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "[data]\n", '[data]\nquestionnaires = "questionnaires.yaml"\n'
        ),
        encoding="utf-8",
    )

    class Plugin:
        @kd.hookimpl
        def kd_template_packs(self) -> list[Path]:
            return [pack]

        @kd.hookimpl
        def kd_maturity_questionnaires(self) -> list[Questionnaire]:
            return [Questionnaire("digicheck", "Ersetzt", (MaturityQuestion("x", "daten", "X?"),))]

    installation = kd.load_installation(entry_points=False, plugins=[Plugin()])
    found = installation.workspace("fragen")
    assert found.questionnaire("kurz").questions[0].text == "Gibt es Daten"
    assert found.questionnaire("digicheck").title == "Ersetzt"
    # The plugin's questionnaire also replaces the base pack's Digicheck in
    # the default pack, which does not see the other pack's data.
    default = installation.workspace()
    assert default.questionnaire("digicheck").title == "Ersetzt"
    assert "kurz" not in default.questionnaires
    assert (
        check_pack(pack, packs=installation.packs, document_types=installation.document_types())
        == []
    )
