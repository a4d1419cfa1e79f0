"""Checks of what a case wrote, and of what it must not have touched.

Each check takes the case's folders and its parameters from
``expect.checks`` and returns one line per problem: an injected calendar
line, markup that reached HTML unescaped, a file name some file system
refuses, a formula in a workbook, a link replaced by a file, missing
outputs. :func:`snapshot` lists what may not change while a case runs.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.hostile.recipes import Places

__all__ = ["CHECKS", "snapshot"]

Check = dict[str, Any]

_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"{port}{n}" for port in ("com", "lpt") for n in (*"0123456789", "¹", "²", "³")}
)
_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
_ICS_LINE = re.compile(r"^[A-Z][A-Z0-9-]*[;:]")


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def check_ics(places: Places, check: Check) -> list[str]:
    """Every calendar written is one calendar of well-formed lines: no injected line."""
    notes = []
    for path in places.out.rglob("*.ics"):
        text = path.read_bytes().decode("utf-8", errors="replace")
        lines = re.sub(r"\r\n[ \t]", "", text).split("\r\n")
        if lines and lines[-1] == "":
            lines.pop()
        bad = [line for line in lines if not _ICS_LINE.match(line)]
        if bad:
            notes.append(f"{path.name}: malformed line {bad[0][:60]!r}")
        if lines.count("BEGIN:VCALENDAR") != 1 or lines[-1:] != ["END:VCALENDAR"]:
            notes.append(f"{path.name}: not exactly one calendar")
        injected = [line for line in lines if line.startswith(check.get("injected", "X-HOSTILE"))]
        if injected:
            notes.append(f"{path.name}: injected line {injected[0][:60]!r}")
    return notes


def check_absent(places: Places, check: Check) -> list[str]:
    """No output file (of the given suffixes) holds any of the given strings raw."""
    notes = []
    suffixes = tuple(check.get("suffixes", [".html", ".md"]))
    for path in _files(places.out):
        if not path.name.endswith(suffixes):
            continue
        text = path.read_text(encoding="utf-8", errors="replace").casefold()
        for needle in check["strings"]:
            if needle.casefold() in text:
                notes.append(f"{path.name}: holds {needle!r} unescaped")
    return notes


def _unsafe_name(name: str) -> str | None:
    if len(name.encode("utf-8")) > 255:
        return "longer than 255 bytes"
    if name.split(".")[0].rstrip(" ").casefold() in _RESERVED:
        return "a reserved Windows name"
    if name != name.rstrip(". "):
        return "ends in a dot or space"
    if _FORBIDDEN & set(name):
        return "holds a character Windows refuses"
    if unicodedata.normalize("NFC", name) != name:
        return "not NFC"
    return None


def check_names(places: Places, check: Check) -> list[str]:
    """Every file written has a name every file system takes."""
    notes = []
    for path in places.out.rglob("*"):
        reason = _unsafe_name(path.name)
        if reason:
            notes.append(f"output file name {path.name[:40]!r}...: {reason}")
    return notes


def check_no_formula(places: Places, check: Check) -> list[str]:
    """No workbook written holds a formula."""
    notes = []
    for path in places.out.rglob("*.xlsx"):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", archive.read(name)):
                    notes.append(f"{path.name}: {name} holds a formula")
    return notes


def check_symlink(places: Places, check: Check) -> list[str]:
    """A file that was a symbolic link still is one."""
    link = places.inp / check["name"]
    return [] if link.is_symlink() else [f"{check['name']} is no longer a symbolic link"]


def check_files(places: Places, check: Check) -> list[str]:
    """At least ``min`` files match ``glob`` in the output folder."""
    found = list(places.out.glob(check["glob"]))
    if len(found) < check.get("min", 1):
        return [
            f"expected at least {check.get('min', 1)} file(s) {check['glob']}, found {len(found)}"
        ]
    return []


CHECKS: dict[str, Callable[[Places, Check], list[str]]] = {
    "ics": check_ics,
    "absent": check_absent,
    "names": check_names,
    "no_formula": check_no_formula,
    "symlink": check_symlink,
    "files": check_files,
}


# --- snapshots of what must not change --------------------------------------------------


def snapshot(places: Places, worker_dir: Path) -> set[str]:
    """The files and folders where nothing may appear: the run's folder and the worker's,

    except the case's own ``in`` and ``out`` and the worker's temporary folder.
    """
    skip = {places.inp, places.out, worker_dir / "tmp", places.base / "markers"}
    found: set[str] = set()
    for top in (places.base, worker_dir):
        for entry in os.scandir(top):
            path = Path(entry.path)
            if path in skip or (top == places.base and entry.name.startswith("w")):
                continue
            found.add(entry.path)
            if entry.is_dir(follow_symlinks=False):
                for folder, names, files in os.walk(path):
                    names[:] = [n for n in names if Path(folder, n) not in skip]
                    found.update(os.path.join(folder, n) for n in (*names, *files))
    return found
