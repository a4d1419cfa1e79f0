"""Own field sets: packs that drop inherited fields, strategies with fields of their own."""

from __future__ import annotations

import datetime as dt
import functools
import re
import shlex
import shutil
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import kommunal_digital as kd
from kommunal_digital.authoring import check_pack, new_pack, starter_strategy
from kommunal_digital.cli.commands_init import parse_own_field
from kommunal_digital.cli.main import cli
from kommunal_digital.packs import load_pack, with_parents

from .docx_reading import docx_text

# Nine fields of a Verbandsgemeinde's own workshop; no title contains an RLP title.
OWN_NINE = [
    ("buergerservice", "Bürgerservice online"),
    ("schule_kita", "Schule und Kita"),
    ("handel_gewerbe", "Handel und Gewerbe"),
    ("mobilitaet", "Mobilität im ländlichen Raum"),
    ("gesundheit_pflege", "Gesundheit und Pflege"),
    ("ehrenamt", "Ehrenamt und Vereine"),
    ("klima_energie", "Klima und Energie"),
    ("kultur_freizeit", "Kultur und Freizeit"),
    ("sicherheit", "Sicherheit und Ordnung"),
]

RLP_TITLES = [
    "Digitale Infrastruktur",
    "Bildung und Jugend",
    "Kommunale Wirtschaft",
    "Tourismus",
    "Silberne Gesellschaft",
    "Arbeit und Soziales",
    "Kommunale Verwaltung",
    "Dorf- und Stadtentwicklung",
    "Alltagsleben",
]

LINDENAU = kd.Municipality(
    "Verbandsgemeinde Lindenau", kd.MunicipalityKind.VERBANDSGEMEINDE, "Rheinland-Pfalz"
)


@functools.cache
def installation() -> kd.Installation:
    return kd.load_installation(entry_points=False)


def problems(path: Path) -> list[str]:
    inst = installation()
    return [
        str(p) for p in check_pack(path, packs=inst.packs, document_types=inst.document_types())
    ]


