"""Benchmark of document rendering against bare docxtpl, in one run.

1. One Digitalstrategie of the demo rendered by kommunal-digital (cold
   cache) against bare docxtpl rendering the same template and context
   (goal: at most 1.05 times).
2. A batch of 100 renders with the compiled-template cache, per document,
   against bare docxtpl per document (goal: at most 0.5 times).

Run: python benchmarks/render_benchmark.py [--batch 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import time
from pathlib import Path
from typing import Any

import kommunal_digital as kd
from kommunal_digital.documents.docx import render_docx_bytes
from kommunal_digital.documents.environment import make_environment
from kommunal_digital.documents.template_cache import clear_cache


def bare_docxtpl(template: Path, context: dict[str, Any]) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template))
    document.render(context, jinja_env=make_environment(), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def timed(function: Any, *args: Any) -> float:
    began = time.perf_counter()
    function(*args)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    workspace = kd.open_workspace("rlp")
    template = workspace.template("digitalstrategie")
    context = kd.document_context(
        kd.demo_strategy(workspace), workspace, "digitalstrategie", today=dt.date(2027, 3, 31)
    )
    bare_docxtpl(template, context)  # warm imports

    single_bare, single_ours = [], []
    for _ in range(args.repeat):
        single_bare.append(timed(bare_docxtpl, template, context))
        clear_cache()
        single_ours.append(timed(render_docx_bytes, template, context))
    bare = statistics.median(single_bare)
    ours = statistics.median(single_ours)
    print(
        f"single render, cold cache: ours {ours * 1000:.1f} ms, bare docxtpl {bare * 1000:.1f} ms, "
        f"ratio {ours / bare:.3f} (goal <= 1.05)"
    )

    # Interleaved, so that load from other processes falls on both sides alike.
    clear_cache()
    ours_total = bare_total = 0.0
    for _ in range(args.batch):
        ours_total += timed(render_docx_bytes, template, context)
        bare_total += timed(bare_docxtpl, template, context)
    ours_each = ours_total / args.batch
    bare_each = bare_total / args.batch
    print(
        f"batch of {args.batch}: ours {ours_each * 1000:.1f} ms/doc, bare docxtpl "
        f"{bare_each * 1000:.1f} ms/doc, ratio {ours_each / bare_each:.3f} (goal <= 0.5)"
    )


if __name__ == "__main__":
    main()
