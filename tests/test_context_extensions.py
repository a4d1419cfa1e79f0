"""Plugins extend the built-in documents: context variables, pictures, text blocks."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import struct
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest

import kommunal_digital as kd
from kommunal_digital.documents import chart_images, document_images
from kommunal_digital.model import Strategy, TextBlock
from kommunal_digital.packs import TemplatePack
from kommunal_digital.workspace import ContextExtension, PictureSource, Workspace

TODAY = dt.date(2027, 1, 1)
BUILTIN_TYPES = (
    "digitalstrategie",
    "steckbrief",
    "vorgehensplan",
    "beschlussvorlage",
    "fortschrittsbericht",
    "organigramm",
)


def tiny_png() -> bytes:
    """A valid PNG of one white pixel."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG = tiny_png()


@attrs.frozen
class Foerderhinweis:
    """Adds a note on funding to the Beschlussvorlage, from the workspace."""

    name: str = "foerderhinweis"
    document_types: frozenset[str] = frozenset({"beschlussvorlage"})

    def extend(
        self,
        strategy: Strategy,
        workspace: Workspace,
        document_type: str,
        context: Mapping[str, Any],
        today: dt.date | None,
    ) -> Mapping[str, Any]:
        return {
            "foerderhinweis": f"Förderprogramme im Paket: {len(workspace.funding_programmes)}",
            "foerder_rat": f"Vorlage für den {context['council']}",
        }


@attrs.frozen
class Adds:
    """An extension that adds fixed variables (or raises) for the given types."""

    name: str
    variables: Mapping[str, Any] = attrs.field(factory=dict)
    document_types: frozenset[str] = frozenset()
    error: Exception | None = None

    def extend(
        self,
        strategy: Strategy,
        workspace: Workspace,
        document_type: str,
        context: Mapping[str, Any],
        today: dt.date | None,
    ) -> Mapping[str, Any]:
        if self.error is not None:
            raise self.error
        return self.variables


@attrs.frozen
class Picture:
    """A picture source drawing a fixed picture (or raising)."""

    name: str = "lageplan"
    data: Any = PNG
    error: Exception | None = None

    def draw(self, strategy: Strategy, workspace: Workspace) -> bytes | None:
        if self.error is not None:
            raise self.error
        return self.data  # type: ignore[no-any-return]  # deliberately anything, for the tests


@attrs.define
class ExtenderPlugin:
    """A test plugin contributing context extensions, pictures and a Markdown template."""

    extensions: tuple[ContextExtension, ...] = (Foerderhinweis(),)
    pictures: tuple[PictureSource, ...] = (Picture(),)
    template: Path | None = None

    @kd.hookimpl
    def kd_context_extensions(self) -> list[ContextExtension]:
        return list(self.extensions)

    @kd.hookimpl
    def kd_picture_sources(self) -> list[PictureSource]:
        return list(self.pictures)

    @kd.hookimpl
    def kd_text_blocks(self, pack: TemplatePack) -> list[TextBlock]:
        return [TextBlock("foerderhinweis", "Förderhinweis", "Förderung beim Land beantragen.")]

    @kd.hookimpl
    def kd_document_template(
        self, pack: TemplatePack, document_type: str, template_kind: str
    ) -> Path | None:
        if self.template is not None and document_type == "beschlussvorlage":
            return self.template if template_kind == "markdown" else None
        return None


@functools.cache
def demo() -> kd.Strategy:
    return kd.demo_strategy()


@functools.cache
def plain_workspace() -> kd.Workspace:
    return kd.open_workspace(entry_points=False)


def extended(**plugin: Any) -> kd.Workspace:
    return kd.open_workspace(entry_points=False, plugins=[ExtenderPlugin(**plugin)])


# --- context extensions ----------------------------------------------------


def test_the_extension_adds_its_variables_to_its_document_type() -> None:
    workspace = extended()
    context = kd.document_context(demo(), workspace, "beschlussvorlage", today=TODAY)
    assert context["foerderhinweis"] == (
        f"Förderprogramme im Paket: {len(workspace.funding_programmes)}"
    )
    # The extension sees the built context.
    assert context["foerder_rat"] == f"Vorlage für den {context['council']}"
    other = kd.document_context(demo(), workspace, "digitalstrategie", today=TODAY)
    assert "foerderhinweis" not in other


