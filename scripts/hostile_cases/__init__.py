"""The cases of the hostile-input corpus, one module per group, and what they are made of.

Each group module has a function ``cases()`` returning its cases as plain
data, the way ``tests/hostile/cases.json`` holds them (the format is
described in docs/testing.md). The helpers here build the parts: inputs
(recipes, built at test time by ``tests/hostile/recipes.py``), entry points
and expectations.
"""

from __future__ import annotations

from typing import Any

Case = dict[str, Any]
Spec = dict[str, Any]

#: A strategy file with nothing but the required fields.
MINIMAL = (
    "schema_version: 1\nmunicipality: {name: Lindenau, kind: gemeinde, land: Rheinland-Pfalz}\n"
)
#: Texts for the minimal strategy, so that documents have something to print.
SMALL = [
    ["title", "Digitalstrategie Lindenau"],
    ["vision", "Lindenau wird digital."],
    ["starting_point", "Wir fangen an."],
]
#: Every part of a calendar.
ALL_PARTS = "roadmap,profiles,schedule"
#: What a refused file must not let through into any output.
SECRET = "GEHEIM-4711"


def case(
    id: str,
    group: str,
    what: str,
    inputs: list[Spec],
    entry: Spec,
    expect: Spec,
    *,
    seconds: float | None = None,
) -> Case:
    """One case; ``seconds`` replaces the default time limit of 10 s."""
    made: Case = {"id": id, "group": group, "what": what, "inputs": inputs, "entry": entry}
    made["expect"] = expect
    if seconds is not None:
        made["limits"] = {"seconds": seconds}
    return made


# --- expectations -----------------------------------------------------------------------


def error(
    cls: str | list[str], *fragments: Any, stage: str | None = None, checks: Any = None
) -> Spec:
    """The entry raises ``cls`` (from kommunal_digital.errors) naming every fragment.

    A fragment that is a list is satisfied by any one of its texts.
    """
    made: Spec = {"outcome": "error", "error": cls, "fragments": list(fragments)}
    if stage:
        made["stage"] = stage
    if checks:
        made["checks"] = checks
    return made


def either(
    cls: str | list[str], *fragments: Any, stage: str | None = "load", checks: Any = None
) -> Spec:
    """The entry succeeds, or raises ``cls`` naming every fragment (at ``stage``)."""
    made = error(cls, *fragments, stage=stage, checks=checks)
    made["outcome"] = "either"
    return made


def ok(checks: Any = None) -> Spec:
    """The entry succeeds (and its outputs pass ``checks``)."""
    return {"outcome": "ok", "checks": checks} if checks else {"outcome": "ok"}


def problems(*fragments: Any) -> Spec:
    """``pack check`` reports at least one problem, naming every fragment."""
    return {"outcome": "problems", "fragments": list(fragments)}


def exits(codes: list[int], *fragments: Any, checks: Any = None) -> Spec:
    """A command exits with one of ``codes``, its output naming every fragment."""
    made: Spec = {"exit": codes, "fragments": list(fragments)}
    if checks:
        made["checks"] = checks
    return made


# --- inputs -----------------------------------------------------------------------------


def rep(*parts: tuple[str, int] | str) -> Spec:
    """Text made of repeated parts at build time: ``rep(("[", 50000), ("]", 50000))``."""
    return {"parts": [[p, 1] if isinstance(p, str) else list(p) for p in parts]}


def text(name: str, content: str | Spec, encoding: str = "utf-8") -> Spec:
    """A file ``name`` in the input folder holding ``content`` (a text or :func:`rep`)."""
    if not isinstance(content, str):
        return {"kind": "file", "name": name, "data": content}
    data: Spec = {"text": content}
    if encoding != "utf-8":
        data["encoding"] = encoding
    return {"kind": "file", "name": name, "data": data}


def strategy(
    *values: tuple[str, Any] | list[Any],
    base: str = "demo",
    fmt: str = "yaml",
    name: str | None = None,
    prefix: str = "",
) -> Spec:
    """A base strategy (``demo``, ``demo_planned``, ``minimal``) with raw values put in.

    Each value is ``(field path, raw YAML or JSON text)``; the raw text may
    be a :func:`rep`.
    """
    made: Spec = {
        "kind": "strategy",
        "name": name or f"strategy.{fmt}",
        "base": base,
        "format": fmt,
        "set": [list(v) for v in values],
    }
    if prefix:
        made["prefix"] = prefix
    return made


def small_strategy() -> Spec:
    """The minimal strategy with a title, a vision and a starting point: no charts to draw."""
    return strategy(*SMALL, base="minimal")


def yaml_double(value: str) -> str:
    """A YAML double-quoted scalar holding ``value`` exactly: breaks and controls escaped."""
    out = []
    for char in value:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or char in "\u2028\u2029\ufeff":
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def pack(name: str, files: dict[str, Any], documents: dict[str, str], **extra: Any) -> Spec:
    """A pack folder ``name`` extending ``base``, with files and ``[documents]`` entries."""
    return {"kind": "pack", "name": name, "documents": documents, "files": files, **extra}


def md_pack(template: Any, name: str = "feind") -> Spec:
    """A pack whose Markdown Digitalstrategie template is ``template`` (a content spec)."""
    return pack(
        name,
        {"templates/digitalstrategie.md": template},
        {"digitalstrategie-markdown": "templates/digitalstrategie.md"},
    )


def docx_pack(template: Any, name: str = "feind") -> Spec:
    """A pack whose Word Digitalstrategie template is ``template`` (a content spec)."""
    return pack(
        name,
        {"templates/digitalstrategie.docx": template},
        {"digitalstrategie": "templates/digitalstrategie.docx"},
    )


# --- entry points -----------------------------------------------------------------------


def load(file: str = "strategy.yaml") -> Spec:
    """``kd.load_strategy`` of an input file."""
    return {"api": "load", "file": file}


def render(pack_name: str, fmt: str = "markdown", out: str = "Digitalstrategie.md") -> Spec:
    """``kd.render_document`` of the Digitalstrategie with a pack from the input folder."""
    return {"api": "render", "pack": pack_name, "format": fmt, "out": out}


def pack_check(pack_name: str) -> Spec:
    """``pack check`` through the API."""
    return {"api": "pack_check", "pack": pack_name}


def cli(*args: str, site: str | None = None) -> Spec:
    """A command, run in the worker with click's runner (``site``: plugins on ``sys.path``)."""
    made: Spec = {"cli": list(args)}
    if site:
        made["site"] = site
    return made


def process(*args: str, flags: list[str] | None = None, env: dict[str, str] | None = None) -> Spec:
    """A command as a real ``python [flags] -m kommunal_digital`` process."""
    made: Spec = {"process": list(args)}
    if flags:
        made["flags"] = flags
    if env:
        made["env"] = env
    return made
