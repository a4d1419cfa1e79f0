"""Hook implementations of the Thüringen plugin."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from kommunal_digital import Severity, Strategy, hookimpl
from kommunal_digital.model import RelationKind, RoleKind
from kommunal_digital.organisation import Finding

__all__ = ["SponsorsReportToStaffUnit", "kd_governance_checks", "kd_template_packs"]

PACK = Path(__file__).parent / "pack"


@hookimpl
def kd_template_packs() -> Sequence[Path]:
    """Register the Thüringen pack."""
    return [PACK]


@attrs.frozen
class SponsorsReportToStaffUnit:
    """Thüringen model: topic sponsors report to the staff unit, which a CDO leads."""

    name: str = "thueringen-kernteam"
    title: str = "Themenpaten berichten an die Stabsstelle"

    def check(self, strategy: Strategy, options: Mapping[str, Any]) -> Iterator[Finding]:
        """Yield findings where the Thüringen core-team model is not followed.

        Applies to municipalities in Thüringen only.
        """
        organigram = strategy.organigram
        if organigram is None or strategy.municipality.land != "Thüringen":
            return
        kinds = {role.key: role.kind for role in organigram.roles}
        sponsors = [r for r in organigram.roles if r.kind is RoleKind.TOPIC_SPONSOR]
        if not sponsors:
            return
        staff_units = {k for k, kind in kinds.items() if kind is RoleKind.STAFF_UNIT}
        for sponsor in sponsors:
            reports = {
                r.target
                for r in organigram.relations
                if r.source == sponsor.key and r.kind is RelationKind.REPORTS_TO
            }
            if not reports & staff_units:
                yield Finding(
                    self.name,
                    Severity.WARNING,
                    f"{sponsor.title} berichtet nicht an die Stabsstelle.",
                    (sponsor.key,),
                )
        led = {
            r.target
            for r in organigram.relations
            if r.kind is RelationKind.LEADS and kinds.get(r.source) is RoleKind.CDO
        }
        for unit in sorted(staff_units - led):
            yield Finding(
                self.name,
                Severity.WARNING,
                "Die Stabsstelle wird nicht von einem CDO geleitet.",
                (unit,),
            )


@hookimpl
def kd_governance_checks() -> Sequence[SponsorsReportToStaffUnit]:
    """Add the Thüringen organisation check."""
    return [SponsorsReportToStaffUnit()]
