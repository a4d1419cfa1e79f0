"""YAML and JSON bombs, tags, keys and numbers; files that are not files."""

from __future__ import annotations

from hostile_cases import (
    MINIMAL,
    Case,
    Spec,
    case,
    cli,
    either,
    error,
    exits,
    load,
    process,
    rep,
    small_strategy,
    strategy,
    text,
)

GROUP = "yaml-json"
MARKER = "@MARKER@"


def laughs(kind: str = "list") -> str:
    """Anchors x0..x8, each nine aliases of the one before: 9**9 items when expanded."""
    lines = []
    for level in range(9):
        items = ["lol"] * 9 if level == 0 else [f"*a{level - 1}"] * 9
        if kind == "list":
            body = "[" + ", ".join(items) + "]"
        else:
            body = "{" + ", ".join(f"k{i}: {item}" for i, item in enumerate(items)) + "}"
        lines.append(f"x{level}: &a{level} {body}\n")
    return "".join(lines)


def _load_case(id: str, what: str, body: str | Spec, *fragments: object) -> Case:
    """A strategy.yaml holding ``body``, loaded, refused with an error naming ``fragments``."""
    return case(
        id,
        GROUP,
        what,
        [text("strategy.yaml", body)],
        load(),
        error("InputFileError", "strategy.yaml", *fragments),
    )


BOMBS = {
    "vision": "vision",
    "name": "title",
    "measures": "measures",
    "action-fields": "action_fields",
    "criteria": "criteria",
    "unknown-key": "hostile",
}

TAGS = {
    "python-apply-system": f'!!python/object/apply:os.system ["touch {MARKER}"]',
    "python-apply-subprocess": f'!!python/object/apply:subprocess.call [["touch", "{MARKER}"]]',
    "python-new": f'!!python/object/new:os.system ["touch {MARKER}"]',
    "python-name": "!!python/name:os.system",
    "python-module": "!!python/module:os",
    "python-object": "!!python/object:argparse.Namespace {a: 1}",
    "python-tuple": "!!python/tuple [1, 2]",
    "verbatim-tag": f'!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {MARKER}"]',
    "local-tag": "!hostile x",
}

#: Standard tags that give the wrong kind of value: (field, value).
TYPED = {
    "binary": ("vision", "!!binary aGVsbG8="),
    "set": ("measures", "!!set {a, b}"),
    "omap": ("municipality", "!!omap [{name: X}]"),
    "float-nan": ("municipality", "{name: X, kind: gemeinde, land: Y, population: !!float nan}"),
}

#: Keys that are not scalars: (line, the place the error names).
KEYS = {
    "sequence-top": ("? [a, b]\n: 1\n", "line 3"),
    "sequence-flow": ("[a, b]: 1\n", "line 3"),
    "mapping-top": ("? {a: 1}\n: 1\n", "line 3"),
    "set-key": ("? !!set {a}\n: 1\n", "line 3"),
}

#: JSON values: (field path, raw JSON).
JSON_VALUES = {
    "population-1e400": ("municipality.population", "1e400"),
    "population-minus-1e400": ("municipality.population", "-1e400"),
    "population-nan": ("municipality.population", "NaN"),
    "staff-infinity": ("measures[0].staff_fte", "Infinity"),
    "staff-minus-infinity": ("measures[0].staff_fte", "-Infinity"),
    "cost-1e400": ("measures[0].cost.one_off", "1e400"),
    "weight-nan": ("action_fields[1].goals[0].weight", "NaN"),
    "population-5000-digits": ("municipality.population", rep(("9", 5000))),
    "impossible-date": ("limits.start", '"2027-02-30"'),
    "lone-surrogate": ("municipality.name", '"Linden\\ud800au"'),
}


def _bombs() -> list[Case]:
    found = [
        _load_case(
            f"yaml-billion-laughs-{name}",
            f"nine anchors of nine aliases each (387 million items) as {field}",
            laughs() + MINIMAL + f"{field}: *a8\n",
        )
        for name, field in BOMBS.items()
    ]
    found.append(
        _load_case(
            "yaml-billion-laughs-mapping",
            "nested mappings of aliases as the municipality",
            laughs("mapping") + "schema_version: 1\nmunicipality: *a8\n",
        )
    )
    found.append(
        case(
            "yaml-billion-laughs-extensions",
            GROUP,
            "a bomb inside a measure's extension data, which takes any plain data",
            [strategy(("measures[0].extensions", "{hostile: {x: *a8}}"), prefix=laughs())],
            load(),
            error("InputFileError", "strategy.yaml"),
        )
    )
    quadratic = rep(
        "big: &big ", ("x", 1_000_000), "\n" + MINIMAL + "vision: [", ("*big, ", 999), "*big]\n"
    )
    found.append(
        _load_case(
            "yaml-quadratic-alias",
            "a text of a million characters used a thousand times",
            quadratic,
        )
    )
    found[-1]["limits"] = {"seconds": 15}
    found.append(
        _load_case(
            "yaml-merge-key-bomb",
            "merge keys (<<) over nested aliases",
            laughs("mapping") + MINIMAL + "workshop: {<<: *a8}\n",
        )
    )
    deep = {
        "flow-sequence": rep(MINIMAL + "vision: ", ("[", 50_000), ("]", 50_000), "\n"),
        "flow-mapping": rep(MINIMAL + "vision: ", ("{a: ", 50_000), "1", ("}", 50_000), "\n"),
        "block-sequence": rep(MINIMAL + "vision:\n", ("- ", 20_000), "x\n"),
    }
    for name, body in deep.items():
        found.append(_load_case(f"yaml-deep-{name}", f"deep nesting ({name})", body))
    for depth in (17, 100):
        value = "{hostile: " + "{a: " * depth + "1" + "}" * (depth + 1)
        found.append(
            case(
                f"yaml-deep-extensions-{depth}",
                GROUP,
                f"extension data nested {depth} levels (at most 16 are allowed)",
                [strategy(("measures[0].extensions", value))],
                load(),
                error("InputFileError", "strategy.yaml", "measures[0].extensions"),
            )
        )
    return found


