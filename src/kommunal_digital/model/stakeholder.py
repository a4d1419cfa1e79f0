"""Stakeholders of the strategy and its measures."""

from __future__ import annotations

import attrs

from kommunal_digital.model import checks
from kommunal_digital.model.labels import StakeholderGroup

_SCALE = checks.between(1, 5)


@attrs.frozen
class Stakeholder:
    """A person, body or organisation with a stake in the strategy.

    Attributes:
        key: Identifier, unique within the strategy.
        name: Name as shown in documents.
        group: Broad group (administration, politics, business, ...).
        power: Influence on the strategy, 1 (low) to 5 (high).
        interest: Interest in the strategy, 1 (low) to 5 (high).
    """

    key: str = attrs.field(validator=checks.key)
    name: str = attrs.field(validator=checks.required_text)
    group: StakeholderGroup = attrs.field(
        default=StakeholderGroup.VERWALTUNG, validator=checks.member_of(StakeholderGroup)
    )
    power: int = attrs.field(default=3, validator=[checks.whole, _SCALE])
    interest: int = attrs.field(default=3, validator=[checks.whole, _SCALE])
