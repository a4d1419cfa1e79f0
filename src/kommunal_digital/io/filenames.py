"""File names made from user data that Windows, macOS and Linux all accept.

Document files are named after document types, measures and partners
(``Steckbrief-01-<measure key>.docx``); those names come from strategy files
and plugins. :func:`safe_file_name` turns any text into one file name that
every common file system takes, and leaves names that are already safe
unchanged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["MAX_FILE_NAME_BYTES", "RESERVED_NAMES", "safe_file_name"]

#: Longest file name :func:`safe_file_name` returns by default, in UTF-8 bytes.
#: File systems allow 255 bytes (ext4, APFS) or 255 UTF-16 units (NTFS) per
#: name; 120 leaves room for suffixes and keeps whole paths short on Windows.
MAX_FILE_NAME_BYTES = 120

#: Names Windows reserves for devices, in any case and with any extension
#: (``con.docx`` is the console too); ``COM¹`` and friends count as well.
RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{digit}" for port in ("COM", "LPT") for digit in "0123456789¹²³"}
)

# Characters Windows refuses in names (macOS refuses ":" and "/" too), the
# C0 and C1 controls and DEL, and what no file system should hold: line and
# paragraph separators, lone surrogates and the non-characters U+FFFE/U+FFFF.
_FORBIDDEN = re.compile('[<>:"/\\\\|?*\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]')
_HASH_CHARS = 8
# The shortest bound that leaves room for a few characters and the hash.
_MIN_BYTES = 16


def safe_file_name(text: str, *, max_bytes: int = MAX_FILE_NAME_BYTES) -> str:
    r"""Turn any text into a file name that Windows, macOS and Linux accept.

    The result is in Unicode normal form NFC (as macOS and Linux tools
    expect it); holds no path separator, no character Windows refuses
    (``< > : " / \ | ? *``) and no control character (each becomes ``_``);
    does not start with a dot (no hidden files, never ``.`` or ``..``) or a
    space, nor end with a dot or a space (Windows drops them); is not a name
    Windows reserves for a device (``CON``, ``NUL``, ``COM1``, ... with or
    without an extension: an ``_`` goes in front); is never empty; and has
    at most ``max_bytes`` bytes in UTF-8. A longer name is cut at a
    character boundary and ends with ``-`` and eight hex digits of a hash
    of the whole text, so two long names that differ only at the end stay
    apart.

    A name that is already safe comes back unchanged, and the same text
    always gives the same name.

    Args:
        text: Any text, e.g. a document title with a measure's key.
        max_bytes: The longest result in UTF-8 bytes (at least 16).

    Returns:
        The file name.

    Raises:
        ValueError: ``max_bytes`` is below 16.
    """
    if max_bytes < _MIN_BYTES:
        raise ValueError(f"max_bytes must be at least {_MIN_BYTES}, got {max_bytes}")
    normal = unicodedata.normalize("NFC", text)
    name = _trim(_FORBIDDEN.sub("_", normal))
    if name.split(".", 1)[0].rstrip(" ").upper() in RESERVED_NAMES:
        name = "_" + name
    if len(name.encode("utf-8")) > max_bytes:
        # Cut after the "_" of a reserved name, so the cut name cannot be one.
        digest = hashlib.sha256(normal.encode("utf-8", "surrogatepass")).hexdigest()
        room = max_bytes - _HASH_CHARS - 1
        name = _trim(name.encode("utf-8")[:room].decode("utf-8", "ignore"))
        name = f"{name}-{digest[:_HASH_CHARS]}"
    return name


def _trim(name: str) -> str:
    """No leading space or dot, no trailing dot or space, never empty."""
    name = name.strip(" ").rstrip(". ")
    if name.startswith("."):
        name = "_" + name
    return name or "_"
