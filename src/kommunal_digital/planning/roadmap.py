"""Generating the roadmap (Vorgehensplan) from a preset and a schedule."""

from __future__ import annotations

import datetime as dt

from kommunal_digital.errors import PlanningError
from kommunal_digital.model import (
    Measure,
    Milestone,
    Phase,
    Roadmap,
    Strategy,
    Task,
    measure_owner,
)
from kommunal_digital.model.checks import MAX_PLAN_START, MIN_DATE
from kommunal_digital.model.ownership import held_role, role_of_kind
from kommunal_digital.model.preset import PresetTask, RoadmapPreset
from kommunal_digital.model.schedule import Schedule
from kommunal_digital.units.months import add_months

__all__ = ["DEFAULT_ROADMAP_PRESET", "build_roadmap", "record_milestone"]

#: Key of the procedure used when a strategy names none: the three phases
#: after the workshop (anchor, structures, implement), shipped as data of the
#: bundled ``base`` pack.
DEFAULT_ROADMAP_PRESET = "standard"


def _due(start: dt.date, phase_offset: int, due_month: int | None) -> dt.date | None:
    return None if due_month is None else add_months(start, phase_offset + due_month)


def _owner(strategy: Strategy, measure: Measure) -> str:
    if measure.owner_role.strip():
        return measure.owner_role
    role = measure_owner(strategy, measure)
    return role.title if role is not None else ""


def _who(strategy: Strategy, task: PresetTask) -> str:
    """The preset's ``who``, its first name replaced by the organigram's own role (``who_role``)."""
    role = role_of_kind(strategy, task.who_role) if task.who_role else None
    if role is None:
        return task.who
    rest = task.who.split(",", 1)[1:]
    return ",".join([role.title, *rest])


def build_roadmap(
    strategy: Strategy,
    start: dt.date,
    *,
    preset: RoadmapPreset,
    schedule: Schedule | None = None,
) -> Roadmap:
    """Generate the roadmap of a strategy.

    Phases follow each other from ``start``; due dates are the preset's
    offsets from each phase's start. The implementation phase gets, after
    its standard tasks, one task per scheduled measure (due at the measure's
    end, carried by its ``owner_role``, else by the organigram role that
    owns it, else by nobody named yet: ``""``) and the milestones of the
    project profiles of those measures. Finished, dropped and unplaced
    measures get no task. A preset task or milestone whose ``unless_role``
    names a role the organigram has with a holder is left out (the post
    exists already), and a task's ``who_role`` puts the title of the
    organigram's own role in place of the preset's first name.

    Args:
        strategy: Supplies measures and project profiles.
        start: The first day of the roadmap.
        preset: The procedure (e.g. ``workspace.roadmap_presets["standard"]``).
        schedule: Where the measures lie in time; ``strategy.schedule`` when omitted.

    Raises:
        PlanningError: ``start`` lies outside 1900-01-01 to 2159-12-31 (see
            :data:`~kommunal_digital.model.checks.MAX_PLAN_START`).
    """
    if not MIN_DATE <= start <= MAX_PLAN_START:
        # The preset's offsets (at most MAX_PLAN_OFFSET_MONTHS) must keep every
        # due date within the dates the model accepts.
        raise PlanningError(
            f"roadmap.start: {start.isoformat()} lies outside the dates a roadmap may start on "
            f"({MIN_DATE.isoformat()} to {MAX_PLAN_START.isoformat()})"
        )
    schedule = schedule or strategy.schedule
    phases: list[Phase] = []
    offset = 0
    for phase in preset.phases:
        tasks = [
            Task(t.what, _who(strategy, t), _due(start, offset, t.due_month))
            for t in phase.tasks
            if not held_role(strategy, t.unless_role)
        ]
        milestones = [
            Milestone(m.what, _due(start, offset, m.due_month))
            for m in phase.milestones
            if not held_role(strategy, m.unless_role)
        ]
        if phase.implementation and schedule is not None:
            # Looked up by key once: a scan per placed measure would make
            # the roadmap quadratic in the number of measures.
            measures = {m.key: m for m in strategy.measures}
            profiles = {}
            for each in reversed(strategy.profiles):
                profiles[each.measure] = each  # the first profile of a measure wins
            for item in schedule.placed:
                measure = measures[item.measure]
                tasks.append(
                    Task(
                        f"Maßnahme umsetzen: {measure.title}",
                        _owner(strategy, measure),
                        max(item.end, start),
                    )
                )
                profile = profiles.get(item.measure)
                if profile is not None:
                    milestones.extend(
                        Milestone(f"{measure.title}: {m.what}", m.planned, m.reached_on)
                        for m in profile.milestones
                    )
        phases.append(Phase(phase.key, phase.title, tuple(tasks), tuple(milestones)))
        offset += phase.months
    return Roadmap(start=start, phases=tuple(phases))


def record_milestone(roadmap: Roadmap, phase: str, what: str, reached_on: dt.date) -> Roadmap:
    """Return a new roadmap in which a milestone is marked as reached.

    Args:
        roadmap: The roadmap (unchanged).
        phase: Key of the phase holding the milestone.
        what: The milestone's text, exactly.
        reached_on: The date it was reached.

    Raises:
        PlanningError: No such phase or milestone; the message lists the
            milestones of the phase.
    """
    import attrs

    for p_index, current in enumerate(roadmap.phases):
        if current.key != phase:
            continue
        for m_index, milestone in enumerate(current.milestones):
            if milestone.what == what:
                milestones = list(current.milestones)
                milestones[m_index] = attrs.evolve(milestone, reached_on=reached_on)
                phases = list(roadmap.phases)
                phases[p_index] = attrs.evolve(current, milestones=tuple(milestones))
                return attrs.evolve(roadmap, phases=tuple(phases))
        known = "; ".join(m.what for m in current.milestones) or "none"
        raise PlanningError(f"phase {phase!r} has no milestone {what!r} (it has: {known})")
    known = ", ".join(p.key for p in roadmap.phases) or "none"
    raise PlanningError(f"the roadmap has no phase {phase!r} (it has: {known})")
