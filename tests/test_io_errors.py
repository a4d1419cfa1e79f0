import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, Literal

import attrs
import cattrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kommunal_digital.errors import (
    DependencyCycleError,
    InputFileError,
    KommunalDigitalError,
    SchemaVersionError,
)
from kommunal_digital.io.files import load_strategy
from kommunal_digital.io.strategy_text import (
    dumps_strategy,
    loads_strategy,
    strategy_from_data,
    strategy_to_data,
)
from kommunal_digital.model import (
    ActionField,
    Goal,
    Measure,
    Municipality,
    MunicipalityKind,
    PackReference,
    Strategy,
    find_cycle,
)
from kommunal_digital.testing import strategies as kst

FORMATS: tuple[Literal["yaml", "json"], ...] = ("yaml", "json")
BASE: dict[str, Any] = {
    "schema_version": 1,
    "municipality": {
        "name": "Verbandsgemeinde Eichenberg",
        "kind": "verbandsgemeinde",
        "land": "Rheinland-Pfalz",
    },
    "action_fields": [
        {
            "key": "verwaltung",
            "title": "Kommunale Verwaltung",
            "goals": [{"key": "online", "statement": "Leistungen online anbieten"}],
        }
    ],
    "measures": [
        {"key": f"m{index}", "title": f"Maßnahme {index}", "action_field": "verwaltung"}
        for index in range(4)
    ],
}


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def write_yaml(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def check_error(error: BaseException, source: str) -> InputFileError:
    """The error is ours, names the source on every line and hides its cause."""
    assert isinstance(error, InputFileError)
    assert isinstance(error, KommunalDigitalError)
    assert not isinstance(error, yaml.YAMLError | cattrs.BaseValidationError | ExceptionGroup)
    assert error.__cause__ is None
    assert error.source == source
    assert error.problems
    assert str(error) == "\n".join(f"{source}: {problem}" for problem in error.problems)
    return error


def load_error(path: Path) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        load_strategy(path)
    return check_error(info.value, path.name)


def file_error(tmp_path: Path, change: Callable[[dict[str, Any]], object]) -> str:
    data = base()
    change(data)
    return str(load_error(write_yaml(tmp_path / "strategy.yaml", data)))


def text_error(text: str, fmt: Literal["yaml", "json"] = "yaml") -> str:
    source = f"strategy.{fmt}"
    with pytest.raises(InputFileError) as info:
        loads_strategy(text, format=fmt, source=source)
    return str(check_error(info.value, source))


def test_the_base_document_is_valid(tmp_path: Path) -> None:
    strategy = load_strategy(write_yaml(tmp_path / "strategy.yaml", base()))
    assert [m.key for m in strategy.measures] == ["m0", "m1", "m2", "m3"]


# --- wrong values name file and field path -------------------------------


def test_text_instead_of_a_number_in_the_fourth_measure(tmp_path: Path) -> None:
    message = file_error(tmp_path, lambda d: d["measures"][3].update(cost={"one_off": "viel"}))
    assert message == "strategy.yaml: measures[3].cost.one_off: expected a number, got 'viel'"


def test_number_instead_of_text(tmp_path: Path) -> None:
    message = file_error(tmp_path, lambda d: d["municipality"].update(name=123))
    assert message.startswith("strategy.yaml: municipality.name: expected text, got 123")
    assert "quotes" in message
    message = file_error(tmp_path, lambda d: d["measures"][1].update(title=2027))
    assert message.startswith("strategy.yaml: measures[1].title: expected text, got 2027")


def test_unquoted_date_instead_of_text(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text(
        "schema_version: 1\nmunicipality: {name: X, kind: gemeinde, land: Y}\nvision: 2027-01-01\n",
        encoding="utf-8",
    )
    message = str(load_error(path))
    assert message.startswith("strategy.yaml: vision: expected text, got datetime.date(2027, 1, 1)")


def test_unknown_field(tmp_path: Path) -> None:
    message = file_error(tmp_path, lambda d: d["measures"][0].update(colour="rot"))
    assert message == "strategy.yaml: measures[0]: unknown field(s) colour"
    message = file_error(tmp_path, lambda d: d.update(farbe="rot", colour="red"))
    assert message == "strategy.yaml: top level: unknown field(s) colour, farbe"


def test_missing_required_field(tmp_path: Path) -> None:
    message = file_error(tmp_path, lambda d: d["measures"][2].pop("title"))
    assert message == "strategy.yaml: measures[2].title: required field is missing"
    message = file_error(tmp_path, lambda d: d.pop("municipality"))
    assert message == "strategy.yaml: municipality: required field is missing"


def test_bad_enum_value(tmp_path: Path) -> None:
    message = file_error(tmp_path, lambda d: d["municipality"].update(kind="dorf"))
    assert message.startswith("strategy.yaml: municipality.kind: expected one of 'gemeinde',")
    assert message.endswith("got 'dorf'")
    message = file_error(tmp_path, lambda d: d["measures"][1].update(status="fertig"))
    assert message.startswith("strategy.yaml: measures[1].status: expected one of 'geplant',")


@pytest.mark.parametrize("value", ["31.12.2027", "morgen", 20270101])
def test_bad_date(tmp_path: Path, value: object) -> None:
    message = file_error(tmp_path, lambda d: d["measures"][0].update(legal_deadline=value))
    assert message.startswith(
        "strategy.yaml: measures[0].legal_deadline: expected a date like 2027-03-31, got "
    )
    assert repr(value) in message


def test_date_with_a_time(tmp_path: Path) -> None:
    message = file_error(tmp_path, lambda d: d.update(adopted_on=dt.datetime(2027, 2, 3, 10, 0)))
    assert message.startswith("strategy.yaml: adopted_on: expected a date without a time")


def test_list_expected(tmp_path: Path) -> None:
    message = file_error(tmp_path, lambda d: d["measures"][0].update(partners="Kreis"))
    assert message == "strategy.yaml: measures[0].partners: expected a list, got 'Kreis'"
    message = file_error(tmp_path, lambda d: d.update(measures={"m0": {}}))
    assert message == "strategy.yaml: measures: expected a list, got a mapping"


def test_mapping_expected(tmp_path: Path) -> None:
    message = file_error(tmp_path, lambda d: d["measures"][0].update(cost=5))
    assert (
        message
        == "strategy.yaml: measures[0].cost: expected a mapping of the fields of Cost, got 5"
    )
    message = file_error(tmp_path, lambda d: d["measures"].__setitem__(2, "m2"))
    assert message.startswith("strategy.yaml: measures[2]: expected a mapping")
    message = file_error(tmp_path, lambda d: d["measures"][0].update(scores=[1, 2]))
    assert message == "strategy.yaml: measures[0].scores: expected a mapping, got a list"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("duration_months", 0, "measures[1].duration_months: must be between 1 and 120 months"),
        ("duration_months", 2.5, "measures[1].duration_months: expected a whole number, got 2.5"),
        ("progress", 101, "measures[1].progress: must be between 0 and 100"),
        ("key", "Bad Key", "measures[1].key: 'Bad Key' is not a valid key"),
        ("description", "a\x07b", "measures[1].description: contains the control character U+0007"),
        ("cost", {"yearly": -5}, "measures[1].cost.yearly: must not be negative"),
        ("staff_fte", "viel", "measures[1].staff_fte: expected a number, got 'viel'"),
        ("goal", "weltfrieden", "measures[1].goal: unknown goal 'weltfrieden'"),
        ("key", "m0", "measures[1].key: duplicate key 'm0' (already used by measures[0])"),
        ("action_field", "bildung", "measures[1].action_field: the strategy has no action field"),
        ("depends_on", ["m9"], "measures[1].depends_on[0]: measure 'm1' depends on unknown"),
    ],
)
def test_model_checks_name_the_field_path(
    tmp_path: Path, field: str, value: object, expected: str
) -> None:
    message = file_error(tmp_path, lambda d: d["measures"][1].update({field: value}))
    assert message.startswith(f"strategy.yaml: {expected}")


