"""A broken installed plugin disables only itself: every command still works and says so once."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.cli.main import cli

MANIFEST = """\
[pack]
name = "{name}"
version = "1.0"
title = "Kaputtes Paket"
kommunal_digital = "{supports}"
extends = "base"

[data]
action_fields = "fields.yaml"
"""

GOOD_FIELDS = "action_fields:\n  - key: eins\n    title: Eins\n"


def _pack(root: Path, name: str, supports: str, fields: str) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "pack.toml").write_text(MANIFEST.format(name=name, supports=supports), "utf-8")
    (folder / "fields.yaml").write_text(fields, "utf-8")
    return folder


def _module(case: str, root: Path) -> str | None:
    """The source of the plugin module for a case (None: the module is missing)."""
    head = "from kommunal_digital import hookimpl\n\n"
    if case == "missing-module":
        return None
    if case == "exit-on-import":
        return head + "raise SystemExit(3)\n"
    if case == "misspelt-hook":
        return head + "@hookimpl\ndef kd_action_feilds(pack):\n    return []\n"
    if case == "wrong-argument":
        return head + "@hookimpl\ndef kd_action_fields(paket):\n    return []\n"
    if case == "excluded-version":
        folder = _pack(root, "zukunft", ">=9.0", GOOD_FIELDS)
        return head + f"@hookimpl\ndef kd_template_packs():\n    return [{str(folder)!r}]\n"
    if case == "invalid-yaml":
        folder = _pack(root, "kaputt", ">=0.1", "action_fields: [unclosed\n")
        return head + f"@hookimpl\ndef kd_template_packs():\n    return [{str(folder)!r}]\n"
    raise AssertionError(case)


CASES = [
    "missing-module",
    "exit-on-import",
    "misspelt-hook",
    "wrong-argument",
    "excluded-version",
    "invalid-yaml",
]
REASONS = {
    "missing-module": "cannot be imported",
    "exit-on-import": "cannot be imported: it called sys.exit(3) (SystemExit)",
    "misspelt-hook": "unknown hook 'kd_action_feilds'",
    "wrong-argument": "paket",
    "excluded-version": "supports kommunal-digital >=9.0",
    "invalid-yaml": "kaputt/fields.yaml",
}


def _install(site: Path, case: str) -> str:
    """A distribution ``kd-broken-<case>`` 1.0 with an entry point into a module of its own."""
    module = f"kd_broken_{case.replace('-', '_')}"
    name = f"broken-{case}"
    source = _module(case, site)
    if source is not None:
        (site / f"{module}.py").write_text(source, "utf-8")
    info = site / f"kd_broken_{case.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: kd-broken-{case}\nVersion: 1.0\n", "utf-8"
    )
    (info / "entry_points.txt").write_text(f"[kommunal_digital]\n{name} = {module}\n", "utf-8")
    return name


@pytest.fixture(scope="module")
def strategy_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    return kd.dump_strategy(kd.demo_strategy(), folder / "strategy.yaml")


def run(args: list[str | Path]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("case", CASES)
def test_a_broken_plugin_disables_only_itself(
    case: str, strategy_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    name = _install(site, case)
    monkeypatch.syspath_prepend(str(site))
    out = tmp_path / "out"
    commands: list[list[str | Path]] = [
        ["plugins"],
        ["packs"],
        ["validate", strategy_file],
        ["rank", strategy_file, "--out", out / "ranked.yaml"],
        ["plan", strategy_file, "--out", out / "planned.yaml"],
        ["build", strategy_file, "--out", out / "docs", "--format", "json"],
        ["demo", "--out", out / "demo"],
    ]
    for command in commands:
        code, stdout, stderr = run(command)
        assert code == 0, (command, stderr)
        warnings = [line for line in stderr.splitlines() if line.startswith("warning:")]
        assert len(warnings) == 1, (command, stderr)
        assert f"plugin {name!r}" in warnings[0]
        assert f"kd-broken-{case} 1.0" in warnings[0]
        assert REASONS[case] in warnings[0], warnings[0]
        assert "Traceback" not in stdout + stderr
    code, stdout, _ = run(["plugins", "--json"])
    rows = {row["name"]: row for row in json.loads(stdout)}
    assert rows[name]["distribution"] == f"kd-broken-{case}"
    assert rows[name]["version"] == "1.0"
    assert REASONS[case] in rows[name]["disabled"]
    code, stdout, _ = run(["packs", "--json"])
    assert [d["name"] for d in json.loads(stdout)["disabled"]] == [name]


def test_a_function_named_like_a_hook_without_the_marker_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "kd_unmarked.py").write_text(
        textwrap.dedent(
            """
            from kommunal_digital import hookimpl

            @hookimpl
            def kd_ranking_rules():
                return []

            def kd_action_fields(pack):
                return []
            """
        ),
        "utf-8",
    )
    info = site / "kd_unmarked-2.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kd-unmarked\nVersion: 2.0\n")
    (info / "entry_points.txt").write_text("[kommunal_digital]\nunmarked = kd_unmarked\n")
    monkeypatch.syspath_prepend(str(site))
    code, stdout, stderr = run(["plugins"])
    assert code == 0
    assert "warning: plugin 'unmarked': kd_action_fields has no @hookimpl marker" in stderr
    assert "unmarked 2.0 (kd-unmarked 2.0): kd_ranking_rules" in stdout


def test_the_installed_plugins_show_their_distribution_versions() -> None:
    code, stdout, _ = run(["plugins", "--json"])
    assert code == 0
    rows = {row["name"]: row for row in json.loads(stdout)}
    for name in ("rlp", "thueringen", "nrw"):
        assert rows[name]["distribution"] == f"kommunal-digital-{name}"
        assert rows[name]["version"] not in ("", "-")
        assert rows[name]["disabled"] is None


def test_a_plugin_failing_in_a_hook_is_left_out_of_that_hook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strategy_file: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    folder = _pack(site, "wackel", ">=0.1", GOOD_FIELDS)
    (site / "kd_wackel.py").write_text(
        textwrap.dedent(
            f"""
            from kommunal_digital import hookimpl

            @hookimpl
            def kd_template_packs():
                return [{str(folder)!r}]

            @hookimpl
            def kd_ranking_rules():
                raise RuntimeError("Regeln nicht erreichbar")
            """
        ),
        "utf-8",
    )
    info = site / "kd_wackel-0.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kd-wackel\nVersion: 0.3\n")
    (info / "entry_points.txt").write_text("[kommunal_digital]\nwackel = kd_wackel\n")
    monkeypatch.syspath_prepend(str(site))
    installation = kd.load_installation()
    assert installation.disabled == ()
    workspace = installation.workspace("wackel")
    assert workspace.problems == (
        "plugin 'wackel' (kd-wackel 0.3) failed in kd_ranking_rules and is left out of it: "
        "RuntimeError: Regeln nicht erreichbar",
    )
    assert "nutzwert" in workspace.ranking_rules  # the others still answer
    assert installation.workspace("rlp").problems == ()  # out of scope, never asked
    code, _, stderr = run(["validate", strategy_file, "--pack", "wackel"])
    assert code == 0
    assert "warning: plugin 'wackel' (kd-wackel 0.3) failed in kd_ranking_rules" in stderr
    assert "Traceback" not in stderr


def _install_module(site: Path, name: str, source: str, version: str = "0.3") -> None:
    """A distribution ``kd-<name>`` with an entry point ``<name>`` into ``kd_<name>.py``."""
    (site / f"kd_{name}.py").write_text(textwrap.dedent(source), "utf-8")
    info = site / f"kd_{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: kd-{name}\nVersion: {version}\n", "utf-8"
    )
    (info / "entry_points.txt").write_text(f"[kommunal_digital]\n{name} = kd_{name}\n", "utf-8")


def test_a_plugin_calling_sys_exit_in_a_hook_is_left_out_of_that_hook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strategy_file: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    folder = _pack(site, "ausgang", ">=0.1", GOOD_FIELDS)
    _install_module(
        site,
        "ausgang",
        f"""
        import sys
        from kommunal_digital import hookimpl

        @hookimpl
        def kd_template_packs():
            return [{str(folder)!r}]

        @hookimpl
        def kd_ranking_rules():
            sys.exit(3)
        """,
    )
    monkeypatch.syspath_prepend(str(site))
    code, _, stderr = run(["validate", strategy_file, "--pack", "ausgang"])
    assert code == 0, stderr
    assert (
        "warning: plugin 'ausgang' (kd-ausgang 0.3) failed in kd_ranking_rules and is left "
        "out of it: it called sys.exit(3) (SystemExit)"
    ) in stderr


RULE_PLUGIN = """
import sys
from kommunal_digital import hookimpl

