"""No sentence of the German source documents is copied into the project."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
RUN = 8  # words in a row that would count as copied


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def runs(text: str) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + RUN]) for i in range(len(tokens) - RUN + 1)}


def project_texts() -> list[Path]:
    folders = [ROOT / "template_packs", ROOT / "src", ROOT / "docs", ROOT / "plugins"]
    suffixes = {".yaml", ".yml", ".md", ".py", ".toml", ".txt"}
    return [p for f in folders for p in f.rglob("*") if p.is_file() and p.suffix in suffixes]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are not beside this checkout")
def test_no_run_of_eight_seed_words_appears_in_the_project() -> None:
    seed_runs: set[tuple[str, ...]] = set()
    for seed in SEEDS.glob("*.txt"):
        seed_runs |= runs(seed.read_text(encoding="utf-8"))
    assert seed_runs
    copied = {
        str(path.relative_to(ROOT)): " ".join(
            sorted(runs(path.read_text(encoding="utf-8")) & seed_runs)[0]
        )
        for path in project_texts()
        if runs(path.read_text(encoding="utf-8")) & seed_runs
    }
    assert copied == {}
