"""Server-side template injection: hostile templates in packs, rendered and checked.

Every template of ``tests/hostile_templates/`` (the corpus of
``tests/test_template_security.py``) is rendered as a pack's Markdown
template; some as Word templates too. Its first line names the attack and
the refusal expected.
"""

from __future__ import annotations

from pathlib import Path

from hostile_cases import (
    Case,
    case,
    cli,
    docx_pack,
    error,
    exits,
    md_pack,
    pack_check,
    problems,
    process,
    render,
    small_strategy,
)

GROUP = "ssti"
TEMPLATES = Path(__file__).resolve().parents[2] / "tests" / "hostile_templates"

#: Word variants of a few templates: every kind of attack once.
DOCX_VARIANTS = (
    "class_mro",
    "cycler_globals",
    "format_attribute",
    "include_passwd",
    "extends_hostname",
    "huge_string",
    "translate_bomb",
    "bytes_replace_bomb",
    "nested_loops",
    "huge_power",
    "join_amplification",
    "printed_output",
)

#: Payloads that would create the marker file if they ever ran.
MARKER_TEMPLATES = {
    "subclasses-warnings": (
        "{% for c in [].__class__.__base__.__subclasses__() %}{% if c.__name__ == "
        "'catch_warnings' %}{{ c()._module.__builtins__['__import__']('os')"
        ".system('touch @MARKER@') }}{% endif %}{% endfor %}"
    ),
    "namespace-builtins": (
        "{{ namespace.__init__.__globals__.__builtins__.__import__('os')"
        ".system('touch @MARKER@') }}"
    ),
    "attr-escaped": (
        "{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f')|attr('\\x5f\\x5fbase\\x5f\\x5f')"
        "|attr('\\x5f\\x5fsubclasses\\x5f\\x5f') }}"
    ),
    "attr-built-name": (
        "{% set u = '_' * 2 %}{{ (''|attr(u ~ 'class' ~ u)|attr(u ~ 'mro' ~ u))[1]"
        "|attr(u ~ 'subclasses' ~ u) }}"
    ),
    "format-built-name": "{% set u = '%c%c'|format(95, 95) %}{{ ''|attr(u ~ 'class' ~ u) }}",
    "self-context": (
        "{{ self._TemplateReference__context.cycler.__init__.__globals__.os"
        ".system('touch @MARKER@') }}"
    ),
    "loop-cycle-globals": (
        "{% for x in [1] %}{{ loop.cycle.__globals__.os.system('touch @MARKER@') }}{% endfor %}"
    ),
    "filter-map-attribute": "{{ [''] | map(attribute='__class__.__mro__') | list }}",
    "getattr-via-dict": "{{ dict(a=1).__class__.__subclasses__() }}",
    "macro-globals": "{% macro m() %}{% endmacro %}{{ m.__globals__ }}{{ m._func.__globals__ }}",
}

#: Template statements that read files: refused when a template is compiled.
DIRECTIVES = {
    "include": "{% include '/etc/passwd' %}",
    "import": "{% import '../x' as y %}{{ y }}",
    "from-import": "{% from '/etc/passwd' import root %}{{ root }}",
    "extends": "{% extends '/etc/hostname' %}",
}

#: Text and bytes methods that allocate without bound unless the sandbox counts them.
SIZE_BOMBS = {
    "bytes-expandtabs": "{{ ('\\t' * 999999).encode().expandtabs(999999) }}",
    "expandtabs": "{{ ('\\t' * 999999).expandtabs(999999) }}",
    "bytes-center": "{{ 'x'.encode().center(10**9) }}",
    "bytes-zfill": "{{ 'x'.encode().zfill(10**9) }}",
    "bytes-join": "{{ ('y' * 999999).encode().join(['x'.encode()] * 999) }}",
    "bytes-times": "{{ 'x'.encode() * 10**9 }}",
    "str-translate-table": "{{ ('a' * 999999).translate({97: 'b' * 999999}) }}",
    "str-rjust": "{{ 'x'.rjust(10**9) }}",
    "format-spec-width": "{{ '{:>999999999}'.format('x') }}",
}

RENDER_ARGS = ("render", "@IN@/strategy.yaml", "--pack", "@IN@/feind", "--out")


