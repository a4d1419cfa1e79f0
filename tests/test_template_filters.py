"""Plugins add template filters (hook ``kd_template_filters``); a bad one leaves itself out."""

from __future__ import annotations

import re
import textwrap
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.authoring import check_pack, new_pack
from kommunal_digital.authoring.check import builtin_filter_names
from kommunal_digital.cli.main import cli
from kommunal_digital.german import FILTERS
from kommunal_digital.workspace import TemplateFilter

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _plugin(*filters: Any) -> object:
    class Filters:
        @kd.hookimpl
        def kd_template_filters(self) -> list[Any]:
            return list(filters)

    return Filters()


def shout(value: object) -> str:
    return f"{value}!"


def test_a_plugins_filters_reach_the_workspace() -> None:
    workspace = kd.open_workspace(
        entry_points=False, plugins=[_plugin(TemplateFilter("laut", shout))]
    )
    assert list(workspace.template_filters) == ["laut"]
    assert workspace.template_filters["laut"].function("Hallo") == "Hallo!"
    assert workspace.problems == ()


def test_a_plugin_without_the_hook_changes_nothing() -> None:
    class Quiet:
        @kd.hookimpl
        def kd_ranking_rules(self) -> list[Any]:
            return []

    plain = kd.open_workspace(entry_points=False)
    quiet = kd.open_workspace(entry_points=False, plugins=[Quiet()])
    assert plain.template_filters == {} == quiet.template_filters
    assert quiet.problems == () == quiet.conflicts


def test_a_later_plugin_replaces_a_filter_of_the_same_name_as_a_conflict() -> None:
    first = TemplateFilter("laut", shout)
    second = TemplateFilter("laut", str.upper)
    workspace = kd.open_workspace(entry_points=False, plugins=[_plugin(first), _plugin(second)])
    assert workspace.template_filters["laut"] is second
    conflicts = [c for c in workspace.conflicts if c.registry == "template_filters"]
    assert len(conflicts) == 1
    assert conflicts[0].key == "laut"


def test_the_built_in_filter_names_come_from_the_environment() -> None:
    names = builtin_filter_names()
    # The German filters, Jinja's own and the two the renderers add.
    assert set(FILTERS) <= names
    assert {"upper", "join", "default", "bild", "link"} <= names


@pytest.mark.parametrize(
    ("name", "function", "reason"),
    [
        ("euro", shout, "'euro' is the name of a built-in filter"),
        ("upper", shout, "'upper' is the name of a built-in filter"),
        ("bild", shout, "'bild' is the name of a built-in filter"),
        ("link", shout, "'link' is the name of a built-in filter"),
        ("_geheim", shout, "'_geheim' is not a valid filter name"),
        ("akten-zeichen", shout, "'akten-zeichen' is not a valid filter name"),
        ("laut", "kein Aufruf", "the filter 'laut' has no function to call"),
    ],
)
def test_a_given_plugins_bad_filter_raises(name: str, function: Any, reason: str) -> None:
    with pytest.raises(kd.PluginError, match=re.escape(reason)):
        kd.open_workspace(entry_points=False, plugins=[_plugin(TemplateFilter(name, function))])


def test_a_given_plugin_answering_with_something_else_raises() -> None:
    with pytest.raises(kd.PluginError, match="not a TemplateFilter"):
        kd.open_workspace(entry_points=False, plugins=[_plugin(("laut", shout))])


def _install(site: Path, name: str, source: str, pack: Path | None = None) -> None:
    """An installed distribution ``kd-<name>`` whose plugin module is ``source``."""
    module = f"kd_{name}"
    if pack is not None:
        source += f"\n\n@hookimpl\ndef kd_template_packs():\n    return [{str(pack)!r}]\n"
    (site / f"{module}.py").write_text(source, "utf-8")
    info = site / f"{module}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: kd-{name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[kommunal_digital]\n{name} = {module}\n")