def test_the_built_in_beschlussvorlage_keeps_every_key_unchanged() -> None:
    workspace = extended()
    plain = kd.document_context(demo(), plain_workspace(), "beschlussvorlage", today=TODAY)
    with_plugin = kd.document_context(demo(), workspace, "beschlussvorlage", today=TODAY)
    added = set(with_plugin) - set(plain)
    assert added == {"foerderhinweis", "foerder_rat"}
    built_in = {key: value for key, value in with_plugin.items() if key not in added}
    # The plugin's text block is the one difference: text blocks are the workspace's.
    assert built_in.pop("text_blocks") == {
        **plain.pop("text_blocks"),
        "foerderhinweis": "Förderung beim Land beantragen.",
    }
    assert built_in == plain


def test_a_markdown_template_uses_the_variable_the_picture_and_a_text_block(
    tmp_path: Path,
) -> None:
    template = tmp_path / "beschlussvorlage.md"
    template.write_text(
        "# {{ proposal.subject }}\n\n"
        "{{ foerderhinweis }}\n\n"
        "{{ text_blocks['foerderhinweis'] }}\n\n"
        "{{ images.lageplan }}\n",
        encoding="utf-8",
    )
    workspace = extended(template=template)
    written = kd.render_document(
        demo(), tmp_path / "Beschlussvorlage.md", workspace, document_type="beschlussvorlage"
    )
    text = written.read_text(encoding="utf-8")
    assert f"Förderprogramme im Paket: {len(workspace.funding_programmes)}" in text
    assert "Förderung beim Land beantragen." in text
    assert f"![lageplan](data:image/png;base64,{base64.b64encode(PNG).decode()})" in text


def test_the_json_format_shows_the_extended_context(tmp_path: Path) -> None:
    workspace = extended()
    written = kd.render_document(
        demo(),
        tmp_path / "kontext.json",
        workspace,
        document_type="beschlussvorlage",
        today=TODAY,
    )
    context = json.loads(written.read_text(encoding="utf-8"))
    assert context["foerderhinweis"].startswith("Förderprogramme im Paket")
    assert context["council"]


def test_an_extension_for_all_types_reaches_every_document_type() -> None:
    workspace = extended(extensions=(Adds("hinweis", {"hinweis": "überall"}),))
    for name in BUILTIN_TYPES:
        context = kd.document_context(
            demo(), workspace, name, measure=demo().measures[0].key, today=TODAY
        )
        assert context["hinweis"] == "überall", name


def test_a_conflicting_extension_fails_that_document_only(tmp_path: Path) -> None:
    conflicting = Adds("rat", {"council": "Ortsbeirat"}, frozenset({"beschlussvorlage"}))
    workspace = extended(extensions=(conflicting,))
    with pytest.raises(kd.DocumentError, match=r"'rat'.*'council'"):
        kd.document_context(demo(), workspace, "beschlussvorlage", today=TODAY)
    result = kd.build_documents(
        demo(),
        tmp_path,
        workspace,
        document_types=["beschlussvorlage", "vorgehensplan"],
        formats=("json",),
        today=TODAY,
        pictures=False,
    )
    assert [(f.document_type, f.output_format) for f in result.failures] == [
        ("beschlussvorlage", "json")
    ]
    message = result.failures[0].message
    assert "context extension 'rat'" in message
    assert "'council'" in message
    assert "document type 'beschlussvorlage'" in message
    assert [p.name for p in result.documents] == ["Vorgehensplan.json"]


def test_two_extensions_adding_the_same_variable_name_each_other() -> None:
    first = Adds("erste", {"hinweis": "eins"})
    second = Adds("zweite", {"hinweis": "zwei"})
    workspace = extended(extensions=(first, second))
    with pytest.raises(kd.DocumentError) as info:
        kd.document_context(demo(), workspace, "vorgehensplan", today=TODAY)
    assert "context extension 'zweite'" in str(info.value)
    assert "context extension 'erste'" in str(info.value)
    assert "'hinweis'" in str(info.value)


def test_an_extension_cannot_add_images() -> None:
    workspace = extended(extensions=(Adds("bilder", {"images": {}}),))
    with pytest.raises(kd.DocumentError, match=r"'bilder'.*'images'"):
        kd.document_context(demo(), workspace, "vorgehensplan", today=TODAY)


