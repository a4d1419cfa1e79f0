"""The zip check shared by packs, Word templates and workbooks, and unpacked packs' folders.

Hostile zips are made at test time (see ``zip_tricks``): members whose
headers lie, bombs, encrypted or unreadable members, zips inside zips,
XML with a DOCTYPE.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

import kommunal_digital as kd
from kommunal_digital.authoring import check_pack, lint_template, new_pack
from kommunal_digital.cli.main import cli
from kommunal_digital.documents.docx import render_docx_bytes
from kommunal_digital.errors import UnsafePathError
from kommunal_digital.io.zipguard import (
    OFFICE_LIMITS,
    check_office_zip,
    office_zip_problems,
    zip_problems,
)
from kommunal_digital.packs import archive, load_pack

from .docx_reading import make_template
from .zip_tricks import MIB, claim_entries, make_zip, patch_member, replace_members

TEXT = b"<a>" + b"text " * 1000 + b"</a>"
DOCTYPE = b'<!DOCTYPE a [<!ENTITY e "x">]>'


def office(data: bytes) -> list[str]:
    return [str(problem) for problem in office_zip_problems(data)]


def test_a_sound_zip_has_no_problems() -> None:
    assert office(make_zip({"a.xml": TEXT, "b/c.bin": b"123"})) == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (patch_member(make_zip({"a.xml": TEXT}), "a.xml", crc=1), "a.xml: is damaged (Bad CRC-32"),
        (
            patch_member(make_zip({"a.xml": TEXT}), "a.xml", file_size=10),
            "a.xml: is damaged (Bad CRC-32",
        ),
        (
            patch_member(make_zip({"a.xml": TEXT}), "a.xml", file_size=9000),
            "a.xml: is damaged (unpacks to 5007 bytes, not the 9000 its header gives)",
        ),
        (patch_member(make_zip({"a.xml": TEXT}), "a.xml", flags=1), "a.xml: is encrypted"),
        (
            patch_member(make_zip({"a.xml": TEXT}), "a.xml", method=99),
            "a.xml: is compressed with method 99, which cannot be read",
        ),
        (
            make_zip({"bomb.bin": bytes(9 * MIB)}),
            "bomb.bin: unpacks to 9437184 bytes, more than the 8388608 allowed for one member",
        ),
        (make_zip({"bomb.bin": bytes(9 * MIB)}), "bomb.bin: compressed more than 100:1"),
        (
            make_zip({f"m{i}.bin": bytes(7 * MIB) for i in range(5)}, zipfile.ZIP_STORED),
            "unpacks to 36700160 bytes, more than the 33554432 allowed",
        ),
        (claim_entries(make_zip({"a": b"1"}), 60_000), "60000 members, more than the 1000"),
        (make_zip({"../evil.xml": b"<a/>"}), "../evil.xml: points outside the file"),
        (
            make_zip({"word/document.xml": DOCTYPE + b"<a/>"}),
            "word/document.xml: declares a DOCTYPE or entities",
        ),
        (
            make_zip(
                {
                    "x.rels": '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE r><r/>'.encode(
                        "utf-16"
                    )
                }
            ),
            "x.rels: declares a DOCTYPE or entities",
        ),
        (
            make_zip({"e.xlsx": make_zip({"in.zip": make_zip({"z": b"1"})})}),
            "e.xlsx: in.zip: is a zip inside a zip nested too deeply",
        ),
        (
            make_zip({"e.xlsx": make_zip({"bomb": bytes(9 * MIB)})}),
            "e.xlsx: bomb: unpacks to 9437184 bytes",
        ),
        (make_zip({"e.docx": make_zip({"d.xml": DOCTYPE})}), "e.docx: d.xml: declares a DOCTYPE"),
    ],
    ids=[
        "bad-crc",
        "size-too-small",
        "size-too-big",
        "encrypted",
        "unknown-method",
        "member-too-big",
        "ratio",
        "total-too-big",
        "too-many-members",
        "outside",
        "doctype",
        "doctype-utf16",
        "nested-too-deep",
        "nested-bomb",
        "nested-doctype",
    ],
)
def test_hostile_zips_are_named_member_by_member(data: bytes, expected: str) -> None:
    found = office(data)
    assert any(line.startswith(expected) for line in found), found


def test_a_doctype_outside_an_office_file_is_nobody_s_business() -> None:
    packish = attrs.evolve(OFFICE_LIMITS, refuse_doctype=False)
    assert zip_problems(make_zip({"a.xml": DOCTYPE + b"<a/>"}), packish) == []


def test_what_is_no_zip_at_all_is_said_so_and_left_to_the_reader() -> None:
    for data in (b"", b"kein zip", b"PK\x03\x04kaputt"):
        (problem,) = office_zip_problems(data)
        assert problem.no_zip
        assert str(problem) == "not a valid zip file"
        check_office_zip(data, "x.docx", kd.DocumentError)  # not raised: docx says it


def test_the_checking_work_is_bounded_across_nested_zips() -> None:
    # Each nested zip keeps to the limits (7.5 MiB unpacked at 20:1); together
    # they unpack to 150 MiB.
    inner = make_zip({"m.bin": b"".join(os.urandom(1024) + bytes(19 * 1024) for _ in range(384))})
    outer = make_zip({f"e{i}.docx": inner for i in range(20)}, zipfile.ZIP_STORED)
    assert len(outer) < 10 * MIB
    assert office(outer) == [
        "unpacking it, zips inside included, takes more than the 67108864 bytes allowed"
    ]


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return new_pack("probe", tmp_path)


def zip_pack(folder: Path, target: Path, changed: dict[str, bytes] | None = None) -> Path:
    members = {
        f"{folder.name}/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    target.write_bytes(make_zip({**members, **(changed or {})}))
    return target


def check_messages(path: Path) -> list[str]:
    installed = kd.load_installation()
    return [
        str(problem)
        for problem in check_pack(
            path, packs=installed.packs, document_types=installed.document_types()
        )
    ]


def doctype_template(template: Path) -> bytes:
    data = template.read_bytes()
    xml = zipfile.ZipFile(template).read("word/document.xml")
    end = xml.index(b"?>") + 2
    return replace_members(data, {"word/document.xml": xml[:end] + DOCTYPE + xml[end:]})


def test_a_word_template_with_a_doctype_is_refused_on_render_and_in_pack_check(
    pack: Path,
) -> None:
    template = pack / "templates" / "digitalstrategie.docx"
    template.write_bytes(doctype_template(template))
    with pytest.raises(kd.DocumentError) as info:
        render_docx_bytes(template, {})
    assert str(info.value).startswith(
        "digitalstrategie.docx: word/document.xml: declares a DOCTYPE or entities"
    )
    assert check_messages(pack) == [
        "templates/digitalstrategie.docx: word/document.xml: declares a DOCTYPE or entities, "
        "which Office files never do (refused to rule out XML entity attacks)"
    ]


def test_a_word_template_that_is_a_zip_bomb_is_reported_by_pack_check(
    pack: Path, tmp_path: Path
) -> None:
    template = pack / "templates" / "digitalstrategie.docx"
    template.write_bytes(
        replace_members(template.read_bytes(), {"word/media/bombe.bin": bytes(9 * MIB)})
    )
    assert lint_template(template)[0].startswith(
        "word/media/bombe.bin: unpacks to 9437184 bytes, more than the 8388608 allowed"
    )
    result = CliRunner().invoke(cli, ["pack", "check", str(pack)])
    assert result.exit_code == 1
    assert "templates/digitalstrategie.docx: word/media/bombe.bin: unpacks to" in result.output
    assert "Traceback" not in result.output + result.stderr


def test_a_zip_pack_whose_template_is_hostile_is_refused_whole(pack: Path, tmp_path: Path) -> None:
    template = pack / "templates" / "digitalstrategie.docx"
    bomb = replace_members(template.read_bytes(), {"word/media/bombe.bin": bytes(9 * MIB)})
    packed = zip_pack(pack, tmp_path / "probe.zip", {"probe/templates/digitalstrategie.docx": bomb})
    with pytest.raises(kd.PackError) as info:
        load_pack(packed)
    assert not isinstance(info.value, UnsafePathError)
    assert str(info.value).startswith(
        "probe.zip: probe/templates/digitalstrategie.docx: word/media/bombe.bin: unpacks to "
    )
    assert check_messages(packed)[0].startswith(
        "probe.zip: probe/templates/digitalstrategie.docx: word/media/bombe.bin: "
    )


def test_a_zip_pack_with_a_damaged_member_is_a_pack_error(pack: Path, tmp_path: Path) -> None:
    packed = zip_pack(pack, tmp_path / "probe.zip")
    packed.write_bytes(patch_member(packed.read_bytes(), "probe/pack.toml", crc=1))
    with pytest.raises(kd.PackError, match=r"probe\.zip: probe/pack\.toml: is damaged \(Bad CRC"):
        load_pack(packed)
    assert check_messages(packed) == [
        "probe.zip: probe/pack.toml: is damaged (Bad CRC-32 for file 'probe/pack.toml')"
    ]


def kd_pack_folders(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir() if entry.name.startswith("kd-pack"))


def test_a_zip_pack_s_folder_is_removed_when_the_process_ends(pack: Path, tmp_path: Path) -> None:
    packed = zip_pack(pack, tmp_path / "probe.zip")
    temp = tmp_path / "temp"
    temp.mkdir()
    # A folder a killed process left behind: its process id is taken by nobody now.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (temp / f"kd-pack-{dead.pid}-stale").mkdir()
    (temp / f"kd-pack-{dead.pid}-stale" / "pack.toml").write_text("x", encoding="utf-8")
    script = (
        "import sys\n"
        "from kommunal_digital.packs import load_pack\n"
        "pack = load_pack(sys.argv[1])\n"
        "assert pack.document_template('digitalstrategie').is_file()\n"
        "assert [f.key for f in pack.action_fields()]\n"
        "print(pack.root)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(packed)],
        env={**os.environ, "TMPDIR": str(temp)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(str(temp / "kd-pack-"))
    assert kd_pack_folders(temp) == []


@pytest.mark.parametrize(
    "start", [m for m in ("fork", "spawn") if m in multiprocessing.get_all_start_methods()]
)
# Python 3.12 warns about fork() in a process with threads (pytest-xdist's).
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_worker_process_removes_its_folder_too(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str
) -> None:
    # A forked multiprocessing worker ends with os._exit, without running atexit.
    packed = zip_pack(pack, tmp_path / "probe.zip")
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr("tempfile.tempdir", None)  # a forked worker asks again
    context: Any = multiprocessing.get_context(start)  # typeshed: no Process on BaseContext
    worker = context.Process(target=load_pack, args=(str(packed),))
    worker.start()
    worker.join(120)
    assert worker.exitcode == 0
    assert kd_pack_folders(temp) == []


def test_a_zip_pack_that_fails_to_unpack_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    empty = tmp_path / "leer.zip"
    empty.write_bytes(make_zip({"readme.txt": b"kein Paket"}))
    with pytest.raises(kd.PackError, match=r"no pack\.toml"):
        archive.unpack_zip_pack(empty)
    assert kd_pack_folders(temp) == []


def test_stale_folders_of_live_processes_and_other_names_stay(tmp_path: Path) -> None:
    (tmp_path / f"kd-pack-{os.getppid()}-alive").mkdir()
    (tmp_path / "kd-pack-abc").mkdir()
    assert archive.sweep_stale_folders(tmp_path) == []
    assert kd_pack_folders(tmp_path) == [f"kd-pack-{os.getppid()}-alive", "kd-pack-abc"]


def test_make_template_stays_a_clean_office_file(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t.docx", "{{ municipality.name }}")
    assert office_zip_problems(template) == []


def test_a_build_looks_at_no_hostile_template_before_it_is_checked(
    pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kommunal_digital.documents import build

    template = pack / "templates" / "digitalstrategie.docx"
    template.write_bytes(
        replace_members(template.read_bytes(), {"word/document.xml": bytes(9 * MIB)})
    )
    workspace = kd.open_workspace(pack)
    unpacked: list[str] = []
    real_read = zipfile.ZipFile.read

    def read(self: zipfile.ZipFile, name: Any, pwd: Any = None) -> bytes:
        unpacked.append(str(name))
        return bytes(real_read(self, name, pwd))

    monkeypatch.setattr(zipfile.ZipFile, "read", read)
    kind = workspace.document_type("digitalstrategie")
    # Which pictures it shows is not known: it may show any (and is rendered last).
    assert build._pictures_shown(workspace, kind, workspace.output_format("docx")) is None
    assert "word/document.xml" not in unpacked
    result = kd.build_documents(
        kd.demo_strategy(workspace), tmp_path / "o", workspace, pictures=False
    )
    assert [f.document_type for f in result.failures] == ["digitalstrategie"]
    assert "word/document.xml: unpacks to 9437184 bytes" in result.failures[0].message
    assert (tmp_path / "o" / "Beschlussvorlage.docx").exists()
