"""The built-in governance checks and running all registered checks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs
import networkx as nx

from kommunal_digital.model import FIELD_ROLE_KINDS, Raci, Strategy, measure_owner
from kommunal_digital.model.labels import RelationKind, RoleKind, StakeholderGroup
from kommunal_digital.organisation.findings import Finding, GovernanceCheck, Severity

__all__ = [
    "BUILTIN_CHECKS",
    "SeverityOverride",
    "organisation_errors",
    "run_checks",
]

#: Kinds of roles that must have a reporting line up to the mayor.
_IN_LINE = {
    RoleKind.DEPUTY,
    RoleKind.STAFF_UNIT,
    RoleKind.DIGITAL_OFFICER,
    RoleKind.CDO,
    RoleKind.CORE_TEAM,
    RoleKind.DEPARTMENT,
    RoleKind.IT,
    RoleKind.PRESS_OFFICE,
    RoleKind.PILOT,
    RoleKind.TOPIC_SPONSOR,
    RoleKind.WORKING_GROUP,
}
#: Relations that point up the hierarchy (to a superior or to one's own unit).
_UPWARD = {RelationKind.REPORTS_TO, RelationKind.LEADS, RelationKind.MEMBER_OF}


@attrs.frozen
class PilotPerField:
    """Every chosen action field has a Digitallotse (or Themenpate) of its own.

    A warning by default: many organisations name pilots for some fields
    only, or a group of pilots for all of them. A pack may make it an error
    (``[checks] pilot-per-field = "error"``). Rejected roles do not count.
    """

    name: str = "pilot-per-field"
    title: str = "Digitallotse je Handlungsfeld"

    def check(self, strategy: Strategy, options: Mapping[str, Any]) -> Iterator[Finding]:
        """Yield a finding per chosen field without a pilot."""
        if strategy.organigram is None:
            return
        covered = {
            role.action_field
            for role in strategy.organigram.roles
            if role.kind in FIELD_ROLE_KINDS and role.active
        }
        for field in strategy.chosen_fields:
            if field.key not in covered:
                yield Finding(
                    self.name,
                    Severity.WARNING,
                    f"Für das Handlungsfeld „{field.title}“ ist kein Digitallotse benannt.",
                    (field.key,),
                )


@attrs.frozen
class OwnerRoles:
    """Every measure is carried by a role that exists in the organigram.

    An ``owner_role`` that names no role is an error (a typing slip or a
    removed role); a measure nobody carries yet because its field has no
    pilot, or whose role was rejected, is a warning.
    """

    name: str = "owner-roles"
    title: str = "Verantwortliche Rolle je Maßnahme"

    def check(self, strategy: Strategy, options: Mapping[str, Any]) -> Iterator[Finding]:
        """Yield a finding per measure whose owner role is missing."""
        if strategy.organigram is None:
            return
        for measure in strategy.measures:
            owner = measure_owner(strategy, measure)
            if owner is not None and owner.active:
                continue
            if owner is not None:
                severity = Severity.WARNING
                what = f"die zuständige Rolle „{owner.title}“ wurde abgelehnt"
            elif measure.owner_role:
                severity = Severity.ERROR
                what = f"die Rolle „{measure.owner_role}“ gibt es im Organigramm nicht"
            else:
                severity = Severity.WARNING
                what = "weder eine Rolle noch ein Digitallotse des Handlungsfelds ist zuständig"
            yield Finding(
                self.name, severity, f"Maßnahme „{measure.title}“: {what}.", (measure.key,)
            )


_COUNCIL_GROUPS = (
    (StakeholderGroup.VERWALTUNG,),
    (StakeholderGroup.WIRTSCHAFT,),
    (StakeholderGroup.POLITIK,),
    (StakeholderGroup.INSTITUTIONEN, StakeholderGroup.VEREINE),
)


@attrs.frozen
class DigitalCouncil:
    """The Digitalrat has members from administration, business, politics and institutions."""

    name: str = "digital-council"
    title: str = "Zusammensetzung des Digitalrats"

    def check(self, strategy: Strategy, options: Mapping[str, Any]) -> Iterator[Finding]:
        """Yield a finding per Digitalrat that lacks one of the groups."""
        organigram = strategy.organigram
        if organigram is None:
            return
        by_key = {role.key: role for role in organigram.roles}
        for council in organigram.roles:
            if council.kind is not RoleKind.DIGITAL_COUNCIL or not council.active:
                continue
            groups = {
                by_key[r.source].effective_group
                for r in organigram.relations
                if r.target == council.key
                and r.kind is RelationKind.MEMBER_OF
                and by_key[r.source].active
            }
            missing = [
                " oder ".join(g.label for g in options_)
                for options_ in _COUNCIL_GROUPS
                if not groups.intersection(options_)
            ]
            if missing:
                yield Finding(
                    self.name,
                    Severity.WARNING,
                    f"Im {council.title} fehlen Mitglieder aus: {', '.join(missing)}.",
                    (council.key,),
                )


@attrs.frozen
class ReportingLines:
    """Reporting lines reach the mayor, without cycles."""

    name: str = "reporting-lines"
    title: str = "Berichtswege"

    def check(self, strategy: Strategy, options: Mapping[str, Any]) -> Iterator[Finding]:
        """Yield findings for cycles, a missing top and roles without a line."""
        organigram = strategy.organigram
        if organigram is None:
            return
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(role.key for role in organigram.roles)
        graph.add_edges_from(
            (r.source, r.target)
            for r in organigram.relations
            if r.kind in _UPWARD and r.kind is not RelationKind.LEADS
        )
        reports: nx.DiGraph[str] = nx.DiGraph(
            (r.source, r.target) for r in organigram.relations if r.kind is RelationKind.REPORTS_TO
        )
        if reports.number_of_nodes() and not nx.is_directed_acyclic_graph(reports):
            cycle = [str(a) for a, _b, *_ in nx.find_cycle(reports, source=sorted(reports.nodes))]
            yield Finding(
                self.name,
                Severity.ERROR,
                "Die Berichtswege bilden einen Kreis: " + " → ".join([*cycle, cycle[0]]) + ".",
                tuple(cycle),
            )
            return
        # A leader reaches the top through the unit it leads.
        graph.add_edges_from(
            (r.source, r.target) for r in organigram.relations if r.kind is RelationKind.LEADS
        )
        tops = [role.key for role in organigram.roles if role.kind is RoleKind.MAYOR]
        if not tops:
            yield Finding(
                self.name,
                Severity.ERROR,
                "Das Organigramm hat keine Verwaltungsspitze (Bürgermeister/in).",
            )
            return
        reaching = set(tops)
        for top in tops:
            reaching |= nx.ancestors(graph, top)
        for role in organigram.roles:
            if role.kind in _IN_LINE and role.active and role.key not in reaching:
                yield Finding(
                    self.name,
                    Severity.ERROR,
                    f"„{role.title}“ hat keinen Berichtsweg zur Verwaltungsspitze.",
                    (role.key,),
                )


@attrs.frozen
class WorkingGroupsLed:
    """Every working group has somebody who leads it."""

    name: str = "working-groups-led"
    title: str = "Leitung der Arbeitsgruppen"

    def check(self, strategy: Strategy, options: Mapping[str, Any]) -> Iterator[Finding]:
        """Yield a finding per working group without a ``leads`` relation."""
        organigram = strategy.organigram
        if organigram is None:
            return
        led = {r.target for r in organigram.relations if r.kind is RelationKind.LEADS}
        for role in organigram.roles:
            if role.kind is RoleKind.WORKING_GROUP and role.active and role.key not in led:
                yield Finding(
                    self.name,
                    Severity.ERROR,
                    f"Die {role.title} hat keine Leitung.",
                    (role.key,),
                )


@attrs.frozen
class RoleLimit:
    """Nobody holds more roles than a limit (option ``max_roles``, default 3)."""

    name: str = "role-limit"
    title: str = "Rollen je Person"

    def check(self, strategy: Strategy, options: Mapping[str, Any]) -> Iterator[Finding]:
        """Yield a finding per person holding too many roles."""
        organigram = strategy.organigram
        if organigram is None:
            return
        limit = int(options.get("max_roles", 3))
        counts = Counter(role.holder.strip() for role in organigram.roles if role.holder.strip())
        for person, count in sorted(counts.items()):
            if count > limit:
                keys = tuple(r.key for r in organigram.roles if r.holder.strip() == person)
                yield Finding(
                    self.name,
                    Severity.WARNING,
                    f"{person} hat {count} Rollen inne, mehr als die vorgesehenen {limit}.",
                    keys,
                )


@attrs.frozen
class Accountability:
    """Every measure has exactly one accountable stakeholder (RACI)."""

    name: str = "raci"
    title: str = "Genau eine verantwortliche Stelle je Maßnahme"

    def check(self, strategy: Strategy, options: Mapping[str, Any]) -> Iterator[Finding]:
        """Yield a finding per measure with none or several accountable stakeholders."""
        for measure in strategy.measures:
            accountable = [
                i.stakeholder for i in measure.stakeholders if i.role is Raci.ACCOUNTABLE
            ]
            if len(accountable) == 1:
                continue
            if not measure.stakeholders:
                yield Finding(
                    self.name,
                    Severity.WARNING,
                    f"Für „{measure.title}“ sind keine Beteiligten erfasst.",
                    (measure.key,),
                )
            elif not accountable:
                yield Finding(
                    self.name,
                    Severity.ERROR,
                    f"Für „{measure.title}“ ist niemand verantwortlich (A).",
                    (measure.key,),
                )
            else:
                yield Finding(
                    self.name,
                    Severity.ERROR,
                    f"Für „{measure.title}“ sind {len(accountable)} Stellen verantwortlich (A); "
                    "es darf nur eine sein.",
                    (measure.key, *accountable),
                )


#: The checks the built-in plugin registers.
BUILTIN_CHECKS: tuple[GovernanceCheck, ...] = (
    PilotPerField(),
    OwnerRoles(),
    DigitalCouncil(),
    ReportingLines(),
    WorkingGroupsLed(),
    RoleLimit(),
    Accountability(),
)


@attrs.frozen
class SeverityOverride:
    """A registered check whose findings all get the severity a pack sets.

    The installation wraps a check in it for every entry of the pack's
    ``[checks]`` table (inherited along ``extends``), e.g.
    ``pilot-per-field = "error"``.

    Attributes:
        inner: The check as registered.
        severity: The severity every finding of the check gets.
    """

    inner: GovernanceCheck
    severity: Severity

    @property
    def name(self) -> str:
        """The inner check's name."""
        return self.inner.name

    @property
    def title(self) -> str:
        """The inner check's German title."""
        return self.inner.title

    def check(self, strategy: Strategy, options: Mapping[str, Any]) -> Iterator[Finding]:
        """Run the inner check and give each finding the pack's severity.

        Args:
            strategy: The strategy checked.
            options: Options of the checks, passed on to the inner check.
        """
        for finding in self.inner.check(strategy, options):
            yield attrs.evolve(finding, severity=self.severity)


