"""What reaches the outputs: dangerous names, calendar injection, HTML injection."""

from __future__ import annotations

from hostile_cases import (
    ALL_PARTS,
    SMALL,
    Case,
    case,
    cli,
    either,
    error,
    exits,
    ok,
    process,
    rep,
    strategy,
    yaml_double,
)

#: Hostile municipality names, each with a word of its own so that no two share a folder.
NAMES = {
    "traversal": "../../../entkommen",
    "slash": "Ahorn/dorf",
    "backslash": "Birken\\dorf",
    "con": "CON",
    "aux-dot": "aux.txt",
    "trailing-dot": "Eschenau.",
    "trailing-space": "Fichtenau ",
    "rtl-override": "Ginster\u202eexe.",
    "zero-width": "Hasel\u200bau",
    "nfd": "Mu\u0308hlbach",
    "long": "Ilmenau" * 40,
    "only-dots": "..",
    "emoji": "Kastanienau 🏰",
}
#: Measure keys as raw YAML: none is a key.
BAD_KEYS = {
    "traversal": '"../x"',
    "con": "CON",
    "nul": '"k\\0k"',
    "slash": "a/b",
    "rtl": '"k\\u202ek"',
    "zero-width": '"k\\u200bk"',
}
MEASURE = "{{key: {key}, title: Neue Maßnahme, action_field: bildung_jugend, goal: lernen-digital}}"
SAFE = [{"check": "names"}]
BATCH = ("batch", "@IN@/quellen", "--out", "@OUT@/alle", "--format", "json", "--threads")

INJECTION = "Eichenberg\r\nX-HOSTILE:1\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nX-HOSTILE-2:1"
#: The injection with each kind of line break.
BREAKS = {
    "crlf": INJECTION,
    "lf": INJECTION.replace("\r\n", "\n"),
    "cr": INJECTION.replace("\r\n", "\r"),
    "line-separator": INJECTION.replace("\r\n", "\u2028"),
    "nel": INJECTION.replace("\r\n", "\x85"),
}
#: Fields that become calendar text.
CALENDAR_FIELDS = {
    "title": "title",
    "phase-title": "roadmap.phases[0].title",
    "task-what": "roadmap.phases[0].tasks[0].what",
    "task-who": "roadmap.phases[0].tasks[0].who",
    "measure-title": "measures[0].title",
    "milestone": "profiles[0].milestones[0].what",
}
ICS = [{"check": "ics"}]

#: HTML payloads and what must not appear raw in the HTML or Markdown for each.
PAYLOADS = {
    "script": ("<script>alert(1)</script>", ["<script"]),
    "img-onerror": ("<img src=x onerror=alert(1)>", ["<img src=x"]),
    "svg-onload": ('"><svg onload=alert(1)>', ["<svg onload"]),
    "iframe": ("<iframe src=//example.invalid></iframe>", ["<iframe"]),
    "style": ("<style>body{display:none}</style>", ["<style>body"]),
    "markdown-js-link": ("[Klick](javascript:alert(1))", ['href="javascript:']),
    "markdown-image": ("![x](http://example.invalid/spur.png)", ['src="http://example.invalid']),
    "html-js-link": ('<a href="javascript:alert(1)">Klick</a>', ['<a href="javascript:']),
}
HTML_FIELDS = ["vision", "municipality.name", "title", "starting_point"]


def name_cases() -> list[Case]:
    """The names group: keys, municipality names, pack names."""
    group = "names"
    json_build = {"api": "build", "formats": ["json"]}
    found = []
    for length in (120, 225, 255, 300):
        found.append(
            case(
                f"names-measure-key-{length}",
                group,
                f"a measure key of {length} characters",
                [strategy(("measures[12]", MEASURE.format(key="k" * length)))],
                json_build,
                either("InputFileError", "strategy.yaml", "measures[12].key", checks=SAFE),
            )
        )
    for name, key in BAD_KEYS.items():
        found.append(
            case(
                f"names-measure-key-{name}",
                group,
                f"a measure key {key}",
                [strategy(("measures[12]", MEASURE.format(key=key)))],
                json_build,
                error("InputFileError", "strategy.yaml", "measures[12].key", stage="load"),
            )
        )
    sources = [
        strategy(
            ("municipality.name", yaml_double(value)),
            *SMALL,
            base="minimal",
            name=f"quellen/{index:02d}-{name}.yaml",
        )
        for index, (name, value) in enumerate(NAMES.items())
    ]
    folders = {"check": "files", "glob": "alle/*/*.json", "min": len(NAMES)}
    found.append(
        case(
            "names-batch-municipalities",
            group,
            "a batch of municipalities with hostile names: every folder name is safe",
            sources,
            cli(*BATCH),
            exits([0], checks=[*SAFE, folders]),
            seconds=30,
        )
    )
    nul = strategy(("municipality.name", '"Linden\\0au"'), base="minimal", name="quellen/a.yaml")
    found.append(
        case(
            "names-batch-nul",
            group,
            "a batch in which one name holds a NUL character",
            [nul, strategy(*SMALL, base="minimal", name="quellen/b.yaml")],
            cli(*BATCH),
            exits([1], "a.yaml", checks=SAFE),
            seconds=30,
        )
    )
    for name in ("traversal", "con", "long", "rtl-override"):
        found.append(
            case(
                f"names-municipality-{name}",
                group,
                f"build the documents of a municipality named {NAMES[name][:30]!r}",
                [strategy(("municipality.name", yaml_double(NAMES[name])), *SMALL, base="minimal")],
                {"api": "build", "formats": ["markdown", "json"]},
                either("InputFileError", "strategy.yaml", "municipality.name", checks=SAFE),
            )
        )
    for name, codes in (("../../entkommen", [1, 2]), ("con", [0, 1, 2])):
        found.append(
            case(
                f"names-pack-new-{'traversal' if '/' in name else name}",
                group,
                f"pack new with the name {name}",
                [],
                cli("pack", "new", name, "--dir", "@OUT@"),
                exits(codes),
            )
        )
    return found


