import re
import types
from pathlib import Path

import pytest

import kommunal_digital as kd
from kommunal_digital.packs import TemplatePack
from kommunal_digital.plugins import hookspecs, manager

DOCS = Path(__file__).resolve().parents[1] / "docs" / "plugin-hooks.md"


def hook_names() -> set[str]:
    return {name for name in dir(hookspecs) if name.startswith("kd_")}


def test_managers_are_independent() -> None:
    first = kd.load_installation().manager
    second = kd.load_installation().manager
    extra = types.SimpleNamespace()
    first.register(extra, name="extra")
    assert first.get_plugin("extra") is extra
    assert second.get_plugin("extra") is None


def test_builtin_is_registered_as_a_plugin() -> None:
    installation = kd.load_installation(entry_points=False)
    assert installation.manager.get_plugin("kommunal_digital.builtin") is not None
    assert "rlp" in installation.packs
    assert kd.open_workspace(entry_points=False).plugins == ("kommunal_digital.builtin",)


class FieldPlugin:
    """A third-party plugin that replaces one RLP field and adds another."""

    @kd.hookimpl
    def kd_action_fields(self, pack: TemplatePack) -> list[kd.ActionField]:
        if pack.name != "rlp":
            return []
        return [
            kd.ActionField(key="tourismus", title="Tourismus und Kultur"),
            kd.ActionField(key="energie", title="Umwelt und Energie"),
        ]


def test_plugin_fields_override_and_extend_by_key() -> None:
    workspace = kd.open_workspace("rlp", entry_points=False, plugins=[FieldPlugin()])
    fields = tuple(workspace.action_fields.values())
    titles = {f.key: f.title for f in fields}
    assert titles["tourismus"] == "Tourismus und Kultur"
    assert titles["energie"] == "Umwelt und Energie"
    assert len(fields) == 10


def test_plugin_can_ship_a_pack(tmp_path: Path) -> None:
    root = tmp_path / "thue"
    root.mkdir()
    (root / "pack.toml").write_text(
        '[pack]\nname = "thue"\nversion = "0.1"\ntitle = "Thüringen"\n', encoding="utf-8"
    )

    class PackPlugin:
        @kd.hookimpl
        def kd_template_packs(self) -> list[Path]:
            return [root]

    installation = kd.load_installation(entry_points=False, plugins=[PackPlugin()])
    packs = installation.packs
    assert set(packs) >= {"rlp", "thue"}
    assert packs["thue"].manifest.title == "Thüringen"
    assert installation.workspace("thue").pack.manifest.title == "Thüringen"


def test_plugin_template_wins_over_the_pack(tmp_path: Path) -> None:
    own = tmp_path / "own.docx"

    class TemplatePlugin:
        @kd.hookimpl
        def kd_document_template(self, pack: TemplatePack, document_type: str) -> Path:
            return own

    workspace = kd.open_workspace("rlp", entry_points=False, plugins=[TemplatePlugin()])
    assert workspace.template("digitalstrategie") == own


def test_unknown_document_type_is_a_pack_error(workspace: kd.Workspace) -> None:
    with pytest.raises(kd.PackError, match="no template for document type 'flyer'"):
        workspace.template("flyer")


def test_broken_entry_point_names_the_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        name = "kaputt"
        dist = None

        def load(self) -> object:
            raise ImportError("no module named kaputt_plugin")

    monkeypatch.setattr(manager, "entry_points", lambda group: [Broken()])
    installation = kd.load_installation()
    (disabled,) = installation.disabled
    assert disabled.name == "kaputt"
    assert "cannot be imported: ImportError: no module named kaputt_plugin" in disabled.reason
    assert str(disabled).startswith("plugin 'kaputt' (unknown distribution) is disabled")
    # Everything else works: the workspace opens without it.
    assert "kaputt" not in kd.open_workspace().plugins


def test_wrong_return_type_from_a_plugin_is_refused() -> None:
    class Sloppy:
        @kd.hookimpl
        def kd_action_fields(self, pack: TemplatePack) -> list[str]:
            return ["Tourismus"]

    with pytest.raises(kd.PluginError, match="not a ActionField"):
        kd.open_workspace("rlp", entry_points=False, plugins=[Sloppy()])


def test_every_hook_is_documented_and_every_documented_hook_exists() -> None:
    documented = set(re.findall(r"^## (kd_\w+)", DOCS.read_text(encoding="utf-8"), re.M))
    assert documented == hook_names()


@pytest.mark.parametrize("name", sorted(hook_names()))
def test_documented_signature_matches(name: str) -> None:
    import inspect

    text = DOCS.read_text(encoding="utf-8")
    section = text.split(f"## {name}", 1)[1].split("\n## ", 1)[0]
    match = re.search(rf"def {name}\(([^)]*)\)", section)
    assert match is not None, f"no signature for {name}"
    documented = [p.split(":")[0].strip() for p in match.group(1).split(",") if p.strip()]
    assert documented == list(inspect.signature(getattr(hookspecs, name)).parameters)
