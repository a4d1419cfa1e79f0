"""CLI: validate, rank, plan and check, as text and as JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.authoring import starter_strategy
from kommunal_digital.cli.main import cli
from kommunal_digital.gate import check_readiness
from kommunal_digital.io import export_workbook
from kommunal_digital.model.funding import FundingKind, FundingSource, Operator
from kommunal_digital.organisation import run_checks
from kommunal_digital.ranking import sensitivity

START = dt.date(2027, 1, 1)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.output  # never a traceback
    return result.exit_code, result.stdout, result.stderr


def starter(workspace: kd.Workspace) -> kd.Strategy:
    municipality = kd.Municipality("Gemeinde Lindenau", kd.MunicipalityKind.GEMEINDE, "RLP")
    return starter_strategy(workspace, municipality, start=START)


def with_unknown_owner(strategy: kd.Strategy) -> kd.Strategy:
    """A measure's owner role names no role of the organigram: a governance error."""
    measures = tuple(
        attrs.evolve(m, owner_role="gibt-es-nicht") if index == 0 else m
        for index, m in enumerate(strategy.measures)
    )
    return attrs.evolve(strategy, measures=measures)


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    return kd.dump_strategy(kd.demo_strategy(planned=False), tmp_path / "strategy.yaml")


VALIDATE_KEYS = {
    "file",
    "valid",
    "municipality",
    "action_fields",
    "measures",
    "problems",
    "findings",
    "diagnostics",
    "gate",
}


def test_validate_a_valid_file_prints_one_line(demo_file: Path) -> None:
    status, out, err = run("validate", str(demo_file))
    assert status == 0
    assert (
        out == "strategy.yaml: valid: Verbandsgemeinde Eichenberg, 4 action fields, 12 measures\n"
    )
    assert err == ""


def test_validate_json_of_a_valid_file(demo_file: Path) -> None:
    status, out, _ = run("validate", str(demo_file), "--json")
    assert status == 0
    data = json.loads(out)
    assert set(data) == VALIDATE_KEYS
    assert data["valid"] is True
    assert data["municipality"] == "Verbandsgemeinde Eichenberg"
    assert (data["action_fields"], data["measures"]) == (4, 12)
    assert data["problems"] == data["findings"] == data["diagnostics"] == []
    assert data["gate"] is None


def test_validate_warns_when_pack_overrides_the_recorded_one(tmp_path: Path) -> None:
    path = kd.dump_strategy(kd.demo_strategy(), tmp_path / "strategy.yaml")
    recorded = kd.load_strategy(path).pack
    assert recorded is not None
    assert recorded.name == "rlp"
    status, out, err = run("validate", str(path))
    assert (status, err) == (0, "")
    assert "pack.other" not in out
    status, out, err = run("validate", str(path), "--pack", "base")
    assert (status, err) == (0, "")
    assert out.splitlines()[0] == (
        "Warnung: [pack.other] the strategy was made with the pack 'rlp', "
        "but is checked with 'base' (pack.name)"
    )
    status, out, _ = run("validate", str(path), "--pack", "base", "--json")
    assert status == 0
    data = json.loads(out)
    assert data["valid"] is True
    assert data["diagnostics"] == [
        {
            "code": "pack.other",
            "severity": "warning",
            "message": "the strategy was made with the pack 'rlp', but is checked with 'base'",
            "location": "pack.name",
        }
    ]


def test_validate_an_invalid_file_names_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "strategy.yaml"
    text = kd.dumps_strategy(kd.demo_strategy()).replace("kind: verbandsgemeinde", "kind: land", 1)
    bad.write_text(text, encoding="utf-8")
    status, out, err = run("validate", str(bad))
    assert status == 1
    assert out == ""
    assert err.startswith("error: strategy.yaml: municipality.kind: expected one of")
    status, out, err = run("validate", str(bad), "--json")
    assert status == 1
    data = json.loads(out)
    assert data["valid"] is False
    assert data["municipality"] is None
    assert [p.split(": ")[:2] for p in data["problems"]] == [["strategy.yaml", "municipality.kind"]]
    assert "municipality.kind" in err


def test_validate_a_missing_file(tmp_path: Path) -> None:
    status, _, err = run("validate", str(tmp_path / "nichts.yaml"))
    assert status == 1
    assert err == f"error: {tmp_path / 'nichts.yaml'}: file not found\n"