def _tags_and_keys() -> list[Case]:
    found = [
        _load_case(
            f"yaml-tag-{name}",
            f"a Python or unknown tag: {value[:40]}",
            MINIMAL + f"vision: {value}\n",
            "line 3",
        )
        for name, value in TAGS.items()
    ]
    directive = "%TAG !p! tag:yaml.org,2002:python/\n---\n" + MINIMAL
    found.append(
        _load_case(
            "yaml-tag-directive",
            "a %TAG directive that makes !p! mean the Python tags",
            directive + f'vision: !p!object/apply:os.system ["touch {MARKER}"]\n',
            "line 5",
        )
    )
    for name, (field, value) in TYPED.items():
        found.append(
            _load_case(
                f"yaml-tag-{name}",
                f"a standard tag that gives the wrong kind of value: {value[:40]}",
                f"schema_version: 1\n{field}: {value}\n",
                field,
            )
        )
    found.append(
        _load_case(
            "yaml-tag-impossible-timestamp",
            "!!timestamp 2027-02-30, a day February does not have",
            MINIMAL + "vision: !!timestamp 2027-02-30\n",
            ["vision", "line 3"],
        )
    )
    for name, (line, place) in KEYS.items():
        found.append(
            _load_case(f"yaml-key-{name}", "a key that is not a scalar", MINIMAL + line, place)
        )
    nested = "schema_version: 1\nmunicipality:\n  name: X\n  kind: gemeinde\n"
    found.append(
        _load_case(
            "yaml-key-sequence-nested",
            "a sequence as a key inside the municipality",
            nested + "  land: Rheinland-Pfalz\n  ? [x, y]\n  : 1\n",
            ["line 6", "municipality"],
        )
    )
    for name, key in {"number": "1", "null": "null", "bool": "true", "date": "2027-01-01"}.items():
        found.append(
            _load_case(f"yaml-key-{name}", f"a {name} as a top-level key", MINIMAL + f"{key}: x\n")
        )
    return found


def _numbers_and_encodings() -> list[Case]:
    found = [
        case(
            f"json-{name}",
            GROUP,
            f"JSON {name} at {path}",
            [strategy((path, raw), fmt="json")],
            load("strategy.json"),
            error("InputFileError", "strategy.json", [path, "line "]),
        )
        for name, (path, raw) in JSON_VALUES.items()
    ]
    head = '{"schema_version": 1, "vision": '
    for name, depth, place in (("nesting", 100_000, []), ("900", 900, ["vision"])):
        found.append(
            case(
                f"json-deep-{name}",
                GROUP,
                f"{depth} nested JSON arrays as the vision",
                [text("strategy.json", rep(head, ("[", depth), ("]", depth), "}"))],
                load("strategy.json"),
                error("InputFileError", "strategy.json", *place),
            )
        )
    for name, body in {
        "array": "[1, 2]",
        "string": '"x"',
        "bom": '\ufeff{"schema_version": 1}',
    }.items():
        found.append(
            case(
                f"json-top-{name}",
                GROUP,
                f"a JSON file that is {name}",
                [text("strategy.json", body)],
                load("strategy.json"),
                error("InputFileError", "strategy.json"),
            )
        )
    found.append(
        case(
            "yaml-latin-1",
            GROUP,
            "a file in Latin-1, not UTF-8",
            [text("strategy.yaml", MINIMAL + "vision: Grüße\n", encoding="latin-1")],
            load(),
            error("InputFileError", "strategy.yaml", "UTF-8"),
        )
    )
    found.append(
        _load_case(
            "yaml-nul-byte", "a NUL byte in the text", MINIMAL + "vision: a\x00b\n", "line 3"
        )
    )
    found.append(
        case(
            "yaml-huge-int",
            GROUP,
            "an integer of 5000 digits as the population",
            [strategy(("municipality.population", rep(("9", 5000))))],
            load(),
            error("InputFileError", "strategy.yaml", ["municipality.population", "line "]),
        )
    )
    found.append(
        case(
            "yaml-five-megabyte-vision",
            GROUP,
            "a vision of five million characters",
            [text("strategy.yaml", rep(MINIMAL + "vision: ", ("x", 5_000_000), "\n"))],
            load(),
            either("InputFileError", "strategy.yaml"),
            seconds=20,
        )
    )
    found.append(_load_case("yaml-empty-file", "an empty file", ""))
    return found


