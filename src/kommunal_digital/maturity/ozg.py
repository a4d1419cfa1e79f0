"""OZG service maturity: each service reaches the level of its weakest criterion."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from kommunal_digital.model.maturity import OZG_MAX_LEVEL, OzgService

__all__ = ["OZG_LEVEL_LABELS", "OzgServiceLevel", "OzgSummary", "ozg_summary"]

#: German names of the levels of the OZG maturity model.
OZG_LEVEL_LABELS: dict[int, str] = {
    0: "Stufe 0: keine Online-Information",
    1: "Stufe 1: Information online",
    2: "Stufe 2: Formular zum Herunterladen",
    3: "Stufe 3: Online-Antrag mit Nachweisen",
    4: "Stufe 4: vollständig digital",
}


@attrs.frozen
class OzgServiceLevel:
    """The level one service reaches, and what holds it there.

    Attributes:
        key: The service's key.
        title: The service's name.
        level: Its level, the lowest of its criteria (0 to 4).
        limiting: The criteria at that level, in file order.
    """

    key: str
    title: str
    level: int
    limiting: tuple[str, ...]

    @property
    def label(self) -> str:
        """The German name of the level."""
        return OZG_LEVEL_LABELS[self.level]


@attrs.frozen
class OzgSummary:
    """How mature the rated services are.

    Attributes:
        services: Each service's level, in the order given.
        per_level: Number of services at each level 0 to 4 (every level present).
        average: Mean level of the services; ``None`` when there are none.
    """

    services: tuple[OzgServiceLevel, ...]
    per_level: dict[int, int] = attrs.field(hash=False)
    average: float | None

    @property
    def fully_digital(self) -> tuple[str, ...]:
        """Keys of the services on the highest level."""
        return tuple(s.key for s in self.services if s.level == OZG_MAX_LEVEL)


def ozg_summary(services: Iterable[OzgService]) -> OzgSummary:
    """Summarise the OZG maturity of services.

    Args:
        services: The rated services.

    Returns:
        Each service's level (its lowest criterion), the number of services
        per level and the mean level.
    """
    levels = tuple(
        OzgServiceLevel(key=s.key, title=s.title, level=s.level, limiting=s.limiting)
        for s in services
    )
    per_level = {level: 0 for level in range(OZG_MAX_LEVEL + 1)}
    for item in levels:
        per_level[item.level] += 1
    return OzgSummary(
        services=levels,
        per_level=per_level,
        average=sum(item.level for item in levels) / len(levels) if levels else None,
    )
