"""CLI: every command works in the pack the strategy records, unless --pack says otherwise."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import attrs
import click
import pytest
from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.cli.main import COMMANDS, cli
from tests.docx_reading import docx_text


def run(args: list[str | Path]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def thueringen_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("init") / "erfurt-land"
    code, out, err = run(
        [
            "init",
            "--yes",
            "--name",
            "Gemeinde Erfurt-Land",
            "--pack",
            "thueringen",
            "--start",
            "2027-01-01",
            "--out",
            folder,
        ]
    )
    assert code == 0, err
    assert "records the pack thueringen" in out
    return folder / "strategy.yaml"


def test_init_records_the_pack_and_its_version(thueringen_project: Path) -> None:
    strategy = kd.load_strategy(thueringen_project)
    installed = kd.load_installation().packs["thueringen"]
    assert strategy.pack == kd.PackReference("thueringen", installed.manifest.version)
    assert strategy.roadmap_preset == "thueringen-smarte-kommune"
    assert "pack:" in thueringen_project.read_text("utf-8")


def test_plan_and_build_use_the_recorded_pack_without_pack_option(
    thueringen_project: Path, tmp_path: Path
) -> None:
    planned = tmp_path / "geplant.yaml"
    code, _, err = run(["plan", thueringen_project, "--out", planned])
    assert code == 0, err
    strategy = kd.load_strategy(planned)
    assert strategy.roadmap is not None
    thueringen = kd.open_workspace("thueringen").roadmap_presets["thueringen-smarte-kommune"]
    assert [p.title for p in strategy.roadmap.phases] == [p.title for p in thueringen.phases]
    code, out, err = run(["build", planned, "--out", tmp_path / "docs", "--json"])
    assert code == 0, err
    data = json.loads(out)
    assert data["pack"]["name"] == "thueringen"
    plan_text = docx_text(tmp_path / "docs" / "Vorgehensplan.docx")
    assert thueringen.phases[0].title in plan_text
    # The organisation is the Thüringen core-team model the pack proposes.
    assert "Themenpate" in docx_text(tmp_path / "docs" / "Organigramm.docx")


def test_pack_option_overrides_the_recorded_pack(thueringen_project: Path, tmp_path: Path) -> None:
    code, out, err = run(
        ["build", thueringen_project, "--out", tmp_path / "docs", "--pack", "rlp", "--json"]
    )
    assert code == 0, err
    assert json.loads(out)["pack"]["name"] == "rlp"
    code, out, _ = run(["validate", thueringen_project, "--pack", "rlp", "--json"])
    codes = [d["code"] for d in json.loads(out)["diagnostics"]]
    assert "pack.other" in codes
    code, out, _ = run(["validate", thueringen_project, "--json"])
    assert code == 0
    assert "pack.other" not in [d["code"] for d in json.loads(out)["diagnostics"]]


def test_a_file_without_pack_still_loads_and_uses_the_default(tmp_path: Path) -> None:
    demo = kd.demo_strategy(planned=False)
    text = kd.dumps_strategy(demo)
    assert "\npack:" not in text  # the shipped demo file records no pack
    old = tmp_path / "alt.yaml"
    old.write_text(text, "utf-8")
    assert kd.load_strategy(old).pack is None
    code, out, err = run(
        ["build", old, "--out", tmp_path / "docs", "--type", "steckbrief", "--json"]
    )
    assert code == 0, err
    assert json.loads(out)["pack"]["name"] == "rlp"


def test_an_unknown_recorded_pack_is_one_clear_error(tmp_path: Path) -> None:
    demo = kd.demo_strategy(planned=False)
    moved = tmp_path / "fremd.yaml"
    kd.dump_strategy(attrs.evolve(demo, pack=kd.PackReference("hessen", "1.0")), moved)
    code, out, err = run(["build", moved, "--out", tmp_path / "docs"])
    assert code == 1
    assert "made with the pack 'hessen' 1.0, which is not installed" in err
    assert "Traceback" not in out + err


def test_every_listed_command_loads_under_its_name() -> None:
    context = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(context, name)
        assert command is not None
        assert command.name == name
        assert command.short_help == COMMANDS[name][1]
    assert cli.get_command(context, "gibt-es-nicht") is None


def test_help_lists_the_commands_without_importing_them() -> None:
    code = (
        "import sys; from kommunal_digital.cli.main import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('kommunal_digital')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = result.stdout.strip().splitlines()[-1]
    assert "commands_" not in loaded
    assert "kommunal_digital.model" not in loaded
    for name, (_, short_help) in COMMANDS.items():
        assert f"{name}" in result.stdout
        assert short_help in result.stdout


PACK_TOML = """\
[pack]
name = "kreis-ost"
version = "2.0"
title = "Digitalbüro Kreis Ost"
kommunal_digital = ">=0.1,<0.2"
extends = "base"

