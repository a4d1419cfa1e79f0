"""Building a case's input files from the small recipes in ``cases.json``.

Inputs are never stored: a recipe says how to make them (a strategy file
with one value replaced, a pack with a hostile template, a zip whose
headers lie, a workbook with a cell at XFD1048576), and bombs are made
from repeated compressed blocks (:mod:`tests.hostile.ziptools`), so even a
gigabyte bomb takes milliseconds to build.

Every text in a recipe and an entry may hold placeholders: ``@IN@`` (the
case's input folder), ``@OUT@`` (its output folder), ``@MARKER@`` (the file a
payload creates if it ever runs code), ``@BASE@`` (the corpus run's folder).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import itertools
import json
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from tests.hostile.ziptools import Member, deflate, zeros_stream, zip_bytes

__all__ = ["Places", "build_inputs", "substitute"]

Recipe = dict[str, Any]

#: Where the hostile templates of ``tests/test_template_security.py`` live.
TEMPLATES = Path(__file__).parent.parent / "hostile_templates"

MINIMAL = {
    "schema_version": 1,
    "municipality": {"name": "Lindenau", "kind": "gemeinde", "land": "Rheinland-Pfalz"},
}

PACK_MANIFEST = """\
[pack]
name = "{name}"
version = "1.0.0"
title = "Feindliches Paket"
kommunal_digital = ">=0.1"
extends = "base"
"""


@dataclass(frozen=True)
class Places:
    """The folders of one case.

    Attributes:
        base: The corpus run's folder (nothing may appear here).
        case: The case's folder; only ``in`` and ``out`` below it may change.
        inp: Where the recipes put the inputs.
        out: Where the entry point may write.
        marker: The file a payload creates if it runs code.
    """

    base: Path
    case: Path
    inp: Path
    out: Path
    marker: Path


def substitute(value: Any, places: Places) -> Any:
    """Replace the placeholders in every text inside ``value``."""
    if isinstance(value, str):
        return (
            value.replace("@IN@", str(places.inp))
            .replace("@OUT@", str(places.out))
            .replace("@MARKER@", str(places.marker))
            .replace("@BASE@", str(places.base))
        )
    if isinstance(value, list):
        return [substitute(item, places) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, places) for key, item in value.items()}
    return value


# --- strategies -------------------------------------------------------------------------


@functools.cache
def _base_data(base: str) -> dict[str, Any]:
    import kommunal_digital as kd
    from kommunal_digital.io import load_yaml

    if base == "minimal":
        return copy.deepcopy(MINIMAL)
    strategy = kd.demo_strategy(planned=base == "demo_planned")
    data: dict[str, Any] = load_yaml(kd.dumps_strategy(strategy))
    return data


def base_data(base: str) -> dict[str, Any]:
    """The plain data of a base strategy (``demo``, ``demo_planned``, ``minimal``), a copy."""
    return copy.deepcopy(_base_data(base))


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def path_steps(path: str) -> list[str | int]:
    """``measures[0].cost.one_off`` -> ``["measures", 0, "cost", "one_off"]``."""
    return [int(index) if index else name for name, index in _STEP.findall(path)]


def set_path(data: Any, path: str, value: Any) -> None:
    """Set the value at ``path``, creating missing mappings on the way."""
    steps = path_steps(path)
    node = data
    for step, following in itertools.pairwise(steps):
        if isinstance(step, str) and step not in node:
            node[step] = [] if isinstance(following, int) else {}
        node = node[step]
    last = steps[-1]
    if isinstance(last, int) and last == len(node):
        node.append(value)
    else:
        node[last] = value


def _date(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def strategy_text(recipe: Recipe) -> str:
    """The text of a strategy recipe: a base strategy with raw values put in."""
    from kommunal_digital.io import dump_yaml

    data = base_data(recipe.get("base", "demo"))
    tokens: dict[str, str] = {}
    for index, (path, raw) in enumerate(recipe.get("set", [])):
        token = f"HOSTILEVALUE{index}X"
        set_path(data, path, token)
        tokens[token] = expand(raw)
    json_format = recipe.get("format", "yaml") == "json"
    if json_format:
        text = json.dumps(data, ensure_ascii=False, indent=1, default=_date) + "\n"
    else:
        text = recipe.get("prefix", "") + dump_yaml(data)
    for token, raw in tokens.items():
        text = text.replace(f'"{token}"' if json_format else token, raw)
    return text


# --- file contents ----------------------------------------------------------------------


def hostile_template(name: str) -> str:
    """The template of ``tests/hostile_templates/<name>`` without its header line."""
    _, *body = (TEMPLATES / name).read_text(encoding="utf-8").splitlines()
    return "\n".join(body) + "\n"


def _docx(paragraphs: Iterable[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def expand(value: Any) -> str:
    """A text, or ``{"parts": [[text, count], ...]}``: the texts repeated and joined."""
    if isinstance(value, str):
        return value
    return "".join(part * count for part, count in value["parts"])


def content(spec: Any, places: Places) -> bytes:
    """The bytes a content spec describes (see docs/testing.md)."""
    if isinstance(spec, str):
        return spec.encode("utf-8")
    if "parts" in spec:
        return expand(spec).encode("utf-8")
    if "text" in spec:
        return expand(spec["text"]).encode(spec.get("encoding", "utf-8"))
    if "template" in spec:
        return hostile_template(spec["template"]).encode("utf-8")
    if "strategy" in spec:
        return strategy_text(spec["strategy"]).encode("utf-8")
    if "docx" in spec:
        return _docx(spec["docx"])
    if "zip" in spec:
        return zip_bytes(members(spec["zip"], places))
    if "pack_manifest" in spec:
        return PACK_MANIFEST.format(name=spec["pack_manifest"]).encode("utf-8")
    raise ValueError(f"unknown content spec {spec!r}")


def member(spec: Recipe, places: Places) -> Member:
    """One zip member from its spec: name, content and the header fields to forge."""
    method = spec.get("method", 8)
    if "zeros" in spec:
        payload, crc = zeros_stream(spec["zeros"])
        size = spec["zeros"] << 20
    else:
        data = content(spec.get("data", ""), places)
        payload = data if method == 0 else deflate(data)
        crc, size = zlib.crc32(data), len(data)
    if spec.get("crc") == "bad":
        crc ^= 0xFFFFFFFF
    if spec.get("truncate"):
        payload = payload[: len(payload) // 2]
    return Member(
        name=substitute(spec["name"], places),
        payload=payload,
        size=spec.get("size", size),
        crc=crc,
        method=method,
        flags=spec.get("flags", 0),
        mode=spec.get("mode", 0o100644),
    )


def members(specs: list[Recipe], places: Places) -> list[Member]:
    """The members of a zip, in order.

    ``{"docx_members": [...]}`` expands to the members of a Word file with
    those paragraphs; a spec with ``"replace": true`` takes the place of the
    member of the same name before it.
    """
    found: list[Member] = []
    for spec in specs:
        if "docx_members" in spec:
            with zipfile.ZipFile(io.BytesIO(_docx(spec["docx_members"]))) as archive:
                for info in archive.infolist():
                    data = archive.read(info)
                    found.append(Member(info.filename, deflate(data), len(data), zlib.crc32(data)))
            continue
        if "count" in spec:
            for number in range(spec["count"]):
                copy_spec = {k: v for k, v in spec.items() if k != "count"}
                found.append(member(copy_spec | {"name": spec["name"].format(number)}, places))
            continue
        made = member(spec, places)
        if spec.get("replace"):
            found = [item for item in found if item.name != made.name]
        found.append(made)
    return found


# --- workbooks --------------------------------------------------------------------------


@functools.cache
def _demo_workbook() -> bytes:
    import kommunal_digital as kd

    data: bytes = kd.io.workbook_bytes(kd.demo_strategy(planned=False))
    return data


class Workbook:
    """The parts of an .xlsx as text, edited by the ``xlsx`` recipe's operations."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.parts: dict[str, bytes] = {i.filename: archive.read(i) for i in archive.infolist()}
        self.streams: dict[str, list[tuple[str, int]]] = {}

    def text(self, name: str) -> str:
        return self.parts[name].decode("utf-8")

    def put(self, name: str, text: str) -> None:
        self.parts[name] = text.encode("utf-8")

    def sheet_part(self, sheet: str) -> str:
        book = self.text("xl/workbook.xml")
        found = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="(\w+)"', book)
        if found is None:
            raise KeyError(sheet)
        rels = self.text("xl/_rels/workbook.xml.rels")
        target = re.search(rf'Target="([^"]+)" Id="{found[1]}"', rels)
        assert target is not None
        return target[1].lstrip("/")

    def cell(self, sheet: str, ref: str, xml: str) -> None:
        part = self.sheet_part(sheet)
        text = self.text(part)
        pattern = re.compile(rf'<c r="{ref}"(?: [^>]*)?(?:/>|>.*?</c>)', re.DOTALL)
        if pattern.search(text):
            text = pattern.sub(lambda _: xml, text, count=1)
        else:
            row = int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            row_pattern = re.compile(rf'(<row r="{row}"[^>]*>.*?)(</row>)', re.DOTALL)
            if row_pattern.search(text):
                text = row_pattern.sub(lambda m: m[1] + xml + m[2], text, count=1)
            else:
                text = text.replace("</sheetData>", f'<row r="{row}">{xml}</row></sheetData>')
                text = text.replace(
                    "<sheetData/>", f'<sheetData><row r="{row}">{xml}</row></sheetData>'
                )
        self.put(part, text)

    def drop_sheet(self, sheet: str) -> None:
        part = self.sheet_part(sheet)
        book = self.text("xl/workbook.xml")
        self.put(
            "xl/workbook.xml", re.sub(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*/>', "", book)
        )
        rels = self.text("xl/_rels/workbook.xml.rels")
        self.put(
            "xl/_rels/workbook.xml.rels",
            re.sub(rf'<Relationship [^>]*Target="/?{re.escape(part)}"[^>]*/>', "", rels),
        )
        types = self.text("[Content_Types].xml")
        self.put(
            "[Content_Types].xml",
            re.sub(rf'<Override PartName="/{re.escape(part)}"[^>]*/>', "", types),
        )
        del self.parts[part]

    def append_rows(self, sheet: str, unit: str, count: int) -> None:
        """Append ``count`` copies of ``unit`` (rows without numbers) to a sheet, streamed."""
        part = self.sheet_part(sheet)
        head, _, tail = self.text(part).partition("</sheetData>")
        self.streams[part] = [(head, 1), (unit, count), ("</sheetData>" + tail, 1)]
        del self.parts[part]

    def members(self) -> list[Member]:
        found = [
            Member(name, deflate(data), len(data), zlib.crc32(data))
            for name, data in self.parts.items()
        ]
        found.extend(_stream_member(name, parts) for name, parts in self.streams.items())
        return found


def _stream_member(name: str, parts: list[tuple[str, int]]) -> Member:
    """A deflated member of repeated parts, compressed once per distinct part."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    payload = bytearray()
    crc = size = 0
    for text, count in parts:
        data = text.encode("utf-8")
        if count > 1:
            chunk = data * max(1, 65536 // max(1, len(data)))
            per_chunk = len(chunk) // len(data)
            chunks, rest = divmod(count, per_chunk)
            block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
            payload += block * chunks
            for _ in range(chunks):
                crc = zlib.crc32(chunk, crc)
            size += len(chunk) * chunks
            data = data * rest
        payload += compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
        crc = zlib.crc32(data, crc)
        size += len(data)
    payload += compressor.flush()
    return Member(name, bytes(payload), size, crc)


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def workbook_bytes(recipe: Recipe, places: Places) -> bytes:
    """The demo's workbook with the recipe's operations applied."""
    book = Workbook(_demo_workbook())
    for op in recipe.get("ops", []):
        kind = op["op"]
        if kind == "text":
            book.cell(op["sheet"], op["cell"], _inline(op["cell"], expand(op["text"])))
        elif kind == "xml":
            book.cell(op["sheet"], op["cell"], expand(op["xml"]))
        elif kind == "dimension":
            part = book.sheet_part(op["sheet"])
            text = re.sub(
                r'<dimension ref="[^"]*"/>', f'<dimension ref="{op["ref"]}"/>', book.text(part)
            )
            book.put(part, text)
        elif kind == "drop_sheet":
            book.drop_sheet(op["sheet"])
        elif kind == "rows":
            book.append_rows(op["sheet"], expand(op["unit"]), op["count"])
        elif kind == "replace":
            part = op["part"] if "part" in op else book.sheet_part(op["sheet"])
            book.put(
                part, book.text(part).replace(op["old"], expand(op["new"]), op.get("count", -1))
            )
        elif kind == "prolog":
            part = op["part"] if "part" in op else book.sheet_part(op["sheet"])
            book.put(part, op["text"] + book.text(part))
        elif kind == "part":
            book.parts[op["name"]] = content(op["data"], places)
        else:
            raise ValueError(f"unknown workbook operation {kind!r}")
    found = book.members()
    found.extend(member(spec, places) for spec in recipe.get("members", []))
    data = zip_bytes(found)
    if "truncate" in recipe:
        data = data[: recipe["truncate"]]
    return data


# --- the recipes ------------------------------------------------------------------------


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _file(recipe: Recipe, places: Places) -> None:
    _write(places.inp / recipe["name"], content(substitute(recipe["data"], places), places))


def _strategy(recipe: Recipe, places: Places) -> None:
    text = substitute(strategy_text(recipe), places)
    _write(places.inp / recipe["name"], text.encode("utf-8"))


def _pack(recipe: Recipe, places: Places) -> None:
    """A pack folder (or zip) ``folder`` (default: its name) extending ``base``."""
    name: str = recipe["name"]
    folder: str = recipe.get("folder", name)
    manifest = expand(recipe.get("manifest", PACK_MANIFEST.format(name=name)))
    documents = recipe.get("documents", {})
    if documents:
        manifest += "\n[documents]\n" + "".join(f'{k} = "{v}"\n' for k, v in documents.items())
    manifest += recipe.get("manifest_extra", "")
    files = {"pack.toml": manifest.encode("utf-8")}
    for path, spec in recipe.get("files", {}).items():
        files[path] = content(substitute(spec, places), places)
    if recipe.get("zip"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in files.items():
                archive.writestr(f"{name}/{path}", data)
        _write(places.inp / f"{folder}.zip", buffer.getvalue())
        return
    for path, data in files.items():
        _write(places.inp / folder / path, data)


def _zip(recipe: Recipe, places: Places) -> None:
    data = zip_bytes(members(recipe["members"], places))
    if "truncate" in recipe:
        data = data[: recipe["truncate"]]
    _write(places.inp / recipe["name"], data)


def _xlsx(recipe: Recipe, places: Places) -> None:
    _write(places.inp / recipe["name"], workbook_bytes(substitute(recipe, places), places))


def _plugin(recipe: Recipe, places: Places) -> None:
    """A distribution in a site folder: a module and an entry point into it."""
    site = places.inp / recipe.get("site", "site")
    module, dist, version = recipe["module"], recipe["dist"], recipe.get("version", "1.0")
    _write(site / f"{module}.py", substitute(recipe["source"], places).encode("utf-8"))
    info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n"
    _write(info / "METADATA", metadata.encode("utf-8"))
    points = f"[kommunal_digital]\n{recipe['entry']} = {module}\n"
    _write(info / "entry_points.txt", points.encode("utf-8"))


def _symlink(recipe: Recipe, places: Places) -> None:
    link = places.inp / recipe["name"]
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(substitute(recipe["target"], places))


def _fifo(recipe: Recipe, places: Places) -> None:
    os.mkfifo(places.inp / recipe["name"])


_BUILDERS: dict[str, Callable[[Recipe, Places], None]] = {
    "file": _file,
    "strategy": _strategy,
    "pack": _pack,
    "zip": _zip,
    "xlsx": _xlsx,
    "plugin": _plugin,
    "symlink": _symlink,
    "fifo": _fifo,
}


def build_inputs(recipes: Iterable[Recipe], places: Places) -> None:
    """Make every input of a case in ``places.inp``, in order."""
    places.inp.mkdir(parents=True, exist_ok=True)
    places.out.mkdir(parents=True, exist_ok=True)
    for recipe in recipes:
        _BUILDERS[recipe["kind"]](recipe, places)
