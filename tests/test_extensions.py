"""Extension data: plugins' own data on measures, action fields and catalogue entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import kommunal_digital as kd
from kommunal_digital.authoring import new_pack, starter_strategy
from kommunal_digital.cli.main import cli
from kommunal_digital.io import export_workbook, import_workbook
from kommunal_digital.model import Measure
from kommunal_digital.model.catalogue import CatalogueEntry
from kommunal_digital.model.checks import MAX_EXTENSION_DEPTH
from kommunal_digital.plugins import load_installation
from kommunal_digital.testing import strategies as kst
from kommunal_digital.workspace import (
    ExtensionSchema,
    check_extensions,
    extension_problems,
    read_extension,
)

MESSAGE = (
    "strategy.yaml: measures[2].extensions.hessen.interkommunal: expected a boolean, got 'ja bitte'"
)


@attrs.frozen
class HessenMeasure:
    """What the Hessian agency records about a measure."""

    interkommunal: bool = False
    partner: tuple[str, ...] = ()
    foerderquote: float | None = None


@attrs.frozen
class Landkreis:
    """What the agency records about an action field only."""

    zustaendig: str


class HessenPlugin:
    """A test agency that declares the shape of its extension data."""

    @kd.hookimpl
    def kd_extension_schemas(self) -> Sequence[ExtensionSchema]:
        return [
            ExtensionSchema("hessen", HessenMeasure),
            ExtensionSchema("landkreis", Landkreis, frozenset({"action_field"})),
        ]


@pytest.fixture(scope="module")
def hessen() -> kd.Workspace:
    return kd.open_workspace(entry_points=False, plugins=[HessenPlugin()])


@pytest.fixture(scope="module")
def demo() -> kd.Strategy:
    return kd.demo_strategy(planned=False)


# A small strategy keeps the property tests fast.
SMALL = kd.Strategy(
    municipality=kd.Municipality("Gemeinde Lindenau", kd.MunicipalityKind.GEMEINDE, "Hessen"),
    action_fields=(kd.ActionField("verwaltung", "Verwaltung"),),
    measures=tuple(Measure(f"m{i}", f"Maßnahme {i}", "verwaltung") for i in range(3)),
)


def with_measure_data(strategy: kd.Strategy, index: int, data: dict[str, Any]) -> kd.Strategy:
    measures = list(strategy.measures)
    measures[index] = attrs.evolve(measures[index], extensions=data)
    return attrs.evolve(strategy, measures=tuple(measures))


@pytest.fixture
def hessen_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line sees the test plugin (and no installed plugin)."""
    monkeypatch.setattr(
        kd,
        "load_installation",
        lambda **_: load_installation(entry_points=False, plugins=[HessenPlugin()]),
    )


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


# The model: plain data only


def test_the_workspace_holds_the_declared_shapes(hessen: kd.Workspace) -> None:
    assert hessen.extension_schemas["hessen"].shape is HessenMeasure
    assert hessen.extension_schemas["landkreis"].applies_to == {"action_field"}


def test_extension_data_is_copied_and_lists_become_tuples() -> None:
    data: dict[str, Any] = {
        "hessen": {"partner": ["Lindenau", "Bergheim"], "nested": {"a": [1, None]}}
    }
    measure = Measure("m", "Titel", "f", extensions=data)
    assert measure.extensions == {
        "hessen": {"partner": ("Lindenau", "Bergheim"), "nested": {"a": (1, None)}}
    }
    data["hessen"]["partner"].append("Musterau")
    assert measure.extensions["hessen"]["partner"] == ("Lindenau", "Bergheim")
    # Not part of the hash (like scores), so measures stay hashable.
    assert hash(measure) == hash(attrs.evolve(measure, extensions={}))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"Hessen": {}}, "extensions: 'Hessen' is not a valid key"),
        ({"hessen": 1}, "extensions.hessen: expected a mapping, got 1"),
        ({"hessen": {"a": dt.date(2027, 1, 1)}}, "extensions.hessen.a: expected text, a number"),
        ({"hessen": {"a": [1, float("nan")]}}, "extensions.hessen.a[1]: expected a finite"),
        ({"hessen": {"a": "x\x07"}}, "extensions.hessen.a: contains the control character"),
        ({"hessen": {1: "x"}}, "extensions.hessen: the name 1 is not text"),
        ({"hessen": {"a": {1, 2}}}, "extensions.hessen.a: expected text, a number"),
    ],
)
def test_the_model_refuses_data_that_is_not_plain(data: Any, expected: str) -> None:
    with pytest.raises(kd.ModelValidationError) as error:
        Measure("m", "Titel", "f", extensions=data)
    assert str(error.value).startswith(expected)


