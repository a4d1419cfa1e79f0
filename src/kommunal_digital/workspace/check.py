"""One check of a strategy against its workspace, with every finding as a diagnostic.

The model refuses what is wrong in itself when a strategy is built (keys,
references, dependency cycles); what needs the workspace is checked here:
the pack the strategy was made with, the extension data against the shapes
the plugins declare, the maturity answers against their questionnaire, the
governance checks, and on request a readiness gate.
The command line only prints the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from kommunal_digital.errors import ModelValidationError
from kommunal_digital.gate.readiness import ReadinessReport, check_readiness
from kommunal_digital.maturity.scoring import assess_maturity
from kommunal_digital.model import MeasureStatus, Strategy
from kommunal_digital.model.labels import Severity
from kommunal_digital.organisation.findings import Finding
from kommunal_digital.organisation.governance import run_checks
from kommunal_digital.workspace.extensions import extension_problems
from kommunal_digital.workspace.freshness import derived_freshness
from kommunal_digital.workspace.workspace import Workspace

__all__ = ["CheckReport", "Diagnostic", "check", "content_diagnostics"]

_CLOSED = (MeasureStatus.ABGESCHLOSSEN, MeasureStatus.VERWORFEN)


@attrs.frozen
class Diagnostic:
    """One finding about a strategy.

    Attributes:
        code: What kind of finding, dotted: ``pack.other``, ``pack.version``,
            ``extensions.invalid``, ``extensions.unknown``,
            ``maturity.answers``, ``content.no-measures``,
            ``content.field-without-measures``, ``content.unknown-cost``,
            ``content.unknown-duration``, ``content.unknown-staff``,
            ``content.deadline-passed``, ``content.not-assessed``,
            ``derived.stale-<part>``, ``derived.unstamped-<part>``
            (part: ranking, schedule, roadmap), ``governance.<check>``,
            ``gate.<gate>``.
        severity: ``error``, ``warning`` or ``info``.
        message: What is wrong (German where it comes from a check that
            documents quote, English where it names a field).
        location: Where: a field path (``maturity_check.answers.daten-offen``,
            ``measures[2].extensions.hessen.interkommunal``),
            the keys of the roles or measures concerned, or ``""``.
    """

    code: str
    severity: Severity
    message: str
    location: str = ""

    def __str__(self) -> str:
        where = f" ({self.location})" if self.location else ""
        return f"{self.severity.label}: [{self.code}] {self.message}{where}"


@attrs.frozen
class CheckReport:
    """Everything :func:`check` found.

    Attributes:
        diagnostics: Every finding, in the order pack, extensions, maturity,
            governance, gate.
        findings: The governance findings themselves (as the checks returned them).
        gate: The readiness report when a gate was asked for.
    """

    diagnostics: tuple[Diagnostic, ...] = ()
    findings: tuple[Finding, ...] = ()
    gate: ReadinessReport | None = None

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The diagnostics of severity ``error`` (gate problems not counted)."""
        return tuple(
            d
            for d in self.diagnostics
            if d.severity is Severity.ERROR and not d.code.startswith("gate.")
        )

    @property
    def valid(self) -> bool:
        """Whether the strategy has no errors (a failed gate aside)."""
        return not self.errors

    @property
    def ok(self) -> bool:
        """Whether the strategy is valid and passes the gate, if one was asked for."""
        return self.valid and (self.gate is None or self.gate.ok)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.diagnostics)

    def __len__(self) -> int:
        return len(self.diagnostics)


def _pack_diagnostics(strategy: Strategy, workspace: Workspace) -> Iterator[Diagnostic]:
    recorded = strategy.pack
    if recorded is None:
        return
    pack = workspace.pack
    if recorded.name != pack.name:
        yield Diagnostic(
            "pack.other",
            Severity.WARNING,
            f"the strategy was made with the pack {recorded.name!r}, "
            f"but is checked with {pack.name!r}",
            "pack.name",
        )
    elif recorded.version and recorded.version != pack.manifest.version:
        yield Diagnostic(
            "pack.version",
            Severity.INFO,
            f"the strategy was made with {recorded.name} {recorded.version}; "
            f"{pack.manifest.version} is installed",
            "pack.version",
        )


def _extension_diagnostics(strategy: Strategy, workspace: Workspace) -> Iterator[Diagnostic]:
    for problem in extension_problems(strategy, workspace.extension_schemas):
        if problem.unknown:
            yield Diagnostic("extensions.unknown", Severity.INFO, problem.message, problem.path)
        else:
            yield Diagnostic("extensions.invalid", Severity.ERROR, problem.message, problem.path)


def _maturity_diagnostics(strategy: Strategy, workspace: Workspace) -> Iterator[Diagnostic]:
    check = strategy.maturity_check
    if check is None:
        return
    try:
        assess_maturity(strategy, workspace.questionnaire(check.questionnaire))
    except ModelValidationError as error:
        yield Diagnostic("maturity.answers", Severity.ERROR, error.reason, error.field)


_LISTED = 8


def _keys(keys: list[str]) -> str:
    shown = ", ".join(keys[:_LISTED])
    return shown + (f" and {len(keys) - _LISTED} more" if len(keys) > _LISTED else "")


