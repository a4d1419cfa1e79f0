"""Malformed and malicious zip packs, and Word templates (which are zips too).

A zip is written member by member (``tests/hostile/ziptools.py``), so its
headers can lie: names that climb out, links, wrong CRCs and sizes, an
encryption flag, an unknown method, bombs, a bomb inside the Word
template inside the pack.
"""

from __future__ import annotations

from typing import Any

from hostile_cases import (
    SECRET,
    Case,
    Spec,
    case,
    cli,
    docx_pack,
    error,
    exits,
    pack,
    pack_check,
    problems,
    process,
    render,
    rep,
    small_strategy,
    text,
)

GROUP = "zip"
PACK_TOML = (
    '[pack]\nname = "feind"\nversion = "1.0.0"\ntitle = "Feindliches Paket"\n'
    'kommunal_digital = ">=0.1"\nextends = "base"\n\n[documents]\n'
    'digitalstrategie-markdown = "templates/digitalstrategie.md"\n'
)
DOCX_TOML = PACK_TOML.replace(
    'digitalstrategie-markdown = "templates/digitalstrategie.md"',
    'digitalstrategie = "templates/digitalstrategie.docx"',
)
GOOD_MD = "# Digitalstrategie {{ municipality.name }}\n"
TEMPLATE = "templates/digitalstrategie.md"
CHECK = pack_check("feind.zip")
RENDER = render("feind.zip")
RENDER_DOCX = render("feind", "docx", "Digitalstrategie.docx")

#: Member names that lead out of the folder a pack is unpacked into.
SLIPS = {
    "parent": "../escaped.txt",
    "far-parent": "../../../../escaped.txt",
    "nested-parent": "templates/../../../../escaped.txt",
    "absolute": "/@BASE@/absolute-escaped.txt",
    "drive": "C:/escaped.txt",
    "backslash": "..\\..\\..\\..\\escaped.txt",
    "backslash-drive": "C:\\escaped.txt",
}

#: Header fields of the template member that do not fit its data.
BROKEN = {
    "bad-crc": {"crc": "bad"},
    "size-too-small": {"size": 5},
    "size-too-big": {"size": 100_000},
    "encrypted-flag": {"flags": 1},
    "unknown-method": {"method": 99},
    "truncated-member": {"truncate": True},
}

_XML = '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
_ENTITIES = "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))

#: Members added to a Word template (or replacing its document).
WORD_FAULTS: dict[str, Spec] = {
    "bomb": {"name": "word/media/gross.bin", "zeros": 1200},
    "document-bomb": {"name": "word/document.xml", "zeros": 1200, "replace": True},
    "lying-size": {"name": "word/media/gross.bin", "zeros": 1200, "size": 100},
    "bad-crc": {"name": "word/media/bild.bin", "data": rep(("x", 5000)), "crc": "bad"},
    "encrypted-flag": {"name": "word/media/bild.bin", "data": rep(("x", 5000)), "flags": 1},
    "unknown-method": {"name": "word/media/bild.bin", "data": rep(("x", 5000)), "method": 99},
    "xxe": {
        "name": "word/document.xml",
        "replace": True,
        "data": '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM '
        f'"file://@IN@/geheim.txt">]>{_XML}<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>'
        "</w:body></w:document>",
    },
    "entity-bomb": {
        "name": "word/document.xml",
        "replace": True,
        "data": '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "lollollollollol">'
        f"{_ENTITIES}]>{_XML}<w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>",
    },
    "bad-xml": {"name": "word/document.xml", "replace": True, "data": "<w:document><w:body>"},
}


def zip_pack(*extra: Spec, **options: Any) -> Spec:
    """A zip pack feind.zip with a good manifest and template, then ``extra`` members."""
    members = [{"name": "pack.toml", "data": PACK_TOML}, {"name": TEMPLATE, "data": GOOD_MD}]
    return {"kind": "zip", "name": "feind.zip", "members": [*members, *extra], **options}


def docx_members(*extra: Spec) -> Spec:
    """A Word template's content, with ``extra`` members added or replacing its own."""
    return {"zip": [{"docx_members": ["Digitalstrategie {{ municipality.name }}"]}, *extra]}


def nested_pack() -> Spec:
    """A zip pack whose Word template is itself a zip bomb, stored (so the pack is not one)."""
    bomb = {"name": "word/document.xml", "zeros": 1200, "replace": True}
    template = {"name": "templates/digitalstrategie.docx", "method": 0, "data": docx_members(bomb)}
    members = [{"name": "pack.toml", "data": DOCX_TOML}, template]
    return {"kind": "zip", "name": "feind.zip", "members": members}


