"""CLI: build and render, with failures, overwriting and JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.authoring import new_pack
from kommunal_digital.cli.main import cli
from kommunal_digital.packs import bundled_packs_dir

from .docx_reading import docx_text


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    return kd.dump_strategy(kd.demo_strategy(), tmp_path / "strategy.yaml")


def digitalstrategie_only_pack(parent: Path) -> Path:
    """A pack with a Digitalstrategie template only: ``pack new`` without the base pack.

    It ships its own copy of the Digicheck, which the demo's maturity check
    needs and which new packs otherwise inherit from ``base``.
    """
    pack = new_pack("lindenau", parent)
    manifest = pack / "pack.toml"
    text = manifest.read_text(encoding="utf-8")
    assert 'extends = "base"\n' in text
    text = text.replace('extends = "base"\n', "")
    text = text.replace("[data]\n", '[data]\nquestionnaires = "questionnaires.yaml"\n', 1)
    manifest.write_text(text, encoding="utf-8")
    digicheck = bundled_packs_dir() / "base" / "questionnaires.yaml"
    shutil.copyfile(digicheck, pack / "questionnaires.yaml")
    return pack


def expected_count(strategy: kd.Strategy, workspace: kd.Workspace) -> int:
    """One document per strategy-wide type, one per measure for per-measure types."""
    types = workspace.document_types.values()
    return sum(len(strategy.measures) if t.per_measure else 1 for t in types)


def test_build_writes_every_document_and_lists_it(
    demo_file: Path, tmp_path: Path, workspace: kd.Workspace
) -> None:
    out = tmp_path / "out"
    status, text, err = run(
        "build", str(demo_file), "--out", str(out), "--format", "json", "--no-pictures"
    )
    assert (status, err) == (0, "")
    written = [Path(line.removeprefix("wrote ")) for line in text.splitlines()[:-1]]
    assert all(line.startswith("wrote ") for line in text.splitlines()[:-1])
    assert all(path.is_file() for path in written)
    assert sorted(written) == sorted(out.rglob("*.json"))
    assert len(written) == expected_count(kd.demo_strategy(), workspace)
    version = workspace.pack.manifest.version
    assert text.splitlines()[-1] == (
        f"strategy.yaml: {len(written)} document(s) and 0 picture(s) in {out} "
        f"with the pack rlp {version}, 0 failed"
    )


def test_build_json_and_dated_documents(
    demo_file: Path, tmp_path: Path, workspace: kd.Workspace
) -> None:
    out = tmp_path / "out"
    status, text, _ = run(
        "build",
        str(demo_file),
        "--out",
        str(out),
        "--type",
        "beschlussvorlage",
        "--format",
        "json",
        "--date",
        "2027-03-04",
        "--json",
    )
    assert status == 0
    data = json.loads(text)
    assert set(data) == {"out_dir", "pack", "ok", "documents", "pictures", "failures"}
    assert data["pack"] == {"name": "rlp", "version": workspace.pack.manifest.version}
    assert data["ok"] is True
    assert data["documents"] == [str(out / "Beschlussvorlage.json")]
    assert all(Path(p).parent == out / "Bilder" for p in data["pictures"])
    assert data["pictures"]
    context = json.loads((out / "Beschlussvorlage.json").read_text(encoding="utf-8"))
    assert context["document"]["date"] == "2027-03-04"


def test_build_lists_failed_documents_and_writes_the_others(
    demo_file: Path, tmp_path: Path
) -> None:
    pack = digitalstrategie_only_pack(tmp_path)
    out = tmp_path / "out"
    args = ["build", str(demo_file), "--out", str(out), "--pack", str(pack), "--no-pictures"]
    status, text, err = run(*args, "--type", "digitalstrategie,organigramm")
    assert status == 1
    assert text.splitlines()[0] == f"wrote {out / 'Digitalstrategie.docx'}"
    assert "Verbandsgemeinde Eichenberg" in docx_text(out / "Digitalstrategie.docx")
    assert err == (
        "error: organigramm (docx): lindenau: no template for document type 'organigramm' "
        "(available: digitalstrategie)\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["Digitalstrategie.docx"]
    status, text, err = run(*args, "--type", "organigramm", "--json", "--force")
    assert status == 1
    failures = json.loads(text)["failures"]
    assert [(f["document_type"], f["output_format"], f["measure"]) for f in failures] == [
        ("organigramm", "docx", None)
    ]
    assert "no template" in err


def test_build_strict_writes_nothing(demo_file: Path, tmp_path: Path) -> None:
    pack = digitalstrategie_only_pack(tmp_path)
    out = tmp_path / "out"
    status, _, err = run(
        "build",
        str(demo_file),
        "--out",
        str(out),
        "--pack",
        str(pack),
        "--type",
        "digitalstrategie,organigramm",
        "--no-pictures",
        "--strict",
    )
    assert status == 1
    assert "1 document(s) failed, nothing written" in err
    assert not out.exists() or not any(out.iterdir())


def test_build_refuses_to_overwrite(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["build", str(demo_file), "--out", str(out), "--type", "organigramm", "--no-pictures"]
    assert run(*args)[0] == 0
    before = (out / "Organigramm.docx").read_bytes()
    status, text, err = run(*args, "--date", "2030-01-01")
    assert status == 1
    assert text == ""
    assert err.endswith(
        f"error: {out / 'Organigramm.docx'}: exist(s) already; pass --force to overwrite\n"
    )
    # On 1 January 2030 the demo's OZG deadline (end of 2028) has passed: said first.
    assert "warning: strategy.yaml: the legal deadline 2028-12-31" in err
    assert (out / "Organigramm.docx").read_bytes() == before
    assert run(*args, "--force")[0] == 0


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--type", "haushaltsplan", "error: unknown document type 'haushaltsplan'"),
        ("--format", "odt", "error: unknown output format 'odt'"),
        ("--pack", "gibtsnicht", "error: no pack named 'gibtsnicht' is registered"),
    ],
)
def test_build_unknown_names_are_errors(
    demo_file: Path, tmp_path: Path, option: str, value: str, message: str
) -> None:
    status, _, err = run("build", str(demo_file), "--out", str(tmp_path / "o"), option, value)
    assert status == 1
    assert err.startswith(message)


def test_a_malformed_date_is_a_usage_error(demo_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["build", str(demo_file), "--out", str(tmp_path), "--date", "4.3.2027"]
    )
    assert result.exit_code == 2
    assert "'4.3.2027' does not match the format '%Y-%m-%d'" in result.stderr


def test_render_a_steckbrief_as_markdown(demo_file: Path, tmp_path: Path) -> None:
    strategy = kd.demo_strategy()
    measure = strategy.measures[1]
    out = tmp_path / "steckbrief.md"
    status, text, _ = run(
        "render",
        str(demo_file),
        "--out",
        str(out),
        "--type",
        "steckbrief",
        "--measure",
        measure.key,
    )
    assert status == 0
    assert text == f"wrote {out}\n"
    assert measure.title in out.read_text(encoding="utf-8")
    status, _, err = run("render", str(demo_file), "--out", str(out), "--type", "steckbrief")
    assert status == 1
    assert err.startswith("error: ")


def test_render_format_option_overrides_the_suffix(demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "kontext.txt"
    status, _, _ = run("render", str(demo_file), "--out", str(out), "--format", "json")
    assert status == 0
    assert json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_outside_what_the_model_takes_is_refused(
    demo_file: Path, tmp_path: Path, day: str
) -> None:
    code, out, err = run("build", str(demo_file), "--out", str(tmp_path / "o"), "--date", day)
    assert code == 2
    assert f"Invalid value for '--date': {day} is outside 1900-01-01 to 2199-12-31" in err + out
    assert "Traceback" not in err + out
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("choice", "suffixes"), [("png", {".png"}), ("png,svg", {".png", ".svg"}), ("none", set())]
)
def test_pictures_are_written_in_the_formats_asked_for(
    demo_file: Path, tmp_path: Path, choice: str, suffixes: set[str]
) -> None:
    out = tmp_path / "o"
    code, _, err = run(
        "build", str(demo_file), "--out", str(out), "--type", "organigramm", "--pictures", choice
    )
    assert code == 0, err
    written = {p.suffix for p in (out / "Bilder").iterdir()} if (out / "Bilder").exists() else set()
    assert written == suffixes
    assert (out / "Organigramm.docx").exists()
