"""Benchmark of reading a large strategy file against PyYAML's C loader, in one run.

Writes a strategy of N measures (default 10,000) as YAML, then times

1. ``load_yaml`` (the project's strict loader: no tags, no duplicate keys,
   impossible dates kept with their line) against
   ``yaml.load(text, yaml.CSafeLoader)`` of the same text (goal: at most
   1.3 times);
2. the whole ``load_strategy`` (reading, structuring, checking every field)
   against the same baseline, for information: structuring is the part the
   YAML parser does not do.

Each figure is the best of --repeat runs with the garbage collector paused.

Run: python benchmarks/yaml_benchmark.py [--measures 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import yaml
from plan_benchmark import best, make_strategy  # type: ignore[import-not-found]  # sibling script

import kommunal_digital as kd
from kommunal_digital.io.yaml_io import LIBYAML, load_yaml


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"libyaml: {'yes' if LIBYAML else 'no (pure-Python parser)'}")
    with tempfile.TemporaryDirectory() as folder:
        path = kd.dump_strategy(make_strategy(args.measures), Path(folder) / "gross.yaml")
        text = path.read_text(encoding="utf-8")
        print(f"{args.measures:,} measures, {len(text) / 1e6:.1f} MB of YAML")
        raw = best(lambda: yaml.load(text, Loader=yaml.CSafeLoader), args.repeat)
        ours = best(lambda: load_yaml(text), args.repeat)
        whole = best(lambda: kd.load_strategy(path), args.repeat)
    print(f"yaml.load(CSafeLoader): {raw:.2f} s")
    print(f"load_yaml:              {ours:.2f} s  ratio {ours / raw:.2f} (goal <= 1.3)")
    print(f"load_strategy:          {whole:.2f} s  ratio {whole / raw:.2f} (whole load, info)")


if __name__ == "__main__":
    main()