def _commands() -> list[Case]:
    bodies = {
        "laughs": (laughs() + MINIMAL + "vision: *a8\n", "strategy.yaml"),
        "python-tag": (MINIMAL + f"vision: {TAGS['python-apply-system']}\n", "line 3"),
        "sequence-key": (MINIMAL + "? [a, b]\n: 1\n", "line 3"),
    }
    found = [
        case(
            f"cli-validate-{name}",
            GROUP,
            f"validate on the command line: {name}",
            [text("strategy.yaml", body)],
            cli("validate", "@IN@/strategy.yaml"),
            exits([1], "strategy.yaml", place),
        )
        for name, (body, place) in bodies.items()
    ]
    found.append(
        case(
            "cli-plan-json-1e400",
            GROUP,
            "plan a JSON file with 1e400 as the population",
            [strategy(("municipality.population", "1e400"), fmt="json")],
            cli("plan", "@IN@/strategy.json", "--out", "@OUT@/geplant.yaml"),
            exits([1], "strategy.json"),
        )
    )
    found.append(
        case(
            "process-validate-deep-nesting",
            GROUP,
            "validate 50,000 nested sequences in a real process",
            [text("strategy.yaml", rep(MINIMAL + "vision: ", ("[", 50_000), ("]", 50_000), "\n"))],
            process("validate", "@IN@/strategy.yaml"),
            exits([1], "strategy.yaml"),
            seconds=30,
        )
    )
    return found


def cases() -> list[Case]:
    """The YAML and JSON group."""
    return [*_bombs(), *_tags_and_keys(), *_numbers_and_encodings(), *_commands()]


def file_cases() -> list[Case]:
    """The odd-files group: pipes, devices, folders, links, a mixed batch."""
    group = "files"
    workbook = {"api": "import"}
    fifo = {"kind": "fifo", "name": "strategy.yaml"}
    linked = [
        strategy(name="echt/strategy.yaml"),
        {"kind": "symlink", "name": "strategy.yaml", "target": "@IN@/echt/strategy.yaml"},
    ]
    batch = ["batch", "@IN@/quellen", "--out", "@OUT@/alle", "--format", "json", "--threads"]
    found = [
        case(
            "file-fifo",
            group,
            "the strategy file is a named pipe nobody writes to",
            [fifo],
            load(),
            error("InputFileError", "strategy.yaml"),
            seconds=5,
        ),
        case(
            "file-dev-zero",
            group,
            "the strategy file is a link to /dev/zero",
            [{"kind": "symlink", "name": "strategy.yaml", "target": "/dev/zero"}],
            load(),
            error("InputFileError", "strategy.yaml"),
            seconds=5,
        ),
        case(
            "file-dev-urandom-workbook",
            group,
            "the workbook is a link to /dev/urandom",
            [{"kind": "symlink", "name": "hostile.xlsx", "target": "/dev/urandom"}],
            workbook,
            error("InputFileError", "hostile.xlsx"),
            seconds=5,
        ),
        case(
            "file-directory",
            group,
            "the strategy file is a folder",
            [text("strategy.yaml/x", "")],
            load(),
            error("InputFileError", "strategy.yaml"),
        ),
        case(
            "cli-validate-fifo",
            group,
            "validate a named pipe on the command line",
            [fifo],
            cli("validate", "@IN@/strategy.yaml"),
            exits([1], "strategy.yaml"),
            seconds=5,
        ),
    ]
    for command in ("plan", "rank"):
        found.append(
            case(
                f"cli-{command}-symlink",
                group,
                f"{command} updates a strategy file that is a symbolic link",
                linked,
                cli(command, "@IN@/strategy.yaml"),
                exits([0], checks=[{"check": "symlink", "name": "strategy.yaml"}]),
            )
        )
    found.append(
        case(
            "cli-build-out-is-file",
            group,
            "build into a path that is a file",
            [strategy(), text("belegt", "x")],
            cli("build", "@IN@/strategy.yaml", "--out", "@IN@/belegt", "--format", "json"),
            exits([1, 2], "belegt"),
        )
    )
    mixed = [
        text("quellen/a.yaml", laughs() + MINIMAL + "vision: *a8\n"),
        text("quellen/b.yaml", MINIMAL + "vision: Grüße\n", encoding="latin-1"),
        {**small_strategy(), "name": "quellen/c.yaml"},
    ]
    found.append(
        case(
            "cli-batch-mixed",
            group,
            "a batch of a bomb, a Latin-1 file and a good file",
            mixed,
            cli(*batch),
            exits([1], "a.yaml", "b.yaml", checks=[{"check": "files", "glob": "alle/*/*.json"}]),
            seconds=30,
        )
    )
    return found
