"""Hostile zip files, made at test time: lying headers, bombs, nesting.

Shared by the tests of the zip check, of workbooks and of Word templates.
"""

from __future__ import annotations

import io
import struct
import zipfile

MIB = 1024 * 1024

# Offsets of fields in a central directory entry and in a local file header.
_CENTRAL = {"flags": 8, "method": 10, "crc": 16, "file_size": 24}
_LOCAL = {"flags": 6, "method": 8, "crc": 14, "file_size": 22}
_FORMATS = {"flags": "<H", "method": "<H", "crc": "<I", "file_size": "<I"}


def make_zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def replace_members(data: bytes, changed: dict[str, bytes]) -> bytes:
    """The zip ``data`` with some members' content replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {info.filename: source.read(info) for info in source.infolist()}
    return make_zip({**members, **changed})


def patch_member(data: bytes, name: str, **fields: int) -> bytes:
    """Rewrite header fields of member ``name`` (flags, method, crc, file_size).

    Both the table of contents and the local header are changed, so the
    zip stays consistent and the lie is in the data alone.
    """
    patched = bytearray(data)
    encoded = name.encode()
    for signature, offsets, name_at in (
        (b"PK\x01\x02", _CENTRAL, 46),
        (b"PK\x03\x04", _LOCAL, 30),
    ):
        at = patched.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", patched, at + (28 if name_at == 46 else 26))[0]
            if patched[at + name_at : at + name_at + length] == encoded:
                for field, value in fields.items():
                    struct.pack_into(_FORMATS[field], patched, at + offsets[field], value)
            at = patched.find(signature, at + 4)
    return bytes(patched)


def crc_of(data: bytes, name: str) -> int:
    return zipfile.ZipFile(io.BytesIO(data)).getinfo(name).CRC


def claim_entries(data: bytes, entries: int) -> bytes:
    """The zip with its end record claiming ``entries`` members."""
    patched = bytearray(data)
    at = patched.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", patched, at + 8, entries, entries)
    return bytes(patched)


def zeros(size: int) -> bytes:
    return bytes(size)
