"""Checking zip containers before anything unpacks them.

Template packs (``.zip``), Word templates (``.docx``) and workshop
workbooks (``.xlsx``) are zip files, and a zip file can lie: about how
many members it has, how big they unpack, what they are called, whether
their data is intact. One check serves them all. It reads the zip's table
of contents without unpacking anything and then unpacks every member once,
as a stream, counting bytes, so that

- the number of members, the size of the table of contents, each member's
  unpacked size, the total unpacked size and each member's compression
  ratio stay within the :class:`ZipLimits` of the kind of file;
- no member is encrypted, compressed in a way Python cannot read, damaged
  (bad CRC, sizes in the headers that do not match the data) or named so
  that unpacking it would leave the folder (absolute, ``..``, drive,
  symbolic link);
- zips inside the zip (a ``.docx`` template in a pack, a workbook embedded
  in a document) are checked the same way, with the limits of Office
  files, up to a nesting depth, and every byte unpacked at any depth counts
  against one budget;
- in Office files, no XML part (``.xml``, ``.rels``, ``.vml``) declares a
  DOCTYPE or entities: Office never writes them, and they are what XML
  entity-expansion and external-entity attacks are made of.

Problems come back as :class:`ZipProblem` values with an English and a
German text; callers raise their own error with them (``PackError`` for
packs, ``InputFileError`` for workbooks, ``DocumentError`` for templates).
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import attrs

from kommunal_digital.errors import KommunalDigitalError
from kommunal_digital.io.lru import Lru

__all__ = [
    "OFFICE_LIMITS",
    "ZipLimits",
    "ZipProblem",
    "check_office_zip",
    "forget_office_files",
    "office_zip_problems",
    "read_office_file",
    "zip_problems",
]

_MIB = 1024 * 1024
#: Bytes read from a member at a time.
_CHUNK = 256 * 1024
#: What a zip (or an empty zip) starts with.
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
#: Compression methods Python's zipfile unpacks: stored, deflated, bzip2, lzma.
_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DECLARATIONS = tuple(
    word.encode(encoding)
    for word in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_OVERLAP = max(len(d) for d in _DECLARATIONS) - 1
_NOT_A_ZIP = ("not a valid zip file", "keine gültige Zip-Datei")


@attrs.frozen
class ZipLimits:
    """What a zip container may hold.

    Attributes:
        members: Most members (files and folders) it may list.
        directory_bytes: Largest table of contents (central directory).
        member_bytes: Largest unpacked size of one member.
        total_bytes: Largest unpacked size of all members together.
        ratio: Strongest compression a member may have (unpacked / packed).
        ratio_floor: Members unpacking to fewer bytes are not ratio-checked.
        nesting: How deep zips may sit inside this one (0: none).
        work_bytes: Most bytes the check unpacks, nested zips included.
        refuse_doctype: Refuse XML parts that declare a DOCTYPE or entities.
        container: What the zip is, for messages (``"the pack"``).
    """

    members: int
    directory_bytes: int
    member_bytes: int
    total_bytes: int
    ratio: int
    ratio_floor: int
    nesting: int
    work_bytes: int
    refuse_doctype: bool
    container: str


#: Limits of Office files: workbooks, Word templates, zips inside other zips.
#: The Word templates of the bundled packs unpack to under 1 MiB, workshop
#: workbooks of large strategies to a few MiB. openpyxl and python-docx
#: parse most XML parts as a whole, taking up to 30 bytes of memory per byte
#: of XML, so a part may unpack to at most 8 MiB.
OFFICE_LIMITS = ZipLimits(
    members=1_000,
    directory_bytes=4 * _MIB,
    member_bytes=8 * _MIB,
    total_bytes=32 * _MIB,
    ratio=100,
    ratio_floor=1 * _MIB,
    nesting=1,
    work_bytes=64 * _MIB,
    refuse_doctype=True,
    container="the file",
)


@attrs.frozen
class ZipProblem:
    """One problem of a zip container.

    Attributes:
        where: The member concerned, nested members after their zip
            (``("templates/a.docx", "word/document.xml")``); empty for the
            zip as a whole.
        english: What is wrong, in English.
        german: The same in German (for workbook users).
        unsafe: A member would land outside the folder it is unpacked to.
    """

    where: tuple[str, ...]
    english: str
    german: str
    unsafe: bool = False

    def __str__(self) -> str:
        return ": ".join((*self.where, self.english))

    @property
    def no_zip(self) -> bool:
        """Whether the file is no zip at all (rather than a zip with a problem)."""
        return not self.where and (self.english, self.german) == _NOT_A_ZIP

    @property
    def german_text(self) -> str:
        """The problem in German, with the member concerned."""
        return ": ".join((*self.where, self.german))

    def inside(self, member: str) -> ZipProblem:
        """The same problem, seen from the zip holding this one as ``member``."""
        return attrs.evolve(self, where=(member, *self.where))


class _OverBudgetError(Exception):
    """The check unpacked more than its limits' ``work_bytes``."""


