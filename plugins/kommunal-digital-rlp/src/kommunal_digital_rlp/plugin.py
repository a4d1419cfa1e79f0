"""Hook implementations of the Rheinland-Pfalz plugin."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from kommunal_digital import Severity, Strategy, hookimpl
from kommunal_digital.model import RelationKind, RoleKind
from kommunal_digital.organisation import Finding

__all__ = ["OfficerPlacement", "kd_governance_checks"]


@attrs.frozen
class OfficerPlacement:
    """RLP model: the digital officer sits in a staff unit at the mayor or under a deputy.

    Both findings are warnings: a council may adopt the strategy before the
    post exists (a planned or vacant post counts as provided for). A pack
    may make them errors with ``[checks] rlp-digitalbeauftragte = "error"``.
    """

    name: str = "rlp-digitalbeauftragte"
    title: str = "Stellung der/des Digitalbeauftragten"

    def check(self, strategy: Strategy, options: Mapping[str, Any]) -> Iterator[Finding]:
        """Yield a finding when no digital officer is placed as the RLP model proposes.

        Applies to municipalities in Rheinland-Pfalz only.
        """
        organigram = strategy.organigram
        if organigram is None or strategy.municipality.land != "Rheinland-Pfalz":
            return
        kinds = {role.key: role.kind for role in organigram.roles}
        named = [r for r in organigram.roles if r.kind is RoleKind.DIGITAL_OFFICER]
        officers = [r for r in named if r.active]
        if not officers:
            rejected = " (die Stelle wurde abgelehnt)" if named else ""
            yield Finding(
                self.name,
                Severity.WARNING,
                f"Es ist keine/kein Digitalbeauftragte/r vorgesehen{rejected}.",
                tuple(r.key for r in named),
            )
            return
        for officer in officers:
            placed = False
            for relation in organigram.relations:
                if relation.source != officer.key:
                    continue
                target = kinds.get(relation.target)
                if relation.kind is RelationKind.LEADS and target is RoleKind.STAFF_UNIT:
                    placed = any(
                        r.source == relation.target
                        and r.kind is RelationKind.REPORTS_TO
                        and kinds.get(r.target) is RoleKind.MAYOR
                        for r in organigram.relations
                    )
                if relation.kind is RelationKind.REPORTS_TO and target in (
                    RoleKind.DEPUTY,
                    RoleKind.MAYOR,
                ):
                    placed = True
                if placed:
                    break
            if not placed:
                yield Finding(
                    self.name,
                    Severity.WARNING,
                    f"{officer.title} ist weder in einer Stabsstelle beim Bürgermeister noch "
                    "bei einer/einem Beigeordneten angesiedelt.",
                    (officer.key,),
                )


@hookimpl
def kd_governance_checks() -> Sequence[OfficerPlacement]:
    """Add the RLP placement check."""
    return [OfficerPlacement()]
