"""The tutorial's example plugin, installed with pip into a fresh venv, works end to end."""

import os
import subprocess
import sys
import sysconfig
import textwrap
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "example-plugin"

SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import attrs
    import docx

    import kommunal_digital as kd
    from kommunal_digital.model import ActionField, Cost
    from kommunal_digital.organisation import run_checks
    from kommunal_digital.ranking import rank_measures

    workspace = kd.open_workspace("lindenau")
    assert "lindenau" in workspace.plugins, workspace.plugins
    # Scoped: the RLP pack itself is untouched by the agency's plugin.
    rlp = kd.open_workspace("rlp")
    assert "lindenau" not in rlp.plugins
    assert "guenstig-zuerst" not in rlp.ranking_rules
    assert "mobilitaet" not in rlp.action_fields
    demo = kd.demo_strategy(planned=False)

    # 1. the field set
    keys = list(workspace.action_fields)
    assert keys[-2:] == ["mobilitaet", "energie"], keys

    # 2. the ranking rule
    ranking = rank_measures(demo, workspace.ranking_rules, "guenstig-zuerst")
    costs = [demo.measure(k).cost.one_off for k in ranking.order]
    assert costs == sorted(costs), costs
    ranked = kd.rank(demo, workspace, "guenstig-zuerst")
    assert ranked.ranking is not None and ranked.ranking.order == ranking.order
    # An unknown cost is not the lowest: such a measure is not assessed and comes last.
    uncosted = attrs.evolve(demo.measures[0], cost=Cost())
    partly = attrs.evolve(demo, measures=(uncosted, *demo.measures[1:]))
    ranking = rank_measures(partly, workspace.ranking_rules, "guenstig-zuerst")
    assert ranking.assessed and ranking.order[-1] == uncosted.key, ranking.order
    assert ranking.entries[-1].note.startswith("noch nicht bewertet"), ranking.entries[-1]
    nothing = attrs.evolve(demo, measures=[attrs.evolve(m, cost=Cost()) for m in demo.measures])
    ranking = rank_measures(nothing, workspace.ranking_rules, "guenstig-zuerst")
    assert not ranking.assessed, ranking
    assert ranking.order == tuple(m.key for m in demo.measures), ranking.order

    # 3. the validator
    bare = attrs.evolve(demo.measures[0], description="")
    undescribed = attrs.evolve(demo, measures=(bare, *demo.measures[1:]))
    findings = run_checks(undescribed, workspace.governance_checks)
    assert [f.check for f in findings] == ["lindenau-beschreibung"], findings
    report = kd.check(undescribed, workspace)
    assert "governance.lindenau-beschreibung" in [d.code for d in report], list(report)

    # 4. the template override
    out = kd.render_document(demo, sys.argv[1], workspace)
    text = "\\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Digitalagentur Lindenau" in text and demo.municipality.name in text, text

    # 5. the document type, whose context comes from the strategy and the workspace
    assert workspace.document_type("kurzfassung").title == "Kurzfassung"
    short = kd.render_document(demo, sys.argv[2], workspace, document_type="kurzfassung")
    text = Path(short).read_text(encoding="utf-8")
    assert "Digitalagentur Lindenau" in text and demo.municipality.name in text, text
    assert workspace.pack.manifest.title in text, text
    for field in demo.chosen_fields:
        assert f"## {field.title}" in text, text
    context = kd.document_context(demo, workspace, "kurzfassung")
    assert [f["title"] for f in context["fields"]] == [f.title for f in demo.chosen_fields]

    # A chosen field without measures says that they are still to be worked out.
    empty = ActionField("noch-leer", "Noch leeres Feld")
    thin = attrs.evolve(demo, action_fields=(*demo.action_fields, empty))
    short = kd.render_document(
        thin, sys.argv[2], workspace, document_type="kurzfassung", force=True
    )
    text = Path(short).read_text(encoding="utf-8")
    tail = text.split("## Noch leeres Feld", 1)[1]
    assert "noch zu erarbeiten" in tail and "0 Maßnahmen" not in text, text
    out = kd.render_document(thin, sys.argv[1], workspace, force=True)
    text = "\\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Noch leeres Feld: Maßnahmen noch zu erarbeiten" in text, text
    assert "0 Maßnahmen" not in text, text
    print("all five took effect")
    """
)


def test_example_plugin_installs_and_takes_effect(tmp_path: Path) -> None:
    # The example builds with hatchling, from the test extra: offline, without
    # pip's build isolation (which would download it).
    pytest.importorskip("hatchling", reason="hatchling comes with the test extra")
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # The fresh venv sees the installed kommunal-digital (and its dependencies) of
    # this test run; the example plugin itself is installed into it with pip.
    # addsitedir also runs that site's .pth files (editable installs use them).
    outer = sysconfig.get_paths()["purelib"]
    (site / "kommunal_digital_test.pth").write_text(
        f"import site; site.addsitedir({outer!r})\n", encoding="utf-8"
    )
    install = subprocess.run(
        [
            *(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index"),
            *("--no-build-isolation", "--disable-pip-version-check", str(EXAMPLE)),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )
    assert install.returncode == 0, install.stderr
    result = subprocess.run(
        [python, "-c", SCRIPT, str(tmp_path / "out.docx"), str(tmp_path / "kurz.md")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "all five took effect" in result.stdout
    assert sys.executable != str(python)
