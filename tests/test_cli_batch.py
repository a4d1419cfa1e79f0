"""CLI: ``batch`` with its summary table, failures and JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.authoring import starter_strategy
from kommunal_digital.cli.main import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def small(name: str, workspace: kd.Workspace) -> kd.Strategy:
    municipality = kd.Municipality(name, kd.MunicipalityKind.GEMEINDE, "Rheinland-Pfalz")
    return starter_strategy(
        workspace,
        municipality,
        start=dt.date(2027, 1, 1),
        fields=["kommunale_verwaltung"],
        entries_per_field=1,
    )


@pytest.fixture
def sources(tmp_path: Path, workspace: kd.Workspace) -> Path:
    folder = tmp_path / "kommunen"
    folder.mkdir()
    kd.dump_strategy(small("Gemeinde Ahorn", workspace), folder / "a.yaml")
    (folder / "b.yaml").write_text("schema_version: 1\nmunicipality: 5\n", encoding="utf-8")
    return folder


def test_batch_reports_each_municipality_and_every_failure(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    status, text, err = run(
        "batch", str(sources), "--out", str(out), "--format", "json", "--threads", "--workers", "2"
    )
    assert status == 1
    rows = [line for line in text.splitlines() if "a.yaml" in line or "b.yaml" in line]
    assert len(rows) == 2
    assert "Gemeinde Ahorn" in rows[0]
    assert " ok " in rows[0]
    assert "fehlgeschlagen" in rows[1]
    assert text.splitlines()[-1].startswith("1 of 2 strategies built")
    assert "Strategien" in err  # the progress bar's last state
    failures = [line for line in err.splitlines() if line.startswith("error: ")]
    assert failures == [
        f"error: {sources / 'b.yaml'}: municipality: "
        "expected a mapping of the fields of Municipality, got 5"
    ]
    documents = sorted((out / "gemeinde-ahorn").rglob("*.json"))
    assert documents
    assert not (out / "b").exists()


def test_batch_json(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    status, text, _ = run(
        "batch",
        str(sources / "a.yaml"),
        "--out",
        str(out),
        "--format",
        "json",
        "--threads",
        "--json",
    )
    assert status == 0
    data = json.loads(text)
    assert set(data) == {"out_dir", "seconds", "ok", "failed", "items"}
    assert (data["ok"], data["failed"]) == (1, 0)
    (item,) = data["items"]
    assert set(item) == {
        "source",
        "status",
        "municipality",
        "out_dir",
        "documents",
        "error",
        "warnings",
        "seconds",
    }
    assert (item["status"], item["municipality"]) == ("ok", "Gemeinde Ahorn")
    assert sorted(item["documents"]) == sorted(
        str(p) for p in (out / "gemeinde-ahorn").rglob("*.json")
    )


def test_batch_refuses_a_folder_among_files(sources: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["batch", str(sources), str(sources / "a.yaml"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "give either one folder or a list of strategy files" in result.stderr


def test_batch_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "nix.yaml"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_batch_warns_per_file_about_what_its_documents_cannot_say(tmp_path: Path) -> None:
    folder = tmp_path / "kommunen"
    folder.mkdir()
    municipality = kd.Municipality("Gemeinde Birke", kd.MunicipalityKind.GEMEINDE, "Hessen")
    fields_only = kd.Strategy(
        municipality=municipality,
        action_fields=(kd.ActionField("verwaltung", "Kommunale Verwaltung"),),
    )
    kd.dump_strategy(fields_only, folder / "birke.yaml")
    out = tmp_path / "out"
    status, text, err = run(
        "batch", str(folder), "--out", str(out), "--format", "json", "--threads", "--json"
    )
    assert status == 0
    (item,) = json.loads(text)["items"]
    assert any("no measures" in warning for warning in item["warnings"])
    assert "warning: birke.yaml: the strategy has no measures" in err