def test_nesting_is_bounded() -> None:
    deep: Any = "unten"
    for _ in range(MAX_EXTENSION_DEPTH - 1):  # the plugin's own mapping is the first level
        deep = [deep]
    Measure("m", "Titel", "f", extensions={"hessen": {"a": deep}})
    with pytest.raises(kd.ModelValidationError, match="nested too deeply"):
        Measure("m", "Titel", "f", extensions={"hessen": {"a": [deep]}})


def test_action_fields_and_catalogue_entries_carry_extension_data() -> None:
    field = kd.ActionField("f", "Feld", extensions={"landkreis": {"zustaendig": "Kreis"}})
    entry = CatalogueEntry("e", "f", "Eintrag", extensions={"hessen": {"interkommunal": True}})
    assert field.extensions["landkreis"]["zustaendig"] == "Kreis"
    assert entry.extensions["hessen"]["interkommunal"] is True


# Round trips


DATA = {
    "hessen": {"interkommunal": True, "partner": ["Lindenau"], "foerderquote": 0.5},
    "nrw": {"notiz": "Zeile 1\nZeile 2 „zitiert“", "tiefe": {"a": [1, {"b": None}]}},
}


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".xlsx"])
def test_measure_extension_data_round_trips(demo: kd.Strategy, tmp_path: Path, suffix: str) -> None:
    strategy = with_measure_data(demo, 2, DATA)
    fields = list(strategy.action_fields)
    fields[0] = attrs.evolve(fields[0], extensions={"landkreis": {"zustaendig": "Kreis"}})
    strategy = attrs.evolve(strategy, action_fields=tuple(fields))
    path = kd.dump_strategy(strategy, tmp_path / f"strategy{suffix}")
    loaded = kd.load_strategy(path)
    assert loaded == strategy
    assert loaded.measures[2].extensions["hessen"]["partner"] == ("Lindenau",)
    assert loaded.action_fields[0].extensions == {"landkreis": {"zustaendig": "Kreis"}}


def test_yaml_writes_extensions_as_plain_mappings_and_lists(demo: kd.Strategy) -> None:
    text = kd.dumps_strategy(with_measure_data(demo, 0, {"hessen": {"partner": ["a", "b"]}}))
    assert "  extensions:\n    hessen:\n      partner:\n      - a\n      - b\n" in text


def test_no_extension_data_writes_no_key(demo: kd.Strategy) -> None:
    assert "extensions" not in kd.dumps_strategy(demo)


@settings(max_examples=60)
@given(data=kst.extension_data())
def test_any_plain_data_round_trips_through_yaml_and_json(data: dict[str, Any]) -> None:
    strategy = with_measure_data(SMALL, 1, data)
    for fmt in ("yaml", "json"):
        text = kd.dumps_strategy(strategy, format=fmt)
        assert kd.loads_strategy(text, format=fmt) == strategy


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=kst.extension_data())
def test_any_plain_data_round_trips_through_the_workbook(
    data: dict[str, Any], tmp_path: Path
) -> None:
    strategy = with_measure_data(SMALL, 1, data)
    path = export_workbook(strategy, tmp_path / "w.xlsx", force=True)
    assert import_workbook(path) == strategy


