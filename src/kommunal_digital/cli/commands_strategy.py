"""Commands that read a strategy file and check, rank or plan it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import kommunal_digital as kd
from kommunal_digital.cli.output import (
    EXIT_ERROR,
    EXIT_GATE,
    count,
    emit_json,
    fail,
    json_option,
    load_in_workspace,
    pack_option,
    reported,
    strategy_argument,
)

if TYPE_CHECKING:
    # The namespaces are imported on first access; this tells the type checker.
    import kommunal_digital.gate
    import kommunal_digital.organisation
    import kommunal_digital.ranking

__all__ = ["check", "finding_data", "plan", "rank", "validate"]


def finding_data(finding: kd.organisation.Finding) -> dict[str, Any]:
    """A governance finding as plain data for ``--json``."""
    return {
        "check": finding.check,
        "severity": finding.severity.value,
        "message": finding.message,
        "objects": list(finding.objects),
    }


def _finding_line(finding: kd.organisation.Finding) -> str:
    return f"{finding.severity.label}: [{finding.check}] {finding.message}"


def _load_problems(error: kd.InputFileError) -> list[str]:
    return [f"{error.source}: {problem}" for problem in error.problems] or [str(error)]


def _diagnostic_data(diagnostic: kd.Diagnostic) -> dict[str, Any]:
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "location": diagnostic.location,
    }


def _gate_data(report: kd.gate.ReadinessReport) -> dict[str, Any]:
    return {
        "name": report.gate,
        "passed": report.ok,
        "top_n": report.top_n,
        "problems": list(report.problems),
        "measures": [
            {
                "measure": item.measure,
                "title": item.title,
                "rank": item.rank,
                "missing": list(item.missing),
            }
            for item in report.measures
        ],
    }


@click.command(
    help="Check a strategy file (YAML, JSON or Excel workbook): the file itself, the "
    "governance checks and, with --gate, the completeness gate. Exit status: 0 valid, "
    "1 invalid or governance errors, 3 gate not passed."
)
@strategy_argument
@click.option(
    "--gate",
    metavar="GATE",
    help="Also check a completeness gate: 'beschluss' (ready for the council decision).",
)
@click.option(
    "--top-n",
    type=click.IntRange(min=1),
    help="With --gate: how many of the best-ranked measures must be complete (default 5).",
)
@pack_option
@json_option
def validate(
    strategy_file: Path, gate: str | None, top_n: int | None, pack: str | None, as_json: bool
) -> None:
    """Load a strategy file and report every problem."""
    data: dict[str, Any] = {
        "file": str(strategy_file),
        "valid": False,
        "municipality": None,
        "action_fields": 0,
        "measures": 0,
        "problems": [],
        "findings": [],
        "diagnostics": [],
        "gate": None,
    }
    with reported():
        try:
            strategy, workspace = load_in_workspace(strategy_file, pack)
        except kd.InputFileError as error:
            data["problems"] = _load_problems(error)
            if as_json:
                emit_json(data)
            raise
        result = kd.check(strategy, workspace, gate=gate, top_n=top_n)
    data["diagnostics"] = [_diagnostic_data(d) for d in result]
    # The maturity answers must fit their questionnaire: a broken file, not a finding.
    answers = [d for d in result if d.code == "maturity.answers"]
    if answers:
        data["problems"] = [f"{d.location}: {d.message}" for d in answers]
        if as_json:
            emit_json(data)
        fail(f"{strategy_file.name}: {data['problems'][0]}")
    findings = result.findings
    report = result.gate
    errors = [d for d in result.errors if d.code.startswith("governance.")]
    data.update(
        valid=not errors,
        municipality=strategy.municipality.name,
        action_fields=len(strategy.chosen_fields),
        measures=len(strategy.measures),
        findings=[finding_data(f) for f in findings],
    )
    if report is not None:
        data["gate"] = _gate_data(report)
    if as_json:
        emit_json(data)
    else:
        for diagnostic in result:
            if diagnostic.code.startswith(("pack.", "extensions.", "content.")):
                click.echo(str(diagnostic))
        for finding in findings:
            click.echo(_finding_line(finding))
    name = strategy_file.name
    if errors:
        fail(f"{name}: invalid: {count(len(errors), 'governance error')}")
    if not as_json:
        click.echo(
            f"{name}: valid: {strategy.municipality.name}, "
            f"{count(len(strategy.chosen_fields), 'action field')}, "
            f"{count(len(strategy.measures), 'measure')}"
        )
    if report is None:
        return
    if report.ok:
        if not as_json:
            click.echo(f"gate {report.gate}: passed")
        return
    if not as_json:
        for problem in report.problems:
            click.echo(f"  {problem}")
    fail(
        f"{name}: gate {report.gate} not passed: {count(len(report.problems), 'problem')}",
        EXIT_GATE,
    )


@click.command(help="Schedule the measures of a strategy file and generate its roadmap.")
@strategy_argument
@click.option(
    "--out",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the planned strategy (YAML or JSON by suffix); "
    "without it, the input file is updated.",
)
@pack_option
@json_option
def plan(strategy_file: Path, output: Path | None, pack: str | None, as_json: bool) -> None:
    """Plan a strategy file and report what did not fit."""
    with reported():
        strategy, workspace = load_in_workspace(strategy_file, pack)
        planned = kd.plan(strategy, workspace)
        target = kd.dump_strategy(planned, output or strategy_file, force=True)
    schedule = planned.schedule
    assert schedule is not None  # plan_strategy always sets it
    if as_json:
        emit_json(
            {
                "written": str(target),
                "placed": [
                    {
                        "measure": item.measure,
                        "start": item.start,
                        "end": item.end,
                        "notes": list(item.notes),
                    }
                    for item in schedule.placed
                ],
                "unplaced": [
                    {"measure": item.measure, "reason": item.reason} for item in schedule.unplaced
                ],
                "done": [
                    {"measure": item.measure, "finished_on": item.finished_on}
                    for item in schedule.done
                ],
                "dropped": list(schedule.dropped),
            }
        )
        return
    click.echo(
        f"wrote {target}: {count(len(schedule.placed), 'measure')} placed, "
        f"{len(schedule.unplaced)} not placed"
    )
    for item in schedule.unplaced:
        click.echo(f"  {item.measure}: {item.reason}")


def _sensitivity_data(report: kd.ranking.SensitivityReport) -> dict[str, Any]:
    return {
        "stable": report.stable,
        "findings": [
            {
                "criterion": finding.criterion,
                "change": finding.change,
                "changes": [
                    {
                        "measure": change.measure,
                        "rank_before": change.rank_before,
                        "rank_after": change.rank_after,
                    }
                    for change in finding.changes
                ],
            }
            for finding in report.findings
        ],
    }


@click.command(help="Rank the measures of a strategy file and store the ranking in it.")
@strategy_argument
@click.option("--rule", help="Ranking rule; by default the file's ranking_rule, else nutzwert.")
@click.option(
    "--out",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the ranked strategy; without it, the input file is updated.",
)
@click.option(
    "--sensitivity",
    "with_sensitivity",
    is_flag=True,
    help="Also report how stable the top 5 is when weights move by up to 20 %.",
)
@pack_option
@json_option
def rank(
    strategy_file: Path,
    rule: str | None,
    output: Path | None,
    with_sensitivity: bool,
    pack: str | None,
    as_json: bool,
) -> None:
    """Rank a strategy file and print the ranking."""
    with reported():
        strategy, workspace = load_in_workspace(strategy_file, pack)
        ranked = kd.rank(strategy, workspace, rule)
        assessed = ranked.ranking is not None and ranked.ranking.assessed
        report = (
            kd.ranking.sensitivity(ranked, workspace.ranking_rules, rule=rule)
            if with_sensitivity and assessed
            else None
        )
        target = kd.dump_strategy(ranked, output or strategy_file, force=True)
    ranking = ranked.ranking
    assert ranking is not None  # rank_strategy always sets it
    if as_json:
        emit_json(
            {
                "written": str(target),
                "rule": ranking.rule,
                "assessed": ranking.assessed,
                "explanation": ranking.explanation,
                "entries": [
                    {
                        "rank": entry.rank,
                        "measure": entry.measure,
                        "title": ranked.measure(entry.measure).title,
                        "score": entry.score,
                        "assessed": kd.ranking.entry_assessed(entry),
                    }
                    for entry in ranking.entries
                ],
                "sensitivity": None if report is None else _sensitivity_data(report),
            }
        )
        return
    click.echo(f"ranked with {ranking.rule!r}, wrote {target}")
    if not ranking.assessed:
        # Nothing to rank by: say so instead of listing scores of 0.
        click.echo(f"not assessed: {ranking.explanation}")
        if with_sensitivity:
            click.echo("no sensitivity analysis: the ranking is not assessed")
    for entry in ranking.entries:
        title = ranked.measure(entry.measure).title
        score = f"{entry.score:.3f}" if kd.ranking.entry_assessed(entry) else "noch nicht bewertet"
        click.echo(f"{entry.rank:>3}. {title} ({score})")
    if report is not None:
        if report.stable:
            click.echo("the top 5 stays the same for weight changes up to 20 %")
        for finding in report.findings:
            moved = ", ".join(
                f"{c.measure} {c.rank_before}->{c.rank_after}" for c in finding.changes
            )
            click.echo(f"weight of {finding.criterion} {finding.change:+.0%}: {moved}")


@click.command(help="Run the governance checks on a strategy file's organisation.")
@strategy_argument
@click.option(
    "--max-roles", type=int, default=3, show_default=True, help="Roles one person may hold."
)
@pack_option
@json_option
def check(strategy_file: Path, max_roles: int, pack: str | None, as_json: bool) -> None:
    """Print the findings; exit status 1 when there is an error finding."""
    with reported():
        strategy, workspace = load_in_workspace(strategy_file, pack)
        checks = workspace.governance_checks
        findings = kd.organisation.run_checks(strategy, checks, options={"max_roles": max_roles})
    errors = sum(1 for f in findings if f.severity is kd.Severity.ERROR)
    if as_json:
        emit_json(
            {
                "file": str(strategy_file),
                "findings": [finding_data(f) for f in findings],
                "errors": errors,
            }
        )
    else:
        for finding in findings:
            click.echo(_finding_line(finding))
        click.echo(f"{strategy_file.name}: {count(len(findings), 'finding')}, {errors} error(s)")
    if errors:
        sys.exit(EXIT_ERROR)