def organisation_errors(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """The findings of severity ``error`` (those that make ``build`` refuse a strategy).

    Args:
        findings: Findings of :func:`run_checks`.
    """
    return tuple(f for f in findings if f.severity is Severity.ERROR)


def run_checks(
    strategy: Strategy,
    checks: Mapping[str, GovernanceCheck],
    *,
    options: Mapping[str, Any] | None = None,
    only: Iterable[str] | None = None,
) -> tuple[Finding, ...]:
    """Run the registered governance checks and collect their findings.

    A check that fails with an exception does not stop the others: its
    failure becomes an ``error`` finding naming the check.

    Args:
        strategy: The strategy whose organisation is checked.
        checks: The registered checks by name (``workspace.governance_checks``).
        options: Options for the checks, e.g. ``{"max_roles": 2}``.
        only: Names of the checks to run; all by default.
    """
    names = list(only) if only is not None else list(checks)
    findings: list[Finding] = []
    for name in names:
        check = checks.get(name)
        if check is None:
            findings.append(
                Finding(name, Severity.ERROR, f"Die Prüfung „{name}“ ist nicht registriert.")
            )
            continue
        try:
            findings.extend(check.check(strategy, options or {}))
        except (Exception, SystemExit) as exc:  # a plugin's check: SystemExit included
            findings.append(
                Finding(
                    name,
                    Severity.ERROR,
                    f"Die Prüfung „{name}“ ist fehlgeschlagen: {type(exc).__name__}: {exc}",
                )
            )
    return tuple(findings)