def test_bool_expected(tmp_path: Path) -> None:
    message = file_error(tmp_path, lambda d: d["action_fields"][0].update(chosen="ja"))
    assert message == "strategy.yaml: action_fields[0].chosen: expected a boolean, got 'ja'"


def test_several_problems_are_reported_together(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["measures"][0]["title"] = 1
        d["measures"][3]["cost"] = {"one_off": "viel"}

    assert file_error(tmp_path, change).splitlines() == [
        "strategy.yaml: measures[0].title: expected text, got 1 (put it in quotes)",
        "strategy.yaml: measures[3].cost.one_off: expected a number, got 'viel'",
    ]


def test_dependency_cycle(tmp_path: Path) -> None:
    def change(d: dict[str, Any]) -> None:
        d["measures"][0]["depends_on"] = ["m1"]
        d["measures"][1]["depends_on"] = ["m0"]

    assert (
        file_error(tmp_path, change) == "strategy.yaml: measures: dependency cycle: m0 -> m1 -> m0"
    )


EICHENBERG = Municipality(
    name="Verbandsgemeinde Eichenberg",
    kind=MunicipalityKind.VERBANDSGEMEINDE,
    land="Rheinland-Pfalz",
)
VERWALTUNG = ActionField(
    key="verwaltung",
    title="Kommunale Verwaltung",
    goals=[Goal(key="online", statement="Leistungen online anbieten")],
)


@given(
    depends_on=st.lists(
        st.lists(st.sampled_from(["m0", "m1", "m2", "m3"]), max_size=3, unique=True),
        min_size=4,
        max_size=4,
    )
)
def test_a_cycle_in_a_file_is_the_models_cycle(depends_on: list[list[str]]) -> None:
    # Self-dependencies are a different error; leave them out.
    lists = [[ref for ref in refs if ref != f"m{i}"] for i, refs in enumerate(depends_on)]
    data = base()
    for entry, refs in zip(data["measures"], lists, strict=True):
        entry["depends_on"] = refs
    measures = [Measure(**entry) for entry in data["measures"]]

    def build() -> Strategy:
        return Strategy(municipality=EICHENBERG, action_fields=[VERWALTUNG], measures=measures)

    if find_cycle(measures):
        with pytest.raises(DependencyCycleError) as built:
            build()
        with pytest.raises(InputFileError) as loaded:
            strategy_from_data(data, source="strategy.yaml")
        message = str(check_error(loaded.value, "strategy.yaml"))
        assert message == f"strategy.yaml: measures: {built.value}"
        assert message.startswith("strategy.yaml: measures: dependency cycle: m")
    else:
        assert strategy_from_data(data) == build()


def test_top_level_must_be_a_mapping() -> None:
    for text in ("", "- a\n", "hallo\n", "42\n"):
        assert text_error(text) == (
            "strategy.yaml: expected a mapping of strategy fields at the top level"
        )
    assert text_error("[]", "json").endswith(
        "expected a mapping of strategy fields at the top level"
    )


# --- syntax errors -----------------------------------------------------------


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text(
        "schema_version: 1\nmunicipality:\n  name: [Eichenberg\n  kind: verbandsgemeinde\n",
        encoding="utf-8",
    )
    message = str(load_error(path))
    assert message.startswith("strategy.yaml: line 4, column 7: ")
    assert "expected ',' or ']'" in message


def test_yaml_tab_indentation_names_line_and_column() -> None:
    message = text_error("schema_version: 1\n\tmunicipality: x\n")
    assert re.match(r"strategy\.yaml: line 2, column 1: .*'\\t'", message)


@pytest.mark.parametrize(("char", "code"), [("\x0c", "#x000c"), ("\ufffe", "#xfffe")])
def test_character_yaml_cannot_hold_names_line_and_column(char: str, code: str) -> None:
    # A form feed pasted from a word processor: one line, with line and column.
    message = text_error(f"schema_version: 1\nvision: Gr{char}üße\n")
    assert "\n" not in message
    assert message.startswith("strategy.yaml: line 2, column 11: ")
    assert code in message


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text(
        "schema_version: 1\n"
        "municipality: {name: X, kind: gemeinde, land: Y}\n"
        "vision: Erste\n"
        "vision: Zweite\n",
        encoding="utf-8",
    )
    assert (
        str(load_error(path)) == "strategy.yaml: line 4, column 1: the key 'vision' appears twice"
    )


def test_duplicate_yaml_key_in_a_nested_mapping() -> None:
    message = text_error("schema_version: 1\nmunicipality: {name: A, name: B}\n")
    assert message == "strategy.yaml: line 2, column 25: the key 'name' appears twice"


def test_json_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "strategy.json"
    path.write_text('{\n  "schema_version": 1,\n  "municipality": {\n}', encoding="utf-8")
    message = str(load_error(path))
    assert re.fullmatch(r"strategy\.json: line \d+, column \d+: .+", message)
    path.write_text('{"schema_version": 1,', encoding="utf-8")
    assert str(load_error(path)) == (
        "strategy.json: line 1, column 22: Expecting property name enclosed in double quotes"
    )


def test_json_duplicate_key(tmp_path: Path) -> None:
    path = tmp_path / "strategy.json"
    path.write_text(
        '{"schema_version": 1, "municipality": {"name": "A", "name": "B"}}', encoding="utf-8"
    )
    assert str(load_error(path)) == "strategy.json: the key 'name' appears twice"


def test_json_field_errors_name_the_file(tmp_path: Path) -> None:
    data = base()
    data["measures"][3]["cost"] = {"one_off": "viel"}
    path = tmp_path / "strategy.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert str(load_error(path)) == (
        "strategy.json: measures[3].cost.one_off: expected a number, got 'viel'"
    )


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_json_non_finite_numbers_are_refused(literal: str) -> None:
    data = base()
    data["municipality"]["population"] = "<number>"
    text = json.dumps(data).replace('"<number>"', literal)
    assert "municipality.population" in text_error(text, "json")