def test_validate_reports_governance_errors_with_status_1(
    tmp_path: Path, workspace: kd.Workspace
) -> None:
    broken = with_unknown_owner(kd.demo_strategy(planned=False))
    path = kd.dump_strategy(broken, tmp_path / "broken.yaml")
    findings = run_checks(broken, workspace.governance_checks)
    errors = [f for f in findings if f.severity is kd.Severity.ERROR]
    assert errors  # a measure names an owner role the organigram lacks
    status, out, err = run("validate", str(path))
    assert status == 1
    assert "Fehler: [owner-roles]" in out
    noun = "governance error" if len(errors) == 1 else "governance errors"
    assert err == f"error: broken.yaml: invalid: {len(errors)} {noun}\n"
    status, out, _ = run("validate", str(path), "--json")
    data = json.loads(out)
    assert data["valid"] is False
    assert [f["check"] for f in data["findings"] if f["severity"] == "error"] == [
        f.check for f in errors
    ]
    assert set(data["findings"][0]) == {"check", "severity", "message", "objects"}


def test_validate_gate_not_passed_gives_status_3_and_every_problem(
    tmp_path: Path, workspace: kd.Workspace
) -> None:
    strategy = kd.rank(starter(workspace), workspace)
    path = kd.dump_strategy(strategy, tmp_path / "strategy.yaml")
    checks = workspace.governance_checks
    report = check_readiness(strategy, checks, gate="beschluss")
    assert not report.ok
    status, out, err = run("validate", str(path), "--gate", "beschluss")
    assert status == 3
    # The starter has no scores yet: the ranking is said to assess nothing.
    assert out.startswith("Warnung: [content.not-assessed]")
    lines = [line for line in out.splitlines() if not line.startswith("Warnung:")]
    assert lines[0] == "strategy.yaml: valid: Gemeinde Lindenau, 4 action fields, 12 measures"
    assert lines[1:] == [f"  {problem}" for problem in report.problems]
    assert err == (
        f"error: strategy.yaml: gate beschluss not passed: {len(report.problems)} problems\n"
    )
    status, out, _ = run("validate", str(path), "--gate", "beschluss", "--top-n", "1", "--json")
    assert status == 3
    gate = json.loads(out)["gate"]
    assert set(gate) == {"name", "passed", "top_n", "problems", "measures"}
    assert gate["passed"] is False
    assert gate["top_n"] == 1
    assert gate["problems"] == list(
        check_readiness(strategy, checks, gate="beschluss", top_n=1).problems
    )


def test_validate_gate_passed(tmp_path: Path) -> None:
    demo = kd.demo_strategy()
    assert demo.ranking is not None
    top = demo.ranking.entries[0].measure
    # The demo's best measure lacks only its funding and its operator.
    complete = attrs.evolve(
        demo,
        measures=tuple(
            attrs.evolve(
                m,
                funding_sources=(FundingSource(FundingKind.EIGENMITTEL, name="Haushalt"),),
                operator=Operator("Hauptamt"),
            )
            if m.key == top
            else m
            for m in demo.measures
        ),
    )
    path = kd.dump_strategy(complete, tmp_path / "strategy.yaml")
    status, out, err = run("validate", str(path), "--gate", "beschluss", "--top-n", "1")
    assert (status, err) == (0, "")
    assert out.endswith("12 measures\ngate beschluss: passed\n")
    status, out, _ = run("validate", str(path), "--gate", "beschluss", "--top-n", "2")
    assert status == 3


def test_validate_unknown_gate_is_an_error(demo_file: Path) -> None:
    status, _, err = run("validate", str(demo_file), "--gate", "haushalt")
    assert status == 1
    assert err == "error: unknown gate 'haushalt' (known: beschluss)\n"


def test_validate_reads_a_workbook(tmp_path: Path, workspace: kd.Workspace) -> None:
    book = export_workbook(starter(workspace), tmp_path / "Workshop.xlsx")
    status, out, _ = run("validate", str(book))
    assert status == 0
    assert out.endswith("Workshop.xlsx: valid: Gemeinde Lindenau, 4 action fields, 12 measures\n")
    # The starter's measures carry no staff estimate: said, not taken as 0.
    assert "[content.unknown-staff] 12 measure(s) have no staff estimate" in out