def write_pack(
    folder: Path,
    *,
    extends: str | None = "rlp",
    exclude: str = "",
    fields: list[tuple[str, str]] | None = None,
    catalogue: list[tuple[str, str]] | None = None,
) -> Path:
    """A small pack: its manifest, own fields and one catalogue entry per (key, field)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "[pack]",
        f'name = "{folder.name}"',
        'version = "1.0.0"',
        'title = "Eigene Handlungsfelder"',
        'region = "Rheinland-Pfalz"',
        *([f'extends = "{extends}"'] if extends else []),
        "[data]",
        'action_fields = "action_fields.yaml"',
        'catalogue = "catalogue.yaml"',
        *(["[exclude]", exclude] if exclude else []),
    ]
    (folder / "pack.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    field_items = "".join(f"  - key: {k}\n    title: {t}\n" for k, t in fields or [])
    (folder / "action_fields.yaml").write_text(
        "action_fields:" + (f"\n{field_items}" if field_items else " []\n"), encoding="utf-8"
    )
    entries = "".join(
        f"  - key: {k}\n    action_field: {f}\n    title: Vorhaben {k}\n"
        f"    goal: Das Vorhaben {k} ist umgesetzt.\n    one_off: {{low: 1000, high: 3000}}\n"
        for k, f in catalogue or []
    )
    (folder / "catalogue.yaml").write_text(
        "entries:" + (f"\n{entries}" if entries else " []\n"), encoding="utf-8"
    )
    return folder


def chained(folder: Path) -> kd.TemplatePack:
    return installation().pack(folder)


# --- [exclude] in the manifest ------------------------------------------------------------


def test_exclude_drops_inherited_fields_and_their_catalogue_entries(tmp_path: Path) -> None:
    pack = write_pack(
        tmp_path / "ohne-tourismus",
        exclude='action_fields = ["tourismus", "silberne_gesellschaft"]',
        fields=[("mobilitaet", "Mobilität")],
    )
    assert pack.joinpath("pack.toml").is_file()
    loaded = chained(pack)
    rlp = installation().pack("rlp")
    keys = [f.key for f in loaded.action_fields()]
    expected = [
        f.key for f in rlp.action_fields() if f.key not in ("tourismus", "silberne_gesellschaft")
    ]
    assert keys == [*expected, "mobilitaet"]
    assert loaded.dropped_action_fields() == {"tourismus", "silberne_gesellschaft"}
    fields_of_entries = {e.action_field for e in loaded.data("catalogue")}
    assert "tourismus" not in fields_of_entries
    assert "silberne_gesellschaft" not in fields_of_entries
    assert "kommunale_verwaltung" in fields_of_entries
    # the workspace sees the same set, and the pack is clean
    assert list(installation().workspace(pack).action_fields) == [*expected, "mobilitaet"]
    assert problems(pack) == []


def test_exclude_star_replaces_the_field_set(tmp_path: Path) -> None:
    pack = write_pack(
        tmp_path / "eigene",
        exclude='action_fields = "*"',
        fields=[("mobilitaet", "Mobilität"), ("tourismus", "Tourismus und Naherholung")],
        catalogue=[("rufbus", "mobilitaet")],
    )
    loaded = chained(pack)
    assert [(f.key, f.title) for f in loaded.action_fields()] == [
        ("mobilitaet", "Mobilität"),
        ("tourismus", "Tourismus und Naherholung"),
    ]
    # a field defined again under its key keeps the parent's entries
    entries = loaded.data("catalogue")
    assert {e.action_field for e in entries} == {"mobilitaet", "tourismus"}
    assert entries[-1].key == "rufbus"
    assert loaded.manifest.exclude == {"action_fields": ("*",)}
    assert loaded.excluded("action_fields") is None
    assert loaded.excluded("catalogue") == frozenset()
    assert problems(pack) == []


def test_exclude_other_kinds_by_key(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "knapp", exclude='roadmap_presets = "*"\ncatalogue = ["x"]')
    # no such catalogue entry: pack check says so, the data is still read
    loaded = chained(pack)
    assert loaded.data("roadmap_presets") == ()
    assert any("drops 'x'" in m and "exclude.catalogue" in m for m in problems(pack))


def test_exclude_in_a_chain_of_three(tmp_path: Path) -> None:
    middle = write_pack(tmp_path / "mitte", exclude='action_fields = ["tourismus"]')
    child = write_pack(
        tmp_path / "kind",
        extends="mitte",
        exclude='action_fields = ["alltagsleben"]',
    )
    packs = {**installation().packs, "mitte": load_pack(middle)}
    loaded = with_parents(load_pack(child), packs)
    keys = [f.key for f in loaded.action_fields()]
    assert "tourismus" not in keys
    assert "alltagsleben" not in keys
    assert len(keys) == 7
    fields_of_entries = {e.action_field for e in loaded.data("catalogue")}
    assert fields_of_entries <= set(keys)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('flyers = ["a"]', "exclude: unknown kind(s) flyers"),
        ('action_fields = ["*", "tourismus"]', "exclude.action_fields: '*' drops everything"),
        ('action_fields = ["Tourismus"]', "exclude.action_fields: 'Tourismus' is not a valid key"),
        ("action_fields = 3", "exclude.action_fields: expected a list of keys or '*'"),
        ('action_fields = "tourismus"', "exclude.action_fields: expected a list of keys"),
    ],
)
def test_bad_exclude_tables_are_refused(tmp_path: Path, table: str, message: str) -> None:
    pack = write_pack(tmp_path / "falsch", exclude=table)
    with pytest.raises(kd.PackError, match=re.escape(f"falsch/pack.toml: {message}")):
        load_pack(pack)


def test_pack_check_reports_exclusions_that_drop_nothing(tmp_path: Path) -> None:
    lone = write_pack(
        tmp_path / "allein",
        extends=None,
        exclude='action_fields = ["tourismus"]',
        fields=[("a", "A")],
    )
    assert (
        "exclude.action_fields: the pack extends no other pack, so there is nothing to drop"
        in problems(lone)
    )
    typo = write_pack(tmp_path / "tippfehler", exclude='action_fields = ["turismus"]')
    assert problems(typo) == [
        "exclude.action_fields: drops 'turismus', which 'rlp' and the packs it extends do not have"
    ]


def test_pack_check_reports_entries_of_a_dropped_field(tmp_path: Path) -> None:
    pack = write_pack(
        tmp_path / "verweis",
        exclude='action_fields = ["tourismus"]',
        catalogue=[("radweg", "tourismus")],
    )
    assert any(
        "action_field: names the action field 'tourismus', which the pack does not have" in m
        for m in problems(pack)
    )


@settings(max_examples=25)
@given(
    dropped=st.sets(st.sampled_from([f"f{i}" for i in range(6)])),
    own=st.lists(st.sampled_from([f"f{i}" for i in range(3, 9)]), unique=True),
    star=st.booleans(),
)
def test_exclusion_keeps_order_and_drops_only_what_it_names(
    tmp_path_factory: pytest.TempPathFactory, dropped: set[str], own: list[str], star: bool
) -> None:
    """Inherited fields minus the dropped ones, in order, then the own new ones."""
    root = tmp_path_factory.mktemp("chain")
    parent_keys = [f"f{i}" for i in range(6)]
    parent = write_pack(
        root / "eltern",
        extends=None,
        fields=[(k, k.upper()) for k in parent_keys],
        catalogue=[(f"e-{k}", k) for k in parent_keys],
    )
    keys = ", ".join(f'"{k}"' for k in sorted(dropped))
    child = write_pack(
        root / "kind",
        extends="eltern",
        exclude='action_fields = "*"' if star else f"action_fields = [{keys}]",
        fields=[(k, f"eigen {k}") for k in own],
    )
    loaded = with_parents(load_pack(child), {"eltern": load_pack(parent)})
    gone = set(parent_keys) if star else dropped
    kept = [k for k in parent_keys if k not in gone]
    expected = kept + [k for k in own if k not in kept]
    assert [f.key for f in loaded.action_fields()] == expected
    # entries go with the fields that are gone, not with those defined again
    assert [e.action_field for e in loaded.data("catalogue")] == [
        k for k in parent_keys if k not in gone - set(own)
    ]
    shutil.rmtree(root)


# --- pack check: document types without a template ----------------------------------------


def test_pack_check_reports_document_types_without_templates(tmp_path: Path) -> None:
    pack = new_pack("ohne", tmp_path)
    manifest = pack / "pack.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('extends = "base"\n', ""), encoding="utf-8"
    )
    found = problems(pack)
    assert (
        "documents: no Markdown template for the document type 'digitalstrategie', so build "
        "cannot write it; name one under [documents] or extend a pack that has one "
        '(extends = "base")'
    ) in found
    for name in ("beschlussvorlage", "fortschrittsbericht", "organigramm", "steckbrief"):
        assert any(
            f"no Word and Markdown template for the document type {name!r}" in m for m in found
        )
    # templates a plugin supplies count
    inst = installation()
    types = inst.document_types()
    supplied = [(t, k) for t in types for k in ("docx", "markdown")]
    assert check_pack(pack, packs=inst.packs, document_types=types, supplied=supplied) == []
    result = CliRunner().invoke(cli, ["pack", "check", str(pack)])
    assert result.exit_code == 1
    assert "no Word and Markdown template for the document type 'steckbrief'" in result.output


def test_a_new_pack_extends_base_and_builds_all_six_types(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["pack", "new", "agentur", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pack = tmp_path / "agentur"
    assert 'extends = "base"' in (pack / "pack.toml").read_text(encoding="utf-8")
    result = runner.invoke(cli, ["pack", "check", str(pack)])
    assert result.exit_code == 0, result.output
    workspace = installation().workspace(pack)
    strategy = starter_strategy(
        workspace, LINDENAU, start=dt.date(2027, 1, 1), fields=["verwaltung", "dorfleben"]
    )
    planned = kd.plan(kd.rank(strategy, workspace), workspace)
    built = kd.build_documents(planned, tmp_path / "out", workspace, pictures=False)
    assert not built.failures
    assert len(workspace.document_types) == 6
    assert {p.name.split("-")[0].removesuffix(".docx") for p in built.documents} >= {
        "Digitalstrategie",
        "Vorgehensplan",
        "Beschlussvorlage",
        "Fortschrittsbericht",
        "Organigramm",
        "Maßnahmen",
    }


# --- starter strategies and init ----------------------------------------------------------


def test_a_chosen_field_without_catalogue_entries_starts_empty(tmp_path: Path) -> None:
    pack = write_pack(
        tmp_path / "leer",
        exclude='action_fields = "*"',
        fields=[("mobilitaet", "Mobilität"), ("ehrenamt", "Ehrenamt")],
        catalogue=[("rufbus", "mobilitaet")],
    )
    workspace = installation().workspace(pack)
    strategy = starter_strategy(
        workspace, LINDENAU, start=dt.date(2027, 1, 1), fields=["mobilitaet", "ehrenamt"]
    )
    assert [f.key for f in strategy.chosen_fields] == ["mobilitaet", "ehrenamt"]
    ehrenamt = strategy.action_field("ehrenamt")
    assert ehrenamt.goals == ()
    assert strategy.measures_in("ehrenamt") == ()
    assert [m.key for m in strategy.measures] == ["rufbus"]


def test_own_fields_replace_the_pack_fields_of_a_starter(isolated_workspace: kd.Workspace) -> None:
    own = [kd.ActionField(k, t) for k, t in OWN_NINE]
    strategy = starter_strategy(
        isolated_workspace, LINDENAU, start=dt.date(2027, 1, 1), own_fields=own
    )
    assert [(f.key, f.title) for f in strategy.action_fields] == OWN_NINE
    assert all(f.chosen for f in strategy.action_fields)
    assert strategy.measures == ()
    mixed = starter_strategy(
        isolated_workspace,
        LINDENAU,
        start=dt.date(2027, 1, 1),
        fields=["tourismus"],
        own_fields=[kd.ActionField("mobilitaet", "Mobilität", chosen=False)],
    )
    assert [(f.key, f.chosen) for f in mixed.action_fields] == [
        ("tourismus", True),
        ("mobilitaet", True),
    ]
    assert {m.action_field for m in mixed.measures} == {"tourismus"}
    with pytest.raises(kd.PackError, match="already has the action field"):
        starter_strategy(
            isolated_workspace,
            LINDENAU,
            start=dt.date(2027, 1, 1),
            own_fields=[kd.ActionField("tourismus", "Tourismus")],
        )


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("mobilitaet=Mobilität im ländlichen Raum", ("mobilitaet", "Mobilität im ländlichen Raum")),
        (
            " alltag_verwaltung = Alltagsleben/Kommunale Verwaltung ",
            (
                "alltag_verwaltung",
                "Alltagsleben/Kommunale Verwaltung",
            ),
        ),
    ],
)
def test_parse_own_field(answer: str, expected: tuple[str, str]) -> None:
    assert parse_own_field(answer) == expected


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("mobilitaet", "expected KEY=TITLE"),
        ("Mobilität=Mobilität", "is not a valid key"),
        ("mobilitaet=", "expected KEY=TITLE"),
    ],
)
def test_init_refuses_bad_own_fields(tmp_path: Path, option: str, message: str) -> None:
    status, output = invoke(
        ["init", "--yes", "--name", "Gemeinde X", "--own-field", option, "--out", str(tmp_path)]
    )
    assert status == 2
    assert message in output
    status, output = invoke(
        [
            "init",
            "--yes",
            "--name",
            "Gemeinde X",
            "--own-field",
            "a=A",
            "--own-field",
            "a=B",
            "--out",
            str(tmp_path),
        ]
    )
    assert status == 2
    assert "the key(s) a are given twice" in output


def own_nine_options() -> list[str]:
    return [arg for key, title in OWN_NINE for arg in ("--own-field", f"{key}={title}")]


def test_init_with_own_fields_and_a_registered_pack(tmp_path: Path) -> None:
    folder = tmp_path / "lindenau"
    status, output = invoke(
        [
            "init",
            "--yes",
            "--name",
            "Verbandsgemeinde Lindenau",
            "--pack",
            "rlp",
            "--out",
            str(folder),
            *own_nine_options(),
        ]
    )
    assert status == 0, output
    strategy = kd.load_strategy(folder / "strategy.yaml")
    assert [(f.key, f.title) for f in strategy.chosen_fields] == OWN_NINE
    assert "9 action fields, 0 measures" in output
    assert "--pack" not in output.split("Next steps:")[1].split("The strategy")[0]
    status, output = invoke(["validate", str(folder / "strategy.yaml")])
    assert status == 0, output


def six_documents(folder: Path) -> dict[str, str]:
    """The text of each built Word document by its file name (Steckbriefe joined)."""
    texts: dict[str, str] = {}
    for path in sorted(folder.rglob("*.docx")):
        name = "Steckbrief" if path.parent.name == "Steckbriefe" else path.stem
        texts[name] = texts.get(name, "") + docx_text(path)
    return texts


def assert_exactly_the_own_nine(texts: dict[str, str]) -> None:
    assert set(texts) == {
        "Digitalstrategie",
        "Steckbrief",
        "Vorgehensplan",
        "Beschlussvorlage",
        "Fortschrittsbericht",
        "Organigramm",
    }
    for _, title in OWN_NINE:
        assert title in texts["Digitalstrategie"]
    for name, text in texts.items():
        for title in RLP_TITLES:
            assert title not in text, (name, title)


def test_acceptance_own_nine_fields_in_a_pack_on_top_of_rlp(tmp_path: Path) -> None:
    """A pack extends rlp, replaces its nine fields; init with the folder, then build."""
    pack = write_pack(
        tmp_path / "lindenau-felder",
        exclude='action_fields = "*"',
        fields=OWN_NINE,
        catalogue=[(f"massnahme-{k}", k) for k, _ in OWN_NINE],
    )
    assert problems(pack) == []
    folder = tmp_path / "projekt"
    keys = ",".join(k for k, _ in OWN_NINE)
    status, output = invoke(
        [
            "init",
            "--yes",
            "--name",
            "Verbandsgemeinde Lindenau",
            "--pack",
            str(pack),
            "--fields",
            keys,
            "--out",
            str(folder),
            "--start",
            "2027-01-01",
        ]
    )
    assert status == 0, output
    steps = [line.strip() for line in output.splitlines() if "kommunal-digital " in line]
    assert len(steps) == 3
    # the printed next steps work as they stand: they name the pack folder
    validate, rank_and_plan, build = steps
    for line in (validate, *rank_and_plan.split(" && "), build):
        words = shlex.split(line)
        args = words[words.index("kommunal-digital") + 1 :]
        assert "--pack" in args, line
        status, output = invoke(args)
        assert status == 0, (line, output)
    strategy = kd.load_strategy(folder / "strategy.yaml")
    assert [(f.key, f.title) for f in strategy.action_fields] == OWN_NINE
    assert_exactly_the_own_nine(six_documents(folder / "dokumente"))


def test_acceptance_a_strategy_with_its_own_nine_fields_and_the_rlp_pack(
    tmp_path: Path, isolated_workspace: kd.Workspace
) -> None:
    """The strategy file defines the nine fields; the pack is plain rlp."""
    workspace = isolated_workspace
    own = [kd.ActionField(k, t) for k, t in OWN_NINE]
    strategy = starter_strategy(workspace, LINDENAU, start=dt.date(2027, 1, 1), own_fields=own)
    measures = tuple(
        kd.Measure(
            key=f"m-{key}",
            title=f"Vorhaben {index}",
            action_field=key,
            cost=kd.Cost(one_off=Decimal("2500")),
        )
        for index, (key, _) in enumerate(OWN_NINE, start=1)
    )
    strategy = attrs.evolve(strategy, measures=measures)
    path = kd.dump_strategy(strategy, tmp_path / "strategy.yaml")
    status, output = invoke(["validate", str(path)])
    assert status == 0, output
    planned = kd.plan(kd.rank(kd.load_strategy(path), workspace), workspace)
    built = kd.build_documents(planned, tmp_path / "dokumente", workspace, pictures=False)
    assert not built.failures
    assert_exactly_the_own_nine(six_documents(tmp_path / "dokumente"))
