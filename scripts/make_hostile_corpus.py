"""Write the hostile-input corpus index, ``tests/hostile/cases.json``.

Every case is one line of the index: an id, its group, what it tries, the
recipes of its inputs (built at test time by ``tests/hostile/recipes.py``,
so bombs and huge workbooks are never stored), the entry point it goes
through (an API function, a command in-process, or a real process) and
the documented outcome: the error class and fragments of its message that
name the place, or success, and for commands the exit code. The cases
themselves are defined in ``scripts/hostile_cases/``, one module per
group. See "The hostile-input corpus" in docs/testing.md.

Run ``python scripts/make_hostile_corpus.py`` after changing a case;
``tests/test_hostile_corpus.py`` fails while the index is out of date.
``--check`` only compares.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostile_cases import Case, archives, formats, fuzz, outputs, plugins, templates, workbooks

ROOT = Path(__file__).resolve().parent.parent
INDEX = ROOT / "tests" / "hostile" / "cases.json"

GROUPS = (
    formats.cases,
    templates.cases,
    archives.cases,
    workbooks.cases,
    outputs.name_cases,
    outputs.calendar_cases,
    outputs.html_cases,
    fuzz.cases,
    plugins.cases,
    formats.file_cases,
)


def all_cases() -> list[Case]:
    """Every case of the corpus, in a fixed order."""
    cases = [made for group in GROUPS for made in group()]
    counts = Counter(c["id"] for c in cases)
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    if duplicates:
        raise SystemExit(f"duplicate case ids: {duplicates}")
    return cases


def index_text() -> str:
    """The index as written: one case per line, so a diff shows the cases that changed."""
    lines = [json.dumps(c, ensure_ascii=False) for c in all_cases()]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def main(argv: list[str]) -> int:
    wanted = index_text()
    if "--check" in argv:
        current = INDEX.read_text(encoding="utf-8") if INDEX.exists() else ""
        if current != wanted:
            print(f"{INDEX.relative_to(ROOT)} is out of date; run scripts/make_hostile_corpus.py")
            return 1
        return 0
    INDEX.write_text(wanted, encoding="utf-8")
    cases = json.loads(wanted)
    print(f"wrote {INDEX.relative_to(ROOT)}: {len(cases)} cases")
    for group, number in Counter(c["group"] for c in cases).items():
        print(f"  {group}: {number}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
