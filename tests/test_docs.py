"""The documentation stays in step with the code it describes."""

import datetime as dt
from pathlib import Path

import click
import pytest

import kommunal_digital as kd
import kommunal_digital.model
from kommunal_digital.cli.main import cli
from kommunal_digital.demo import demo_workspace
from kommunal_digital.documents import strategy_context
from kommunal_digital.organisation import build_organigram, run_checks
from kommunal_digital.ranking import rank_measures

from .context_keys import context_keys

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_render_context_key_is_documented() -> None:
    context = strategy_context(kd.demo_strategy(), demo_workspace(), today=dt.date(2027, 1, 1))
    text = (DOCS / "render-context.md").read_text(encoding="utf-8")
    missing = sorted(k for k in context_keys(context) if f"`{k}`" not in text)
    assert missing == []


@pytest.mark.parametrize("document_type", sorted(demo_workspace().document_types))
def test_every_key_of_every_document_type_is_documented(document_type: str) -> None:
    demo = kd.demo_strategy()
    workspace = demo_workspace()
    context = kd.document_context(
        demo, workspace, document_type, measure=demo.measures[0].key, today=dt.date(2027, 1, 1)
    )
    text = (DOCS / "render-context.md").read_text(encoding="utf-8")
    text += (DOCS / "monitoring.md").read_text(encoding="utf-8")  # the progress report's keys
    assert f"`{document_type}`" in text or f"### {document_type}" in text
    missing = sorted(k for k in context_keys(context) if f"`{k}`" not in text)
    assert missing == []
    declared = workspace.document_type(document_type).variables
    assert set(context) <= declared


# The group imports its commands lazily; list_commands and get_command see them all.
CLI_CONTEXT = click.Context(cli)


@pytest.mark.parametrize("command", cli.list_commands(CLI_CONTEXT))
def test_every_cli_command_is_documented(command: str) -> None:
    text = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    assert f"kommunal-digital {command}" in text
    found = cli.get_command(CLI_CONTEXT, command)
    assert found is not None
    assert found.help


def test_every_strategy_field_is_documented() -> None:
    import attrs

    text = (DOCS / "strategy-file.md").read_text(encoding="utf-8")
    text += (DOCS / "planning.md").read_text(encoding="utf-8")
    text += (DOCS / "ranking.md").read_text(encoding="utf-8")
    text += (DOCS / "organisation.md").read_text(encoding="utf-8")
    text += (DOCS / "template-packs.md").read_text(encoding="utf-8")
    model = kommunal_digital.model
    classes = [getattr(kd, name) for name in kd.__all__]
    classes += [getattr(model, name) for name in model.__all__]
    missing = [
        f"{cls.__name__}.{field.name}"
        for cls in classes
        if isinstance(cls, type)
        and attrs.has(cls)
        and cls.__module__.startswith("kommunal_digital.model")
        for field in attrs.fields(cls)
        if f"`{field.name}`" not in text
    ]
    assert missing == []


def python_blocks(page: str) -> list[str]:
    import re

    text = (DOCS / page).read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.S)


def test_ranking_rule_example_in_plugin_docs_works() -> None:
    import types

    block = next(b for b in python_blocks("plugin-hooks.md") if "class Cheapest" in b)
    module = types.ModuleType("cheapest_plugin")
    exec(compile(block, "plugin-hooks.md", "exec"), module.__dict__)
    workspace = kd.open_workspace(entry_points=False, plugins=[module])
    demo = kd.demo_strategy(planned=False)
    ranking = rank_measures(demo, workspace.ranking_rules, "guenstig-zuerst")
    costs = [demo.measure(key).cost.one_off for key in ranking.order]
    known = [c for c in costs if c is not None]  # the demo's costs are all estimated
    assert known == costs
    assert known == sorted(known)


def test_organisation_hook_examples_in_plugin_docs_work() -> None:
    import types

    blocks = [
        b
        for b in python_blocks("plugin-hooks.md")
        if "@hookimpl" in b
        and ("def kd_organigram_presets" in b or "def kd_governance_checks" in b)
    ]
    assert len(blocks) == 2
    plugins = []
    for index, block in enumerate(blocks):
        module = types.ModuleType(f"docs_example_{index}")
        exec(compile(block, "plugin-hooks.md", "exec"), module.__dict__)
        plugins.append(module)
    workspace = kd.open_workspace(entry_points=False, plugins=plugins)
    demo = kd.demo_strategy(planned=False)
    organigram = build_organigram(workspace.organigram_presets["klein"], demo)
    assert len(organigram.roles) == 1 + len(demo.chosen_fields)
    # The Thüringen core-team preset is data of the bundled base pack.
    thueringen = build_organigram(workspace.organigram_presets["thueringen-kernteam"], demo)
    import attrs

    findings = run_checks(attrs.evolve(demo, organigram=thueringen), workspace.governance_checks)
    assert [f.check for f in findings] == ["cdo-named"]


