"""The completeness gate: is a strategy ready to go to the council?"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import attrs

from kommunal_digital.errors import KommunalDigitalError
from kommunal_digital.model import Measure, MeasureStatus, Strategy, measure_owner
from kommunal_digital.model.funding import FundingKind
from kommunal_digital.model.labels import Severity
from kommunal_digital.organisation.findings import Finding, GovernanceCheck
from kommunal_digital.organisation.governance import run_checks

__all__ = [
    "DEFAULT_TOP_N",
    "GATES",
    "MeasureReadiness",
    "ReadinessReport",
    "check_readiness",
]

#: How many measures of the ranking must be fully planned by default.
DEFAULT_TOP_N = 5

#: The gates that can be checked, with their German titles.
GATES: dict[str, str] = {"beschluss": "Beschlussreife für den Rat"}

# The seven core questions after the first (the result is always given).
_QUESTIONS = (
    ("target_group", "Kernfrage 2 (Zielgruppe)"),
    ("stakeholders", "Kernfrage 3 (Beteiligte)"),
    ("lead", "Kernfrage 4 (Durchführung)"),
    ("tasks", "Kernfrage 6 (Aufgaben und Reihenfolge)"),
    ("milestones", "Kernfrage 7 (Meilensteine)"),
)
_RESOURCES = (
    ("financial", "finanziell/sachlich"),
    ("staff", "personell"),
    ("organisational", "organisatorisch"),
)


@attrs.frozen
class MeasureReadiness:
    """What one measure still lacks for the gate.

    Attributes:
        measure: The measure's key.
        title: Its title.
        rank: Its place in the ranking, ``None`` without a ranking.
        missing: What is missing, in German, in a fixed order.
    """

    measure: str
    title: str
    rank: int | None
    missing: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether nothing is missing."""
        return not self.missing


