"""Whether a strategy's stored ranking, schedule and roadmap still fit its data.

Derived data records a fingerprint of its inputs when it is computed (see
:mod:`kommunal_digital.model.fingerprints`). Comparing it with the
fingerprint of the current data says whether the stored result is
*current*, *stale* (the data changed since, e.g. an Excel import added
measures) or *unstamped* (written before fingerprints were recorded, so
nobody can tell). ``validate`` reports stale and unstamped data;
``build`` recomputes in memory (:func:`refresh_derived`) so that documents
never show a ranking or schedule that no longer fits the measures.

A roadmap without a fingerprint was written by hand: it is never stale and
never replaced.
"""

from __future__ import annotations

from typing import Literal

import attrs

from kommunal_digital.errors import KommunalDigitalError
from kommunal_digital.model import Strategy
from kommunal_digital.model.fingerprints import ranking_inputs
from kommunal_digital.planning import roadmap_inputs, schedule_inputs, schedule_strategy
from kommunal_digital.workspace.operations import plan, rank
from kommunal_digital.workspace.workspace import Workspace

__all__ = ["Freshness", "Refreshed", "derived_freshness", "refresh_derived"]

State = Literal["current", "stale", "unstamped"]

_NAMES = {"ranking": "Rangfolge", "schedule": "Zeitplan", "roadmap": "Vorgehensplan"}


@attrs.frozen
class Freshness:
    """The state of one piece of stored derived data.

    Attributes:
        part: ``"ranking"``, ``"schedule"`` or ``"roadmap"``.
        state: ``"current"``, ``"stale"`` or ``"unstamped"``.
    """

    part: str
    state: State

    @property
    def label(self) -> str:
        """The part's German name, e.g. ``Rangfolge``."""
        return _NAMES[self.part]


def _state(stored: str, current: str) -> State:
    if not stored:
        return "unstamped"
    return "current" if stored == current else "stale"


def derived_freshness(strategy: Strategy) -> tuple[Freshness, ...]:
    """The state of each stored ranking, schedule and generated roadmap.

    Parts the strategy does not store are left out, and so is a roadmap
    written by hand (one without a fingerprint).

    Args:
        strategy: The strategy as loaded.
    """
    states = []
    if strategy.ranking is not None:
        states.append(
            Freshness("ranking", _state(strategy.ranking.inputs, ranking_inputs(strategy)))
        )
    if strategy.schedule is not None:
        states.append(
            Freshness("schedule", _state(strategy.schedule.inputs, schedule_inputs(strategy)))
        )
    if strategy.roadmap is not None and strategy.roadmap.inputs:
        states.append(
            Freshness("roadmap", _state(strategy.roadmap.inputs, roadmap_inputs(strategy)))
        )
    return tuple(states)


@attrs.frozen
class Refreshed:
    """A strategy with its derived data recomputed in memory, and what happened.

    Attributes:
        strategy: The strategy to build documents from.
        recomputed: The parts computed afresh because they were stale or
            unstamped (``"ranking"``, ``"schedule"``, ``"roadmap"``).
        kept: The parts kept as stored (current ones with ``keep_current``).
        failures: Parts that could not be recomputed, with the reason;
            the stored data stays in place for them.
    """

    strategy: Strategy
    recomputed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()

    def notices(self) -> list[str]:
        """One line per recomputed or failed part, for the command line."""
        lines = []
        if self.recomputed:
            names = ", ".join(_NAMES[p] for p in self.recomputed)
            lines.append(
                f"{names} recomputed in memory because the stored data did not fit the "
                "strategy (stale or without fingerprint); the file is unchanged"
            )
        lines.extend(self.failures)
        return lines


def refresh_derived(
    strategy: Strategy, workspace: Workspace, *, keep_current: bool = False
) -> Refreshed:
    """Recompute the stored ranking and schedule (and a generated roadmap) in memory.

    By default the stored ranking and schedule are recomputed (a current
    part recomputes to the same result). With ``keep_current``, parts whose
    fingerprint matches are kept as stored. Parts the strategy does not
    store are not added. A generated roadmap is generated again only when
    it is stale (so edits to a current one survive); a hand-written one is
    always kept. A part that
    cannot be recomputed (say, the rule's options no longer fit) keeps the
    stored data and is reported in ``failures``.

    Args:
        strategy: The strategy as loaded.
        workspace: Supplies the ranking rules and roadmap presets.
        keep_current: Keep parts that are current instead of recomputing them.
    """
    states = {f.part: f.state for f in derived_freshness(strategy)}
    recomputed: list[str] = []
    kept: list[str] = []
    failures: list[str] = []
    result = strategy
    redo_ranking = "ranking" in states and not (keep_current and states["ranking"] == "current")
    if redo_ranking:
        try:
            result = rank(result, workspace)
        except KommunalDigitalError as error:
            failures.append(f"the stored ranking could not be recomputed and is used: {error}")
        else:
            if states["ranking"] != "current":
                recomputed.append("ranking")
    elif "ranking" in states:
        kept.append("ranking")
    ranking_changed = result.ranking != strategy.ranking
    redo_schedule = "schedule" in states and (
        ranking_changed or not (keep_current and states["schedule"] == "current")
    )
    # A roadmap generated from the schedule follows it; one written by hand
    # (or none) stays as it is, and then no roadmap preset is needed.
    generated = strategy.roadmap is not None and bool(strategy.roadmap.inputs)
    regenerate = generated and (ranking_changed or states.get("roadmap") != "current")
    if redo_schedule:
        try:
            planned = plan(result, workspace) if regenerate else schedule_strategy(result)
        except KommunalDigitalError as error:
            failures.append(f"the stored schedule could not be recomputed and is used: {error}")
        else:
            if states["schedule"] != "current" or ranking_changed:
                recomputed.append("schedule")
            if regenerate:
                recomputed.append("roadmap")
            result = planned
    elif "schedule" in states:
        kept.append("schedule")
    return Refreshed(result, tuple(recomputed), tuple(kept), tuple(failures))
