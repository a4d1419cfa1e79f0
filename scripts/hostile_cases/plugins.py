"""Misbehaving plugins: failing at import or in a hook, calling sys.exit, returning garbage.

Each plugin is a distribution installed into a folder of the case (a
module and a ``.dist-info`` with its entry point) that goes on
``sys.path`` for the case only. Code that fails must end as an error or
warning naming the plugin and its distribution; garbage it returns, as
one naming the plugin.
"""

from __future__ import annotations

from hostile_cases import (
    Case,
    Spec,
    case,
    cli,
    either,
    exits,
    ok,
    pack,
    process,
    small_strategy,
    strategy,
)

GROUP = "plugins"

HEAD = """\
from pathlib import Path

from kommunal_digital import hookimpl

PACK = Path(__file__).parent / "{folder}"


@hookimpl
def kd_template_packs():
    return [PACK]
"""

FAULTS = {
    "import-raises": "raise RuntimeError('kaputt beim Import')\n",
    "import-exit-3": "raise SystemExit(3)\n",
    "import-exit-0": "import sys\nsys.exit(0)\n",
    "import-recursion": "def f():\n    return f()\nf()\n",
    "hook-raises": "@hookimpl\ndef kd_ranking_rules():\n    raise RuntimeError('Regeln kaputt')\n",
    "hook-exit": "@hookimpl\ndef kd_ranking_rules():\n    raise SystemExit(3)\n",
    "hook-exit-0": "@hookimpl\ndef kd_roadmap_presets():\n    import sys\n    sys.exit(0)\n",
    "hook-returns-text": "@hookimpl\ndef kd_action_fields(pack):\n    return 'Tourismus'\n",
    "hook-returns-none": "@hookimpl\ndef kd_ranking_rules():\n    return None\n",
    "hook-returns-numbers": "@hookimpl\ndef kd_document_types():\n    return [1, 2]\n",
    "hook-bad-repr": (
        "class Bad:\n    def __repr__(self):\n        raise RuntimeError('repr')\n"
        "    __str__ = __repr__\n\n"
        "@hookimpl\ndef kd_action_fields(pack):\n    return [Bad()]\n"
    ),
    "hook-generator-raises": (
        "@hookimpl\ndef kd_governance_checks():\n"
        "    yield from ()\n    raise ValueError('mittendrin')\n"
    ),
    "hook-pack-missing": (
        "@hookimpl(specname='kd_template_packs')\ndef more_packs():\n"
        "    return ['@IN@/gibt-es-nicht']\n"
    ),
    "hook-pack-number": (
        "@hookimpl(specname='kd_template_packs')\ndef more_packs():\n    return 42\n"
    ),
}

DOCUMENT_TYPE = """\
from kommunal_digital.workspace import DocumentType


def _context(strategy, workspace, today):
    {body}


@hookimpl
def kd_document_types():
    return [DocumentType(name="flucht", title={title!r}, context=_context)]
"""

#: A plugin's document type: its title (data) and what its context does (code).
DOCUMENT_TYPES = {
    "title-traversal": ("../../../entkommen", "return {}"),
    "title-absolute": ("/@BASE@/entkommen", "return {}"),
    "title-reserved": ("CON", "return {}"),
    "title-long": ("T" * 300, "return {}"),
    "context-exit": ("Flucht", "raise SystemExit(3)"),
    "context-raises": ("Flucht", "raise RuntimeError('Kontext kaputt')"),
}


def plugin(name: str, source: str, with_pack: bool = True) -> list[Spec]:
    """The distribution kd-hostile-<name> (entry point hostile-<name>), with a pack of its own."""
    module = f"kd_hostile_{name.replace('-', '_')}"
    folder = f"feind_{name.replace('-', '_')}"
    head = HEAD.format(folder=folder) if with_pack else "from kommunal_digital import hookimpl\n"
    recipes: list[Spec] = [
        {
            "kind": "plugin",
            "site": "site",
            "module": module,
            "dist": f"kd-hostile-{name}",
            "entry": f"hostile-{name}",
            "source": head + "\n" + source,
        }
    ]
    if with_pack:
        files = {"templates/flucht.md": {"text": "# Flucht\n"}}
        documents = {"flucht-markdown": "templates/flucht.md"}
        recipes.append(pack(f"feind-{name}", files, documents, folder=f"site/{folder}"))
    return recipes


