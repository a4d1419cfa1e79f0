import json
from pathlib import Path
from typing import Literal

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.errors import OutputExistsError
from kommunal_digital.io.files import dump_strategy, load_strategy
from kommunal_digital.io.schema import SCHEMA_VERSION
from kommunal_digital.io.strategy_text import (
    dumps_strategy,
    loads_strategy,
    strategy_from_data,
    strategy_to_data,
)
from kommunal_digital.model import Municipality, MunicipalityKind, PackReference, Strategy
from kommunal_digital.testing import strategies as kst

FORMATS: tuple[Literal["yaml", "json"], ...] = ("yaml", "json")


@pytest.mark.parametrize("fmt", FORMATS)
@given(strategy=kst.strategies(roadmap_presets=["no", "drei-phasen"]))
def test_text_round_trip_gives_an_equal_strategy(
    fmt: Literal["yaml", "json"], strategy: Strategy
) -> None:
    text = dumps_strategy(strategy, format=fmt)
    assert loads_strategy(text, format=fmt) == strategy


@given(strategy=kst.strategies())
def test_plain_data_round_trip_gives_an_equal_strategy(strategy: Strategy) -> None:
    data = strategy_to_data(strategy)
    assert next(iter(data)) == "schema_version"
    assert data["schema_version"] == SCHEMA_VERSION
    assert strategy_from_data(data) == strategy


@given(strategy=kst.strategies())
def test_dumped_yaml_starts_with_the_schema_version(strategy: Strategy) -> None:
    text = dumps_strategy(strategy)
    assert text.startswith(f"schema_version: {SCHEMA_VERSION}\n")
    assert text.startswith("schema_version: 1\n")


@given(strategy=kst.strategies())
def test_dumped_json_is_an_object_with_the_schema_version_first(strategy: Strategy) -> None:
    data = json.loads(dumps_strategy(strategy, format="json"))
    assert isinstance(data, dict)
    assert next(iter(data)) == "schema_version"
    assert data["schema_version"] == SCHEMA_VERSION


@given(strategy=kst.strategies())
def test_dumped_yaml_is_plain_safe_yaml(strategy: Strategy) -> None:
    # Anything PyYAML's safe loader reads back means no Python tags were written.
    data = yaml.safe_load(dumps_strategy(strategy))
    assert isinstance(data, dict)
    assert data["municipality"]["name"] == strategy.municipality.name


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
@given(strategy=kst.strategies(max_measures=3))
def test_file_round_trip_by_suffix(
    tmp_path_factory: pytest.TempPathFactory, suffix: str, strategy: Strategy
) -> None:
    path = tmp_path_factory.mktemp("roundtrip") / f"strategie{suffix}"
    written = dump_strategy(strategy, path)
    assert written == path
    assert load_strategy(path) == strategy
    text = path.read_text(encoding="utf-8")
    if suffix == ".json":
        assert json.loads(text)["schema_version"] == SCHEMA_VERSION
    else:
        assert text.startswith("schema_version: 1\n")


def test_explicit_format_wins_over_the_suffix(tmp_path: Path) -> None:
    strategy = Strategy(
        municipality=Municipality(name="Musterstadt", kind=MunicipalityKind.STADT, land="Hessen")
    )
    path = tmp_path / "strategie.txt"
    dump_strategy(strategy, path, format="json")
    assert json.loads(path.read_text(encoding="utf-8"))["municipality"]["name"] == "Musterstadt"
    assert load_strategy(path, format="json") == strategy


def test_dump_keeps_an_existing_file_unless_forced(tmp_path: Path) -> None:
    first = Strategy(
        municipality=Municipality(name="Alt", kind=MunicipalityKind.GEMEINDE, land="Bayern")
    )
    second = Strategy(
        municipality=Municipality(name="Neu", kind=MunicipalityKind.GEMEINDE, land="Bayern")
    )
    path = tmp_path / "strategie.yaml"
    dump_strategy(first, path)
    with pytest.raises(OutputExistsError, match="exists already"):
        dump_strategy(second, path)
    assert load_strategy(path) == first
    dump_strategy(second, path, force=True)
    assert load_strategy(path) == second
    assert [p.name for p in tmp_path.iterdir()] == ["strategie.yaml"]