def test_rank_json_is_the_library_ranking(
    demo_file: Path, tmp_path: Path, workspace: kd.Workspace
) -> None:
    out_file = tmp_path / "ranked.yaml"
    status, out, _ = run("rank", str(demo_file), "--out", str(out_file), "--json")
    assert status == 0
    data = json.loads(out)
    assert set(data) == {"written", "rule", "assessed", "explanation", "entries", "sensitivity"}
    ranked = kd.rank(kd.demo_strategy(planned=False), workspace)
    assert ranked.ranking is not None
    assert data["rule"] == ranked.ranking.rule
    assert [(e["rank"], e["measure"]) for e in data["entries"]] == [
        (e.rank, e.measure) for e in ranked.ranking.entries
    ]
    assert data["entries"][0]["title"] == ranked.measure(ranked.ranking.entries[0].measure).title
    assert data["sensitivity"] is None
    assert kd.load_strategy(out_file).ranking == ranked.ranking


def test_rank_json_with_sensitivity(demo_file: Path, workspace: kd.Workspace) -> None:
    status, out, _ = run("rank", str(demo_file), "--sensitivity", "--json")
    assert status == 0
    ranked = kd.rank(kd.demo_strategy(planned=False), workspace)
    report = sensitivity(ranked, workspace.ranking_rules)
    sens = json.loads(out)["sensitivity"]
    assert sens["stable"] is report.stable
    assert [f["criterion"] for f in sens["findings"]] == [f.criterion for f in report.findings]


def test_plan_json_lists_placed_and_unplaced(
    demo_file: Path, tmp_path: Path, workspace: kd.Workspace
) -> None:
    status, out, _ = run("plan", str(demo_file), "--out", str(tmp_path / "p.yaml"), "--json")
    assert status == 0
    data = json.loads(out)
    assert set(data) == {"written", "placed", "unplaced", "done", "dropped"}
    schedule = kd.plan(kd.demo_strategy(planned=False), workspace).schedule
    assert schedule is not None
    assert [(p["measure"], p["start"]) for p in data["placed"]] == [
        (p.measure, p.start.isoformat()) for p in schedule.placed
    ]
    assert [u["measure"] for u in data["unplaced"]] == [u.measure for u in schedule.unplaced]


def test_plan_without_limits_fails_on_stderr(tmp_path: Path) -> None:
    path = kd.dump_strategy(
        attrs.evolve(kd.demo_strategy(planned=False), limits=None), tmp_path / "s.yaml"
    )
    status, out, err = run("plan", str(path), "--json")
    assert status == 1
    assert out == ""
    assert err.startswith("error: ")
    assert "no 'limits'" in err


def test_check_json(tmp_path: Path, workspace: kd.Workspace) -> None:
    broken = with_unknown_owner(kd.demo_strategy(planned=False))
    path = kd.dump_strategy(broken, tmp_path / "broken.yaml")
    status, out, _ = run("check", str(path), "--json")
    assert status == 1
    data = json.loads(out)
    assert set(data) == {"file", "findings", "errors"}
    findings = run_checks(broken, workspace.governance_checks)
    assert data["errors"] == sum(1 for f in findings if f.severity is kd.Severity.ERROR)
    assert [f["message"] for f in data["findings"]] == [f.message for f in findings]


def test_validate_checks_maturity_answers_against_their_questionnaire(tmp_path: Path) -> None:
    demo = kd.demo_strategy(planned=False)
    assert demo.maturity_check is not None
    answers = {**demo.maturity_check.answers, "gibt-es-nicht": 2}
    broken = attrs.evolve(demo, maturity_check=attrs.evolve(demo.maturity_check, answers=answers))
    path = kd.dump_strategy(broken, tmp_path / "reife.yaml")
    status, _, err = run("validate", str(path))
    assert status == 1
    assert err.startswith(
        "error: reife.yaml: maturity_check.answers.gibt-es-nicht: "
        "questionnaire 'digicheck' has no question 'gibt-es-nicht'"
    )
    status, out, _ = run("validate", str(path), "--json")
    assert status == 1
    assert json.loads(out)["problems"][0].startswith("maturity_check.answers.gibt-es-nicht")