def _unknown_diagnostics(strategy: Strategy) -> Iterator[Diagnostic]:
    open_measures = [m for m in strategy.measures if m.status not in _CLOSED]
    unknown = {
        "content.unknown-cost": (
            [m.key for m in open_measures if not m.cost.known],
            "no cost estimate (one-off or yearly); documents print it as still open",
        ),
        "content.unknown-duration": (
            [m.key for m in open_measures if m.duration_months is None],
            "no estimated duration; the schedule cannot place them without an assumption",
        ),
        "content.unknown-staff": (
            [m.key for m in open_measures if m.staff_fte is None],
            "no staff estimate",
        ),
    }
    for code, (keys, what) in unknown.items():
        if keys:
            yield Diagnostic(
                code, Severity.WARNING, f"{len(keys)} measure(s) have {what}", _keys(keys)
            )


def _deadline_diagnostics(strategy: Strategy, today: dt.date) -> Iterator[Diagnostic]:
    for index, measure in enumerate(strategy.measures):
        deadline = measure.legal_deadline
        if deadline is not None and deadline < today and measure.status not in _CLOSED:
            yield Diagnostic(
                "content.deadline-passed",
                Severity.WARNING,
                f"the legal deadline {deadline.isoformat()} of {measure.key!r} has passed "
                "and the measure is not finished; the documents say so",
                f"measures[{index}].legal_deadline",
            )


def _derived_diagnostics(strategy: Strategy) -> Iterator[Diagnostic]:
    if strategy.ranking is not None and not strategy.ranking.assessed:
        yield Diagnostic(
            "content.not-assessed",
            Severity.WARNING,
            "the ranking rule found nothing to rank by (no votes, scores or criteria): "
            "documents present the measures as not yet assessed",
            "ranking",
        )
    for item in derived_freshness(strategy):
        if item.state == "stale":
            yield Diagnostic(
                f"derived.stale-{item.part}",
                Severity.WARNING,
                f"the stored {item.part} no longer fits the data it was computed from; "
                "build recomputes it in memory, run it again to store a current one",
                item.part,
            )
        elif item.state == "unstamped":
            yield Diagnostic(
                f"derived.unstamped-{item.part}",
                Severity.INFO,
                f"the stored {item.part} has no fingerprint of its inputs (an older file), "
                "so nobody can tell whether it is current; build recomputes it in memory",
                item.part,
            )


def content_diagnostics(strategy: Strategy, today: dt.date | None = None) -> Iterator[Diagnostic]:
    """What the documents cannot honestly say yet, and stored results that no longer fit.

    No measures, chosen fields without measures, unknown costs, durations
    and staff, passed legal deadlines, a ranking that assessed nothing,
    and a stored ranking, schedule or roadmap that is stale or unstamped.
    Part of :func:`check`; ``build`` calls it alone to warn before writing.

    Args:
        strategy: The strategy whose content is looked at.
        today: The date deadlines are compared with; today by default.
    """
    yield from _derived_diagnostics(strategy)
    yield from _deadline_diagnostics(strategy, today or dt.date.today())
    if not strategy.measures:
        yield Diagnostic(
            "content.no-measures",
            Severity.WARNING,
            "the strategy has no measures: its documents can only list the chosen action "
            "fields as still to be worked out",
            "measures",
        )
        return
    for index, field in enumerate(strategy.action_fields):
        if field.chosen and not strategy.measures_in(field.key):
            yield Diagnostic(
                "content.field-without-measures",
                Severity.WARNING,
                f"the chosen action field {field.title!r} has no measures",
                f"action_fields[{index}]",
            )
    yield from _unknown_diagnostics(strategy)


def _finding(finding: Finding) -> Diagnostic:
    return Diagnostic(
        f"governance.{finding.check}", finding.severity, finding.message, ", ".join(finding.objects)
    )


def _gate_diagnostics(report: ReadinessReport) -> Iterator[Diagnostic]:
    code = f"gate.{report.gate}"
    for text in report.strategy_missing:
        yield Diagnostic(code, Severity.ERROR, text)
    for item in report.measures:
        for text in item.missing:
            yield Diagnostic(code, Severity.ERROR, f"Maßnahme „{item.title}“: {text}", item.measure)
    for finding in report.governance:
        yield Diagnostic(
            code, Severity.ERROR, f"Organisation: {finding.message}", ", ".join(finding.objects)
        )


def check(
    strategy: Strategy,
    workspace: Workspace,
    *,
    gate: str | None = None,
    top_n: int | None = None,
    options: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> CheckReport:
    """Check a strategy against its workspace and return every finding.

    Args:
        strategy: The strategy (already valid in itself: the model checks
            that on construction).
        workspace: Supplies the extension schemas, the questionnaires and
            the governance checks.
        gate: Also check a readiness gate, e.g. ``"beschluss"``.
        top_n: With ``gate``: how many ranked measures must be complete.
        options: Options for the governance checks, e.g. ``{"max_roles": 2}``.
        today: The date legal deadlines are compared with; today by default.

    Returns:
        The diagnostics (pack, extension data, maturity answers,
        governance, gate), the governance findings and the gate's report.

    Raises:
        KommunalDigitalError: The gate is unknown or ``top_n`` is below 1.
    """
    findings = run_checks(strategy, workspace.governance_checks, options=options)
    report = None
    if gate is not None:
        report = check_readiness(strategy, workspace.governance_checks, gate=gate, top_n=top_n)
    diagnostics = [
        *_pack_diagnostics(strategy, workspace),
        *_extension_diagnostics(strategy, workspace),
        *_maturity_diagnostics(strategy, workspace),
        *content_diagnostics(strategy, today),
        *(_finding(f) for f in findings),
        *(_gate_diagnostics(report) if report is not None else ()),
    ]
    return CheckReport(tuple(diagnostics), findings, report)