# --- schema version -----------------------------------------------------------


def schema_error(tmp_path: Path, change: Callable[[dict[str, Any]], object]) -> str:
    data = base()
    change(data)
    path = write_yaml(tmp_path / "strategy.yaml", data)
    with pytest.raises(SchemaVersionError) as info:
        load_strategy(path)
    return str(check_error(info.value, "strategy.yaml"))


def test_missing_schema_version(tmp_path: Path) -> None:
    message = schema_error(tmp_path, lambda d: d.pop("schema_version"))
    assert message.startswith("strategy.yaml: schema_version: required field is missing")
    assert "schema_version: 1" in message


def test_newer_schema_version(tmp_path: Path) -> None:
    message = schema_error(tmp_path, lambda d: d.update(schema_version=2))
    assert message.startswith("strategy.yaml: schema_version: the file has version 2")
    assert "up to version 1" in message


@pytest.mark.parametrize("version", ["eins", "1", True, 0, -1, 1.0, None, [1]])
def test_invalid_schema_version(tmp_path: Path, version: object) -> None:
    message = schema_error(tmp_path, lambda d: d.update(schema_version=version))
    assert message == (
        f"strategy.yaml: schema_version: expected a whole number of 1 or more, got {version!r}"
    )


def test_schema_version_error_is_an_input_file_error() -> None:
    assert issubclass(SchemaVersionError, InputFileError)
    with pytest.raises(InputFileError):
        loads_strategy("municipality: {}\n")


