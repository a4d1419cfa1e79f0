"""Project profiles: the seven core questions planned for one measure."""

from __future__ import annotations

import attrs

from kommunal_digital.model import checks
from kommunal_digital.model.roadmap import Milestone, Task


@attrs.frozen
class Resources:
    """Question 5: the resources a project needs.

    Attributes:
        financial: Money and material (finanziell/sachlich).
        staff: People and their time (personell).
        organisational: Structures, decisions, rooms (organisatorisch).
    """

    financial: str = attrs.field(default="", validator=checks.text)
    staff: str = attrs.field(default="", validator=checks.text)
    organisational: str = attrs.field(default="", validator=checks.text)


@attrs.frozen
class ProjectProfile:
    """The in-depth plan of one measure along the seven core questions.

    Attributes:
        measure: Key of the measure this profile plans.
        result: 1. What the project is meant to achieve.
        target_group: 2. Whom it is for.
        stakeholders: 3. Keys of the stakeholders who must be involved.
        lead: 4. Who carries the project out.
        resources: 5. The resources needed.
        tasks: 6. The tasks in their order.
        milestones: 7. The milestones and their dates.
    """

    measure: str = attrs.field(validator=checks.key)
    result: str = attrs.field(validator=checks.required_text)
    target_group: str = attrs.field(default="", validator=checks.text)
    stakeholders: tuple[str, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=[checks.is_tuple, checks.keys]
    )
    lead: str = attrs.field(default="", validator=checks.text)
    resources: Resources = attrs.field(factory=Resources)
    tasks: tuple[Task, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
    milestones: tuple[Milestone, ...] = attrs.field(
        default=(), converter=checks.to_tuple, validator=checks.is_tuple
    )
