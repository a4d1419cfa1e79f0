"""Organisations as municipalities have them (issue 17, part 3)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.cli.main import cli
from kommunal_digital.documents.charts import box_text
from kommunal_digital.documents.context import organigram_data
from kommunal_digital.documents.statements import council_name
from kommunal_digital.errors import ModelValidationError, PackError
from kommunal_digital.io.excel import export_workbook, import_workbook
from kommunal_digital.model import (
    MemberMunicipality,
    Municipality,
    MunicipalityKind,
    Role,
    RoleHolding,
    RoleKind,
    RoleState,
    StakeholderGroup,
)
from kommunal_digital.organisation import (
    Finding,
    SeverityOverride,
    organisation_errors,
    run_checks,
)
from kommunal_digital.packs.manifest import read_manifest
from kommunal_digital.testing import organigrams
from tests.real_organisation import real_organigram, real_strategy


@pytest.fixture(scope="module")
def workspace() -> kd.Workspace:
    return kd.open_workspace(real_strategy().pack)


# --- the model ---------------------------------------------------------------


def test_roles_record_state_headcount_departments_and_history() -> None:
    organigram = real_organigram()
    lotsen = organigram.role("digitallotsen")
    assert (lotsen.headcount, lotsen.department_count, lotsen.departments_total) == (36, 15, 15)
    officer = organigram.role("digitalbeauftragte")
    assert officer.state is RoleState.VACANT
    assert officer.holder == ""
    assert officer.history[0].holder == "Bernd Vorgänger"
    assert not organigram.role("digitalcoach").active
    assert organigram.role("ndd").kind is RoleKind.NETWORK
    assert organigram.role("digitalbotschafter").effective_group is StakeholderGroup.BUERGERSCHAFT
    assert RoleState.VACANT.label == "unbesetzt"


def test_departments_named_count_when_no_number_is_given() -> None:
    role = Role("lotsen", "Digitallotsen", RoleKind.PILOT, departments=("Bauen", "Soziales"))
    assert role.departments_total == 2
    assert Role("x", "X", RoleKind.PILOT).departments_total is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"state": RoleState.VACANT, "holder": "Eva"}, "holder"),
        ({"state": RoleState.REJECTED, "holder": "Eva"}, "holder"),
        ({"headcount": 0}, "headcount"),
        ({"headcount": True}, "headcount"),
        ({"department_count": 1, "departments": ("A", "B")}, "department_count"),
        ({"departments": ("A", "A")}, "departments"),
        ({"state": "besetzt"}, "state"),
    ],
)
def test_impossible_roles_are_refused(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ModelValidationError) as caught:
        Role("r", "Rolle", RoleKind.PILOT, **changes)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_a_planned_or_filled_role_may_name_its_holder() -> None:
    for state in (RoleState.PLANNED, RoleState.FILLED, None):
        assert Role("r", "Rolle", RoleKind.CDO, holder="Eva", state=state).holder == "Eva"


def test_a_holding_ends_after_it_starts() -> None:
    with pytest.raises(ModelValidationError) as caught:
        RoleHolding("Eva", since=dt.date(2024, 1, 2), until=dt.date(2024, 1, 1))
    assert caught.value.field == "until"
    assert RoleHolding("Eva", until=dt.date(2024, 1, 1)).since is None


def test_the_strategy_file_holds_the_new_fields(tmp_path: Path) -> None:
    strategy = real_strategy()
    path = kd.dump_strategy(strategy, tmp_path / "real.yaml")
    text = path.read_text(encoding="utf-8")
    for word in ("state: vacant", "headcount: 36", "department_count: 15", "history:", "network"):
        assert word in text
    assert kd.load_strategy(path) == strategy
    json_path = kd.dump_strategy(strategy, tmp_path / "real.json")
    assert kd.load_strategy(json_path) == strategy


def test_a_wrong_state_in_the_file_names_the_field(tmp_path: Path) -> None:
    path = kd.dump_strategy(real_strategy(), tmp_path / "real.yaml")
    text = path.read_text(encoding="utf-8").replace("state: vacant", "state: unbesetzt", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(kd.InputFileError) as caught:
        kd.load_strategy(path)
    assert "state" in str(caught.value)


def test_the_excel_workbook_keeps_the_organisation(tmp_path: Path) -> None:
    strategy = real_strategy()
    path = export_workbook(strategy, tmp_path / "real.xlsx")
    assert import_workbook(path).organigram == strategy.organigram


# --- municipality kinds ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "label", "council"),
    [
        (
            MunicipalityKind.VERWALTUNGSGEMEINSCHAFT,
            "Verwaltungsgemeinschaft",
            "Gemeinschaftsversammlung",
        ),
        (MunicipalityKind.AMT, "Amt", "Amtsausschuss"),
        (MunicipalityKind.UNBEKANNT, "Kommune", "Rat"),
    ],
)
def test_new_municipality_kinds(kind: MunicipalityKind, label: str, council: str) -> None:
    assert kind.label == label
    assert council_name(kind) == council
    members = (MemberMunicipality("Nordheim"), MemberMunicipality("Südheim"))
    assert Municipality("Amt Beispiel", kind, "Schleswig-Holstein", members=members).members


def test_every_kind_has_a_council() -> None:
    assert all(council_name(kind) for kind in MunicipalityKind)


def test_a_gemeinde_still_has_no_members() -> None:
    with pytest.raises(ModelValidationError, match="Verwaltungsgemeinschaft, Amt or Kreis"):
        Municipality(
            "Gemeinde X",
            MunicipalityKind.GEMEINDE,
            "Bayern",
            members=(MemberMunicipality("Y"),),
        )


def test_an_unknown_kind_loads_from_a_file(tmp_path: Path) -> None:
    strategy = real_strategy()
    unknown = attrs.evolve(
        strategy,
        municipality=attrs.evolve(strategy.municipality, kind=MunicipalityKind.UNBEKANNT),
    )
    path = kd.dump_strategy(unknown, tmp_path / "u.yaml")
    assert "kind: unbekannt" in path.read_text(encoding="utf-8")
    assert kd.load_strategy(path).municipality.kind is MunicipalityKind.UNBEKANNT


# --- checks ------------------------------------------------------------------------


def test_the_real_organisation_validates_with_warnings_only(workspace: kd.Workspace) -> None:
    findings = run_checks(real_strategy(), workspace.governance_checks)
    assert findings
    assert organisation_errors(findings) == ()
    assert {f.check for f in findings} == {"pilot-per-field", "owner-roles"}


def test_check_command_accepts_the_real_organisation(tmp_path: Path) -> None:
    path = kd.dump_strategy(real_strategy(), tmp_path / "real.yaml")
    result = CliRunner().invoke(cli, ["check", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["errors"] == 0


def test_a_missing_pilot_is_a_warning_by_default(workspace: kd.Workspace) -> None:
    findings = run_checks(real_strategy(), workspace.governance_checks, only=["pilot-per-field"])
    assert findings
    assert all(f.severity is kd.Severity.WARNING for f in findings)


def test_an_owner_role_that_does_not_exist_is_an_error(workspace: kd.Workspace) -> None:
    strategy = real_strategy()
    measure = attrs.evolve(strategy.measures[0], owner_role="Gibt es nicht")
    broken = attrs.evolve(strategy, measures=(measure, *strategy.measures[1:]))
    findings = run_checks(broken, workspace.governance_checks, only=["owner-roles"])
    assert [f.objects for f in organisation_errors(findings)] == [(measure.key,)]


def test_a_measure_of_a_rejected_role_is_a_warning(workspace: kd.Workspace) -> None:
    strategy = real_strategy()
    measure = attrs.evolve(strategy.measures[0], owner_role="digitalcoach")
    changed = attrs.evolve(strategy, measures=(measure, *strategy.measures[1:]))
    findings = run_checks(changed, workspace.governance_checks, only=["owner-roles"])
    mine = [f for f in findings if f.objects == (measure.key,)]
    assert mine[0].severity is kd.Severity.WARNING
    assert "abgelehnt" in mine[0].message


def test_rejected_roles_need_no_reporting_line(workspace: kd.Workspace) -> None:
    organigram = real_organigram()
    coach = organigram.role("digitalcoach")
    live = attrs.evolve(coach, state=RoleState.PLANNED)
    roles = tuple(live if r.key == coach.key else r for r in organigram.roles)
    strategy = attrs.evolve(real_strategy(), organigram=attrs.evolve(organigram, roles=roles))
    findings = run_checks(strategy, workspace.governance_checks, only=["reporting-lines"])
    assert [f.objects for f in findings] == [("digitalcoach",)]
    assert run_checks(real_strategy(), workspace.governance_checks, only=["reporting-lines"]) == ()


_FIELDS = [f.key for f in real_strategy().action_fields]


@given(organigrams(field_keys=_FIELDS), st.sampled_from(kd.Severity))
@settings(max_examples=25, deadline=None)
def test_a_severity_override_changes_only_the_severity(
    organigram: kd.Organigram, severity: kd.Severity
) -> None:
    strategy = attrs.evolve(real_strategy(), organigram=organigram)
    for check in kd.organisation.BUILTIN_CHECKS:
        plain = tuple(check.check(strategy, {}))
        overridden = tuple(SeverityOverride(check, severity).check(strategy, {}))
        assert overridden == tuple(attrs.evolve(f, severity=severity) for f in plain)
        assert SeverityOverride(check, severity).name == check.name


def _pack(tmp_path: Path, checks: str) -> Path:
    root = tmp_path / "strenger"
    root.mkdir()
    (root / "pack.toml").write_text(
        '[pack]\nname = "strenger"\nversion = "1.0"\ntitle = "Strenger"\nextends = "rlp"\n\n'
        f"[checks]\n{checks}\n",
        encoding="utf-8",
    )
    return root


def test_a_pack_makes_a_missing_pilot_an_error(tmp_path: Path) -> None:
    root = _pack(tmp_path, 'pilot-per-field = "error"\nrlp-digitalbeauftragte = "info"')
    assert read_manifest(root).checks == {
        "pilot-per-field": "error",
        "rlp-digitalbeauftragte": "info",
    }
    workspace = kd.load_installation().workspace(root)
    assert workspace.problems == ()
    findings = run_checks(real_strategy(), workspace.governance_checks)
    errors = organisation_errors(findings)
    assert errors
    assert {f.check for f in errors} == {"pilot-per-field"}
    # The pack's severities are inherited by packs that extend it.
    assert workspace.pack.check_severities()["pilot-per-field"] == "error"


def test_a_pack_severity_for_an_unknown_check_is_reported(tmp_path: Path) -> None:
    workspace = kd.load_installation().workspace(_pack(tmp_path, 'gibt-es-nicht = "error"'))
    assert any("gibt-es-nicht" in p for p in workspace.problems)


def test_a_pack_severity_must_be_known(tmp_path: Path) -> None:
    with pytest.raises(PackError, match=r"checks\.pilot-per-field: expected one of error"):
        read_manifest(_pack(tmp_path, 'pilot-per-field = "fatal"'))


# --- build ------------------------------------------------------------------------


def test_build_renders_the_real_organisation(tmp_path: Path) -> None:
    path = kd.dump_strategy(real_strategy(), tmp_path / "real.yaml")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(path),
            "--out",
            str(out),
            "--type",
            "digitalstrategie,organigramm",
            "--format",
            "markdown",
        ],
    )
    assert result.exit_code == 0, result.output
    texts = " ".join(p.read_text(encoding="utf-8") for p in out.rglob("*.md"))
    for title in (
        "Digitallotsinnen und Digitallotsen",
        "Netzwerk Digitale Dörfer",
        "Digitalbeauftragte/r",
    ):
        assert title in texts
    assert (out / "Bilder").is_dir()


def test_build_refuses_an_organisation_with_errors(tmp_path: Path) -> None:
    strategy = real_strategy()
    measure = attrs.evolve(strategy.measures[0], owner_role="Gibt es nicht")
    broken = attrs.evolve(strategy, measures=(measure, *strategy.measures[1:]))
    path = kd.dump_strategy(broken, tmp_path / "broken.yaml")
    out = tmp_path / "out"
    args = ["build", str(path), "--out", str(out), "--type", "organigramm", "--format", "markdown"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "[owner-roles]" in result.output
    assert "--allow-organisation-errors" in result.output
    assert not out.exists() or not any(out.iterdir())
    result = CliRunner().invoke(cli, [*args, "--allow-organisation-errors"])
    assert result.exit_code == 0, result.output
    assert "warning: broken.yaml: [owner-roles]" in result.output


# --- documents ----------------------------------------------------------------------


def test_the_render_context_describes_each_role() -> None:
    data = organigram_data(real_strategy())
    assert data is not None
    roles = {r["title"]: r for r in data["roles"]}
    lotsen = roles["Digitallotsinnen und Digitallotsen"]
    assert (lotsen["headcount"], lotsen["department_count"]) == (36, 15)
    assert lotsen["summary"] == (
        "Digitallotsinnen und Digitallotsen (36 Personen aus 15 Fachbereichen)"
    )
    officer = roles["Digitalbeauftragte/r"]
    assert (officer["state"], officer["state_label"]) == ("vacant", "unbesetzt")
    assert officer["summary"] == "Digitalbeauftragte/r (unbesetzt)"
    assert officer["history"][0]["until"] == dt.date(2024, 9, 30)
    mayor = roles["Bürgermeisterin"]
    assert (mayor["state"], mayor["state_label"], mayor["headcount"]) == (None, "", None)
    assert mayor["summary"] == "Bürgermeisterin: Anna Beispiel"


def test_box_texts_say_size_and_state() -> None:
    organigram = real_organigram()
    lotsen = box_text(organigram.role("digitallotsen"))
    assert "36 aus 15" in lotsen.replace("\n", " ")
    assert box_text(organigram.role("digitalbeauftragte")).endswith("(unbesetzt)")
    assert "Personen" in box_text(organigram.role("digitalbotschafter"))
    assert box_text(organigram.role("stabsstelle")) == "Stabsstelle\nDigitalisierung"


@given(organigrams())
@settings(max_examples=60, deadline=None)
def test_a_box_text_starts_with_the_title(organigram: kd.Organigram) -> None:
    for role in organigram.roles:
        # Lines break at blanks and after hyphens ("Informations-" /
        # "technik"): apart from white space the title comes first, whole.
        assert "".join(box_text(role).split()).startswith("".join(role.title.split()))


def test_findings_are_plain_values() -> None:
    finding = Finding("x", kd.Severity.WARNING, "m")
    assert organisation_errors([finding]) == ()