# --- unsafe YAML ---------------------------------------------------------------


@pytest.mark.parametrize("where", ["top", "nested"])
def test_python_apply_tag_is_refused_and_runs_nothing(tmp_path: Path, where: str) -> None:
    marker = tmp_path / "pwned"
    payload = f"!!python/object/apply:os.system ['touch {marker}']"
    if where == "top":
        text = payload + "\n"
    else:
        text = f"schema_version: 1\nmunicipality:\n  name: {payload}\n"
    path = tmp_path / "strategy.yaml"
    path.write_text(text, encoding="utf-8")
    message = str(load_error(path))
    assert "python/object/apply:os.system" in message
    assert "Python tags are refused" in message
    assert re.match(r"strategy\.yaml: line \d+, column \d+: ", message)
    assert not marker.exists()


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object:kommunal_digital.model.Cost {one_off: 1}\n",
        "!!python/object/new:builtins.dict [[[schema_version, 1]]]\n",
        "!!python/name:os.system\n",
        "schema_version: !!python/int 1\n",
        "schema_version: 1\nvision: !!python/str x\n",
    ],
)
def test_other_python_tags_are_refused(text: str) -> None:
    message = text_error(text)
    assert "Python tags are refused" in message


# --- files ---------------------------------------------------------------------


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_bytes("schema_version: 1\nvision: Gr\xfc\xdfe\n".encode("latin-1"))
    assert str(load_error(path)) == "strategy.yaml: not UTF-8 text (byte 28)"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "fehlt" / "strategy.yaml"
    with pytest.raises(InputFileError) as info:
        load_strategy(path)
    check_error(info.value, str(path))
    assert str(info.value) == f"{path}: file not found"