def _faults() -> list[Case]:
    found = []
    for name, source in FAULTS.items():
        at_import = name.startswith("import-")
        # Code that fails is named with its distribution; garbage it returns, by the plugin.
        names = [f"hostile-{name}"]
        if not name.startswith(("hook-returns", "hook-pack")):
            names.append(f"kd-hostile-{name}")
        own_pack = not at_import and not name.startswith("hook-pack")
        entry = {
            "api": "installation",
            "site": "site",
            "pack": f"feind-{name}" if own_pack else None,
        }
        expect = either("PluginError", *names, stage=None)
        if name != "hook-returns-none":  # None is no contribution (pluggy drops it), not a fault
            expect["report"] = names
        inputs = plugin(name, source, with_pack=not at_import)
        found.append(
            case(
                f"plugin-{name}",
                GROUP,
                f"a plugin that {name.replace('-', ' ')}",
                inputs,
                entry,
                expect,
            )
        )
    for name in ("import-exit-3", "hook-exit", "hook-bad-repr", "import-raises"):
        at_import = name.startswith("import-")
        args = ["validate", "@IN@/strategy.yaml"] + (
            [] if at_import else ["--pack", f"feind-{name}"]
        )
        found.append(
            case(
                f"cli-plugin-{name}",
                GROUP,
                f"validate with a plugin that {name.replace('-', ' ')}",
                [strategy(), *plugin(name, FAULTS[name], with_pack=not at_import)],
                cli(*args, site="site"),
                exits([0, 1], f"hostile-{name}", f"kd-hostile-{name}"),
            )
        )
    found.append(
        case(
            "process-plugin-import-exit-3",
            GROUP,
            "a plugin raising SystemExit(3) at import, in a real process: not the gate's exit code",
            [strategy(), *plugin("import-exit-3", FAULTS["import-exit-3"], with_pack=False)],
            process("validate", "@IN@/strategy.yaml", env={"PYTHONPATH": "@IN@/site"}),
            exits([0, 1], "hostile-import-exit-3", "kd-hostile-import-exit-3"),
            seconds=30,
        )
    )
    return found


def _document_types() -> list[Case]:
    found = []
    for name, (title, body) in DOCUMENT_TYPES.items():
        source = DOCUMENT_TYPE.format(title=title, body=body)
        inputs = [small_strategy(), *plugin(name, source)]
        if name.startswith("context"):
            # A context is code: on the command line its failure names the plugin and its
            # distribution (docs/errors.md, PluginError); in the API it is the plugin's own.
            args = ("build", "@IN@/strategy.yaml", "--pack", f"feind-{name}", "--out", "@OUT@/docs")
            entry = cli(*args, "--type", "flucht", "--format", "markdown", site="site")
            expect = exits([1], f"hostile-{name}", f"kd-hostile-{name}")
        else:
            # A title is data: the file name made of it must be safe.
            entry = {
                "api": "build",
                "site": "site",
                "pack": f"site/feind_{name.replace('-', '_')}",
                "types": ["flucht"],
                "formats": ["markdown"],
            }
            expect = ok(checks=[{"check": "names"}, {"check": "files", "glob": "docs/*.md"}])
        found.append(
            case(
                f"plugin-document-{name}",
                GROUP,
                f"a plugin's document type titled {title[:30]!r} whose context does {body!r}",
                inputs,
                entry,
                expect,
            )
        )
    return found


def cases() -> list[Case]:
    """The plugins group."""
    return [*_faults(), *_document_types()]
