"""The documentation site: the API reference is complete and current, the
tutorial and the how-to guides work as written.

The API reference pages (``docs/reference/*.md``) are generated from the
source pages in ``scripts/reference_pages`` by ``scripts/build_reference.py``;
the checks of what is documented read the sources' ``:::`` directives.

Code blocks in ``docs/tutorial.md`` and ``docs/howto/*.md`` that are preceded
by an HTML comment are run, in page order, in a fresh folder:

- ``<!-- test: file NAME -->``: the next block is written to the file NAME;
- ``<!-- test: run -->``: the next block runs. A ``python`` block is
  executed (all blocks of a page share one namespace); in a ``bash`` block
  every line that starts with ``kommunal-digital`` is run through click's
  test runner and must exit with status 0 (``<!-- test: run N -->``: with
  status N);
- ``<!-- test: output -->``: the next block is exactly what the preceding
  ``run`` block printed.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import importlib
import importlib.util
import io
import re
import shlex
import sys
import types
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference"
REFERENCE_SOURCES = ROOT / "scripts" / "reference_pages"
BUILD_REFERENCE = ROOT / "scripts" / "build_reference.py"
TESTED_PAGES = [
    DOCS / "tutorial.md",
    *sorted(p for p in (DOCS / "howto").glob("*.md") if p.name != "index.md"),
]

MARKED_BLOCK = re.compile(
    r"<!-- test: (?P<action>file|run|output)(?: (?P<arg>\S+))? -->\s*\n"
    r"```(?P<lang>\w*)[^\n]*\n(?P<body>.*?)^```",
    re.S | re.M,
)


@attrs.frozen
class Block:
    """A marked code block of a documentation page."""

    action: str
    arg: str | None
    lang: str
    body: str
    line: int


def marked_blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    return [
        Block(m["action"], m["arg"], m["lang"], m["body"], text.count("\n", 0, m.start("body")) + 1)
        for m in MARKED_BLOCK.finditer(text)
    ]


@functools.cache
def build_reference() -> types.ModuleType:
    """``scripts/build_reference.py``, imported (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("build_reference", BUILD_REFERENCE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_reference", module)
    spec.loader.exec_module(module)
    return module


def reference_names() -> list[str]:
    """Every ``::: kommunal_digital...`` directive of the reference sources, in page order."""
    names: list[str] = []
    for page in sorted(REFERENCE_SOURCES.glob("*.md")):
        names += build_reference().directive_paths(page.read_text("utf-8"))
    return names


def namespaces() -> list[str]:
    """The documented namespaces: what ``dir(kd)`` offers besides the top-level names."""
    return sorted(set(dir(kd)) - set(kd.__all__))


def public_paths() -> dict[str, object]:
    """Every public path: the top-level ``__all__`` and each namespace's ``__all__``."""
    paths = {f"kommunal_digital.{name}": getattr(kd, name) for name in kd.__all__}
    for namespace in namespaces():
        module = importlib.import_module(f"kommunal_digital.{namespace}")
        for name in getattr(module, "__all__", ()):
            paths[f"kommunal_digital.{namespace}.{name}"] = getattr(module, name)
    return paths


def identity(path: str, value: object) -> tuple[str, int]:
    """A public name: the same object under the same name is one name, by whatever path."""
    return path.rsplit(".", 1)[1], id(value)


def names_a_submodule(path: str) -> bool:
    """Whether ``kommunal_digital.<namespace>.<name>`` is also a submodule's path."""
    parent = importlib.import_module(path.rsplit(".", 1)[0])
    return hasattr(parent, "__path__") and importlib.util.find_spec(path) is not None


def module_path_object(path: str) -> object | None:
    """The public object a path into a module names, else ``None``.

    Only a re-exported name that shares its name with a submodule
    (``kommunal_digital.ranking.sensitivity``) is documented under its
    module (``kommunal_digital.ranking.sensitivity.sensitivity``), because
    the namespace path also names the submodule.
    """
    parts = path.split(".")
    if len(parts) < 4 or parts[1] not in namespaces():
        return None
    try:
        module = importlib.import_module(".".join(parts[:-1]))
    except ImportError:
        return None
    value = getattr(module, parts[-1], None)
    shadowed = [
        public_path
        for public_path, public_value in public_paths().items()
        if identity(public_path, public_value) == identity(path, value)
        and public_path.count(".") == 2
        and names_a_submodule(public_path)
    ]
    return value if shadowed else None


def documented() -> dict[tuple[str, int], list[str]]:
    """The documented paths of each public name (paths to nothing public left out)."""
    public = public_paths()
    found: dict[tuple[str, int], list[str]] = {}
    for path in reference_names():
        value = public[path] if path in public else module_path_object(path)
        if value is not None:
            found.setdefault(identity(path, value), []).append(path)
    return found


def test_every_public_name_is_in_the_api_reference() -> None:
    names = documented()
    missing = sorted(
        path for path, value in public_paths().items() if identity(path, value) not in names
    )
    assert missing == []


def test_the_api_reference_names_only_public_names_once() -> None:
    public = public_paths()
    names = reference_names()
    private = [p for p in names if p not in public and module_path_object(p) is None]
    assert private == []
    twice = sorted(paths for paths in documented().values() if len(paths) > 1)
    assert twice == []


def test_names_a_namespace_lists_are_documented_under_it() -> None:
    in_namespace = {
        identity(path, value) for path, value in public_paths().items() if path.count(".") == 2
    }
    at_top = [
        path
        for key, paths in documented().items()
        for path in paths
        if path.count(".") == 1 and key in in_namespace
    ]
    assert at_top == []


def test_no_namespace_path_names_a_submodule_instead() -> None:
    # The path also names the submodule: the directive would be ambiguous.
    public = public_paths()
    shadowed = [
        path
        for path in reference_names()
        if path in public
        and not isinstance(public[path], types.ModuleType)
        and path.count(".") == 2
        and names_a_submodule(path)
    ]
    assert shadowed == []


def test_the_reference_index_lists_every_top_level_name() -> None:
    text = (REFERENCE / "index.md").read_text(encoding="utf-8")
    assert [name for name in kd.__all__ if f"`{name}`" not in text] == []


def test_the_generated_reference_pages_are_current() -> None:
    script = build_reference()
    pages = script.render_all()
    stale = script.stale_pages(pages)
    diff = [
        line
        for name in stale
        if name in pages and (REFERENCE / name).exists()
        for line in difflib.unified_diff(
            (REFERENCE / name).read_text(encoding="utf-8").splitlines(),
            pages[name].splitlines(),
            f"docs/reference/{name}",
            "rendered",
            lineterm="",
        )
    ]
    assert stale == [], (
        f"stale pages in docs/reference: {stale}; run .venv/bin/python "
        "scripts/build_reference.py and commit the result\n" + "\n".join(diff[:60])
    )


def test_every_reference_source_page_is_generated() -> None:
    sources = sorted(p.name for p in REFERENCE_SOURCES.glob("*.md"))
    assert sources == sorted(p.name for p in REFERENCE.glob("*.md"))


SENTENCE = re.compile(r"^[A-Z`\"„(0-9].*[.!?)]$")
PLACEHOLDER = re.compile(r"\b(todo|fixme|xxx|stub|tbd|docstring)\b", re.I)


def is_sentence(text: str) -> bool:
    """A summary that says something: capitalised, three words or more, a full stop."""
    return len(text.split()) >= 3 and bool(SENTENCE.match(text)) and not PLACEHOLDER.search(text)


def test_every_documented_object_has_a_real_summary() -> None:
    script = build_reference()
    stubs = [
        f"{item.path} ({item.kind}): {script.summary(item.doc)!r}"
        for item in script.documented_objects()
        if not is_sentence(script.summary(item.doc))
    ]
    assert not stubs, "docstrings without a real summary:\n" + "\n".join(stubs)


def constructor_docs(cls: type) -> list[str]:
    """The docstrings that may describe a class's parameters: its own and its ``__init__``'s."""
    docs = [cls.__dict__.get("__doc__") or ""]
    owner = next((c for c in cls.__mro__ if "__init__" in c.__dict__), cls)
    if not attrs.has(cls) and owner is not cls:
        docs.append(owner.__dict__.get("__doc__") or "")
    return docs


def test_every_documented_parameter_is_described() -> None:
    # Functions and methods list their parameters under Args; classes under
    # Attributes (or Args), or an error class in the class it inherits
    # __init__ from. Nothing listed may be missing from the signature.
    script = build_reference()
    offenders = []
    for item in script.documented_objects():
        wanted = [name for name in item.parameters if name not in ("self", "cls")]
        if item.kind == "class":
            docs = constructor_docs(item.obj)
            listed = [n for doc in docs for n in script.documented_names(doc, "Args", "Attributes")]
            missing = [name for name in wanted if name not in listed]
        else:
            listed = script.documented_names(item.doc, "Args")
            missing = [name for name in wanted if name not in listed]
            unknown = [name for name in listed if name not in wanted]
            if unknown:
                offenders.append(f"{item.path}: Args names no parameter {unknown}")
        if missing:
            offenders.append(f"{item.path}: undocumented {missing}")
    assert not offenders, "parameters not described:\n" + "\n".join(offenders)


def test_every_page_is_in_the_nav() -> None:
    import yaml

    class Loader(yaml.SafeLoader):
        """Reads mkdocs.yml, which may hold python tags of the theme."""

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
    # A SafeLoader subclass: python tags (used by some extensions) become None.
    config = yaml.load((DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)

    def pages(entry: object) -> list[str]:
        if isinstance(entry, str):
            return [entry]
        if isinstance(entry, list):
            return [p for item in entry for p in pages(item)]
        if isinstance(entry, dict):
            return [p for value in entry.values() for p in pages(value)]
        return []

    in_nav = pages(config["nav"])
    on_disk = sorted(
        str(p.relative_to(DOCS))
        for p in DOCS.rglob("*.md")
        if "example-plugin" not in p.relative_to(DOCS).parts
    )
    assert sorted(set(on_disk) - set(in_nav)) == []
    assert sorted(set(in_nav) - set(on_disk)) == []


def test_the_tutorial_strategy_loads_and_is_complete(tmp_path: Path) -> None:
    files = [b for b in marked_blocks(DOCS / "tutorial.md") if b.action == "file"]
    block = next(b for b in files if b.arg == "strategy.yaml")
    path = tmp_path / "strategy.yaml"
    path.write_text(block.body, encoding="utf-8")
    strategy = kd.load_strategy(path)
    assert strategy.municipality.name == "Gemeinde Sonnenhang"
    assert [f.key for f in strategy.chosen_fields] == [
        "kommunale_verwaltung",
        "silberne_gesellschaft",
    ]
    assert len(strategy.measures) == 3
    assert strategy.limits is not None
    assert strategy.organigram is not None


def run_commands(script: str, where: str, status: int) -> str:
    printed = ""
    for raw in script.splitlines():
        line = raw.strip()
        if not line.startswith("kommunal-digital"):
            continue
        result = CliRunner().invoke(cli, shlex.split(line)[1:])
        assert result.exit_code == status, f"{where}: {line}\n{result.output}"
        printed += result.output
    return printed


@pytest.mark.parametrize("page", TESTED_PAGES, ids=lambda p: p.name)
def test_marked_blocks_work_as_written(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = marked_blocks(page)
    assert any(b.action == "run" for b in blocks), f"{page.name} has no tested block"
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    printed: str | None = None
    for block in blocks:
        where = f"{page.name}:{block.line}"
        if block.action == "file":
            assert block.arg, f"{where}: a file block needs a name"
            target = tmp_path / block.arg
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.body, encoding="utf-8")
        elif block.action == "run" and block.lang == "python":
            with contextlib.redirect_stdout(io.StringIO()) as out:
                exec(compile(block.body, where, "exec"), namespace)
            printed = out.getvalue()
        elif block.action == "run":
            printed = run_commands(block.body, where, int(block.arg or 0))
        else:
            assert printed is not None, f"{where}: output block without a command block"
            assert printed.strip() == block.body.strip(), where
            printed = None
