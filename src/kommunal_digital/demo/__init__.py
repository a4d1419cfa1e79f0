"""The built-in demo: a fictional Verbandsgemeinde and its strategy."""

from __future__ import annotations

import datetime as dt
import functools
import os
from importlib import resources
from pathlib import Path

import attrs

from kommunal_digital.documents.build import build_documents
from kommunal_digital.errors import OutputExistsError
from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.io.strategy_text import dumps_strategy, loads_strategy
from kommunal_digital.model import PackReference, Strategy
from kommunal_digital.planning.plan import plan_strategy
from kommunal_digital.plugins.installation import open_workspace
from kommunal_digital.ranking.registry import rank_strategy
from kommunal_digital.workspace.workspace import Workspace

__all__ = [
    "DEMO_DATE",
    "DEMO_PACK",
    "DemoOutput",
    "demo_strategy",
    "demo_workspace",
    "write_demo",
]

#: The pack the demo is made with: the bundled Rheinland-Pfalz pack.
DEMO_PACK = "rlp"

#: Name of the demo's strategy file inside this package.
_DEMO_FILE = "strategy.yaml"

#: The date the demo's documents are dated: after the last progress update
#: of its history, so the Fortschrittsbericht reports on a real period.
DEMO_DATE = dt.date(2028, 1, 31)


@functools.cache
def demo_workspace() -> Workspace:
    """The workspace the demo is made with: the bundled pack ``rlp`` and the installed plugins.

    Opened once per process; pass a workspace of your own to
    :func:`demo_strategy` or :func:`write_demo` to use other plugins.
    """
    return open_workspace(DEMO_PACK)


def demo_strategy(workspace: Workspace | None = None, *, planned: bool = True) -> Strategy:
    """Return the demo strategy of the fictional Verbandsgemeinde Eichenberg.

    Args:
        workspace: Supplies the ranking rules and roadmap presets for
            planning; :func:`demo_workspace` by default (only opened when
            ``planned``).
        planned: Rank the measures, schedule them and generate the roadmap
            (as the demo command writes it); ``False`` gives the file as shipped.
    """
    text = resources.files(__name__).joinpath(_DEMO_FILE).read_text(encoding="utf-8")
    strategy = loads_strategy(text, source=f"demo/{_DEMO_FILE}")
    if not planned:
        return strategy
    workspace = workspace or demo_workspace()
    ranked = rank_strategy(strategy, workspace.ranking_rules)
    planned_strategy = plan_strategy(ranked, workspace.roadmap_presets)
    return attrs.evolve(
        planned_strategy,
        pack=PackReference(workspace.pack.name, workspace.pack.manifest.version),
    )


@attrs.frozen
class DemoOutput:
    """The files the demo wrote.

    Attributes:
        strategy_file: The demo's ``strategy.yaml``.
        documents: The documents, in the order they were written.
        images: The pictures written into ``Bilder/``.
    """

    strategy_file: Path
    documents: tuple[Path, ...]
    images: tuple[Path, ...] = ()


def write_demo(
    out_dir: str | os.PathLike[str],
    workspace: Workspace | None = None,
    *,
    force: bool = False,
    today: dt.date | None = None,
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
        workspace: The workspace to plan and render with;
            :func:`demo_workspace` by default.
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
    folder = Path(out_dir)
    workspace = workspace or demo_workspace()
    strategy = demo_strategy(workspace)
    strategy_path = folder / "strategy.yaml"
    if strategy_path.exists() and not force:
        # Checked up front so that a refused run writes nothing at all.
        raise OutputExistsError(f"{strategy_path}: exists already; pass force to overwrite")
    built = build_documents(
        strategy, folder, workspace, force=force, strict=True, today=today or DEMO_DATE
    )
    strategy_file = write_atomic(
        strategy_path, dumps_strategy(strategy).encode("utf-8"), force=force
    )
    return DemoOutput(strategy_file=strategy_file, documents=built.documents, images=built.pictures)