def calendar_cases() -> list[Case]:
    """The calendar group: line breaks that would start a second calendar."""
    group = "calendar"
    calendar = {"api": "calendar"}
    found = [
        case(
            f"calendar-municipality-{name}",
            group,
            f"a municipality name with an injected calendar ({name})",
            [strategy(("municipality.name", yaml_double(value)), base="demo_planned")],
            calendar,
            either("InputFileError", "strategy.yaml", "municipality.name", checks=ICS),
        )
        for name, value in BREAKS.items()
    ]
    for name, path in CALENDAR_FIELDS.items():
        found.append(
            case(
                f"calendar-{name}-crlf",
                group,
                f"an injected calendar in {path}",
                [strategy((path, yaml_double(INJECTION)), base="demo_planned")],
                calendar,
                either("InputFileError", "strategy.yaml", path, checks=ICS),
            )
        )
    special = [
        ("municipality.name", yaml_double("A;B,C\\D:E")),
        ("measures[0].title", yaml_double("X;Y,Z\\")),
    ]
    found.append(
        case(
            "calendar-special-characters",
            group,
            "commas, semicolons and backslashes in names",
            [strategy(*special, base="demo_planned")],
            calendar,
            ok(checks=ICS),
        )
    )
    found.append(
        case(
            "calendar-long-name",
            group,
            "a municipality name of 5,000 characters",
            [strategy(("municipality.name", rep(("Lindenau", 625))), base="demo_planned")],
            calendar,
            either("InputFileError", "strategy.yaml", "municipality.name", checks=ICS),
        )
    )
    injected = [strategy(("municipality.name", yaml_double(INJECTION)), base="demo_planned")]
    args = ("calendar", "@IN@/strategy.yaml", "--out", "@OUT@/kalender.ics", "--include", ALL_PARTS)
    found.append(
        case(
            "cli-calendar-crlf",
            group,
            "calendar on the command line with an injected name",
            injected,
            cli(*args),
            exits([0, 1], checks=ICS),
        )
    )
    found.append(
        case(
            "process-calendar-crlf-optimised",
            group,
            "calendar under python -O (asserts off) with an injected name",
            injected,
            process(*args, flags=["-O"]),
            exits([0, 1], checks=ICS),
            seconds=30,
        )
    )
    return found


def html_cases() -> list[Case]:
    """The HTML group: markup in texts that reach HTML and Markdown documents."""
    group = "html"
    found = []
    build = {"api": "build", "formats": ["html", "markdown"], "types": ["digitalstrategie"]}
    for index, (name, (payload, forbidden)) in enumerate(PAYLOADS.items()):
        field = HTML_FIELDS[index % len(HTML_FIELDS)]
        checks = [{"check": "absent", "strings": forbidden, "suffixes": [".html", ".md"]}]
        found.append(
            case(
                f"html-{name}",
                group,
                f"{payload[:30]} in {field}",
                [strategy(*SMALL, (field, yaml_double(payload)), base="minimal")],
                build,
                ok(checks=checks),
            )
        )
    found.append(
        case(
            "html-measure-title-demo",
            group,
            "<script> in a measure title of the demo (HTML of two more types)",
            [strategy(("measures[0].title", yaml_double(PAYLOADS["script"][0])))],
            {"api": "build", "formats": ["html"], "types": ["steckbrief", "vorgehensplan"]},
            ok(checks=[{"check": "absent", "strings": ["<script"], "suffixes": [".html"]}]),
            seconds=30,
        )
    )
    return found
