"""Pictures a pack ships (a logo, a coat of arms, a signature), checked before use.

A pack names its pictures in the ``[assets]`` table of ``pack.toml``; templates
place them as ``images.<name>``. A picture's type is read from its content,
never from its file name: PNG, JPEG and SVG are accepted, nothing else. Each
picture is at most :data:`MAX_ASSET_BYTES`, the pictures a pack uses (its own
and inherited ones) together at most :data:`MAX_PACK_ASSET_BYTES`, and a PNG
or JPEG at most :data:`MAX_ASSET_PIXELS` pixels (read from its header, so a
small file cannot unpack into a huge picture).

An SVG is XML from a third party, so it is parsed without a DTD, entities or
network access and refused when it holds a ``DOCTYPE``, processing
instructions, scripts, ``foreignObject``, event handlers (``onload=...``) or
references to anything outside itself (``href`` other than ``#id`` or an
embedded PNG or JPEG, ``url(...)`` other than ``url(#id)``, ``@import``).
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import Any

from kommunal_digital.errors import PackError

__all__ = [
    "ASSET_TYPES",
    "MAX_ASSET_BYTES",
    "MAX_ASSET_PIXELS",
    "MAX_PACK_ASSET_BYTES",
    "asset_type",
    "is_asset_name",
    "load_asset",
]

#: Largest picture file a pack may ship (bytes).
MAX_ASSET_BYTES = 5 * 1024 * 1024
#: Largest total of the pictures a pack uses, its own and inherited ones (bytes).
MAX_PACK_ASSET_BYTES = 20 * 1024 * 1024
#: Most pixels (width times height) a PNG or JPEG picture may have.
MAX_ASSET_PIXELS = 40_000_000
#: The picture types a pack may ship, as :func:`asset_type` names them.
ASSET_TYPES = ("png", "jpeg", "svg")

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
# Types people try that are not accepted, so the message can name them.
_OTHER_TYPES = (
    (b"GIF87a", "a GIF picture"),
    (b"GIF89a", "a GIF picture"),
    (b"BM", "a BMP picture"),
    (b"II*\x00", "a TIFF picture"),
    (b"MM\x00*", "a TIFF picture"),
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a zip file (or an Office document)"),
)
_SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
_XINCLUDE_NAMESPACES = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
_ACTIVE_ELEMENTS = frozenset({"script", "foreignObject", "iframe", "handler", "listener"})
_LOCAL_HREF = re.compile(r"\s*(#|data:image/(png|jpeg);base64,)", re.IGNORECASE)
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)

# Content already checked, by SHA-256: a batch renders the same logo many times.
_CHECKED: OrderedDict[bytes, str] = OrderedDict()
_CHECKED_SIZE = 256
_LOCK = threading.Lock()


def is_asset_name(name: object) -> bool:
    """Tell whether a text can name a pack's picture (``images.<name>`` in templates).

    A name is lower-case letters, digits and ``_``, starting with a letter.
    """
    return isinstance(name, str) and _NAME.fullmatch(name) is not None


def asset_type(data: bytes) -> str:
    """Identify a picture by its content and check it.

    Args:
        data: The picture's bytes.

    Returns:
        ``"png"``, ``"jpeg"`` or ``"svg"`` (see :data:`ASSET_TYPES`).

    Raises:
        PackError: The bytes are no PNG, JPEG or SVG picture, are broken,
            exceed :data:`MAX_ASSET_BYTES` or :data:`MAX_ASSET_PIXELS`, or
            are an SVG with a DTD, scripts or references outside itself. The
            message says what is wrong, without naming a pack or file.
    """
    if len(data) > MAX_ASSET_BYTES:
        raise PackError(f"{len(data):,} bytes, more than the {MAX_ASSET_BYTES:,} allowed")
    digest = hashlib.sha256(data).digest()
    with _LOCK:
        known = _CHECKED.get(digest)
        if known is not None:
            _CHECKED.move_to_end(digest)
            return known
    kind = _check(data)
    with _LOCK:
        _CHECKED[digest] = kind
        while len(_CHECKED) > _CHECKED_SIZE:
            _CHECKED.popitem(last=False)
    return kind


def load_asset(path: Path) -> bytes:
    """Read a picture file and check it with :func:`asset_type`.

    Args:
        path: The file (already resolved inside its pack).

    Returns:
        The picture's bytes.

    Raises:
        PackError: The file is missing, not a regular file, too big or not
            an acceptable picture; the message says what is wrong.
    """
    try:
        with path.open("rb") as file:
            data = file.read(MAX_ASSET_BYTES + 1)
    except FileNotFoundError:
        raise PackError("file not found") from None
    except IsADirectoryError:
        raise PackError("is a folder, not a picture file") from None
    except OSError as exc:
        raise PackError(f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_ASSET_BYTES:
        raise PackError(f"more than the {MAX_ASSET_BYTES:,} bytes a picture may have")
    asset_type(data)
    return data


def _check(data: bytes) -> str:
    if data.startswith(_PNG):
        _check_raster(data, "PNG")
        return "png"
    if data.startswith(_JPEG):
        _check_raster(data, "JPEG")
        return "jpeg"
    text_start = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text_start.startswith(b"<"):
        _check_svg(data)
        return "svg"
    for signature, what in _OTHER_TYPES:
        if data.startswith(signature):
            raise PackError(f"is {what}; a pack's pictures must be PNG, JPEG or SVG")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise PackError("is a WebP picture; a pack's pictures must be PNG, JPEG or SVG")
    raise PackError("is not a PNG, JPEG or SVG picture (judged by its content, not its name)")


def _check_raster(data: bytes, label: str) -> None:
    from PIL import (
        Image,
        UnidentifiedImageError,
    )  # lazy: Pillow (installed with matplotlib), only for pack pictures

    try:
        with warnings.catch_warnings():
            # Pillow warns about pictures above its own, higher limit; ours is checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[label]) as picture:
                width, height = picture.size
                if width * height > MAX_ASSET_PIXELS:
                    raise PackError(
                        f"is a {label} picture of {width} x {height} pixels, more than the "
                        f"{MAX_ASSET_PIXELS:,} pixels allowed"
                    )
                picture.verify()  # PNG: every chunk's checksum; catches cut-off files
    except Image.DecompressionBombError:
        raise PackError(
            f"is a {label} picture of more than the {MAX_ASSET_PIXELS:,} pixels allowed"
        ) from None
    except UnidentifiedImageError:
        raise PackError(f"is a broken {label} picture (its header cannot be read)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise PackError(f"is a broken {label} picture: {exc}") from None


def _check_svg(data: bytes) -> None:
    from lxml import etree  # lazy: lxml, only for pack pictures

    if _DOCTYPE.search(data):
        raise PackError("is an SVG with a DOCTYPE; remove it (DTDs and entities are refused)")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise PackError(f"is not a well-formed SVG picture: {exc}") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise PackError("is an SVG with a DOCTYPE; remove it (DTDs and entities are refused)")
    if root.tag == "svg":
        raise PackError(f'is an SVG without its namespace; write <svg xmlns="{_SVG_NAMESPACE}">')
    if root.tag != f"{{{_SVG_NAMESPACE}}}svg":
        raise PackError(
            f"is XML whose root element is {_local(root.tag)!r}, not an SVG picture "
            f'(<svg xmlns="{_SVG_NAMESPACE}">)'
        )
    if any(True for _ in root.itersiblings(preceding=True)) or any(
        True for _ in root.iter(etree.ProcessingInstruction)
    ):
        raise PackError("is an SVG with processing instructions (<?...?>), which are refused")
    for element in root.iter(etree.Element):
        _check_svg_element(element)


def _check_svg_element(element: Any) -> None:
    namespace, name = _split(element.tag)
    if name in _ACTIVE_ELEMENTS or namespace in _XINCLUDE_NAMESPACES:
        raise PackError(
            f"is an SVG with a <{name}> element; scripts and embedded content are refused"
        )
    if name == "style" and _refused_css(element.text or ""):
        raise PackError("is an SVG whose <style> loads something from outside the picture")
    for attribute, value in element.attrib.items():
        attribute_namespace, attribute_name = _split(attribute)
        if attribute_name.lower().startswith("on"):
            raise PackError(
                f"is an SVG with the event handler {attribute_name!r} on <{name}>; "
                "scripts are refused"
            )
        if attribute_name == "href" and attribute_namespace in ("", _XLINK_NAMESPACE):
            if not _LOCAL_HREF.match(value):
                raise PackError(
                    f"is an SVG whose <{name}> refers to {value[:80]!r} outside the picture; "
                    "only references inside it (#id) and embedded PNG or JPEG data are allowed"
                )
        elif _refused_css(value):
            raise PackError(
                f"is an SVG whose attribute {attribute_name!r} on <{name}> loads something "
                "from outside the picture"
            )


def _refused_css(text: str) -> bool:
    return _OUTSIDE_URL.search(text) is not None or "@import" in text.lower()


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _local(tag: object) -> str:
    return _split(str(tag))[1]
