"""The documentation stays in step with the code it describes."""

import datetime as dt
from pathlib import Path

import pytest

import kommunal_digital as kd
from kommunal_digital.cli.main import cli

from .context_keys import context_keys

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_render_context_key_is_documented() -> None:
    context = kd.strategy_context(kd.demo_strategy(), today=dt.date(2027, 1, 1))
    text = (DOCS / "render-context.md").read_text(encoding="utf-8")
    missing = sorted(k for k in context_keys(context) if f"`{k}`" not in text)
    assert missing == []


@pytest.mark.parametrize("document_type", sorted(kd.document_types()))
def test_every_key_of_every_document_type_is_documented(document_type: str) -> None:
    demo = kd.demo_strategy()
    context = kd.document_context(
        demo, document_type, measure=demo.measures[0].key, today=dt.date(2027, 1, 1)
    )
    text = (DOCS / "render-context.md").read_text(encoding="utf-8")
    text += (DOCS / "monitoring.md").read_text(encoding="utf-8")  # the progress report's keys
    assert f"`{document_type}`" in text or f"### {document_type}" in text
    missing = sorted(k for k in context_keys(context) if f"`{k}`" not in text)
    assert missing == []
    declared = kd.document_types()[document_type].variables
    assert set(context) <= declared


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_cli_command_is_documented(command: str) -> None:
    text = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    assert f"kommunal-digital {command}" in text
    assert cli.commands[command].help


def test_every_strategy_field_is_documented() -> None:
    import attrs

    text = (DOCS / "strategy-file.md").read_text(encoding="utf-8")
    text += (DOCS / "planning.md").read_text(encoding="utf-8")
    text += (DOCS / "ranking.md").read_text(encoding="utf-8")
    text += (DOCS / "organisation.md").read_text(encoding="utf-8")
    text += (DOCS / "template-packs.md").read_text(encoding="utf-8")
    classes = [getattr(kd, name) for name in kd.__all__]
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
    pm = kd.make_plugin_manager(load_entry_points=False, plugins=[module])
    demo = kd.demo_strategy(planned=False)
    ranking = kd.rank_measures(demo, "guenstig-zuerst", manager=pm)
    costs = [demo.measure(key).cost.one_off for key in ranking.order]
    assert costs == sorted(costs)


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
    pm = kd.make_plugin_manager(load_entry_points=False, plugins=plugins)
    demo = kd.demo_strategy(planned=False)
    organigram = kd.build_organigram(kd.organigram_presets(pm)["klein"], demo)
    assert len(organigram.roles) == 1 + len(demo.chosen_fields)
    thueringen = kd.build_organigram(kd.organigram_presets(pm)["thueringen-kernteam"], demo)
    import attrs

    findings = kd.run_checks(attrs.evolve(demo, organigram=thueringen), manager=pm)
    assert [f.check for f in findings] == ["cdo-named"]
