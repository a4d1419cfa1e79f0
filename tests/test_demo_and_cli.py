from pathlib import Path

from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.cli.main import cli

from .docx_reading import docx_text


def test_demo_strategy_shape() -> None:
    strategy = kd.demo_strategy()
    assert strategy.municipality.kind is kd.MunicipalityKind.VERBANDSGEMEINDE
    assert len(strategy.municipality.members) == 2
    assert len(strategy.chosen_fields) == 4
    assert 10 <= len(strategy.measures) <= 14
    assert len(strategy.profiles) == 2
    assert any(m.depends_on for m in strategy.measures)
    for profile in strategy.profiles:
        assert profile.result
        assert profile.target_group
        assert profile.lead
        assert profile.tasks
        assert profile.milestones
        assert profile.stakeholders


def test_demo_fields_are_the_rlp_fields(workspace: kd.Workspace) -> None:
    assert workspace.pack.name == "rlp"
    rlp = {f.key: f.title for f in workspace.action_fields.values()}
    demo = {f.key: f.title for f in kd.demo_strategy().action_fields}
    assert demo == rlp


def test_write_demo_writes_strategy_and_document(tmp_path: Path) -> None:
    result = kd.write_demo(tmp_path)
    assert kd.load_strategy(result.strategy_file) == kd.demo_strategy()
    assert "Verbandsgemeinde Eichenberg" in docx_text(result.documents[0])


def test_write_demo_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "strategy.yaml").write_text("mine", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "exist" in result.output
    assert (tmp_path / "strategy.yaml").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "Digitalstrategie.docx").exists()


def test_cli_demo_then_validate_then_render(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Digitalstrategie.docx" in result.output
    result = runner.invoke(cli, ["validate", str(tmp_path / "strategy.yaml")])
    assert result.exit_code == 0
    assert "valid: Verbandsgemeinde Eichenberg, 4 action fields" in result.output
    out = tmp_path / "again.docx"
    result = runner.invoke(cli, ["render", str(tmp_path / "strategy.yaml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Verbandsgemeinde Eichenberg" in docx_text(out)


def test_cli_validate_reports_file_and_path(tmp_path: Path) -> None:
    bad = tmp_path / "strategy.yaml"
    text = kd.dumps_strategy(kd.demo_strategy()).replace(
        "kind: verbandsgemeinde", "kind: bundesland", 1
    )
    bad.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "strategy.yaml: municipality.kind: expected one of" in result.output


def test_cli_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert kd.__version__ in result.output


def test_cli_plan_writes_schedule_and_reports_unplaced(
    tmp_path: Path, workspace: kd.Workspace
) -> None:
    source = tmp_path / "strategy.yaml"
    kd.dump_strategy(kd.demo_strategy(planned=False), source)
    out = tmp_path / "planned.yaml"
    result = CliRunner().invoke(cli, ["plan", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    planned = kd.load_strategy(out)
    assert planned.schedule is not None
    assert f"{len(planned.schedule.placed)} measures placed" in result.output
    assert planned == kd.plan(kd.demo_strategy(planned=False), workspace)


def test_cli_plan_without_limits_fails_clearly(tmp_path: Path) -> None:
    import attrs

    source = tmp_path / "strategy.yaml"
    kd.dump_strategy(attrs.evolve(kd.demo_strategy(planned=False), limits=None), source)
    result = CliRunner().invoke(cli, ["plan", str(source)])
    assert result.exit_code == 1
    assert "no 'limits'" in result.output


def test_cli_rank_check_and_charts(tmp_path: Path) -> None:
    import attrs

    runner = CliRunner()
    source = tmp_path / "strategy.yaml"
    kd.dump_strategy(kd.demo_strategy(planned=False), source)
    result = runner.invoke(cli, ["rank", str(source), "--sensitivity"])
    assert result.exit_code == 0, result.output
    assert "ranked with 'gesetz-zuerst'" in result.output
    assert "  1. OZG-Leistungen online anbieten" in result.output
    assert "weight of" in result.output or "stays the same" in result.output
    assert kd.load_strategy(source).ranking is not None

    result = runner.invoke(cli, ["rank", str(source), "--rule", "unbekannt"])
    assert result.exit_code == 1
    assert "unknown ranking rule 'unbekannt'" in result.output

    result = runner.invoke(cli, ["check", str(source)])
    assert result.exit_code == 0, result.output
    assert "strategy.yaml: 0 findings, 0 error(s)" in result.output
    demo = kd.demo_strategy(planned=False)
    assert demo.organigram is not None
    roles = tuple(r for r in demo.organigram.roles if r.key != "lotse-bildung")
    relations = tuple(
        r for r in demo.organigram.relations if "lotse-bildung" not in (r.source, r.target)
    )
    broken = tmp_path / "broken.yaml"
    kd.dump_strategy(
        attrs.evolve(demo, organigram=kd.Organigram(roles=roles, relations=relations)), broken
    )
    result = runner.invoke(cli, ["check", str(broken)])
    # A field without its Digitallotse is a warning by default (a pack may make it an error).
    assert result.exit_code == 0, result.output
    assert "Warnung: [pilot-per-field]" in result.output
    unknown_owner = attrs.evolve(
        demo,
        measures=(attrs.evolve(demo.measures[0], owner_role="gibt-es-nicht"), *demo.measures[1:]),
    )
    kd.dump_strategy(unknown_owner, broken, force=True)
    result = runner.invoke(cli, ["check", str(broken)])
    assert result.exit_code == 1
    assert "Fehler: [owner-roles]" in result.output

    out = tmp_path / "bilder"
    result = runner.invoke(cli, ["charts", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "Organigramm.svg").is_file()
    assert (out / "Stakeholder-Matrix.png").is_file()
    result = runner.invoke(cli, ["charts", str(source), "--out", str(out)])
    assert result.exit_code == 1
    assert "exists already" in result.output