def test_folder_instead_of_a_file(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.mkdir()
    assert str(load_error(path)) == (
        "strategy.yaml: is a folder, not a file; give the path of a strategy file"
    )


@pytest.mark.parametrize(("name", "suffix"), [("strategy.txt", "'.txt'"), ("strategy", "'(none)'")])
def test_unknown_suffix(tmp_path: Path, name: str, suffix: str) -> None:
    path = tmp_path / name
    path.write_text("schema_version: 1\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_strategy(path)
    check_error(info.value, str(path))
    assert f"unknown file type {suffix}; use .yaml, .yml or .json" in str(info.value)


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "STRATEGY.YML", base())
    assert len(load_strategy(path).measures) == 4


# --- problems the loader must turn into InputFileError -------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("1: x\n", "1"),
        ("~: x\n", "None"),
        ("2027-01-01: x\n", "2027-01-01"),
        ("1: x\nfarbe: rot\n", "farbe"),
    ],
)
def test_non_text_keys_are_reported_as_unknown_fields(text: str, name: str) -> None:
    header = "schema_version: 1\nmunicipality: {name: X, kind: gemeinde, land: Y}\n"
    message = text_error(header + text)
    assert message.startswith("strategy.yaml: top level: unknown field(s) ")
    assert name in message


def test_non_text_key_in_a_nested_mapping_is_reported() -> None:
    message = text_error(
        "schema_version: 1\n"
        "municipality: {name: X, kind: gemeinde, land: Y}\n"
        "action_fields: [{key: f, title: F, 7: sieben}]\n"
    )
    assert message == "strategy.yaml: action_fields[0]: unknown field(s) 7"


@pytest.mark.parametrize("fmt", FORMATS)
def test_deeply_nested_input_is_refused(fmt: Literal["yaml", "json"]) -> None:
    text_error("[" * 50_000 + "]" * 50_000, fmt)