FILTER_PLUGIN = textwrap.dedent(
    """
    from kommunal_digital import hookimpl
    from kommunal_digital.workspace import TemplateFilter


    def aktenzeichen(key, aktenplan="022.30"):
        return f"Az. {aktenplan}-{str(key).upper()}"


    @hookimpl
    def kd_template_filters():
        return [
            TemplateFilter("aktenzeichen", aktenzeichen),
            TemplateFilter("euro", aktenzeichen),
            TemplateFilter("nicht gut", aktenzeichen),
        ]
    """
)


def test_an_installed_plugins_bad_filters_are_left_out_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    pack = new_pack("akten", site)
    _install(site, "akten", FILTER_PLUGIN, pack)
    monkeypatch.syspath_prepend(str(site))
    installation = kd.load_installation()
    assert installation.disabled == ()
    workspace = installation.workspace("akten")
    assert list(workspace.template_filters) == ["aktenzeichen"]
    assert workspace.problems == (
        "plugin 'akten' (kd-akten 1.0): kd_template_filters: 'euro' is the name of a built-in "
        "filter; left out",
        "plugin 'akten' (kd-akten 1.0): kd_template_filters: 'nicht gut' is not a valid filter "
        "name "
        "(a Python identifier); left out",
    )
    # Out of the plugin's scope: the filters do not apply, nothing is reported.
    other = installation.workspace("rlp")
    assert "aktenzeichen" not in other.template_filters
    assert other.problems == ()


def test_pack_check_knows_the_filters_of_the_packs_plugins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .docx_reading import make_template

    site = tmp_path / "site"
    site.mkdir()
    pack = new_pack("akten", site)
    make_template(
        pack / "templates" / "digitalstrategie.docx",
        "{% for m in measures %}{{ m.key|aktenzeichen }}{% endfor %}",
    )
    runner = CliRunner()
    # Without the plugin the filter is unknown: one problem, quoting the paragraph.
    result = runner.invoke(cli, ["pack", "check", str(pack)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (
        "templates/digitalstrategie.docx: uses the filter 'aktenzeichen' (the body, paragraph "
        '"{% for m in measures %}{{ m.key|aktenzeichen }}{% endfor %}"), which is neither '
        "built in nor added by a plugin of this pack"
    ) in result.output
    # With the plugin that ships the pack installed, the template is fine.
    _install(site, "akten", FILTER_PLUGIN, pack)
    monkeypatch.syspath_prepend(str(site))
    result = runner.invoke(cli, ["pack", "check", str(pack)])
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output


def test_check_pack_takes_the_filter_names(tmp_path: Path) -> None:
    pack = new_pack("probe", tmp_path)
    (pack / "templates" / "kurz.md").write_text(
        "# {{ municipality.name|laut }}\n\n{{ municipality.name|leise }}\n", encoding="utf-8"
    )
    manifest = pack / "pack.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + 'digitalstrategie-markdown = "templates/kurz.md"\n',
        encoding="utf-8",
    )
    installation = kd.load_installation(entry_points=False)
    problems = check_pack(
        pack,
        packs=installation.packs,
        document_types=installation.document_types(),
        filters={"laut"},
    )
    assert [str(p) for p in problems] == [
        "templates/kurz.md: uses the filter 'leise' (line 3), which is neither built in "
        "nor added by a plugin of this pack"
    ]


def test_the_aktenzeichen_example_in_the_plugin_docs_works(tmp_path: Path) -> None:
    text = (DOCS / "plugin-hooks.md").read_text(encoding="utf-8")
    block = next(
        b
        for b in re.findall(r"```python\n(.*?)```", text, re.S)
        if "def kd_template_filters():" in b
    )
    module = types.ModuleType("docs_filter_example")
    exec(compile(block, "plugin-hooks.md", "exec"), module.__dict__)
    workspace = kd.open_workspace(entry_points=False, plugins=[module])
    template = tmp_path / "akte.md"
    template.write_text(
        '{{ key|aktenzeichen }} / {{ key|aktenzeichen("460.10") }}\n', encoding="utf-8"
    )
    rendered = workspace.output_format("markdown").produce(
        template, {"key": "online-termine"}, {}, workspace.template_filters
    )
    assert rendered.decode("utf-8").strip() == (
        "Az. 022.30-ONLINE-TERMINE / Az. 460.10-ONLINE-TERMINE"
    )
