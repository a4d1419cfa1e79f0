"""CLI: ``init`` asks its questions or takes them from options."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.authoring import starter_strategy
from kommunal_digital.cli import commands_init
from kommunal_digital.cli.commands_init import parse_fields
from kommunal_digital.cli.main import cli
from kommunal_digital.io import import_workbook
from kommunal_digital.model import MunicipalityKind


@pytest.fixture(scope="module")
def rlp_fields(workspace: kd.Workspace) -> list[kd.ActionField]:
    """The action fields of the default pack rlp, in the order init lists them."""
    assert workspace.pack.name == "rlp"
    return list(workspace.action_fields.values())


def invoke(args: list[str], answers: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, input=answers)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def test_interactive_init_asks_and_writes_the_strategy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rlp_fields: list[kd.ActionField]
) -> None:
    monkeypatch.chdir(tmp_path)
    # name, kind (default from the name), pack (default), Land (default), inhabitants,
    # fields (numbers and a key), folder (default from the name)
    answers = "Stadt Bergheim\n\n\n\n12.500\n1,3,tourismus\n\n"
    status, out, _ = invoke(["init", "--start", "2027-01-01"], answers)
    assert status == 0, out
    assert (
        "Kind (gemeinde, stadt, verbandsgemeinde, kreis, verwaltungsgemeinschaft, amt, "
        "unbekannt) [stadt]:"
    ) in out
    assert "Bundesland [Rheinland-Pfalz]:" in out
    assert f"   3  {rlp_fields[2].key:<24} {rlp_fields[2].title}" in out
    assert "Folder to create [stadt-bergheim]:" in out
    strategy = kd.load_strategy(tmp_path / "stadt-bergheim" / "strategy.yaml")
    assert strategy.municipality == kd.Municipality(
        "Stadt Bergheim", kd.MunicipalityKind.STADT, "Rheinland-Pfalz", population=12500
    )
    assert [f.key for f in strategy.chosen_fields] == [
        rlp_fields[0].key,
        rlp_fields[2].key,
        "tourismus",
    ]
    assert f"kommunal-digital validate {Path('stadt-bergheim', 'strategy.yaml')}" in out


def test_interactive_init_asks_again_after_a_wrong_answer(
    tmp_path: Path, rlp_fields: list[kd.ActionField]
) -> None:
    folder = tmp_path / "neu"
    answers = "Gemeinde Lindenau\n\n\n\n\n99,schwimmbad\n2\n"
    status, out, _ = invoke(["init", "--out", str(folder)], answers)
    assert status == 0, out
    assert "'99' is not one of the numbers 1-9 or a key" in out
    strategy = kd.load_strategy(folder / "strategy.yaml")
    assert [f.key for f in strategy.chosen_fields] == [rlp_fields[1].key]
    assert strategy.municipality.population is None


def test_init_without_questions_is_the_starter_strategy(
    tmp_path: Path, workspace: kd.Workspace
) -> None:
    folder = tmp_path / "vg"
    args = [
        "init",
        "--yes",
        "--name",
        "Verbandsgemeinde Lindenau",
        "--land",
        "Rheinland-Pfalz",
        "--population",
        "8000",
        "--pack",
        "rlp",
        "--fields",
        "kommunale_verwaltung,alltagsleben",
        "--out",
        str(folder),
        "--start",
        "2027-04-01",
        "--workbook",
    ]
    status, out, _ = invoke(args)
    assert status == 0
    municipality = kd.Municipality(
        "Verbandsgemeinde Lindenau",
        kd.MunicipalityKind.VERBANDSGEMEINDE,
        "Rheinland-Pfalz",
        population=8000,
    )
    expected = starter_strategy(
        workspace,
        municipality,
        start=dt.date(2027, 4, 1),
        fields=["kommunale_verwaltung", "alltagsleben"],
    )
    assert kd.load_strategy(folder / "strategy.yaml") == expected
    assert expected.pack == kd.PackReference("rlp", workspace.pack.manifest.version)
    assert import_workbook(folder / "Workshop.xlsx") == expected
    assert out.splitlines()[:2] == [
        f"wrote {folder / 'strategy.yaml'}",
        f"wrote {folder / 'Workshop.xlsx'}",
    ]


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "strategy.yaml").write_text("mine", encoding="utf-8")
    args = ["init", "--yes", "--name", "Gemeinde G", "--out", str(folder), "--workbook"]
    status, _, err = invoke(args)
    assert status == 1
    assert (
        err == f"error: {folder / 'strategy.yaml'}: exist(s) already; pass --force to overwrite\n"
    )
    assert (folder / "strategy.yaml").read_text(encoding="utf-8") == "mine"
    assert not (folder / "Workshop.xlsx").exists()
    status, _, _ = invoke([*args, "--force"])
    assert status == 0
    assert kd.load_strategy(folder / "strategy.yaml").municipality.name == "Gemeinde G"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--yes"], "--yes needs --name"),
        (["--yes", "--name", "X", "--fields", "nix"], "'nix' is not one of the numbers 1-9"),
        (["--yes", "--name", "X", "--kind", "land"], "'land' is not one of"),
        (["--yes", "--name", "X", "--pack", "base"], "--yes needs an answer for: Bundesland"),
    ],
)
def test_init_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    status, _, err = invoke(["init", "--out", str(tmp_path / "x"), *args])
    assert status == 2
    assert message in err
    assert not (tmp_path / "x").exists()


def test_init_with_an_unknown_pack_is_an_error(tmp_path: Path) -> None:
    status, _, err = invoke(["init", "--yes", "--name", "X", "--pack", "gibtsnicht"])
    assert status == 1
    assert err.startswith("error: no pack named 'gibtsnicht'")


@given(data=st.data())
def test_parse_fields_takes_numbers_and_keys_alike(
    rlp_fields: list[kd.ActionField], data: st.DataObject
) -> None:
    numbers = data.draw(
        st.lists(st.integers(min_value=1, max_value=len(rlp_fields)), min_size=1), label="numbers"
    )
    keys = [rlp_fields[n - 1].key for n in numbers]
    by_number = parse_fields(",".join(map(str, numbers)), rlp_fields)
    by_key = parse_fields(" , ".join(keys), rlp_fields)
    assert by_number == by_key == tuple(dict.fromkeys(keys))


def test_the_kinds_init_offers_are_the_model_kinds() -> None:
    """The command line writes the kinds out to start without the model; they must agree."""
    assert [kind.value for kind in MunicipalityKind] == commands_init._KINDS


def test_the_documented_measure_can_be_added_to_an_init_project(tmp_path: Path) -> None:
    """Follow docs/getting-started.md: init, paste the example measure, validate."""
    docs = Path(__file__).resolve().parents[1] / "docs" / "getting-started.md"
    text = docs.read_text(encoding="utf-8")
    example = text.split("To add a measure of your own", 1)[1].split("```yaml\n", 1)[1]
    example = example.split("```", 1)[0]
    folder = tmp_path / "lindenau"
    args = ["init", "--yes", "--name", "Gemeinde Lindenau", "--out", str(folder)]
    args += ["--fields", "kommunale_verwaltung"]
    assert invoke(args)[0] == 0
    path = folder / "strategy.yaml"
    yaml_text = path.read_text(encoding="utf-8")
    path.write_text(yaml_text.replace("measures:\n", "measures:\n" + example, 1), encoding="utf-8")
    status, out, err = invoke(["validate", str(path)])
    assert (status, err) == (0, "")
    assert out.endswith("strategy.yaml: valid: Gemeinde Lindenau, 1 action field, 4 measures\n")
    assert "[content.unknown-staff] 4 measure(s) have no staff estimate" in out
    assert kd.load_strategy(path).measures[0].key == "buergerportal-termine"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Stadt Bergheim", "stadt"),
        ("VG Lindenau", "verbandsgemeinde"),
        ("Ortsgemeinde Au", "gemeinde"),
        ("Landkreis Südhang", "kreis"),
        ("Amt Seeland", "amt"),
        ("Verwaltungsgemeinschaft Talgrund", "verwaltungsgemeinschaft"),
        ("Lindenau", "unbekannt"),
        ("Markt Holzheim", "unbekannt"),
    ],
)
def test_the_proposed_kind_is_not_guessed(name: str, kind: str) -> None:
    """The first word of the name proposes the kind; a name that names none gives unbekannt."""
    assert commands_init._kind_from_name(name) == kind
