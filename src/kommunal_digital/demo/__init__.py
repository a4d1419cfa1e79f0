"""The built-in demo: a fictional Verbandsgemeinde and its strategy."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import attrs

from kommunal_digital.documents.build import render_document
from kommunal_digital.errors import OutputExistsError
from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.io.strategy_file import dumps_strategy, loads_strategy
from kommunal_digital.model import Strategy
from kommunal_digital.planning.plan import plan_strategy
from kommunal_digital.ranking.registry import rank_strategy

__all__ = ["DemoOutput", "demo_strategy", "write_demo"]

#: Name of the demo's strategy file inside this package.
_DEMO_FILE = "strategy.yaml"


def demo_strategy(*, planned: bool = True) -> Strategy:
    """Return the demo strategy of the fictional Verbandsgemeinde Eichenberg.

    Args:
        planned: Rank the measures, schedule them and generate the roadmap
            (as the demo command writes it); ``False`` gives the file as shipped.
    """
    text = resources.files(__name__).joinpath(_DEMO_FILE).read_text(encoding="utf-8")
    strategy = loads_strategy(text, source=f"demo/{_DEMO_FILE}")
    return plan_strategy(rank_strategy(strategy)) if planned else strategy


@attrs.frozen
class DemoOutput:
    """The files the demo wrote."""

    strategy_file: Path
    documents: tuple[Path, ...]
    images: tuple[Path, ...] = ()


def write_demo(out_dir: str | os.PathLike[str], *, force: bool = False) -> DemoOutput:
    """Write the demo's ``strategy.yaml``, its ``Digitalstrategie.docx`` and its pictures.

    The pictures are the organigram and the power/interest grid of the
    stakeholders, each as PNG and SVG.

    Args:
        out_dir: Folder to write into (created if missing).
        force: Overwrite files left by an earlier run.

    Returns:
        The paths written.
    """
    from kommunal_digital.documents.charts import chart_images  # lazy: matplotlib

    folder = Path(out_dir)
    strategy = demo_strategy()
    images = chart_images(strategy)
    targets = (folder / "Digitalstrategie.docx", folder / "strategy.yaml")
    existing = [str(path) for path in (*targets, *(folder / n for n in images)) if path.exists()]
    if existing and not force:
        # Checked up front so that a refused run writes nothing at all.
        raise OutputExistsError(f"{', '.join(existing)}: exist(s) already; pass force to overwrite")
    document = render_document(strategy, targets[0], pack="rlp", force=force)
    strategy_file = write_atomic(targets[1], dumps_strategy(strategy).encode("utf-8"), force=force)
    pictures = tuple(write_atomic(folder / n, data, force=force) for n, data in images.items())
    return DemoOutput(strategy_file=strategy_file, documents=(document,), images=pictures)