def _pair(id: str, what: str, zipped: Spec, *fragments: str) -> list[Case]:
    """The zip checked with ``pack check`` and used to render: both name ``fragments``."""
    return [
        case(f"{id}-check", GROUP, f"{what} (pack check)", [zipped], CHECK, problems(*fragments)),
        case(
            f"{id}-render",
            GROUP,
            f"{what} (render)",
            [small_strategy(), zipped],
            RENDER,
            error("PackError", *fragments),
        ),
    ]


def _zips() -> list[Case]:
    found = []
    for name, member in SLIPS.items():
        found += _pair(
            f"zip-slip-{name}",
            f"a member named {member!r}",
            zip_pack({"name": member, "data": "entkommen"}),
            "feind.zip",
            "escaped.txt",
        )
    link = {"name": "templates/link.md", "data": "/etc/passwd", "mode": 0o120777, "method": 0}
    found += _pair(
        "zip-symlink", "a symbolic link member", zip_pack(link), "feind.zip", link["name"]
    )
    for name, fault in BROKEN.items():
        template = {"name": TEMPLATE, "data": rep(GOOD_MD, ("x", 2000), "\n"), "replace": True}
        found += _pair(
            f"zip-{name}",
            f"a member with {name}",
            zip_pack({**template, **fault}),
            "feind.zip",
            TEMPLATE,
        )
    manifest_fault = {"name": "pack.toml", "data": PACK_TOML, "crc": "bad", "replace": True}
    found.append(
        case(
            "zip-manifest-bad-crc",
            GROUP,
            "pack.toml with a wrong CRC",
            [zip_pack(manifest_fault)],
            CHECK,
            problems("feind.zip", "pack.toml"),
        )
    )
    bomb = {"name": "templates/gross.md", "zeros": 1200}
    lying = {**bomb, "size": 1000}
    many = {"name": "daten/{}.txt", "data": "x", "method": 0, "count": 2001}
    zips = [
        ("zip-bomb-check", "a member that inflates to 1.2 GB", zip_pack(bomb), CHECK, "gross.md"),
        ("zip-bomb-render", "a member that inflates to 1.2 GB", zip_pack(bomb), RENDER, ""),
        (
            "zip-bomb-lying-size",
            "a 1.2 GB bomb whose header says 1000 bytes",
            zip_pack(lying),
            RENDER,
            "",
        ),
        ("zip-too-many-members", "2001 members", zip_pack(many), CHECK, ""),
        ("zip-truncated-file", "a zip file cut short", zip_pack(truncate=200), CHECK, ""),
        ("zip-empty-file", "an empty file called feind.zip", zip_pack(truncate=0), CHECK, ""),
        (
            "zip-not-a-zip",
            "a text file called feind.zip",
            text("feind.zip", "kein zip\n"),
            CHECK,
            "",
        ),
        (
            "zip-no-manifest",
            "a zip without pack.toml",
            {"kind": "zip", "name": "feind.zip", "members": [{"name": "x.md", "data": "x"}]},
            CHECK,
            "",
        ),
    ]
    for id, what, zipped, entry, where in zips:
        fragments = ["feind.zip", *([f"templates/{where}"] if where else [])]
        expect = problems(*fragments) if entry is CHECK else error("PackError", *fragments)
        inputs = [zipped] if entry is CHECK else [small_strategy(), zipped]
        found.append(case(id, GROUP, what, inputs, entry, expect))
    odd = {
        "zip-duplicate-manifest": (
            "two members called pack.toml",
            {"name": "pack.toml", "data": PACK_TOML.replace("feind", "anders")},
        ),
        "zip-nul-in-name": ("a member name with a NUL character", {"name": "templates/x\x00.md"}),
        "zip-long-name": ("a member name of 300 characters", {"name": f"templates/{'x' * 300}.md"}),
    }
    for id, (what, member) in odd.items():
        member = {"data": "x", **member}
        found.append(case(id, GROUP, what, [zip_pack(member)], CHECK, {"outcome": "either"}))
    return found