@attrs.define
class _Budget:
    left: int

    def take(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise _OverBudgetError


def _problem(english: str, german: str, *where: str, unsafe: bool = False) -> ZipProblem:
    return ZipProblem(tuple(where), english, german, unsafe)


def zip_problems(source: Path | bytes, limits: ZipLimits) -> list[ZipProblem]:
    """Check a zip container against ``limits``; return its problems (empty: safe).

    Args:
        source: The zip file, or its bytes.
        limits: What it may hold.
    """
    budget = _Budget(limits.work_bytes)
    try:
        if isinstance(source, bytes):
            return _check_stream(io.BytesIO(source), limits, budget)
        with source.open("rb") as stream:
            return _check_stream(stream, limits, budget)
    except _OverBudgetError:
        return [
            _problem(
                f"unpacking it, zips inside included, takes more than the "
                f"{limits.work_bytes} bytes allowed",
                f"das Entpacken, eingebettete Zip-Dateien eingeschlossen, ergibt mehr als "
                f"die erlaubten {limits.work_bytes} Bytes",
            )
        ]
    except OSError as exc:
        return [_problem(f"cannot be read: {exc}", f"nicht lesbar: {exc}")]


def office_zip_problems(source: Path | bytes) -> list[ZipProblem]:
    """Check an Office file (``.xlsx``, ``.docx``) with :data:`OFFICE_LIMITS`."""
    return zip_problems(source, OFFICE_LIMITS)


def check_office_zip(
    source: Path | bytes, label: str, error: Callable[[str], KommunalDigitalError]
) -> None:
    """Refuse an Office file that fails :func:`office_zip_problems`.

    A file that is no zip at all is let through: nothing can unpack it, and
    the reader that tries says so in its own words.

    Args:
        source: The file, or its bytes.
        label: The file's name for the message.
        error: The error to raise, made from the message
            (``"vorlage.docx: word/document.xml: declares a DOCTYPE ..."``).
    """
    problems = [problem for problem in office_zip_problems(source) if not problem.no_zip]
    if problems:
        raise error(f"{label}: " + "; ".join(str(problem) for problem in problems))


#: Office files read and checked, by path, size and modification time.
_CHECKED: Lru[tuple[str, int, int], bytes] = Lru(32)


def read_office_file(path: Path, error: Callable[[str], KommunalDigitalError]) -> bytes:
    """An Office file's bytes, checked with :func:`check_office_zip` once per file version.

    Kept (up to 32 files) by path, size and modification time, so the
    several readers of one Word template in a build (compiling it, looking
    at which pictures it shows) check it once.

    Raises:
        KommunalDigitalError: ``error`` made from the problems found.
        OSError: The file cannot be read.
    """
    version = path.stat()

    def read() -> bytes:
        data = path.read_bytes()
        check_office_zip(data, path.name, error)
        return data

    return _CHECKED.get((str(path.resolve()), version.st_size, version.st_mtime_ns), read)


def forget_office_files() -> None:
    """Forget the files :func:`read_office_file` has read (the next read checks again)."""
    _CHECKED.clear()


def _directory_size(stream: BinaryIO) -> tuple[int, int] | None:
    """(entries, bytes) of the table of contents, from the end record; ``None``: no zip.

    Read before ``zipfile`` parses the table, whose every entry becomes an
    object in memory.
    """
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    # The end record (22 bytes) follows the table, with a comment of up to
    # 65535 bytes after it; a Zip64 locator (20 bytes) may precede it.
    length = min(size, 22 + 65_535 + 20)
    stream.seek(size - length)
    tail = stream.read(length)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    entries, directory = struct.unpack("<HI", tail[at + 10 : at + 16])
    zip64 = at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07"
    if zip64 and (entries == 0xFFFF or directory == 0xFFFFFFFF):
        (offset,) = struct.unpack("<Q", tail[at - 12 : at - 4])
        if offset < size:
            stream.seek(offset)
            record = stream.read(56)
            if len(record) == 56 and record[:4] == b"PK\x06\x06":
                entries, directory = struct.unpack("<QQ", record[32:48])
    return entries, directory


def _check_stream(stream: BinaryIO, limits: ZipLimits, budget: _Budget) -> list[ZipProblem]:
    declared = _directory_size(stream)
    if declared is None:
        return [_problem(*_NOT_A_ZIP)]
    entries, directory = declared
    if entries > limits.members:
        return [
            _problem(
                f"{entries} members, more than the {limits.members} allowed",
                f"{entries} Einträge, erlaubt sind höchstens {limits.members}",
            )
        ]
    if directory > limits.directory_bytes:
        return [
            _problem(
                f"its table of contents takes {directory} bytes, more than the "
                f"{limits.directory_bytes} allowed",
                f"das Inhaltsverzeichnis belegt {directory} Bytes, erlaubt sind höchstens "
                f"{limits.directory_bytes}",
            )
        ]
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            problems = _check_directory(archive.infolist(), limits)
            if problems:
                return problems
            return _check_data(archive, limits, budget)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error):
        # ValueError includes a name that is not the UTF-8 its flag announces.
        return [_problem(*_NOT_A_ZIP)]


