"""Generated file names are safe on Windows, macOS and Linux."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.demo import demo_workspace
from kommunal_digital.documents.build import MEASURE_FOLDER, document_path
from kommunal_digital.german import slug
from kommunal_digital.io import MAX_FILE_NAME_BYTES, safe_file_name
from kommunal_digital.io.filenames import RESERVED_NAMES

WINDOWS_FORBIDDEN = set('<>:"/\\|?*')
HOSTILE = [
    "CON",
    "con.docx",
    "Nul.tar.gz",
    "COM1",
    "lpt9.md",
    "COM¹",
    "CONIN$",
    "..",
    ".",
    "...",
    " ",
    "",
    ".hidden",
    "trailing. . ",
    "../../etc/passwd",
    "C:\\Windows\\system32",
    'a<b>c:d"e/f\\g|h?i*j',
    "zeile\neins\rzwei\x00drei\x7f\x85\u2028\u2029",
    "e\u0301",  # é decomposed: NFC composes it
    "👩‍💻" * 40,
    "Ä" * 200,
    "x" * 500,
    "\ud800",
]


def assert_valid_everywhere(name: str, max_bytes: int = MAX_FILE_NAME_BYTES) -> None:
    """The rules of docs/security.md, "Calendars and file names"."""
    assert name, "never empty"
    assert name not in (".", "..")
    assert unicodedata.normalize("NFC", name) == name
    assert not WINDOWS_FORBIDDEN & set(name)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in name)
    assert not any(c in "\u2028\u2029\ufffe\uffff" or 0xD800 <= ord(c) <= 0xDFFF for c in name)
    assert not name.endswith((".", " "))
    assert not name.startswith((".", " "))
    assert name.split(".", 1)[0].rstrip(" ").upper() not in RESERVED_NAMES
    assert len(name.encode("utf-8")) <= max_bytes


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_names_become_valid_names(text: str) -> None:
    name = safe_file_name(text)
    assert_valid_everywhere(name)
    assert safe_file_name(name) == name, "a safe name stays as it is"


@given(text=st.text(), max_bytes=st.integers(min_value=16, max_value=255))
@example(text="CON" + "x" * 300, max_bytes=16)
@example(text="a" * 17, max_bytes=16)
def test_any_text_gives_a_valid_stable_name(text: str, max_bytes: int) -> None:
    name = safe_file_name(text, max_bytes=max_bytes)
    assert_valid_everywhere(name, max_bytes)
    assert safe_file_name(text, max_bytes=max_bytes) == name


@given(st.from_regex(r"[A-Za-z0-9äöüÄÖÜß_-][A-Za-z0-9äöüÄÖÜß _-]{0,40}[A-Za-z0-9]", fullmatch=True))
def test_safe_names_stay_unchanged(text: str) -> None:
    if text.split(".", 1)[0].upper() not in RESERVED_NAMES:
        assert safe_file_name(text) == unicodedata.normalize("NFC", text)


def test_long_names_stay_apart() -> None:
    first = safe_file_name("Steckbrief-" + "a" * 200 + "-eins")
    second = safe_file_name("Steckbrief-" + "a" * 200 + "-zwei")
    assert first != second
    assert first.startswith("Steckbrief-aaa")
    assert len(first.encode("utf-8")) == MAX_FILE_NAME_BYTES


def test_max_bytes_has_a_floor() -> None:
    with pytest.raises(ValueError, match="at least 16"):
        safe_file_name("x", max_bytes=15)


@given(st.text())
@example("CON")
@example("Lpt1")
@example("ß" * 100)
def test_slugs_are_safe_folder_names(text: str) -> None:
    name = slug(text)
    assert name == slug(text)
    if name:
        assert_valid_everywhere(name, 80)
        assert set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789-_")


def test_slug_avoids_reserved_names_and_keeps_long_names_apart() -> None:
    assert slug("CON") == "con_"
    assert slug("Mühlbach am Wald") == "muehlbach-am-wald"
    long_one = slug("Verbandsgemeinde " + "Lindenau-" * 20 + "Nord")
    long_two = slug("Verbandsgemeinde " + "Lindenau-" * 20 + "Süd")
    assert long_one != long_two
    assert len(long_one) <= 80
    assert long_one.startswith("verbandsgemeinde-lindenau-lindenau")


@pytest.fixture(scope="module")
def demo() -> kd.Strategy:
    return kd.demo_strategy(planned=False)


def one_measure(key: str) -> kd.Strategy:
    field = kd.ActionField("verwaltung", "Verwaltung")
    return kd.Strategy(
        municipality=kd.Municipality("Gemeinde", kind=kd.MunicipalityKind.GEMEINDE, land="Hessen"),
        action_fields=(field,),
        measures=(kd.Measure(key, "Maßnahme", "verwaltung"),),
    )


@given(title=st.text(min_size=1), key_length=st.integers(min_value=1, max_value=64))
@example(title="../../Bericht", key_length=64)
@example(title="CON", key_length=1)
@example(title="Bericht. ", key_length=3)
def test_document_paths_stay_in_their_folder(title: str, key_length: int) -> None:
    workspace = demo_workspace()
    kind = attrs.evolve(workspace.document_types["steckbrief"], title=title)
    fmt = workspace.output_formats["docx"]
    key = "m" * key_length
    strategy = one_measure(key)
    out = Path("/ausgabe")
    path = document_path(out, kind, fmt, strategy, key)
    assert path.parent == out / MEASURE_FOLDER
    assert path.name.endswith(".docx")
    assert_valid_everywhere(path.name)
    whole = document_path(out, kind, fmt, strategy, None)
    assert whole.parent == out
    assert_valid_everywhere(whole.name)


def test_ordinary_document_names_do_not_change(demo: kd.Strategy) -> None:
    workspace = demo_workspace()
    fmt = workspace.output_formats["docx"]
    steckbrief = workspace.document_types["steckbrief"]
    first = demo.measures[0].key
    path = document_path(Path("out"), steckbrief, fmt, demo, first)
    assert path == Path("out") / MEASURE_FOLDER / f"{steckbrief.title}-01-{first}.docx"
    vorlage = workspace.document_types["beschlussvorlage"]
    path = document_path(Path("out"), vorlage, fmt, demo, None, "vg-nord")
    assert path == Path("out") / f"{vorlage.title}-vg-nord.docx"