def _word() -> list[Case]:
    found = []
    secret = text("geheim.txt", SECRET + "\n")
    leak = [{"check": "absent", "strings": [SECRET], "suffixes": [".docx", ".md"]}]
    for name, fault in WORD_FAULTS.items():
        template = docx_pack(docx_members(fault))
        found.append(
            case(
                f"docx-{name}-render",
                GROUP,
                f"a Word template with {name} (render)",
                [small_strategy(), secret, template],
                RENDER_DOCX,
                error(["PackError", "DocumentError"], "digitalstrategie.docx", checks=leak),
            )
        )
        found.append(
            case(
                f"docx-{name}-check",
                GROUP,
                f"a Word template with {name} (pack check)",
                [secret, template],
                pack_check("feind"),
                problems("digitalstrategie.docx"),
            )
        )
    nested = nested_pack()
    what = "a small zip pack whose Word template is itself a zip bomb"
    found.append(
        case(
            "zip-nested-docx-bomb-render",
            GROUP,
            f"{what} (render)",
            [small_strategy(), nested],
            render("feind.zip", "docx", "Digitalstrategie.docx"),
            error(["PackError", "DocumentError"], "digitalstrategie.docx"),
            seconds=20,
        )
    )
    found.append(
        case(
            "zip-nested-docx-bomb-check",
            GROUP,
            f"{what} (pack check)",
            [nested],
            CHECK,
            problems("digitalstrategie.docx"),
            seconds=20,
        )
    )
    found.append(
        case(
            "docx-not-a-zip",
            GROUP,
            "a text file called digitalstrategie.docx",
            [small_strategy(), docx_pack({"text": "kein Word"})],
            RENDER_DOCX,
            error(["PackError", "DocumentError"], "digitalstrategie.docx"),
        )
    )
    return found


def _folders() -> list[Case]:
    found = []
    for name, path in {"absolute-path": "/etc/hostname", "parent-path": "../../x.md"}.items():
        found.append(
            case(
                f"pack-document-{name}",
                GROUP,
                f"a pack naming {path} as a template",
                [small_strategy(), pack("feind", {}, {"digitalstrategie-markdown": path})],
                render("feind"),
                error("PackError", "feind"),
            )
        )
    link = {
        "kind": "symlink",
        "name": "feind/" + TEMPLATE,
        "target": "@IN@/aussen.md",
    }
    found.append(
        case(
            "pack-symlink-template",
            GROUP,
            "a template that is a link to a file outside the pack",
            [
                small_strategy(),
                text("aussen.md", SECRET),
                pack("feind", {}, {"digitalstrategie-markdown": TEMPLATE}),
                link,
            ],
            render("feind"),
            error("PackError", "digitalstrategie.md"),
        )
    )
    deep = {
        "kind": "pack",
        "name": "feind",
        "manifest": rep(PACK_TOML + "x = ", ("[", 50000), ("]", 50000), "\n"),
    }
    found.append(
        case(
            "pack-deep-toml",
            GROUP,
            "pack.toml with 50,000 nested arrays",
            [deep],
            pack_check("feind"),
            problems("pack.toml"),
        )
    )
    return found


def cases() -> list[Case]:
    """The zip group: packs, Word templates, pack folders."""
    nested = nested_pack()
    bad = {"name": TEMPLATE, "data": GOOD_MD, "crc": "bad", "replace": True}
    encrypted = {"name": TEMPLATE, "data": GOOD_MD, "flags": 1, "replace": True}
    render_args = ("render", "@IN@/strategy.yaml", "--pack", "@IN@/feind.zip", "--out")
    commands = [
        case(
            "cli-pack-check-bad-crc",
            GROUP,
            "pack check of a wrong CRC on the command line",
            [small_strategy(), zip_pack(bad)],
            cli("pack", "check", "@IN@/feind.zip"),
            exits([1], "feind.zip"),
        ),
        case(
            "cli-render-bad-crc",
            GROUP,
            "render with a wrong CRC in the pack on the command line",
            [small_strategy(), zip_pack(bad)],
            cli(*render_args, "@OUT@/Digitalstrategie.md"),
            exits([1], "feind.zip"),
        ),
        case(
            "cli-pack-check-encrypted",
            GROUP,
            "pack check of an 'encrypted' member",
            [zip_pack(encrypted)],
            cli("pack", "check", "@IN@/feind.zip"),
            exits([1], "feind.zip"),
        ),
        case(
            "process-render-nested-bomb",
            GROUP,
            "render with a zip pack whose Word template is a bomb, in a real process",
            [small_strategy(), nested],
            process(*render_args, "@OUT@/Digitalstrategie.docx"),
            exits([1], "digitalstrategie.docx"),
            seconds=30,
        ),
    ]
    return [*_zips(), *_word(), *_folders(), *commands]
