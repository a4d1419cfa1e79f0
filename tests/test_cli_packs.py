"""CLI: packs, pack check/new, plugins; and errors never end in a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.cli.main import cli
from kommunal_digital.plugins import describe_plugins


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def test_packs_lists_every_registered_pack() -> None:
    packs = kd.load_installation().packs
    status, out, _ = run("packs")
    assert status == 0
    for name, pack in packs.items():
        row = next(line for line in out.splitlines() if f" {name} " in line)
        assert pack.manifest.title in row
        assert pack.manifest.version in row
    status, out, _ = run("packs", "--json")
    assert status == 0
    data = json.loads(out)
    assert data["disabled"] == []
    rows = data["packs"]
    assert [row["name"] for row in rows] == sorted(packs)
    rlp = next(row for row in rows if row["name"] == "rlp")
    assert rlp == {
        "name": "rlp",
        "version": packs["rlp"].manifest.version,
        "title": packs["rlp"].manifest.title,
        "region": "Rheinland-Pfalz",
        "extends": "base",
        "plugin": "kommunal_digital.builtin",
    }
    thueringen = next(row for row in rows if row["name"] == "thueringen")
    assert thueringen["plugin"] == "thueringen"


def test_plugins_json_matches_the_library() -> None:
    status, out, _ = run("plugins", "--json")
    assert status == 0
    rows = json.loads(out)
    installation = kd.load_installation()
    assert [(r["name"], r["version"] or "-", r["hooks"]) for r in rows] == [
        (name, version, hooks) for name, version, hooks in describe_plugins(installation.plugins)
    ]
    by_name = {row["name"]: row for row in rows}
    assert by_name["kommunal_digital.builtin"]["distribution"] == "kommunal-digital"
    assert all(row["disabled"] is None for row in rows)


def test_pack_new_then_check(tmp_path: Path) -> None:
    status, out, _ = run("pack", "new", "lindenau", "--dir", str(tmp_path))
    assert status == 0
    root = tmp_path / "lindenau"
    assert out == f"created {root}; check it with: kommunal-digital pack check {root}\n"
    status, out, _ = run("pack", "check", str(root))
    assert (status, out) == (0, "lindenau: no problems found\n")
    (root / "pack.toml").write_text("[pack]\nname = 'lindenau'\n", encoding="utf-8")
    status, out, err = run("pack", "check", str(root))
    assert status == 1
    assert out
    assert err.startswith("lindenau: ")


def test_unwritable_output_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "datei"
    blocker.write_text("x", encoding="utf-8")
    source = kd.dump_strategy(kd.demo_strategy(), tmp_path / "strategy.yaml")
    status, _, err = run("calendar", str(source), "--out", str(blocker / "k.ics"))
    assert status == 1
    assert err.startswith("error: ")
    assert "Traceback" not in err
