"""Tasks, milestones, phases and the roadmap (Vorgehensplan)."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.model import checks


@attrs.frozen
class Task:
    """One task of a phase or a project: *Was / Wer / Bis wann*.

    Attributes:
        what: What has to be done.
        who: Who does it (a role or a person).
        due: By when it must be done, if set.
    """

    what: str = attrs.field(validator=checks.required_text)
    who: str = attrs.field(default="", validator=checks.text)
    due: date | None = attrs.field(default=None, validator=checks.optional_date)


@attrs.frozen
class Milestone:
    """A milestone: *Was / geplant / Erreicht am*.

    Attributes:
        what: What is reached.
        planned: The planned date, if set.
        reached_on: The date it was actually reached, once it is.
    """

    what: str = attrs.field(validator=checks.required_text)
    planned: date | None = attrs.field(default=None, validator=checks.optional_date)
    reached_on: date | None = attrs.field(default=None, validator=checks.optional_date)

    @property
    def reached(self) -> bool:
        """Whether the milestone has been reached."""
        return self.reached_on is not None


@attrs.frozen
class Phase:
    """A phase of the roadmap with its tasks and milestones.

    Attributes:
        key: Identifier, unique within the roadmap.
        title: German title, e.g. "Digitalstrategie verankern".
        tasks: The tasks in their order.
        milestones: The milestones that close the phase.
    """

    key: str = attrs.field(validator=checks.key)
    title: str = attrs.field(validator=checks.required_text)
    tasks: tuple[Task, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    milestones: tuple[Milestone, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )


@attrs.frozen
class Roadmap:
    """The procedure plan: phases in their order, starting on a date.

    Attributes:
        start: The date the plan starts.
        phases: The phases in their order.
        inputs: For a generated roadmap, the fingerprint of the data it was
            generated from; ``""`` for a roadmap written by hand (never stale).
    """

    start: date = attrs.field(validator=checks.plan_start)
    phases: tuple[Phase, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    inputs: str = attrs.field(default="", validator=checks.text)

    @phases.validator
    def _check_phases(self, attribute: attrs.Attribute[Any], value: tuple[Phase, ...]) -> None:
        checks.unique_keys(value, "phases")
        for index, phase in enumerate(value):
            for task_index, task in enumerate(phase.tasks):
                if task.due is not None and task.due < self.start:
                    raise ModelValidationError(
                        f"phases[{index}].tasks[{task_index}].due",
                        f"{task.due.isoformat()} lies before the roadmap start "
                        f"{self.start.isoformat()}",
                    )