@pytest.mark.parametrize(
    ("extension", "expected"),
    [
        (Adds("kaputt", error=ZeroDivisionError("division by zero")), "ZeroDivisionError"),
        (Adds("kaputt", error=kd.PackError("Daten fehlen")), "Daten fehlen"),
        (Adds("kaputt", variables=["keine", "mapping"]), "not a mapping"),  # type: ignore[arg-type]  # on purpose
        (Adds("kaputt", {"kein name": 1}), "not a valid variable name"),
    ],
)
def test_a_failing_extension_fails_its_document_with_its_name(
    extension: Adds, expected: str, tmp_path: Path
) -> None:
    workspace = extended(extensions=(extension,))
    result = kd.build_documents(
        demo(),
        tmp_path,
        workspace,
        document_types=["vorgehensplan", "organigramm"],
        formats=("json",),
        today=TODAY,
        pictures=False,
    )
    assert len(result.failures) == 2
    for failure in result.failures:
        assert "context extension 'kaputt'" in failure.message
        assert expected in failure.message
    assert result.documents == ()


def test_a_value_json_cannot_hold_is_a_document_error(tmp_path: Path) -> None:
    workspace = extended(extensions=(Adds("objekt", {"objekt": object()}),))
    with pytest.raises(kd.DocumentError, match="not plain data"):
        kd.render_document(
            demo(), tmp_path / "v.json", workspace, document_type="vorgehensplan", today=TODAY
        )


# --- pictures ----------------------------------------------------------------


def test_a_picture_source_adds_its_picture_to_documents_and_to_bilder(tmp_path: Path) -> None:
    workspace = extended()
    assert document_images(demo(), workspace)["lageplan"] == PNG
    assert chart_images(demo(), workspace)["lageplan.png"] == PNG
    result = kd.build_documents(
        demo(), tmp_path, workspace, document_types=["vorgehensplan"], formats=("json",)
    )
    assert result.ok
    assert (tmp_path / "Bilder" / "lageplan.png").read_bytes() == PNG
    assert tmp_path / "Bilder" / "lageplan.png" in result.pictures


def test_a_picture_source_without_a_picture_adds_nothing() -> None:
    workspace = extended(pictures=(Picture(data=None),))
    assert "lageplan" not in document_images(demo(), workspace)
    assert "lageplan.png" not in chart_images(demo(), workspace)


@pytest.mark.parametrize("name", ["organigramm", "zeitplan", "stakeholder", "reifegrad"])
def test_a_picture_named_like_a_built_in_one_is_refused(name: str, tmp_path: Path) -> None:
    workspace = extended(pictures=(Picture(name=name),))
    expected = rf"picture source '{name}': the name is taken by a built-in picture"
    with pytest.raises(kd.DocumentError, match=expected):
        document_images(demo(), workspace)
    with pytest.raises(kd.DocumentError, match=expected):
        kd.build_documents(demo(), tmp_path, workspace, formats=("json",))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            Picture(error=RuntimeError("kein Plan")),
            "picture source 'lageplan' failed: RuntimeError",
        ),
        (Picture(data="kein Bild"), "picture source 'lageplan': draw() returned str"),
        (Picture(data=b"GIF89a"), "not the bytes of a PNG picture"),
        (Picture(name="Lage Plan"), "picture source 'Lage Plan': the name is not a key"),
    ],
)
def test_a_broken_picture_source_is_named(source: Picture, expected: str) -> None:
    workspace = extended(pictures=(source,))
    with pytest.raises(kd.DocumentError) as info:
        document_images(demo(), workspace)
    assert expected in str(info.value)


# --- text blocks ---------------------------------------------------------------


@pytest.mark.parametrize("document_type", BUILTIN_TYPES)
def test_every_built_in_context_has_the_workspace_text_blocks(document_type: str) -> None:
    workspace = plain_workspace()
    context = kd.document_context(
        demo(), workspace, document_type, measure=demo().measures[0].key, today=TODAY
    )
    expected = {key: block.text for key, block in workspace.text_blocks.items()}
    assert expected  # the rlp pack ships text blocks
    assert context["text_blocks"] == expected
    assert "text_blocks" in workspace.document_type(document_type).variables
