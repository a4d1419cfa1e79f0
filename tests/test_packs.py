from pathlib import Path

import pytest

import kommunal_digital as kd
from kommunal_digital.authoring import check_pack
from kommunal_digital.errors import UnsafePathError
from kommunal_digital.packs import load_pack
from kommunal_digital.packs.manifest import read_manifest

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


def write_pack(root: Path, manifest: str, files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.toml").write_text(manifest, encoding="utf-8")
    for name, text in (files or {}).items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


MINIMAL = """
[pack]
name = "mini"
version = "1.0"
title = "Mini"
kommunal_digital = ">=0.1"

[data]
action_fields = "fields.yaml"
"""


@pytest.fixture(scope="module")
def installation() -> kd.Installation:
    """The installed plugins and their packs, as a user of the library has them."""
    return kd.load_installation()


def test_bundled_rlp_pack_has_the_nine_fields_in_order(workspace: kd.Workspace) -> None:
    pack = workspace.pack
    assert pack.name == "rlp"
    assert pack.manifest.region == "Rheinland-Pfalz"
    fields = tuple(workspace.action_fields.values())
    assert [f.title for f in fields] == RLP_TITLES
    assert all(f.description for f in fields)
    template = pack.document_template("digitalstrategie")
    assert template is not None
    assert template.is_file()
    assert workspace.template("digitalstrategie") == template


def test_pack_loads_by_folder(tmp_path: Path, installation: kd.Installation) -> None:
    root = write_pack(
        tmp_path / "mini",
        MINIMAL,
        {"fields.yaml": "action_fields:\n- key: ort\n  title: Ortsleben\n"},
    )
    pack = installation.pack(root)
    assert pack.name == "mini"
    assert [f.key for f in pack.action_fields()] == ["ort"]
    assert list(kd.open_workspace(root).action_fields) == ["ort"]


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ("", "the table [pack] is missing"),
        ("[pack\nname=", "not valid TOML"),
        ('[pack]\nversion = "1"\ntitle = "x"', "pack.name: required key is missing"),
        ('[pack]\nname = "X Y"\nversion = "1"\ntitle = "x"', "pack.name"),
        ('[pack]\nname = "x"\nversion = "eins"\ntitle = "x"', "pack.version"),
        ('[pack]\nname = "x"\nversion = "1"\ntitle = "x"\nkommunal_digital = "neu"', "range"),
        ('[pack]\nname = "x"\nversion = "1"\ntitle = "x"\ncolour = "red"', "unknown key"),
        ('[pack]\nname = "x"\nversion = "1"\ntitle = "x"\n[documents]\nA = "a.docx"', "documents"),
    ],
)
def test_bad_manifests_are_refused_naming_file_and_key(
    tmp_path: Path, manifest: str, expected: str
) -> None:
    root = write_pack(tmp_path / "broken", manifest)
    with pytest.raises(kd.PackError) as info:
        read_manifest(root)
    assert "broken/pack.toml" in str(info.value)
    assert expected in str(info.value)


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(kd.PackError, match=r"pack\.toml: not found"):
        load_pack(tmp_path)


def test_pack_for_another_version_is_refused(tmp_path: Path) -> None:
    root = write_pack(
        tmp_path / "future",
        '[pack]\nname = "future"\nversion = "1"\ntitle = "x"\nkommunal_digital = ">=9"\n',
    )
    with pytest.raises(kd.PackError, match=r"supports kommunal-digital >=9, but .* installed"):
        load_pack(root)
    assert load_pack(root, version="9.1").name == "future"


@pytest.mark.parametrize("relative", ["../outside.yaml", "/etc/passwd", "a/../../x", "C:/x"])
def test_paths_leaving_the_pack_are_refused(tmp_path: Path, relative: str) -> None:
    pack = load_pack(write_pack(tmp_path / "mini", MINIMAL))
    with pytest.raises(UnsafePathError, match="points outside the pack"):
        pack.resolve(relative)


def test_symlink_out_of_the_pack_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("action_fields: []\n", encoding="utf-8")
    root = write_pack(tmp_path / "mini", MINIMAL)
    (root / "fields.yaml").symlink_to(secret)
    pack = load_pack(root)
    with pytest.raises(UnsafePathError):
        pack.action_fields()


def test_template_path_outside_is_refused(tmp_path: Path) -> None:
    root = write_pack(
        tmp_path / "mini", MINIMAL + '\n[documents]\ndigitalstrategie = "../../evil.docx"\n'
    )
    with pytest.raises(UnsafePathError):
        load_pack(root).document_template("digitalstrategie")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("action_fields:\n- key: ort\n", "mini/fields.yaml: action_fields[0].title: required"),
        ("action_fields:\n- key: Ort Leben\n  title: x\n", "action_fields[0].key"),
        ("felder: []\n", "expected one top-level key 'action_fields'"),
        ("action_fields: [\n", "mini/fields.yaml: line"),
        ("action_fields: !!python/object:os.system {}\n", "Python tags are refused"),
    ],
)
def test_bad_pack_data_names_file_and_path(tmp_path: Path, data: str, expected: str) -> None:
    root = write_pack(tmp_path / "mini", MINIMAL, {"fields.yaml": data})
    with pytest.raises(kd.InputFileError) as info:
        load_pack(root).action_fields()
    assert expected in str(info.value)


def test_unknown_pack_name_lists_the_registered_ones() -> None:
    installation = kd.load_installation(entry_points=False)
    with pytest.raises(
        kd.PackError, match=r"no pack named .nrw. is registered \(registered: base, rlp\)"
    ):
        installation.pack("nrw")
    with pytest.raises(kd.PackError, match=r"no pack named .nrw. is registered"):
        kd.open_workspace("nrw", entry_points=False)


def test_rlp_pack_catalogue_and_text_blocks(
    workspace: kd.Workspace, installation: kd.Installation
) -> None:
    pack = workspace.pack
    entries = tuple(workspace.catalogue.values())
    blocks = {b.key for b in workspace.text_blocks.values()}
    fields = {f.key for f in workspace.action_fields.values()}
    per_field = {key: 0 for key in fields}
    for entry in entries:
        per_field[entry.action_field] += 1
        assert entry.text_block in blocks
        assert entry.steps
        assert entry.roles
        assert entry.one_off is not None  # every bundled entry states its costs
        assert entry.one_off.low <= entry.one_off.high
    assert min(per_field.values()) >= 4
    problems = check_pack(
        pack.root, packs=installation.packs, document_types=installation.document_types()
    )
    assert problems == []