def test_document_type_and_output_format_examples_in_plugin_docs_work(tmp_path: Path) -> None:
    import json
    import types

    blocks = [
        b
        for b in python_blocks("plugin-hooks.md")
        if "@hookimpl" in b and ("def kd_document_types" in b or "def kd_output_formats" in b)
    ]
    assert len(blocks) == 2
    plugins = []
    for index, block in enumerate(blocks):
        module = types.ModuleType(f"docs_output_example_{index}")
        exec(compile(block, "plugin-hooks.md", "exec"), module.__dict__)
        plugins.append(module)
    workspace = kd.open_workspace(entry_points=False, plugins=plugins)
    demo = kd.demo_strategy(planned=False)
    # The example's context builder receives the workspace.
    written = kd.render_document(
        demo, tmp_path / "kurz.json", workspace, document_type="kurzfassung"
    )
    context = json.loads(written.read_text(encoding="utf-8"))
    assert context["name"] == demo.municipality.name
    assert context["pack"] == workspace.pack.name
    # The per-measure type: one context per measure, by the measure's key.
    measure = demo.measures[0]
    sheet = kd.render_document(
        demo,
        tmp_path / "blatt.json",
        workspace,
        document_type="massnahmenblatt",
        measure=measure.key,
    )
    assert json.loads(sheet.read_text(encoding="utf-8"))["title"] == measure.title
    text = kd.render_document(demo, tmp_path / "titel.txt", workspace, output_format="text")
    assert text.read_text(encoding="utf-8") == f"{demo.title}\n"


def test_the_custom_rule_example_in_the_ranking_docs_works() -> None:
    import types

    block = next(b for b in python_blocks("ranking.md") if "class Ehrenamt" in b)
    module = types.ModuleType("ehrenamt_rule")
    exec(compile(block, "ranking.md", "exec"), module.__dict__)
    workspace = kd.open_workspace(entry_points=False)
    rules = {**workspace.ranking_rules, "ehrenamt-zuerst": module.Ehrenamt()}
    demo = kd.demo_strategy(planned=False)
    lean = demo.measures[-1]
    import attrs

    demo = attrs.evolve(demo, measures=(*demo.measures[:-1], attrs.evolve(lean, staff_fte=0.0)))
    ranking = rank_measures(demo, rules, "ehrenamt-zuerst")
    assert ranking.order[0] == lean.key
    assert ranking.entries[0].note == "ohne zusätzliches Personal"
    votes = [demo.measure(key).votes for key in ranking.order[1:]]
    assert votes == sorted(votes, reverse=True)


def test_context_extension_and_picture_source_examples_in_plugin_docs_work() -> None:
    import types

    from kommunal_digital.documents import document_images

    blocks = [
        b
        for b in python_blocks("plugin-hooks.md")
        if "@hookimpl" in b and ("def kd_context_extensions" in b or "def kd_picture_sources" in b)
    ]
    assert len(blocks) == 2
    plugins = []
    for index, block in enumerate(blocks):
        module = types.ModuleType(f"docs_extender_example_{index}")
        exec(compile(block, "plugin-hooks.md", "exec"), module.__dict__)
        plugins.append(module)
    workspace = kd.open_workspace(entry_points=False, plugins=plugins)
    demo = kd.demo_strategy(planned=False)
    context = kd.document_context(demo, workspace, "beschlussvorlage")
    titles = sorted(p.title for p in workspace.funding_programmes.values())
    assert titles
    assert context["foerderprogramme"] == titles
    assert "foerderprogramme" not in kd.document_context(demo, workspace, "vorgehensplan")
    assert document_images(demo, workspace)["kostenbalken"].startswith(b"\x89PNG")


def test_the_architecture_page_lists_the_layers_of_the_contract() -> None:
    import configparser
    import re

    config = configparser.ConfigParser()
    config.read(DOCS.parent / ".importlinter", encoding="utf-8")
    contract = config["importlinter:contract:layers"]["layers"]
    # .importlinter lists the layers top down; the page's table goes bottom up.
    layers = [
        sorted(name.strip() for name in line.split("|"))
        for line in reversed(contract.strip().splitlines())
    ]
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| ([^|]*(?:\\\|[^|]*)*) \|", text, re.M)
    documented = [sorted(re.findall(r"`(\w+)`", cell)) for _, cell in rows]
    assert documented == layers
