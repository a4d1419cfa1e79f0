"""Planning a whole strategy: schedule and roadmap in one step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs

from kommunal_digital.errors import PlanningError
from kommunal_digital.model import Roadmap, Strategy
from kommunal_digital.model.preset import RoadmapPreset
from kommunal_digital.planning.roadmap import DEFAULT_ROADMAP_PRESET, build_roadmap
from kommunal_digital.planning.schedule import schedule_measures

__all__ = ["plan_strategy"]


def plan_strategy(
    strategy: Strategy,
    presets: Mapping[str, RoadmapPreset],
    *,
    priority: Sequence[str] | None = None,
    preset: RoadmapPreset | None = None,
    roadmap_start: dt.date | None = None,
) -> Strategy:
    """Return a copy of the strategy with a fresh schedule and roadmap.

    The schedule is made under ``strategy.limits``; the roadmap is generated
    from ``preset`` (by default the one the strategy names, else
    ``standard``) and carries the
    scheduled measures and their profile milestones. Milestones already
    recorded as reached in the existing roadmap stay reached.

    Args:
        strategy: The strategy; it must have ``limits``.
        presets: The registered roadmap presets by key
            (``workspace.roadmap_presets``).
        priority: Measure keys, most important first. By default the order
            of the strategy's ``ranking``; without a ranking, measures with a
            legal deadline come first (earliest deadline first), then the
            others in the order of the strategy.
        preset: The procedure to generate the roadmap from; by default the
            preset named by ``strategy.roadmap_preset``, else the three-phase
            procedure ``standard``.
        roadmap_start: First day of the roadmap; by default the start of the
            existing roadmap, else the start of the limits.

    Raises:
        PlanningError: The strategy has no limits, its dependencies are
            broken, or the preset it names is not registered.
    """
    if strategy.limits is None:
        raise PlanningError(
            "the strategy has no 'limits' (start, horizon, budget, staff) to plan with"
        )
    if priority is None:
        priority = strategy.ranking.order if strategy.ranking else _legal_first(strategy)
    schedule = schedule_measures(strategy.measures, strategy.limits, priority)
    start = roadmap_start or (strategy.roadmap.start if strategy.roadmap else strategy.limits.start)
    if preset is None:
        key = strategy.roadmap_preset or DEFAULT_ROADMAP_PRESET
        if key not in presets:
            known = ", ".join(sorted(presets)) or "none"
            raise PlanningError(f"unknown roadmap preset {key!r} (registered: {known})")
        preset = presets[key]
    roadmap = build_roadmap(strategy, start, preset=preset, schedule=schedule)
    if strategy.roadmap is not None:
        roadmap = _keep_reached(strategy.roadmap, roadmap)
    return attrs.evolve(strategy, schedule=schedule, roadmap=roadmap)


def _legal_first(strategy: Strategy) -> list[str]:
    """Measures with a legal deadline first, by deadline; the rest in file order."""
    far = dt.date.max
    order = sorted(
        enumerate(strategy.measures),
        key=lambda item: (item[1].legal_deadline or far, item[0]),
    )
    return [measure.key for _, measure in order]


def _keep_reached(old: Roadmap, new: Roadmap) -> Roadmap:
    """Carry reached dates of milestones over from the old roadmap by phase and text."""
    reached = {
        (phase.key, milestone.what): milestone.reached_on
        for phase in old.phases
        for milestone in phase.milestones
        if milestone.reached_on is not None
    }
    if not reached:
        return new
    phases = tuple(
        attrs.evolve(
            phase,
            milestones=tuple(
                attrs.evolve(m, reached_on=reached.get((phase.key, m.what), m.reached_on))
                for m in phase.milestones
            ),
        )
        for phase in new.phases
    )
    return attrs.evolve(new, phases=phases)