[data]
action_fields = "fields.yaml"
catalogue = "catalogue.yaml"
organigram_presets = "organigram.yaml"
roadmap_presets = "roadmap.yaml"
questionnaires = "questionnaires.yaml"

[defaults]
organigram_preset = "kreis-ost-team"
roadmap_preset = "kreis-ost-weg"
"""

PACK_FILES = {
    "fields.yaml": "action_fields:\n  - key: verwaltung\n    title: Verwaltung\n",
    "catalogue.yaml": (
        "entries:\n  - key: e-akte\n    title: E-Akte einführen\n    action_field: verwaltung\n"
        "    one_off: {low: 1000, high: 3000}\n    yearly: {low: 100, high: 300}\n"
        "    duration_months: 6\n"
    ),
    "organigram.yaml": (
        "presets:\n  - key: kreis-ost-team\n    title: Team des Digitalbüros\n    roles:\n"
        "      - {key: landrat, title: Landrat/Landrätin, kind: mayor}\n"
        "      - {key: buero, title: Digitalbüro Kreis Ost, kind: staff_unit}\n"
        '      - {key: "lotse-{field}", title: "Lotse {field_title}", kind: pilot,\n'
        "         per_field: true}\n"
        "    relations:\n      - {source: buero, target: landrat, kind: reports_to}\n"
        '      - {source: "lotse-{field}", target: buero, kind: reports_to}\n'
    ),
    "roadmap.yaml": (
        "presets:\n  - key: kreis-ost-weg\n    title: Weg des Kreises\n    phases:\n"
        "      - key: start\n        title: Start im Kreis Ost\n        months: 3\n"
        "        tasks:\n          - what: Auftakt im Kreistag\n            due_month: 1\n"
    ),
    "questionnaires.yaml": (
        "questionnaires:\n  - key: kreischeck\n    title: Kreischeck\n"
        "    dimension_titles: {strategie: Strategie}\n    questions:\n"
        "      - key: strategie-ziele\n        dimension: strategie\n"
        "        text: Gibt es Ziele?\n"
    ),
}


def test_init_from_a_zipped_pack_uses_its_presets_without_a_plugin(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "kreis-ost.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("kreis-ost/pack.toml", PACK_TOML)
        for name, text in PACK_FILES.items():
            zipped.writestr(f"kreis-ost/{name}", text)
    folder = tmp_path / "projekt"
    args: list[str | Path] = ["init", "--yes", "--name", "Landkreis Ost", "--land", "Brandenburg"]
    code, out, err = run([*args, "--pack", archive, "--out", folder])
    assert code == 0, err
    strategy = kd.load_strategy(folder / "strategy.yaml")
    assert strategy.pack == kd.PackReference("kreis-ost", "2.0")
    assert strategy.roadmap_preset == "kreis-ost-weg"
    assert strategy.organigram is not None
    assert {r.key for r in strategy.organigram.roles} == {"landrat", "buero", "lotse-verwaltung"}
    assert strategy.roadmap is not None
    assert [p.title for p in strategy.roadmap.phases] == ["Start im Kreis Ost"]
    workspace = kd.open_workspace(archive)
    assert "kreischeck" in workspace.questionnaires
    assert "digicheck" in workspace.questionnaires  # inherited from base
    # Later commands name the unregistered pack again.
    code, out, err = run(["validate", folder / "strategy.yaml", "--pack", archive, "--json"])
    assert code == 0, err
    assert "pack.other" not in [d["code"] for d in json.loads(out)["diagnostics"]]


def test_fields_without_measures_are_named_by_validate_and_build(tmp_path: Path) -> None:
    demo = kd.demo_strategy(planned=False)
    field = demo.chosen_fields[0]
    thin = attrs.evolve(
        demo,
        measures=tuple(m for m in demo.measures if m.action_field != field.key),
        profiles=(),
        ranking=None,
        schedule=None,
        roadmap=None,
        progress_history=(),
    )
    path = kd.dump_strategy(thin, tmp_path / "duenn.yaml")
    code, out, _ = run(["validate", path, "--json"])
    assert code == 0
    (found,) = [d for d in json.loads(out)["diagnostics"] if d["code"].startswith("content.")]
    assert found["code"] == "content.field-without-measures"
    assert field.title in found["message"]
    code, _, err = run(["build", path, "--out", tmp_path / "docs", "--format", "json"])
    assert code == 0
    assert f"warning: duenn.yaml: the chosen action field {field.title!r} has no measures" in err
    empty = attrs.evolve(thin, measures=())
    report = kd.check(empty, kd.open_workspace(entry_points=False))
    assert [d.code for d in report if d.code.startswith("content.")] == ["content.no-measures"]
