"""CLI for joint strategies (issue 17): ``render --partner`` and ``init --partner``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.cli.commands_init import parse_partner
from kommunal_digital.cli.main import cli

from .test_joint_strategy import joint_strategy


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def joint_file(tmp_path: Path) -> Path:
    return kd.dump_strategy(joint_strategy(), tmp_path / "strategy.yaml")


def test_render_partner_writes_that_partners_vorlage(joint_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "nord.md"
    code, stdout, _ = run(
        "render", str(joint_file), "--type", "beschlussvorlage", "--partner", "nord",
        "--out", str(out), "--date", "2026-12-04",
    )  # fmt: skip
    assert code == 0, stdout
    assert f"wrote {out}" in stdout
    text = out.read_text(encoding="utf-8")
    assert "Verbandsgemeinde Nord" in text
    assert "Der Verbandsgemeinderat beschließt" in text


def test_render_vorlage_of_a_joint_strategy_needs_the_partner(
    joint_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "vorlage.md"
    code, _, stderr = run(
        "render", str(joint_file), "--type", "beschlussvorlage", "--out", str(out),
    )  # fmt: skip
    assert code == 1
    assert "name the partner" in stderr
    assert "adorf, nord, sued" in stderr
    assert not out.exists()
    code, _, stderr = run(
        "render", str(joint_file), "--type", "beschlussvorlage", "--partner", "west",
        "--out", str(out),
    )  # fmt: skip
    assert code == 1
    assert "no partner 'west'" in stderr


def test_init_partner_starts_a_joint_strategy(tmp_path: Path) -> None:
    out = tmp_path / "gemeinsam"
    code, stdout, stderr = run(
        "init", "--yes", "--name", "Stadt Adorf", "--out", str(out),
        "--partner", "adorf=stadt:Stadt Adorf",
        "--partner", "nord=Verbandsgemeinde Nord",
        "--partner", "sued=unbekannt:Süd",
    )  # fmt: skip
    assert code == 0, stdout + stderr
    strategy = kd.load_strategy(out / "strategy.yaml")
    assert [(p.key, p.kind, p.name) for p in strategy.partners] == [
        ("adorf", kd.MunicipalityKind.STADT, "Stadt Adorf"),
        ("nord", kd.MunicipalityKind.VERBANDSGEMEINDE, "Verbandsgemeinde Nord"),
        ("sued", kd.MunicipalityKind.UNBEKANNT, "Süd"),
    ]
    assert strategy.cost_sharing is kd.model.ShareBasis.EQUAL
    assert "A joint strategy of 3 partners (adorf, nord, sued)" in stdout
    assert "--partner KEY" in stdout
    assert "not among the partners" not in stderr


def test_init_partner_notes_a_municipality_left_out(tmp_path: Path) -> None:
    code, _, stderr = run(
        "init", "--yes", "--name", "Stadt Adorf", "--out", str(tmp_path / "s"),
        "--partner", "nord=verbandsgemeinde:VG Nord",
    )  # fmt: skip
    assert code == 0
    assert "Stadt Adorf is not among the partners" in stderr


@pytest.mark.parametrize(
    ("partners", "message"),
    [
        (["nord"], "expected KEY=KIND:NAME"),
        (["Nord=VG Nord"], "'Nord' is not a valid key"),
        (["nord=stadt:"], "expected KEY=KIND:NAME"),
        (["nord=VG Nord", "nord=VG Süd"], "partner key(s) nord are given twice"),
        (["a=VG Nord", "b=VG Nord"], "partner name(s) VG Nord are given twice"),
    ],
)
def test_init_partner_usage_errors(tmp_path: Path, partners: list[str], message: str) -> None:
    args = ["init", "--yes", "--name", "Stadt Adorf", "--out", str(tmp_path / "s")]
    for partner in partners:
        args += ["--partner", partner]
    code, _, stderr = run(*args)
    assert code == 2
    assert message in stderr
    assert not (tmp_path / "s").exists()


def test_a_name_with_a_colon_that_is_no_kind_stays_whole() -> None:
    assert parse_partner("bz=Zweckverband: Digitale Dörfer") == (
        "bz",
        "unbekannt",
        "Zweckverband: Digitale Dörfer",
    )
    assert parse_partner(" vg = VG Nord ") == ("vg", "verbandsgemeinde", "VG Nord")


def test_an_init_joint_strategy_builds_one_vorlage_per_partner(tmp_path: Path) -> None:
    out = tmp_path / "gemeinsam"
    code, stdout, _ = run(
        "init", "--yes", "--name", "Stadt Adorf", "--out", str(out),
        "--partner", "adorf=stadt:Stadt Adorf", "--partner", "nord=Verbandsgemeinde Nord",
    )  # fmt: skip
    assert code == 0, stdout
    for key, council in (("adorf", "Stadtrat"), ("nord", "Verbandsgemeinderat")):
        target = tmp_path / f"{key}.md"
        code, stdout, stderr = run(
            "render", str(out / "strategy.yaml"), "--type", "beschlussvorlage",
            "--partner", key, "--out", str(target),
        )  # fmt: skip
        assert code == 0, stdout + stderr
        assert f"Der {council} beschließt" in target.read_text(encoding="utf-8")
