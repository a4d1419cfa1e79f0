"""Planning a whole strategy: schedule and roadmap in one step.

A planned strategy's schedule and generated roadmap carry fingerprints of
the data they were computed from (:func:`schedule_inputs`,
:func:`roadmap_inputs`): right after :func:`plan_strategy` they equal the
recomputed fingerprints, and any change that would change the plan (a
measure added, a cost or date changed, another ranking order, other
limits, profiles or preset) makes them differ, so a stored plan is known to
be stale instead of silently used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs

from kommunal_digital.errors import PlanningError
from kommunal_digital.model import Measure, Roadmap, Strategy
from kommunal_digital.model.fingerprints import fingerprint, measure_inputs
from kommunal_digital.model.preset import RoadmapPreset
from kommunal_digital.model.schedule import ScheduleLimits
from kommunal_digital.planning.roadmap import DEFAULT_ROADMAP_PRESET, build_roadmap
from kommunal_digital.planning.schedule import priority_order, schedule_measures

__all__ = [
    "default_priority",
    "plan_strategy",
    "roadmap_inputs",
    "schedule_inputs",
    "schedule_strategy",
]


def default_priority(strategy: Strategy) -> list[str]:
    """The order measures get money and staff in when no other order is given.

    The order of the strategy's ranking when it has an assessed one.
    Otherwise (no ranking, or one that says the measures are not yet
    assessed) deadlines decide: first the measures with a hard date (the
    earlier of ``legal_deadline`` and ``deadline``), earliest first; then
    those with a target date (``target_on``), earliest first; then the rest,
    each group in the order of the strategy.

    Args:
        strategy: The strategy.
    """
    if strategy.ranking is not None and strategy.ranking.assessed:
        return list(strategy.ranking.order)
    far = dt.date.max

    def key(item: tuple[int, Measure]) -> tuple[dt.date, dt.date, int]:
        index, measure = item
        hard = [d for d in (measure.legal_deadline, measure.deadline) if d is not None]
        return (min(hard, default=far), measure.target_on or far, index)

    return [m.key for _, m in sorted(enumerate(strategy.measures), key=key)]


def _limits(strategy: Strategy) -> ScheduleLimits | None:
    if strategy.limits is not None:
        return strategy.limits
    return strategy.schedule.limits if strategy.schedule is not None else None


def schedule_inputs(strategy: Strategy, priority: Sequence[str] | None = None) -> str:
    """The fingerprint of what the schedule of a strategy is computed from.

    Every measure (all fields but the text-only ones, see
    :func:`~kommunal_digital.model.fingerprints.measure_inputs`), the
    limits (``strategy.limits``; for an old file without limits those its
    stored schedule records), the order the scheduler takes the measures
    up in (from ``priority``, by default :func:`default_priority`) and the
    external milestones (all but their ``note``: the dates move measures,
    title and owner appear in the schedule's notes). Right after
    :func:`plan_strategy` it equals ``strategy.schedule.inputs``.

    Args:
        strategy: The strategy.
        priority: The priority given to :func:`plan_strategy`, if any.
    """
    if priority is None:
        priority = default_priority(strategy)
    return fingerprint(
        "schedule",
        [measure_inputs(m) for m in strategy.measures],
        _limits(strategy),
        priority_order(strategy.measures, priority),
        [
            (m.key, m.title, m.owner, m.expected_on, m.reached_on)
            for m in strategy.external_milestones
        ],
    )


def roadmap_inputs(
    strategy: Strategy,
    priority: Sequence[str] | None = None,
    *,
    preset_key: str | None = None,
) -> str:
    """The fingerprint of what the generated roadmap of a strategy is computed from.

    The schedule's inputs (:func:`schedule_inputs`), the roadmap preset's key
    (``strategy.roadmap_preset``, else ``standard``), the roadmap's start
    (the stored roadmap's, else the limits'), the project profiles (their
    milestones become roadmap milestones) and the organigram (it names the
    owner of a measure without ``owner_role``). Measure titles and owner
    roles are part of the schedule's inputs. A change of the preset's content in a
    pack is not detected, only another preset key. Right after
    :func:`plan_strategy` it equals ``strategy.roadmap.inputs``.

    Args:
        strategy: The strategy.
        priority: The priority given to :func:`plan_strategy`, if any.
        preset_key: The key of the preset given to :func:`plan_strategy`, if any.
    """
    limits = _limits(strategy)
    start = strategy.roadmap.start if strategy.roadmap is not None else None
    if start is None and limits is not None:
        start = limits.start
    return _roadmap_fingerprint(
        strategy,
        schedule_inputs(strategy, priority),
        preset_key or strategy.roadmap_preset or DEFAULT_ROADMAP_PRESET,
        start,
    )


def _roadmap_fingerprint(
    strategy: Strategy, schedule: str, preset_key: str, start: dt.date | None
) -> str:
    return fingerprint(
        "roadmap", schedule, preset_key, start, strategy.profiles, strategy.organigram
    )


def plan_strategy(
    strategy: Strategy,
    presets: Mapping[str, RoadmapPreset],
    *,
    priority: Sequence[str] | None = None,
    preset: RoadmapPreset | None = None,
    roadmap_start: dt.date | None = None,
) -> Strategy:
    """Return a copy of the strategy with a fresh schedule and roadmap.

    Both carry the fingerprint of their inputs (``schedule.inputs`` from
    :func:`schedule_inputs`, ``roadmap.inputs`` from :func:`roadmap_inputs`,
    each with the ``priority`` and ``preset`` given).

    The schedule is made under ``strategy.limits`` and respects the dates of
    ``strategy.external_milestones``; the roadmap is generated
    from ``preset`` (by default the one the strategy names, else
    ``standard``) and carries the
    scheduled measures and their profile milestones. Milestones already
    recorded as reached in the existing roadmap stay reached.

    Args:
        strategy: The strategy; it must have ``limits``.
        presets: The registered roadmap presets by key
            (``workspace.roadmap_presets``).
        priority: Measure keys, most important first; by default
            :func:`default_priority` (the ranking's order, else deadlines
            first).
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
        priority = default_priority(strategy)
    schedule = schedule_measures(
        strategy.measures, strategy.limits, priority, external=strategy.external_milestones
    )
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
    # The default priority is what schedule_inputs would compute again, and
    # the planned strategy's roadmap_inputs would fingerprint the same
    # measures, limits and order: each fingerprint is computed once.
    stamp = schedule_inputs(strategy, priority)
    schedule = attrs.evolve(schedule, inputs=stamp)
    roadmap = attrs.evolve(
        roadmap, inputs=_roadmap_fingerprint(strategy, stamp, preset.key, roadmap.start)
    )
    return attrs.evolve(strategy, schedule=schedule, roadmap=roadmap)


def schedule_strategy(strategy: Strategy, priority: Sequence[str] | None = None) -> Strategy:
    """Return a copy of the strategy with a fresh schedule only (its roadmap unchanged).

    The schedule is the one :func:`plan_strategy` makes, stamped the same
    way; use it where the roadmap is kept, e.g. a roadmap written by hand.

    Args:
        strategy: The strategy; it needs ``limits`` (an old file without them
            is scheduled under the limits its stored schedule records).
        priority: Measure keys, most important first; by default
            :func:`default_priority`.

    Raises:
        PlanningError: The strategy has no limits or its dependencies are broken.
    """
    limits = _limits(strategy)
    if limits is None:
        raise PlanningError(
            "the strategy has no 'limits' (start, horizon, budget, staff) to plan with"
        )
    order = default_priority(strategy) if priority is None else priority
    schedule = schedule_measures(
        strategy.measures, limits, order, external=strategy.external_milestones
    )
    schedule = attrs.evolve(schedule, inputs=schedule_inputs(strategy, priority))
    return attrs.evolve(strategy, schedule=schedule)


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