def test_deeply_nested_value_is_refused() -> None:
    text_error(
        "schema_version: 1\n"
        "municipality: {name: X, kind: gemeinde, land: Y}\n"
        "vision: " + "[" * 5_000 + "]" * 5_000 + "\n"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_integer_too_long_to_read_is_refused(fmt: Literal["yaml", "json"]) -> None:
    digits = "1" + "0" * 5_000
    text = f"schema_version: {digits}\n" if fmt == "yaml" else f'{{"schema_version": {digits}}}'
    text_error(text, fmt)


@pytest.mark.parametrize("amount", [1.005, "0.001"])
def test_fractions_of_a_cent_name_the_amount(tmp_path: Path, amount: object) -> None:
    message = file_error(tmp_path, lambda d: d["measures"][3].update(cost={"one_off": amount}))
    assert message.startswith("strategy.yaml: measures[3].cost.one_off: ")
    assert "two decimal places" in message


@pytest.mark.parametrize("amount", ["1e999999999999", 1e300, "-1e999999999999"])
def test_absurd_amounts_name_the_amount(tmp_path: Path, amount: object) -> None:
    message = file_error(tmp_path, lambda d: d["measures"][3].update(cost={"yearly": amount}))
    assert message.startswith("strategy.yaml: measures[3].cost.yearly: ")
    assert "Overflow" not in message


# --- properties: anything goes in, only InputFileError comes out -------------


def load_or_refuse(load: Callable[[], Strategy], source: str) -> Strategy | None:
    try:
        return load()
    except InputFileError as exc:
        check_error(exc, source)
        return None


@given(text=st.text())
def test_any_text_loads_or_raises_input_file_error(text: str) -> None:
    for fmt in FORMATS:
        result = load_or_refuse(partial(loads_strategy, text, format=fmt, source="x"), "x")
        assert result is None or isinstance(result, Strategy)


YAMLISH = st.sampled_from(
    [
        "schema_version: 1\n",
        "municipality:\n",
        "  name: ",
        "  kind: gemeinde\n",
        "  land: RLP\n",
        "measures:\n",
        "- key: a\n",
        "  title: T\n",
        "  action_field: f\n",
        "action_fields: [{key: f, title: F}]\n",
        "  cost: {one_off: ",
        "}\n",
        "[",
        "]",
        "{",
        ": ",
        "- ",
        "&a ",
        "*a",
        "!!",
        "'",
        '"',
        "\n",
        "  ",
        "~",
        "2027-01-01",
        "1e3",
        "0x1F",
    ]
)


@given(parts=st.lists(st.one_of(YAMLISH, st.text(max_size=5)), max_size=20))
def test_yaml_like_text_loads_or_raises_input_file_error(parts: list[str]) -> None:
    text = "".join(parts)
    result = load_or_refuse(lambda: loads_strategy(text, source="y.yaml"), "y.yaml")
    assert result is None or isinstance(result, Strategy)


@given(
    s=kst.strategies(max_measures=3),
    fmt=st.sampled_from(FORMATS),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 8), st.text(max_size=4)), min_size=1, max_size=3
    ),
)
def test_corrupted_files_load_or_raise_input_file_error(
    s: Strategy,
    fmt: Literal["yaml", "json"],
    edits: list[tuple[float, int, str]],
) -> None:
    text = dumps_strategy(s, format=fmt)
    for where, cut, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + cut :]
    result = load_or_refuse(lambda: loads_strategy(text, format=fmt, source="c"), "c")
    assert result is None or isinstance(result, Strategy)


JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=10)
    | st.sampled_from(["", "gemeinde", "verwaltung", "2027-01-01", "viel", "m0", "f"])
)
JSON_DATA = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
YAML_SCALARS = JSON_SCALARS | st.dates() | st.datetimes() | st.binary(max_size=4)
YAML_KEYS = st.text(max_size=8) | st.integers() | st.none() | st.booleans() | st.dates()
YAML_DATA = st.recursive(
    YAML_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(YAML_KEYS, inner, max_size=4),
    max_leaves=20,
)
STRATEGY_FIELDS = [a.name for a in attrs.fields(Strategy)]


@given(data=JSON_DATA)
def test_any_json_data_builds_a_strategy_or_raises_input_file_error(data: object) -> None:
    result = load_or_refuse(lambda: strategy_from_data(data, source="d"), "d")
    assert result is None or isinstance(result, Strategy)


@given(
    body=st.dictionaries(
        st.sampled_from(STRATEGY_FIELDS) | st.text(max_size=6), JSON_DATA, max_size=6
    )
)
def test_json_data_with_strategy_fields_builds_or_raises_input_file_error(
    body: dict[str, Any],
) -> None:
    data = {"schema_version": 1, **body}
    result = load_or_refuse(lambda: strategy_from_data(data, source="d"), "d")
    assert result is None or isinstance(result, Strategy)


