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
    "ESTIMATES",
    "ESTIMATES_MISSING",
    "GATES",
    "MeasureReadiness",
    "MissingEstimate",
    "ReadinessReport",
    "check_readiness",
]

#: How many measures of the ranking must be fully planned by default.
DEFAULT_TOP_N = 5

#: The gates that can be checked, with their German titles.
GATES: dict[str, str] = {"beschluss": "Beschlussreife für den Rat"}

#: Code of the gate's finding that estimates are missing (for diagnostics,
#: e.g. ``gate.beschluss.estimates-missing``).
ESTIMATES_MISSING = "estimates-missing"

#: The estimates the council needs for every measure still to do: the
#: measure field and its German name.
ESTIMATES: dict[str, str] = {
    "cost.one_off": "einmalige Kosten",
    "cost.yearly": "jährliche Folgekosten",
    "duration_months": "Dauer",
    "staff_fte": "Personalbedarf",
}

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
class MissingEstimate:
    """A measure still to do whose costs, duration or staff are not estimated.

    Attributes:
        measure: The measure's key.
        title: Its title.
        fields: The missing estimates as measure fields (keys of
            :data:`ESTIMATES`), in that order.
    """

    measure: str
    title: str
    fields: tuple[str, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        """The missing estimates in German, e.g. ``("einmalige Kosten", "Dauer")``."""
        return tuple(ESTIMATES[field] for field in self.fields)

    @property
    def message(self) -> str:
        """One German sentence naming the measure and what is missing."""
        return f"Maßnahme „{self.title}“: noch nicht geschätzt: {', '.join(self.labels)}."


@attrs.frozen
class ReadinessReport:
    """The result of :func:`check_readiness`.

    Attributes:
        gate: The gate checked, e.g. ``"beschluss"``.
        top_n: How many ranked measures were checked; ``None`` when all were
            (no ranking).
        measures: The checked measures, in rank order (file order without a ranking).
        strategy_missing: What the strategy as a whole lacks, in German;
            missing estimates are summed up here in one line naming the
            measures.
        governance: Governance findings of severity ``error``.
        unestimated: Every measure still to do (not finished, not dropped;
            all of them, not only the ``top_n``) lacking an estimate of its
            one-off or yearly cost, duration or staff, in the order of
            ``measures`` then the strategy (finding code
            :data:`ESTIMATES_MISSING`).
    """

    gate: str
    top_n: int | None
    measures: tuple[MeasureReadiness, ...]
    strategy_missing: tuple[str, ...] = ()
    governance: tuple[Finding, ...] = ()
    unestimated: tuple[MissingEstimate, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the strategy passes the gate."""
        return (
            not self.strategy_missing
            and not self.governance
            and not self.unestimated
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

    Every measure still to do (neither finished nor dropped) needs its
    one-off and yearly cost, its duration and its staff estimated: the
    council decides money on them, and an unknown is not zero. A yearly
    cost counts as estimated when the operator states there is none. The
    measures lacking estimates are named in one line of
    ``strategy_missing`` and listed in ``unestimated``.

    Each of the ``top_n`` best-ranked measures still to do (every such
    measure when the strategy has no ranking) needs besides: a project
    profile with all seven core questions answered (all three kinds of
    resources), an owner (a role in the organigram, or ``owner_role``
    without an organigram), an indicator with baseline and target, a
    funding source of a known kind, an operator for the time after the
    project with its follow-on cost (``cost.yearly``, or stated as none),
    and a place in the schedule if there is one. The strategy needs an
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
    unestimated = _unestimated(strategy, [m for m, _ in selected])
    strategy_missing = []
    if strategy.organigram is None:
        strategy_missing.append("Die Strategie hat kein Organigramm.")
    if not selected:
        strategy_missing.append("Die Strategie hat keine Maßnahmen.")
    if unestimated:
        listed = "; ".join(f"„{item.title}“ ({', '.join(item.labels)})" for item in unestimated)
        count = "1 Maßnahme" if len(unestimated) == 1 else f"{len(unestimated)} Maßnahmen"
        strategy_missing.append(
            f"Für {count} fehlen noch Schätzungen, die der Rat für seine Entscheidung "
            f"braucht: {listed}."
        )
    errors = tuple(f for f in run_checks(strategy, checks) if f.severity is Severity.ERROR)
    return ReadinessReport(
        gate, limit, measures, tuple(strategy_missing), errors, tuple(unestimated)
    )


def _to_do(measure: Measure) -> bool:
    return measure.status not in (MeasureStatus.VERWORFEN, MeasureStatus.ABGESCHLOSSEN)


def _unestimated(strategy: Strategy, first: list[Measure]) -> list[MissingEstimate]:
    seen = {m.key for m in first}
    ordered = first + [m for m in strategy.measures if m.key not in seen and _to_do(m)]
    found = []
    for measure in ordered:
        fields = []
        if measure.cost.one_off is None:
            fields.append("cost.one_off")
        stated_none = measure.operator is not None and measure.operator.no_follow_on_costs
        if measure.cost.yearly is None and not stated_none:
            fields.append("cost.yearly")
        if measure.duration_months is None:
            fields.append("duration_months")
        if measure.staff_fte is None:
            fields.append("staff_fte")
        if fields:
            found.append(MissingEstimate(measure.key, measure.title, tuple(fields)))
    return found


def _selected(
    strategy: Strategy, top_n: int
) -> tuple[list[tuple[Measure, int | None]], int | None]:
    if strategy.ranking is None:
        return [(m, None) for m in strategy.measures if _to_do(m)], None
    ranked: list[tuple[Measure, int | None]] = [
        (strategy.measure(e.measure), e.rank) for e in strategy.ranking.entries
    ]
    return [(m, rank) for m, rank in ranked if _to_do(m)][:top_n], top_n


def _missing(strategy: Strategy, measure: Measure) -> Iterator[str]:
    yield from _profile_missing(strategy, measure)
    if not _has_owner(strategy, measure):
        yield "Keine verantwortliche Rolle benannt."
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
    elif measure.cost.yearly is None and not measure.operator.no_follow_on_costs:
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
