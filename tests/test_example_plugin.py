"""The tutorial's example plugin, installed with pip into a fresh venv, works end to end."""

import subprocess
import sys
import sysconfig
import textwrap
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "example-plugin"

SCRIPT = textwrap.dedent(
    """
    import attrs
    import kommunal_digital as kd

    demo = kd.demo_strategy(planned=False)
    rlp = kd.get_pack("rlp")

    # 1. the field set
    keys = [f.key for f in kd.pack_action_fields(rlp)]
    assert keys[-2:] == ["mobilitaet", "energie"], keys

    # 2. the ranking rule
    ranking = kd.rank_measures(demo, "guenstig-zuerst")
    costs = [demo.measure(k).cost.one_off for k in ranking.order]
    assert costs == sorted(costs), costs

    # 3. the validator
    bare = attrs.evolve(demo.measures[0], description="")
    findings = kd.run_checks(attrs.evolve(demo, measures=(bare, *demo.measures[1:])))
    assert [f.check for f in findings] == ["lindenau-beschreibung"], findings

    # 4. the template override
    import docx, sys
    out = kd.render_document(demo, sys.argv[1], pack=rlp)
    text = "\\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Digitalagentur Lindenau" in text and demo.municipality.name in text, text
    print("all four took effect")
    """
)


def test_example_plugin_installs_and_takes_effect(tmp_path: Path) -> None:
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
        [python, "-m", "pip", "install", "-q", "--no-deps", str(EXAMPLE)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr
    result = subprocess.run(
        [python, "-c", SCRIPT, str(tmp_path / "out.docx")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "all four took effect" in result.stdout
    assert sys.executable != str(python)