def hostile_templates() -> list[tuple[str, str, str]]:
    """Name, attack and expected refusal of every template in tests/hostile_templates."""
    found = []
    for path in sorted(TEMPLATES.glob("*.txt")):
        header = path.read_text(encoding="utf-8").splitlines()[0]
        attack, _, expect = header.removeprefix("{# ").removesuffix(" #}").partition(" -- expect: ")
        found.append((path.name, attack, expect))
    return found


def _rendered(id: str, what: str, template: object, *fragments: str) -> Case:
    return case(
        id,
        GROUP,
        what,
        [small_strategy(), md_pack(template)],
        render("feind"),
        error("TemplateRenderError", "digitalstrategie.md", *fragments, stage="render"),
    )


def _corpus() -> list[Case]:
    found = []
    for name, attack, expect in hostile_templates():
        stem = name.removesuffix(".txt")
        slug = stem.replace("_", "-")
        found.append(
            _rendered(
                f"ssti-md-{slug}",
                f"{attack} (Markdown template of a pack)",
                {"template": name},
                expect,
            )
        )
        if stem in DOCX_VARIANTS:
            _, *lines = (TEMPLATES / name).read_text(encoding="utf-8").splitlines()
            found.append(
                case(
                    f"ssti-docx-{slug}",
                    GROUP,
                    f"{attack} (Word template of a pack)",
                    [small_strategy(), docx_pack({"docx": lines})],
                    render("feind", "docx", "Digitalstrategie.docx"),
                    error("TemplateRenderError", "digitalstrategie.docx", expect, stage="render"),
                )
            )
    return found


def cases() -> list[Case]:
    """The SSTI group."""
    found = _corpus()
    what = "a template that would run a shell command if the sandbox let it"
    found.extend(
        _rendered(f"ssti-marker-{name}", what, {"text": source})
        for name, source in MARKER_TEMPLATES.items()
    )
    for name, source in DIRECTIVES.items():
        found.append(
            case(
                f"ssti-pack-check-md-{name}",
                GROUP,
                f"pack check of a Markdown template with {{% {name} %}}",
                [md_pack({"text": source})],
                pack_check("feind"),
                problems("digitalstrategie.md", "is not allowed"),
            )
        )
        found.append(
            case(
                f"ssti-pack-check-docx-{name}",
                GROUP,
                f"pack check of a Word template with {{% {name} %}}",
                [docx_pack({"docx": [source]})],
                pack_check("feind"),
                problems("digitalstrategie.docx", "is not allowed"),
            )
        )
    found.append(
        case(
            "ssti-pack-check-translate",
            GROUP,
            "pack check of the translate bomb: it checks syntax, it must not run it",
            [md_pack({"template": "translate_bomb.txt"})],
            pack_check("feind"),
            {"outcome": "either"},
        )
    )
    what = "a string or bytes method that allocates without bound"
    found.extend(
        _rendered(f"ssti-size-{name}", what, {"text": source})
        for name, source in SIZE_BOMBS.items()
    )
    for name in ("translate_bomb", "cycler_globals", "include_passwd"):
        found.append(
            case(
                f"cli-render-{name.replace('_', '-')}",
                GROUP,
                f"render with a pack holding {name} on the command line",
                [small_strategy(), md_pack({"template": f"{name}.txt"})],
                cli(*RENDER_ARGS, "@OUT@/Digitalstrategie.md"),
                exits([1], "digitalstrategie.md"),
            )
        )
    found.append(
        case(
            "cli-pack-check-include",
            GROUP,
            "pack check of {% include %} on the command line",
            [md_pack({"template": "include_passwd.txt"})],
            cli("pack", "check", "@IN@/feind"),
            exits([1], "digitalstrategie.md", "is not allowed"),
        )
    )
    found.append(
        case(
            "process-render-translate",
            GROUP,
            "render the translate bomb in a real process",
            [small_strategy(), md_pack({"template": "translate_bomb.txt"})],
            process(*RENDER_ARGS, "@OUT@/Digitalstrategie.md"),
            exits([1], "digitalstrategie.md"),
            seconds=30,
        )
    )
    return found
