from pathlib import Path

import kommunal_digital as kd
from kommunal_digital.maturity.questionnaires import maturity_questionnaires
from kommunal_digital.model.maturity import MaturityQuestion, Questionnaire


def test_builtin_digicheck_covers_seven_dimensions() -> None:
    manager = kd.make_plugin_manager(load_entry_points=False)
    digicheck = maturity_questionnaires(manager)["digicheck"]
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
    pack = kd.new_pack("fragen", tmp_path)
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

    manager = kd.make_plugin_manager(load_entry_points=False, plugins=[Plugin()])
    found = maturity_questionnaires(manager)
    assert found["kurz"].questions[0].text == "Gibt es Daten"
    assert found["digicheck"].title == "Ersetzt"
    assert kd.check_pack(pack) == []
