"""Pictures a pack ships (``[assets]``): checked by content, size and path, inherited by name."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

import kommunal_digital as kd
from kommunal_digital.authoring import check_pack, new_pack
from kommunal_digital.cli.main import cli
from kommunal_digital.errors import PackError, UnsafePathError
from kommunal_digital.packs import (
    ASSET_TYPES,
    MAX_ASSET_BYTES,
    MAX_ASSET_PIXELS,
    MAX_PACK_ASSET_BYTES,
    asset_type,
    bundled_packs_dir,
    load_pack,
)
from kommunal_digital.packs import assets as assets_module
from kommunal_digital.packs import pack as pack_module

SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'width="40mm" height="20mm" viewBox="0 0 40 20">'
    b'<defs><linearGradient id="g"><stop offset="0" stop-color="#036"/></linearGradient></defs>'
    b'<rect id="r" width="40" height="20" style="fill:url(#g)"/><use xlink:href="#r"/>'
    b'<text x="2" y="12">Verbandsgemeinde &amp; Stadt</text></svg>'
)


def picture(fmt: str = "PNG", size: tuple[int, int] = (60, 30), colour: str = "navy") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


def add_assets(pack: Path, files: dict[str, bytes], table: dict[str, str] | None = None) -> None:
    """Write picture files into the pack and name them under ``[assets]``."""
    for relative, data in files.items():
        target = pack / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    names = table if table is not None else {Path(r).stem: r for r in files}
    lines = "".join(f'"{name}" = "{relative}"\n' for name, relative in names.items())
    manifest = pack / "pack.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + "\n[assets]\n" + lines, encoding="utf-8"
    )


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return new_pack("probe", tmp_path)


def problems(path: Path) -> list[str]:
    inst = kd.load_installation(entry_points=False)
    return [
        str(p) for p in check_pack(path, packs=inst.packs, document_types=inst.document_types())
    ]


def test_the_limits_are_documented_constants() -> None:
    assert MAX_ASSET_BYTES == 5 * 1024 * 1024
    assert MAX_PACK_ASSET_BYTES == 20 * 1024 * 1024
    assert MAX_ASSET_PIXELS == 40_000_000
    assert ASSET_TYPES == ("png", "jpeg", "svg")
    text = (Path(__file__).resolve().parents[1] / "docs" / "security.md").read_text("utf-8")
    for value in ("5 MB", "20 MB", "40 million pixels"):
        assert value in text


def test_assets_are_read_and_typed_by_content(pack: Path) -> None:
    png, jpeg = picture("PNG"), picture("JPEG")
    # The names of the files do not matter: a JPEG called .png is a JPEG.
    add_assets(
        pack,
        {"bilder/logo.png": png, "bilder/foto.png": jpeg, "bilder/wappen.svg": SVG},
        {"logo": "bilder/logo.png", "foto": "bilder/foto.png", "wappen": "bilder/wappen.svg"},
    )
    loaded = load_pack(pack)
    assert loaded.manifest.assets == {
        "logo": "bilder/logo.png",
        "foto": "bilder/foto.png",
        "wappen": "bilder/wappen.svg",
    }
    data = loaded.asset_data()
    assert data == {"logo": png, "foto": jpeg, "wappen": SVG}
    assert [asset_type(d) for d in data.values()] == ["png", "jpeg", "svg"]
    assert problems(pack) == []


def test_the_bundled_packs_ship_no_pictures() -> None:
    for name in ("base", "rlp"):
        bundled = load_pack(bundled_packs_dir() / name)
        assert bundled.manifest.assets == {}
        assert bundled.asset_data() == {}


@pytest.mark.parametrize("name", ["Logo", "logo-klein", "_logo", "2logo", "wäppen"])
def test_a_picture_name_must_be_usable_as_images_name(pack: Path, name: str) -> None:
    add_assets(pack, {"logo.png": picture()}, {name: "logo.png"})
    with pytest.raises(
        PackError, match=r"probe/pack\.toml: assets: .* is not a valid picture name"
    ):
        load_pack(pack)


def test_a_picture_path_must_be_text(pack: Path) -> None:
    (pack / "pack.toml").write_text(
        (pack / "pack.toml").read_text(encoding="utf-8") + "\n[assets]\nlogo = 3\n",
        encoding="utf-8",
    )
    with pytest.raises(PackError, match=r"assets\.logo: expected a relative path"):
        load_pack(pack)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (picture("GIF"), "is a GIF picture; a pack's pictures must be PNG, JPEG or SVG"),
        (picture("BMP"), "is a BMP picture"),
        (picture("WEBP"), "is a WebP picture"),
        (b"%PDF-1.7\n", "is a PDF file"),
        (b"Logo der Gemeinde", "is not a PNG, JPEG or SVG picture (judged by its content"),
        (picture("PNG")[:-20], "is a broken PNG picture"),
        (picture("PNG")[:30], "is a broken PNG picture"),
        (b"<html><body/></html>", "is XML whose root element is 'html', not an SVG picture"),
        (b"<svg><rect/></svg>", "is an SVG without its namespace"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', "is not a well-formed SVG"),
    ],
)
def test_only_png_jpeg_and_svg_pass(data: bytes, reason: str) -> None:
    with pytest.raises(PackError, match=reason.replace("(", r"\(").replace(".", r"\.")):
        asset_type(data)


_NS = b'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


@pytest.mark.parametrize(
    ("svg", "reason"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
            "with a DOCTYPE",
        ),
        (
            b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
            b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg ' + _NS + b"/>",
            "with a DOCTYPE",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><text>&secret;</text></svg>', "well-formed"),
        (b"<svg " + _NS + b"><script>alert(1)</script></svg>", "with a <script> element"),
        (b"<svg " + _NS + b"><foreignObject/></svg>", "with a <foreignObject> element"),
        (b"<svg " + _NS + b' onload="alert(1)"/>', "event handler 'onload'"),
        (
            b"<svg " + _NS + b'><image xlink:href="file:///etc/passwd"/></svg>',
            "refers to 'file:///etc/passwd' outside the picture",
        ),
        (
            b"<svg " + _NS + b'><image href="https://example.org/x.png"/></svg>',
            "outside the picture",
        ),
        (b"<svg " + _NS + b'><rect style="fill:url(http://x/y)"/></svg>', "attribute 'style'"),
        (b"<svg " + _NS + b"><rect fill=\"url( 'a.svg#g')\"/></svg>", "attribute 'fill'"),
        (b"<svg " + _NS + b"><style>@import 'x.css';</style></svg>", "<style> loads"),
        (
            b'<?xml-stylesheet href="http://x/s.css"?><svg ' + _NS + b"/>",
            "processing instructions",
        ),
        (
            b"<svg " + _NS + b'><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
            b'href="/etc/passwd" parse="text"/></svg>',
            "with a <include> element",
        ),
    ],
)
def test_svg_is_parsed_hardened(svg: bytes, reason: str) -> None:
    with pytest.raises(PackError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        asset_type(svg)


def test_svg_may_embed_png_and_refer_to_itself() -> None:
    import base64

    encoded = base64.b64encode(picture()).decode("ascii").encode("ascii")
    svg = b"<svg " + _NS + b'><image href="data:image/png;base64,' + encoded + b'"/></svg>'
    assert asset_type(svg) == "svg"
    assert asset_type(SVG) == "svg"


def test_a_small_file_cannot_unpack_into_a_huge_picture() -> None:
    buffer = io.BytesIO()
    Image.new("1", (7000, 6000)).save(buffer, "PNG")  # 42 million pixels in a few kilobytes
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(PackError, match="7000 x 6000 pixels, more than the 40,000,000 pixels"):
        asset_type(buffer.getvalue())
    # Far beyond Pillow's own limit: refused before anything is decoded.
    buffer = io.BytesIO()
    Image.new("1", (20000, 10000)).save(buffer, "PNG")
    with pytest.raises(PackError, match="pixels"):
        asset_type(buffer.getvalue())


def test_size_limits(pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = picture("PNG", (120, 80), "olive")
    monkeypatch.setattr(assets_module, "MAX_ASSET_BYTES", len(big) - 1)
    with pytest.raises(PackError, match="more than the"):
        asset_type(big)
    add_assets(pack, {"bilder/logo.png": big})
    with pytest.raises(PackError, match=r"probe: picture 'logo' \(bilder/logo\.png\): "):
        load_pack(pack).asset_data()
    monkeypatch.undo()
    monkeypatch.setattr(pack_module, "MAX_PACK_ASSET_BYTES", len(big) - 1)
    with pytest.raises(PackError, match=r"probe: its pictures .* take .* bytes together"):
        load_pack(pack).asset_data()


@pytest.mark.parametrize("relative", ["../draussen.png", "/etc/passwd", "C:/logo.png"])
def test_a_path_outside_the_pack_is_refused(pack: Path, relative: str) -> None:
    (pack.parent / "draussen.png").write_bytes(picture())
    add_assets(pack, {}, {"logo": relative})
    with pytest.raises(UnsafePathError, match=r"picture 'logo': .* points outside the pack"):
        load_pack(pack).asset_data()


def test_a_link_leaving_the_pack_is_refused(pack: Path) -> None:
    outside = pack.parent / "fremd.png"
    outside.write_bytes(picture())
    (pack / "logo.png").symlink_to(outside)
    add_assets(pack, {}, {"logo": "logo.png"})
    with pytest.raises(UnsafePathError, match="points outside the pack"):
        load_pack(pack).asset("logo")


def test_missing_file_folder_and_unknown_name(pack: Path) -> None:
    (pack / "bilder").mkdir()
    add_assets(pack, {}, {"logo": "bilder/logo.png", "ordner": "bilder"})
    loaded = load_pack(pack)
    with pytest.raises(PackError, match=r"picture 'logo' \(bilder/logo\.png\): file not found"):
        loaded.asset("logo")
    with pytest.raises(PackError, match="is a folder"):
        loaded.asset("ordner")
    with pytest.raises(PackError, match="no picture 'siegel' in"):
        loaded.asset("siegel")


def test_a_child_pack_extends_and_replaces_its_parents_pictures(tmp_path: Path) -> None:
    parent = new_pack("grund", tmp_path)
    child = new_pack("kind", tmp_path)
    manifest = child / "pack.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('extends = "base"', 'extends = "grund"'),
        encoding="utf-8",
    )
    old_logo, new_logo, signature = picture(colour="red"), picture(colour="green"), picture("JPEG")
    add_assets(parent, {"logo.png": old_logo, "wappen.svg": SVG})
    add_assets(child, {"logo.png": new_logo, "unterschrift.jpg": signature})

    class Packs:
        @kd.hookimpl
        def kd_template_packs(self) -> list[Path]:
            return [parent, child]

    inst = kd.load_installation(entry_points=False, plugins=[Packs()])
    assert inst.pack("kind").asset_data() == {
        "logo": new_logo,
        "wappen": SVG,
        "unterschrift": signature,
    }
    assert inst.pack("grund").asset_data() == {"logo": old_logo, "wappen": SVG}
    # A broken inherited picture names the pack that ships it.
    (parent / "wappen.svg").write_bytes(b"<svg><script/></svg>")
    with pytest.raises(PackError, match=r"^grund: picture 'wappen' \(wappen\.svg\)"):
        inst.pack("kind").asset_data()


def test_a_zip_pack_ships_its_pictures(pack: Path, tmp_path: Path) -> None:
    add_assets(pack, {"bilder/logo.png": picture()})
    packed = tmp_path / "probe.zip"
    with zipfile.ZipFile(packed, "w") as out:
        for path in sorted(pack.rglob("*")):
            if path.is_file():
                out.write(path, Path("probe") / path.relative_to(pack))
    assert load_pack(packed).asset_data() == {"logo": picture()}
    assert problems(packed) == []


def test_pack_check_reports_every_bad_picture(pack: Path, tmp_path: Path) -> None:
    (tmp_path / "fremd.png").write_bytes(picture())
    add_assets(
        pack,
        {
            "bilder/logo.gif": picture("GIF"),
            "bilder/zeitplan.png": picture(),
            "bilder/wappen.svg": b"<svg xmlns='http://www.w3.org/2000/svg' onclick='x()'/>",
            "bilder/gross.png": b"\x89PNG\r\n\x1a\n" + b"\0" * (MAX_ASSET_BYTES + 1),
        },
        {
            "logo": "bilder/logo.gif",
            "zeitplan": "bilder/zeitplan.png",
            "wappen": "bilder/wappen.svg",
            "gross": "bilder/gross.png",
            "fremd": "../fremd.png",
            "fehlt": "bilder/fehlt.png",
        },
    )
    result = CliRunner().invoke(cli, ["pack", "check", str(pack)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines[:6] == [
        "bilder/logo.gif: picture 'logo': is a GIF picture; a pack's pictures must be PNG, "
        "JPEG or SVG",
        "assets.zeitplan: the name is taken by a built-in picture (organigramm, reifegrad, "
        "stakeholder, zeitplan); give the picture another name",
        "bilder/wappen.svg: picture 'wappen': is an SVG with the event handler 'onclick' on "
        "<svg>; scripts are refused",
        "bilder/gross.png: picture 'gross': more than the 5,242,880 bytes a picture may have",
        "assets.fremd: probe: '../fremd.png' points outside the pack",
        "bilder/fehlt.png: picture 'fehlt': file not found",
    ]
    assert "probe: 6 problems" in result.output


def test_pack_check_reports_the_total_size(pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_assets(pack, {"logo.png": picture(), "siegel.png": picture(colour="gold")})
    monkeypatch.setattr(pack_module, "MAX_PACK_ASSET_BYTES", len(picture()) + 10)
    assert problems(pack) == [
        f"assets: probe: its pictures (own and inherited) take "
        f"{len(picture()) + len(picture(colour='gold')):,} bytes together, more than the "
        f"{len(picture()) + 10:,} allowed"
    ]


def test_importing_the_library_and_packs_does_not_load_pillow_or_lxml() -> None:
    code = (
        "import sys, kommunal_digital, kommunal_digital.packs\n"
        "kommunal_digital.packs.TemplatePack\n"
        "print(sorted(m for m in ('PIL', 'lxml') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_pack_check_reports_an_svg_picture_in_a_word_template(pack: Path) -> None:
    from .docx_reading import make_template

    add_assets(pack, {"logo.png": picture(), "wappen.svg": SVG})
    make_template(
        pack / "templates" / "digitalstrategie.docx",
        "{{ images.logo|bild(hoehe_mm=15) }}",
        "Wappen: {{ images['wappen'] }}",
    )
    (pack / "templates" / "kurz.md").write_text(
        "{{ images.wappen|bild(breite_mm=30) }} {{ images.logo }}\n", encoding="utf-8"
    )
    manifest = pack / "pack.toml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "[documents]\n", '[documents]\ndigitalstrategie-markdown = "templates/kurz.md"\n'
        ),
        encoding="utf-8",
    )
    # Markdown and HTML take SVG; Word does not.
    assert problems(pack) == [
        "templates/digitalstrategie.docx: shows the SVG picture 'wappen' (the body, paragraph "
        "\"Wappen: {{ images['wappen'] }}\"); Word documents take PNG or JPEG pictures only, "
        "so ship a PNG of it"
    ]