@attrs.frozen
class ReadinessReport:
    """The result of :func:`check_readiness`.

    Attributes:
        gate: The gate checked, e.g. ``"beschluss"``.
        top_n: How many ranked measures were checked; ``None`` when all were
            (no ranking).
        measures: The checked measures, in rank order (file order without a ranking).
        strategy_missing: What the strategy as a whole lacks, in German.
        governance: Governance findings of severity ``error``.
    """

    gate: str
    top_n: int | None
    measures: tuple[MeasureReadiness, ...]
    strategy_missing: tuple[str, ...] = ()
    governance: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the strategy passes the gate."""
        return (
            not self.strategy_missing
            and not self.governance
            and all(item.ok for item in self.measures)
        )

    @property
    def problems(self) -> tuple[str, ...]:
        """Every problem as one German line, strategy first, then measures, then governance."""
        lines = list(self.strategy_missing)
        for item in self.measures:
            lines.extend(f"Maßnahme „{item.title}“: {text}" for text in item.missing)
        lines.extend(f"Organisation: {finding.message}" for finding in self.governance)
        return tuple(lines)


def check_readiness(
    strategy: Strategy,
    checks: Mapping[str, GovernanceCheck],
    *,
    gate: str = "beschluss",
    top_n: int | None = None,
) -> ReadinessReport:
    """Check that a strategy is complete enough for a council decision.

    Each of the ``top_n`` best-ranked measures (every measure that is not
    rejected when the strategy has no ranking) needs: a project profile
    with all seven core questions answered (all three kinds of resources),
    an owner (a role in the organigram, or ``owner_role`` without an
    organigram), a cost, an indicator with baseline and target, a funding
    source of a known kind, an operator for the time after the project
    with its follow-on cost (``cost.yearly``, or stated as none), and a
    place in the schedule if there is one. The strategy needs an
    organigram, and the governance checks must find no errors.

    Args:
        strategy: The strategy to check.
        checks: The registered governance checks by name
            (``workspace.governance_checks``).
        gate: The gate; only ``"beschluss"`` exists.
        top_n: How many ranked measures must be complete; default
            :data:`DEFAULT_TOP_N`.

    Returns:
        The report; ``report.ok`` tells whether the strategy passes.

    Raises:
        KommunalDigitalError: The gate is unknown or ``top_n`` is below 1.
    """
    if gate not in GATES:
        known = ", ".join(sorted(GATES))
        raise KommunalDigitalError(f"unknown gate {gate!r} (known: {known})")
    if top_n is not None and (isinstance(top_n, bool) or top_n < 1):
        raise KommunalDigitalError(f"top_n must be 1 or more, got {top_n!r}")
    selected, limit = _selected(strategy, top_n or DEFAULT_TOP_N)
    measures = tuple(
        MeasureReadiness(m.key, m.title, rank, tuple(_missing(strategy, m))) for m, rank in selected
    )
    strategy_missing = []
    if strategy.organigram is None:
        strategy_missing.append("Die Strategie hat kein Organigramm.")
    if not selected:
        strategy_missing.append("Die Strategie hat keine Maßnahmen.")
    errors = tuple(f for f in run_checks(strategy, checks) if f.severity is Severity.ERROR)
    return ReadinessReport(gate, limit, measures, tuple(strategy_missing), errors)


def _selected(
    strategy: Strategy, top_n: int
) -> tuple[list[tuple[Measure, int | None]], int | None]:
    def active(measure: Measure) -> bool:
        return measure.status is not MeasureStatus.VERWORFEN

    if strategy.ranking is None:
        return [(m, None) for m in strategy.measures if active(m)], None
    ranked: list[tuple[Measure, int | None]] = [
        (strategy.measure(e.measure), e.rank) for e in strategy.ranking.entries
    ]
    return [(m, rank) for m, rank in ranked if active(m)][:top_n], top_n


def _missing(strategy: Strategy, measure: Measure) -> Iterator[str]:
    yield from _profile_missing(strategy, measure)
    if not _has_owner(strategy, measure):
        yield "Keine verantwortliche Rolle benannt."
    if not measure.cost.one_off and not measure.cost.yearly:
        yield "Keine Kosten angegeben."
    if strategy.schedule is not None and strategy.schedule.entry(measure.key) is None:
        yield "Nicht im Zeitplan eingeplant."
    if not measure.indicators:
        yield "Kein Indikator angegeben."
    elif not any(i.baseline is not None and i.target is not None for i in measure.indicators):
        yield "Kein Indikator mit Ausgangs- und Zielwert."
    if not measure.funding_sources:
        yield "Keine Finanzierungsquelle angegeben."
    elif all(s.kind is FundingKind.OFFEN for s in measure.funding_sources):
        yield (
            "Keine Finanzierungsquelle ist eingeordnet (Eigenmittel, Drittmittel oder "
            "Förderprogramm)."
        )
    if measure.operator is None:
        yield "Kein Betreiber für die Zeit nach Projektende benannt."
    elif not measure.cost.yearly and not measure.operator.no_follow_on_costs:
        yield "Folgekosten nach Projektende fehlen (jährliche Kosten oder ausdrücklich keine)."


def _profile_missing(strategy: Strategy, measure: Measure) -> Iterator[str]:
    profile = strategy.profile_for(measure.key)
    if profile is None:
        yield "Kein Projektsteckbrief (sieben Kernfragen)."
        return
    for name, label in _QUESTIONS:
        if name == "tasks":  # question 5 comes before 6
            for part, kind in _RESOURCES:
                if not getattr(profile.resources, part).strip():
                    yield f"Steckbrief: Kernfrage 5 (Ressourcen, {kind}) ist nicht beantwortet."
        value = getattr(profile, name)
        if not (value.strip() if isinstance(value, str) else value):
            yield f"Steckbrief: {label} ist nicht beantwortet."


def _has_owner(strategy: Strategy, measure: Measure) -> bool:
    if strategy.organigram is None:
        return bool(measure.owner_role.strip())
    return measure_owner(strategy, measure) is not None
