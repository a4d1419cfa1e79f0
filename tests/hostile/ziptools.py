"""Writing zip files byte by byte, including the broken and malicious ones.

:mod:`zipfile` refuses to write most of what the corpus needs (lying sizes,
a wrong CRC, an encryption flag without encryption, an unknown compression
method, absolute names, links), so zips are written here from their
members. A zip bomb needs no gigabytes at build time: deflate output for a
run of zeros, cut at a full flush, is the same for every mebibyte, so the
compressed stream is one block repeated.
"""

from __future__ import annotations

import functools
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Member", "deflate", "zeros_stream", "zip_bytes"]

_MIB = 1 << 20
_DOS_TIME = 0
_DOS_DATE = (2027 - 1980) << 9 | 1 << 5 | 1  # 2027-01-01


@dataclass(frozen=True)
class Member:
    """One member of a zip as written, with every header field under our control.

    Attributes:
        name: The name stored in the headers (UTF-8; any text, ``..`` and ``/`` included).
        payload: The bytes stored after the local header (already compressed).
        size: The uncompressed size written into the headers.
        crc: The CRC-32 written into the headers.
        method: The compression method (0 stored, 8 deflated, others unsupported).
        flags: The general purpose flags (bit 0: encrypted).
        mode: Unix mode bits for the external attributes (e.g. a link).
    """

    name: str
    payload: bytes
    size: int
    crc: int
    method: int = 8
    flags: int = 0
    mode: int = 0o100644


def deflate(data: bytes) -> bytes:
    """Raw deflate (no zlib header), as zip members hold it."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


@functools.cache
def zeros_stream(mebibytes: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``mebibytes`` MiB of zero bytes and its CRC-32."""
    chunk = bytes(_MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    return first + block * (mebibytes - 1) + end, crc


def _local(member: Member, name: bytes, flags: int) -> bytes:
    header = struct.pack(
        "<IHHHHHIIIHH",
        0x04034B50,
        20,
        flags,
        member.method,
        _DOS_TIME,
        _DOS_DATE,
        member.crc,
        len(member.payload),
        member.size,
        len(name),
        0,
    )
    return header + name + member.payload


def _central(member: Member, name: bytes, flags: int, offset: int) -> bytes:
    made_by = 3 << 8 | 20  # Unix, so the mode bits count
    header = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        made_by,
        20,
        flags,
        member.method,
        _DOS_TIME,
        _DOS_DATE,
        member.crc,
        len(member.payload),
        member.size,
        len(name),
        0,
        0,
        0,
        0,
        member.mode << 16,
        offset,
    )
    return header + name


def zip_bytes(members: Sequence[Member]) -> bytes:
    """A zip file holding ``members`` exactly as described."""
    body = bytearray()
    directory = bytearray()
    for member in members:
        name = member.name.encode("utf-8")
        flags = member.flags | (0x800 if not member.name.isascii() else 0)
        offset = len(body)
        body += _local(member, name, flags)
        directory += _central(member, name, flags, offset)
    end = struct.pack(
        "<IHHHHIIH",
        0x06054B50,
        0,
        0,
        len(members),
        len(members),
        len(directory),
        len(body),
        0,
    )
    return bytes(body + directory + end)
