"""The built-in demo: a fictional Verbandsgemeinde and its strategy."""

from __future__ import annotations

import datetime as dt
import os
from importlib import resources
from pathlib import Path

import attrs

from kommunal_digital.errors import OutputExistsError
from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.io.strategy_file import dumps_strategy, loads_strategy
from kommunal_digital.model import Strategy
from kommunal_digital.planning.plan import plan_strategy
from kommunal_digital.ranking.registry import rank_strategy

__all__ = ["DemoOutput", "demo_strategy", "write_demo"]

#: Name of the demo's strategy file inside this package.
_DEMO_FILE = "strategy.yaml"

#: The date the demo's documents are dated: after the last progress update
#: of its history, so the Fortschrittsbericht reports on a real period.
DEMO_DATE = dt.date(2028, 1, 31)


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


def write_demo(
    out_dir: str | os.PathLike[str], *, force: bool = False, today: dt.date | None = None
) -> DemoOutput:
    """Write the demo's ``strategy.yaml`` and its full document set.

    The documents are those of :func:`kommunal_digital.build_documents` with
    the bundled Rhineland-Palatinate pack, in the documented folder layout:
    the Digitalstrategie, Vorgehensplan, Beschlussvorlage,
    Fortschrittsbericht and Organigramm, one Steckbrief per measure in
    ``Steckbriefe/``, and the pictures (organigram, stakeholder grid, Gantt
    chart as PNG and SVG) in ``Bilder/``.

    Args:
        out_dir: Folder to write into (created if missing).
        force: Overwrite files left by an earlier run.
        today: The date printed in the documents; by default ``DEMO_DATE``
            (31 January 2028), which suits the demo's progress history.

    Returns:
        The paths written.

    Raises:
        OutputExistsError: A file to be written exists and ``force`` is
            false; nothing is written then.
        DocumentError: A document could not be produced; nothing is written.
    """
    from kommunal_digital.documents.build import build_documents

    folder = Path(out_dir)
    strategy = demo_strategy()
    strategy_path = folder / "strategy.yaml"
    if strategy_path.exists() and not force:
        # Checked up front so that a refused run writes nothing at all.
        raise OutputExistsError(f"{strategy_path}: exists already; pass force to overwrite")
    built = build_documents(
        strategy, folder, pack="rlp", force=force, strict=True, today=today or DEMO_DATE
    )
    strategy_file = write_atomic(
        strategy_path, dumps_strategy(strategy).encode("utf-8"), force=force
    )
    return DemoOutput(strategy_file=strategy_file, documents=built.documents, images=built.pictures)