def _check_directory(members: list[zipfile.ZipInfo], limits: ZipLimits) -> list[ZipProblem]:
    """The problems the table of contents shows, before anything is unpacked."""
    problems: list[ZipProblem] = []
    if len(members) > limits.members:
        problems.append(
            _problem(
                f"{len(members)} members, more than the {limits.members} allowed",
                f"{len(members)} Einträge, erlaubt sind höchstens {limits.members}",
            )
        )
    total = sum(m.file_size for m in members)
    if total > limits.total_bytes:
        problems.append(
            _problem(
                f"unpacks to {total} bytes, more than the {limits.total_bytes} allowed",
                f"entpackt {total} Bytes, erlaubt sind höchstens {limits.total_bytes}",
            )
        )
    for member in members:
        problems.extend(_member_problems(member, limits))
    return problems


def _member_problems(member: zipfile.ZipInfo, limits: ZipLimits) -> list[ZipProblem]:
    name = member.filename
    problems = []
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or ":" in name:
        problems.append(
            _problem(
                f"points outside {limits.container}",
                "zeigt aus der Datei heraus",
                name,
                unsafe=True,
            )
        )
    if stat.S_ISLNK(member.external_attr >> 16):
        problems.append(
            _problem("links are not allowed", "Verknüpfungen sind nicht erlaubt", name, unsafe=True)
        )
    if member.flag_bits & 0x1:
        problems.append(_problem("is encrypted", "ist verschlüsselt", name))
    if member.compress_type not in _METHODS:
        problems.append(
            _problem(
                f"is compressed with method {member.compress_type}, which cannot be read",
                f"ist mit Methode {member.compress_type} komprimiert, die nicht gelesen "
                "werden kann",
                name,
            )
        )
    if member.file_size > limits.member_bytes:
        problems.append(
            _problem(
                f"unpacks to {member.file_size} bytes, more than the {limits.member_bytes} "
                "allowed for one member",
                f"entpackt {member.file_size} Bytes, erlaubt sind höchstens "
                f"{limits.member_bytes} je Eintrag",
                name,
            )
        )
    if member.file_size >= max(limits.ratio_floor, 1) and (
        member.compress_size == 0 or member.file_size / member.compress_size > limits.ratio
    ):
        problems.append(
            _problem(
                f"compressed more than {limits.ratio}:1 (zip bomb?)",
                f"stärker als {limits.ratio}:1 komprimiert (Zip-Bombe?)",
                name,
            )
        )
    return problems