def test_the_workbook_has_a_json_column(demo: kd.Strategy, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    strategy = with_measure_data(demo, 0, {"hessen": {"interkommunal": True}})
    book = load_workbook(export_workbook(strategy, tmp_path / "w.xlsx"))
    for name in ("Maßnahmen", "Handlungsfelder"):
        headers = [cell.value for cell in book[name][1]]
        assert "Erweiterungen" in headers
    sheet = book["Maßnahmen"]
    column = [cell.value for cell in sheet[1]].index("Erweiterungen") + 1
    assert sheet.cell(2, column).value == '{"hessen":{"interkommunal":true}}'
    assert sheet.cell(3, column).value is None  # an empty cell means none


def _edited_workbook(demo: kd.Strategy, tmp_path: Path, cells: dict[int, str | None]) -> Path:
    from openpyxl import load_workbook

    path = export_workbook(with_measure_data(demo, 0, DATA), tmp_path / "w.xlsx")
    book = load_workbook(path)
    sheet = book["Maßnahmen"]
    column = [cell.value for cell in sheet[1]].index("Erweiterungen") + 1
    for row, value in cells.items():
        sheet.cell(row, column).value = value
    book.save(path)
    return path


def test_invalid_json_in_the_workbook_names_sheet_and_cell(
    demo: kd.Strategy, tmp_path: Path
) -> None:
    path = _edited_workbook(
        demo,
        tmp_path,
        {2: '{"hessen": {"interkommunal": tru}}', 3: "[1, 2]", 4: '{"a": {}, "a": {}}'},
    )
    with pytest.raises(kd.InputFileError) as error:
        import_workbook(path)
    lines = str(error.value).splitlines()
    letter = "AB"  # the column after Umsetzung
    assert lines[0].startswith(f"w.xlsx: Maßnahmen!{letter}2: Erweiterungen: kein gültiges JSON")
    assert lines[1].startswith(f"w.xlsx: Maßnahmen!{letter}3: Erweiterungen muss ein JSON-Objekt")
    assert lines[2] == (
        f"w.xlsx: Maßnahmen!{letter}4: Erweiterungen: kein gültiges JSON "
        "(der Name 'a' steht doppelt)"
    )


def test_data_too_long_for_a_cell_is_refused_on_export(demo: kd.Strategy, tmp_path: Path) -> None:
    strategy = with_measure_data(demo, 1, {"hessen": {"notiz": "x" * 40_000}})
    with pytest.raises(kd.errors.OutputError) as error:
        export_workbook(strategy, tmp_path / "w.xlsx")
    assert str(error.value).startswith("w.xlsx: Maßnahmen!AB3: Erweiterungen: the extension data")
    assert not (tmp_path / "w.xlsx").exists()


def test_an_emptied_cell_removes_the_data(demo: kd.Strategy, tmp_path: Path) -> None:
    loaded = import_workbook(_edited_workbook(demo, tmp_path, {2: None}))
    assert loaded.measures[0].extensions == {}


def test_the_models_findings_are_reported_at_the_cell(demo: kd.Strategy, tmp_path: Path) -> None:
    path = _edited_workbook(demo, tmp_path, {2: '{"Hessen": {}}'})
    with pytest.raises(kd.InputFileError) as error:
        import_workbook(path)
    assert str(error.value).startswith("w.xlsx: Maßnahmen!AB2: 'Hessen' is not a valid key")


def test_pack_catalogue_entries_accept_extension_data(tmp_path: Path) -> None:
    pack = _pack_with_extensions(tmp_path)
    workspace = kd.open_workspace(str(pack), entry_points=False)
    entry = workspace.catalogue["online-termine"]
    assert entry.extensions == {
        "hessen": {"interkommunal": True, "partner": ("Bergheim",)},
        "landkreis": {"zustaendig": "Kreis"},
    }


# Validation against the declared shapes


def _file_with(demo: kd.Strategy, tmp_path: Path, data: dict[str, Any]) -> Path:
    return kd.dump_strategy(with_measure_data(demo, 2, data), tmp_path / "strategy.yaml")


def test_a_wrong_value_names_file_and_field_path(
    demo: kd.Strategy, hessen: kd.Workspace, tmp_path: Path
) -> None:
    path = _file_with(demo, tmp_path, {"hessen": {"interkommunal": "ja bitte"}})
    assert "interkommunal: ja bitte" in path.read_text(encoding="utf-8")
    strategy = kd.load_strategy(path)  # plain data: the file itself is readable
    with pytest.raises(kd.InputFileError) as error:
        check_extensions(strategy, hessen.extension_schemas, path.name)
    assert str(error.value) == MESSAGE


def test_every_problem_is_listed(demo: kd.Strategy, hessen: kd.Workspace) -> None:
    strategy = with_measure_data(
        demo,
        2,
        {
            "hessen": {"interkommunal": 1, "partner": ["a", 2], "farbe": "blau"},
            "landkreis": {"zustaendig": "Kreis"},
        },
    )
    with pytest.raises(kd.InputFileError) as error:
        check_extensions(strategy, hessen.extension_schemas, "strategy.yaml")
    assert error.value.problems == (
        "measures[2].extensions.hessen.interkommunal: expected a boolean, got 1",
        "measures[2].extensions.hessen.partner[1]: expected text, got 2 (put it in quotes)",
        "measures[2].extensions.hessen: unknown field(s) farbe",
        "measures[2].extensions.landkreis: the extension 'landkreis' does not apply to "
        "measures (only to action fields)",
    )


def test_a_missing_required_field_is_named(demo: kd.Strategy, hessen: kd.Workspace) -> None:
    fields = list(demo.action_fields)
    fields[1] = attrs.evolve(fields[1], extensions={"landkreis": {}})
    strategy = attrs.evolve(demo, action_fields=tuple(fields))
    problems = extension_problems(strategy, hessen.extension_schemas)
    assert [str(p) for p in problems] == [
        "action_fields[1].extensions.landkreis.zustaendig: required field is missing"
    ]


def test_valid_data_passes_and_reads_as_the_shape(demo: kd.Strategy, hessen: kd.Workspace) -> None:
    strategy = with_measure_data(demo, 2, {"hessen": {"interkommunal": True}})
    assert check_extensions(strategy, hessen.extension_schemas) is strategy
    schema = hessen.extension_schemas["hessen"]
    assert read_extension(strategy.measures[2], schema) == HessenMeasure(interkommunal=True)
    assert read_extension(strategy.measures[0], schema) is None
    wrong = with_measure_data(demo, 2, {"hessen": {"interkommunal": "ja bitte"}})
    with pytest.raises(kd.ModelValidationError) as error:
        read_extension(wrong.measures[2], schema)
    assert str(error.value) == "extensions.hessen.interkommunal: expected a boolean, got 'ja bitte'"


def test_a_shapes_own_validator_is_reported_with_its_path(demo: kd.Strategy) -> None:
    @attrs.frozen
    class Quote:
        anteil: float = attrs.field(validator=attrs.validators.le(1))

    schemas = {"quote": ExtensionSchema("quote", Quote)}
    strategy = with_measure_data(demo, 0, {"quote": {"anteil": 2}})
    (problem,) = extension_problems(strategy, schemas)
    assert problem.path == "measures[0].extensions.quote"
    assert "anteil" in problem.message


def test_unknown_keys_are_kept_and_reported_as_info(
    demo: kd.Strategy, hessen: kd.Workspace, tmp_path: Path
) -> None:
    path = _file_with(demo, tmp_path, {"nrw": {"egal": [1, "zwei"]}})
    strategy = kd.load_strategy(path)
    assert check_extensions(strategy, hessen.extension_schemas, path.name) is strategy
    report = kd.check(strategy, hessen)
    assert report.valid
    unknown = [d for d in report if d.code == "extensions.unknown"]
    assert len(unknown) == 1
    assert unknown[0].severity is kd.Severity.INFO
    assert unknown[0].location == "measures[2].extensions.nrw"
    again = kd.load_strategy(kd.dump_strategy(strategy, tmp_path / "again.yaml"))
    assert again.measures[2].extensions == {"nrw": {"egal": (1, "zwei")}}


def test_check_reports_invalid_data_as_errors(demo: kd.Strategy, hessen: kd.Workspace) -> None:
    strategy = with_measure_data(demo, 2, {"hessen": {"interkommunal": "ja bitte"}})
    report = kd.check(strategy, hessen)
    assert not report.valid
    (invalid,) = [d for d in report if d.code == "extensions.invalid"]
    assert invalid.severity is kd.Severity.ERROR
    assert invalid.location == "measures[2].extensions.hessen.interkommunal"
    assert invalid.message == "expected a boolean, got 'ja bitte'"


# The command line


@pytest.mark.usefixtures("hessen_cli")
@pytest.mark.parametrize("command", ["validate", "rank", "plan", "check"])
def test_commands_refuse_a_wrong_value(demo: kd.Strategy, tmp_path: Path, command: str) -> None:
    path = _file_with(demo, tmp_path, {"hessen": {"interkommunal": "ja bitte"}})
    before = path.read_text(encoding="utf-8")
    status, out, err = run(command, str(path))
    assert status == 1
    assert f"error: {MESSAGE}" in err.splitlines()
    assert "Traceback" not in out + err
    assert path.read_text(encoding="utf-8") == before


@pytest.mark.usefixtures("hessen_cli")
def test_validate_json_lists_the_problem(demo: kd.Strategy, tmp_path: Path) -> None:
    import json

    path = _file_with(demo, tmp_path, {"hessen": {"interkommunal": "ja bitte"}})
    status, out, _ = run("validate", str(path), "--json")
    assert status == 1
    assert json.loads(out)["problems"] == [MESSAGE]


@pytest.mark.usefixtures("hessen_cli")
def test_validate_accepts_good_data_and_mentions_unknown_keys(
    demo: kd.Strategy, tmp_path: Path
) -> None:
    path = _file_with(demo, tmp_path, {"hessen": {"interkommunal": True}, "nrw": {"x": 1}})
    status, out, err = run("validate", str(path))
    assert status == 0, err
    assert "[extensions.unknown]" in out
    assert "(measures[2].extensions.nrw)" in out


def test_batch_fails_the_file_with_a_wrong_value(
    demo: kd.Strategy, hessen: kd.Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kommunal_digital.batch import BatchStatus, worker

    path = _file_with(demo, tmp_path, {"hessen": {"interkommunal": "ja bitte"}})
    # The worker's workspace for the pack is the one with the plugin.
    monkeypatch.setitem(worker._WORKSPACES, "rlp", hessen)
    (tmp_path / "claims").mkdir()
    (tmp_path / "out").mkdir()
    job = worker.BatchJob(
        source=path, root=tmp_path / "out", claims=tmp_path / "claims", pack="rlp"
    )
    item = worker.build_one(job)
    assert item.status is BatchStatus.FAILED
    assert item.error == MESSAGE
    assert list((tmp_path / "out").iterdir()) == []


# init carries the catalogue's data


def _pack_with_extensions(tmp_path: Path) -> Path:
    pack = new_pack("hessen-test", tmp_path, title="Hessen (Test)")
    catalogue = pack / "catalogue.yaml"
    data = yaml.safe_load(catalogue.read_text(encoding="utf-8"))
    data["entries"][0]["extensions"] = {
        "hessen": {"interkommunal": True, "partner": ["Bergheim"]},
        "landkreis": {"zustaendig": "Kreis"},
    }
    catalogue.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return pack


def test_the_starter_carries_catalogue_extension_data(tmp_path: Path) -> None:
    pack = _pack_with_extensions(tmp_path)
    workspace = kd.open_workspace(str(pack), entry_points=False, plugins=[HessenPlugin()])
    municipality = kd.Municipality("Gemeinde Musterau", kd.MunicipalityKind.GEMEINDE, "Hessen")
    strategy = starter_strategy(
        workspace, municipality, start=dt.date(2027, 1, 1), fields=["verwaltung"]
    )
    measure = next(m for m in strategy.measures if m.key == "online-termine")
    # landkreis applies to action fields only: it stays in the catalogue.
    assert measure.extensions == {"hessen": {"interkommunal": True, "partner": ("Bergheim",)}}
    assert check_extensions(strategy, workspace.extension_schemas) is strategy
    assert kd.check(strategy, workspace).valid


def test_init_carries_catalogue_data_without_the_plugin(tmp_path: Path) -> None:
    pack = _pack_with_extensions(tmp_path)
    out = tmp_path / "musterau"
    status, _, err = run(
        "init",
        "--yes",
        "--name",
        "Gemeinde Musterau",
        "--land",
        "Hessen",
        "--pack",
        str(pack),
        "--fields",
        "verwaltung",
        "--out",
        str(out),
        "--start",
        "2027-01-01",
    )
    assert status == 0, err
    strategy = kd.load_strategy(out / "strategy.yaml")
    measure = next(m for m in strategy.measures if m.key == "online-termine")
    # No plugin declares the keys here: both are carried along unchecked.
    assert set(measure.extensions) == {"hessen", "landkreis"}