def paths(node: object, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


def mutate(draw: st.DrawFn, data: dict[str, Any], keys: st.SearchStrategy[Any]) -> None:
    """Replace, delete or add up to three values somewhere in the data."""
    values = YAML_DATA if keys is YAML_KEYS else JSON_DATA
    for _ in range(draw(st.integers(1, 3))):
        where = paths(data)
        if not where:
            return
        path = draw(st.sampled_from(where))
        parent: Any = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(keys)] = draw(values)
        else:
            parent.append(draw(values))


@st.composite
def damaged_strategies(draw: st.DrawFn) -> dict[str, Any]:
    data = strategy_to_data(draw(kst.strategies(max_measures=3)))
    mutate(draw, data, st.text(max_size=8))
    return data


MAPPINGS: list[tuple[Any, ...]] = [
    (),
    ("municipality",),
    ("action_fields", 0),
    ("action_fields", 0, "goals", 0),
    ("measures", 3),
]


@st.composite
def damaged_yaml_data(draw: st.DrawFn) -> dict[str, Any]:
    """The base document with a value set under any YAML key in one of its mappings."""
    data = base()
    # Find every target mapping before changing anything: a first change may
    # replace a mapping that a second path would walk through.
    targets: list[Any] = []
    for _ in range(draw(st.integers(1, 2))):
        target: Any = data
        for step in draw(st.sampled_from(MAPPINGS)):
            target = target[step]
        targets.append(target)
    for target in targets:
        key = draw(YAML_KEYS | st.sampled_from(list(target)))
        target[key] = draw(YAML_DATA)
    return data


@given(data=damaged_strategies())
def test_damaged_strategy_data_builds_or_raises_input_file_error(data: dict[str, Any]) -> None:
    result = load_or_refuse(lambda: strategy_from_data(data, source="m"), "m")
    assert result is None or isinstance(result, Strategy)


@given(data=damaged_yaml_data())
def test_damaged_data_with_any_yaml_keys_builds_or_raises_input_file_error(
    data: dict[str, Any],
) -> None:
    # YAML mappings may have numbers, dates or null as keys, unlike JSON objects.
    result = load_or_refuse(lambda: strategy_from_data(data, source="y"), "y")
    assert result is None or isinstance(result, Strategy)


# --- the pack the strategy was made with ------------------------------------


def test_a_file_without_pack_loads_without_one(tmp_path: Path) -> None:
    assert load_strategy(write_yaml(tmp_path / "strategy.yaml", base())).pack is None


def test_pack_as_mapping_or_as_a_plain_name(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    full = load_strategy(write_yaml(path, {**base(), "pack": {"name": "rlp", "version": "0.1.0"}}))
    assert full.pack == PackReference("rlp", "0.1.0")
    plain = load_strategy(write_yaml(path, {**base(), "pack": "rlp"}))
    assert plain.pack == PackReference("rlp")
    assert plain.pack.version == ""
    assert load_strategy(write_yaml(path, {**base(), "pack": None})).pack is None


@pytest.mark.parametrize(
    ("pack", "expected"),
    [
        ("RLP", "pack.name: 'RLP' is not a valid key"),
        ({"name": "Mein Paket"}, "pack.name: 'Mein Paket' is not a valid key"),
        ({"version": "0.1.0"}, "pack.name: required field is missing"),
        ({"name": 7}, "pack.name: expected text, got 7"),
        (
            {"name": "rlp", "version": 1.0},
            "pack.version: expected text, got 1.0 (put it in quotes)",
        ),
        ({"name": "rlp", "version": "0.1 beta"}, "pack.version: '0.1 beta' is not a version"),
        ({"name": "rlp", "colour": "rot"}, "pack: unknown field(s) colour"),
        (5, "pack: expected a pack name or a mapping with name and version, got 5"),
        (["rlp"], "pack: expected a pack name or a mapping with name and version, got a list"),
    ],
)
def test_a_bad_pack_is_reported_at_its_place(tmp_path: Path, pack: object, expected: str) -> None:
    message = file_error(tmp_path, lambda d: d.update(pack=pack))
    assert message.startswith(f"strategy.yaml: {expected}")
    assert len(message.splitlines()) == 1