def _check_data(archive: zipfile.ZipFile, limits: ZipLimits, budget: _Budget) -> list[ZipProblem]:
    """Unpack every member once, as a stream: CRC, sizes, DOCTYPE, zips inside."""
    problems: list[ZipProblem] = []
    for member in archive.infolist():
        if member.is_dir():
            continue
        scan = limits.refuse_doctype and member.filename.lower().endswith(_XML_SUFFIXES)
        try:
            inner, declares = _read_member(archive, member, scan, budget)
        except (
            zipfile.BadZipFile,
            EOFError,
            zlib.error,
            OSError,
            RuntimeError,
            ValueError,
        ) as exc:
            # RuntimeError (NotImplementedError among them): zipfile refusing
            # encrypted or patched data that the local header announces, unlike
            # the table of contents.
            problems.append(
                _problem(f"is damaged ({exc})", f"ist beschädigt ({exc})", member.filename)
            )
            continue
        if declares:
            problems.append(
                _problem(
                    "declares a DOCTYPE or entities, which Office files never do "
                    "(refused to rule out XML entity attacks)",
                    "enthält eine DOCTYPE- oder ENTITY-Deklaration, die keine Office-Datei "
                    "braucht (abgelehnt, um XML-Angriffe auszuschließen)",
                    member.filename,
                )
            )
        if inner is not None:
            problems.extend(_check_inner(inner, member.filename, limits, budget))
    return problems


def _read_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, scan: bool, budget: _Budget
) -> tuple[bytes | None, bool]:
    """Unpack one member; return its bytes if it is a zip itself, and whether it declares a DTD.

    zipfile stops at the size the table of contents gives and checks the
    CRC at the end; with the count of bytes here, a member whose headers
    lie about its size or checksum ends in an error.
    """
    inner: bytearray | None = None
    declares = False
    tail = b""
    size = 0
    with archive.open(member) as data:
        first = True
        while chunk := data.read(_CHUNK):
            budget.take(len(chunk))
            size += len(chunk)
            if first and chunk.startswith(_ZIP_MAGIC):
                inner = bytearray()
            first = False
            if inner is not None:
                inner += chunk
            if scan and not declares:
                window = tail + chunk
                declares = any(d in window for d in _DECLARATIONS)
                tail = window[-_OVERLAP:]
    if size != member.file_size:
        # zipfile stops at the size given, but not short of it when the data ends first.
        raise zipfile.BadZipFile(
            f"unpacks to {size} bytes, not the {member.file_size} its header gives"
        )
    return (None if inner is None else bytes(inner)), declares


def _check_inner(data: bytes, name: str, limits: ZipLimits, budget: _Budget) -> list[ZipProblem]:
    if limits.nesting <= 0:
        return [
            _problem(
                "is a zip inside a zip nested too deeply",
                "ist eine zu tief verschachtelte Zip-Datei in der Zip-Datei",
                name,
            )
        ]
    nested = attrs.evolve(OFFICE_LIMITS, nesting=min(OFFICE_LIMITS.nesting, limits.nesting - 1))
    return [problem.inside(name) for problem in _check_stream(io.BytesIO(data), nested, budget)]