class Rule:
    name = "abbruch"
    title = "Abbruch"

    def rank(self, request):
        {action}

@hookimpl
def kd_template_packs():
    return [{folder!r}]

@hookimpl
def kd_ranking_rules():
    return [Rule()]
"""


@pytest.mark.parametrize(
    ("name", "action", "reason"),
    [
        (
            "ausstieg",
            "sys.exit(3)",
            "it called sys.exit(3) (SystemExit); plugins must raise errors instead",
        ),
        ("absturz", "raise RuntimeError('Regel kaputt')", "RuntimeError: Regel kaputt"),
    ],
)
def test_plugin_code_failing_in_a_command_is_an_error_naming_the_plugin(
    name: str,
    action: str,
    reason: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    strategy_file: Path,
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    folder = _pack(site, name, ">=0.1", GOOD_FIELDS)
    _install_module(site, name, RULE_PLUGIN.format(action=action, folder=str(folder)))
    monkeypatch.syspath_prepend(str(site))
    out = tmp_path / "rangfolge.yaml"
    args: list[str | Path] = ["rank", strategy_file, "--pack", name, "--rule", "abbruch"]
    args += ["--out", out]
    code, stdout, stderr = run(args)
    # Never the plugin's exit status: 3 means "gate not passed".
    assert code == 1
    assert stderr.splitlines()[-1] == f"error: plugin {name!r} (kd-{name} 0.3) failed: {reason}"
    assert "Traceback" not in stdout + stderr
    assert not out.exists()


def test_a_plugin_of_the_application_calling_sys_exit_raises_a_plugin_error() -> None:
    class Leaving:
        @kd.hookimpl
        def kd_action_fields(self) -> list[kd.ActionField]:
            raise SystemExit(3)

    with pytest.raises(
        kd.PluginError, match=r"failed in kd_action_fields: it called sys.exit\(3\)"
    ):
        kd.open_workspace(entry_points=False, plugins=[Leaving()])