def test_defaults_are_left_out_of_the_file() -> None:
    strategy = Strategy(
        municipality=Municipality(name="Musterdorf", kind=MunicipalityKind.GEMEINDE, land="RLP")
    )
    assert strategy_to_data(strategy) == {
        "schema_version": 1,
        "municipality": {"name": "Musterdorf", "kind": "gemeinde", "land": "RLP"},
    }


@pytest.mark.parametrize(
    "word",
    ["no", "yes", "off", "null", "~", "true", "2027-01-01", "1e3", "1.5", "0x1F", "010", "12:30"],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_yaml_special_words_stay_text(word: str, fmt: Literal["yaml", "json"]) -> None:
    strategy = Strategy(
        municipality=Municipality(name=word, kind=MunicipalityKind.GEMEINDE, land=word),
        vision=word,
    )
    back = loads_strategy(dumps_strategy(strategy, format=fmt), format=fmt)
    assert back.municipality.name == word
    assert back.vision == word


@pytest.mark.parametrize(
    "value",
    [
        "\x85",  # NEL, "next line": PyYAML writes it raw and reads it back as a space
        "Zeile\x85Zeile",
        "a\u2028b",
        "\r\n",
        " führend und folgend ",
        "\nLeerzeile am Anfang",
        "{{ title }} & <w:t> %",
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_awkward_text_survives_a_round_trip(value: str, fmt: Literal["yaml", "json"]) -> None:
    strategy = Strategy(
        municipality=Municipality(name="X", kind=MunicipalityKind.GEMEINDE, land="Y"),
        vision=value,
    )
    assert loads_strategy(dumps_strategy(strategy, format=fmt), format=fmt).vision == value


@given(text=kst.texts(), fmt=st.sampled_from(FORMATS))
def test_any_generated_text_survives_a_round_trip(text: str, fmt: Literal["yaml", "json"]) -> None:
    strategy = Strategy(
        municipality=Municipality(name="X", kind=MunicipalityKind.GEMEINDE, land="Y"),
        vision=text,
        starting_point=text,
    )
    back = loads_strategy(dumps_strategy(strategy, format=fmt), format=fmt)
    assert back.vision == text
    assert back.starting_point == text


def test_written_yaml_has_no_anchors_or_aliases() -> None:
    text = kd.dumps_strategy(kd.demo_strategy())
    assert "&id" not in text
    assert "*id" not in text
    assert kd.loads_strategy(text) == kd.demo_strategy()


MUSTERDORF = Municipality(name="Musterdorf", kind=MunicipalityKind.GEMEINDE, land="RLP")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_pack_is_written_after_the_schema_version_and_read_back(
    fmt: Literal["yaml", "json"],
) -> None:
    strategy = Strategy(municipality=MUSTERDORF, pack=PackReference("rlp", "0.1.0"))
    text = dumps_strategy(strategy, format=fmt)
    data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    assert list(data)[:3] == ["schema_version", "pack", "municipality"]
    assert data["pack"] == {"name": "rlp", "version": "0.1.0"}
    assert loads_strategy(text, format=fmt) == strategy
    if fmt == "yaml":
        assert text.startswith("schema_version: 1\npack:\n  name: rlp\n  version: 0.1.0\n")


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".xlsx"])
def test_files_keep_the_pack(tmp_path: Path, suffix: str) -> None:
    for pack in (PackReference("rlp", "0.1.0"), PackReference("nrw-digitale-agenda"), None):
        strategy = Strategy(municipality=MUSTERDORF, pack=pack)
        path = dump_strategy(strategy, tmp_path / f"strategie{suffix}", force=True)
        assert load_strategy(path).pack == pack


def test_an_unknown_version_and_a_missing_pack_are_left_out() -> None:
    unknown = Strategy(municipality=MUSTERDORF, pack=PackReference("rlp"))
    assert strategy_to_data(unknown)["pack"] == {"name": "rlp"}
    assert "pack" not in strategy_to_data(Strategy(municipality=MUSTERDORF))


def test_a_version_yaml_would_read_as_a_number_stays_text() -> None:
    for version in ("1.0", "2024", "1e3", "0.10"):
        strategy = Strategy(municipality=MUSTERDORF, pack=PackReference("rlp", version))
        assert loads_strategy(dumps_strategy(strategy)) == strategy
