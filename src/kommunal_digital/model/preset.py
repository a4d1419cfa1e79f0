"""Roadmap presets: the procedure a pack proposes, with due dates as offsets."""

from __future__ import annotations

from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks
from kommunal_digital.model.labels import RoleKind

_OFFSET = checks.between(0, 360)


def _role_kinds(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    checks.is_tuple(instance, attribute, value)
    for index, kind in enumerate(value):
        if not isinstance(kind, RoleKind):
            raise ModelValidationError(
                f"{attribute.name}[{index}]", f"expected a role kind, got {kind!r}"
            )


@attrs.frozen
class PresetTask:
    """A task of a preset phase, due ``due_month`` months after the phase starts.

    Attributes:
        what: What is to be done.
        who: Who does it; may be empty.
        due_month: Months after the phase starts; ``None`` for no due date.
        who_role: Kinds of organigram roles that do it: when the strategy's
            organigram has a role of one of these kinds, its title replaces
            ``who`` (so a town with an eGovernment coordination is not told
            that its Digitalbeauftragte/r does it).
        unless_role: Kinds of roles whose existence makes the task moot:
            the task is left out when the organigram has a role of one of
            these kinds with a named holder (the post exists already).
    """

    what: str = attrs.field(validator=checks.required_text)
    who: str = attrs.field(default="", validator=checks.text)
    due_month: int | None = attrs.field(
        default=None, validator=attrs.validators.optional([checks.whole, _OFFSET])
    )
    who_role: tuple[RoleKind, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=_role_kinds
    )
    unless_role: tuple[RoleKind, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=_role_kinds
    )


@attrs.frozen
class PresetMilestone:
    """A milestone of a preset phase, planned ``due_month`` months after the phase starts.

    Attributes:
        what: What is reached.
        due_month: Months after the phase starts; ``None`` for no date.
        unless_role: As for tasks: left out when the organigram has a role
            of one of these kinds with a named holder.
    """

    what: str = attrs.field(validator=checks.required_text)
    due_month: int | None = attrs.field(
        default=None, validator=attrs.validators.optional([checks.whole, _OFFSET])
    )
    unless_role: tuple[RoleKind, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=_role_kinds
    )


@attrs.frozen
class PresetPhase:
    """A phase of a preset.

    Attributes:
        key: Identifier, unique within the preset.
        title: German title.
        months: How long the phase lasts; the next phase starts after it.
        tasks: Standard tasks.
        milestones: Standard milestones.
        implementation: Whether the scheduled measures and the milestones of
            their project profiles go into this phase.
    """

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    months: int = attrs.field(default=6, validator=[checks.whole, checks.between(0, 360)])
    tasks: tuple[PresetTask, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    milestones: tuple[PresetMilestone, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    implementation: bool = False


@attrs.frozen
class RoadmapPreset:
    """A procedure template from which a roadmap is generated.

    Attributes:
        key: Identifier, e.g. ``"standard"``; strategies name it in
            ``roadmap_preset``.
        title: German title.
        phases: The phases in order; keys are unique and at most one is the
            implementation phase.
    """

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    phases: tuple[PresetPhase, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )

    @phases.validator
    def _check_phases(
        self, attribute: attrs.Attribute[Any], value: tuple[PresetPhase, ...]
    ) -> None:
        checks.unique_keys(value, "phases")
        if sum(1 for phase in value if phase.implementation) > 1:
            raise ModelValidationError(
                "phases", "at most one phase can be the implementation phase"
            )
        _check_offsets(value)


def _check_offsets(phases: tuple[PresetPhase, ...]) -> None:
    """Refuse due dates further from the roadmap's start than a plan may reach.

    A roadmap starts at the latest on
    :data:`~kommunal_digital.model.checks.MAX_PLAN_START`; keeping every due
    date within :data:`~kommunal_digital.model.checks.MAX_PLAN_OFFSET_MONTHS`
    of it keeps the generated roadmap within the dates the model accepts.
    """
    limit = checks.MAX_PLAN_OFFSET_MONTHS
    offset = 0
    for index, phase in enumerate(phases):
        items = [("tasks", i, t.due_month) for i, t in enumerate(phase.tasks)] + [
            ("milestones", i, m.due_month) for i, m in enumerate(phase.milestones)
        ]
        for part, item_index, due_month in items:
            if due_month is not None and offset + due_month > limit:
                raise ModelValidationError(
                    f"phases[{index}].{part}[{item_index}].due_month",
                    f"lies {offset + due_month} months after the roadmap's start "
                    f"(the phases before it take {offset}); at most {limit} months are allowed",
                )
        offset += phase.months
        if offset > limit:
            raise ModelValidationError(
                f"phases[{index}].months",
                f"the phases up to this one take {offset} months; at most {limit} are allowed",
            )
