"""Warnings about a strategy's funding: deadlines, co-financing, unknown programmes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

import attrs

from kommunal_digital.german import kurzdatum
from kommunal_digital.model import Measure, Strategy
from kommunal_digital.model.funding import (
    FundingKind,
    FundingProgramme,
    FundingSource,
    needs_co_financing,
)
from kommunal_digital.units.months import add_months

__all__ = ["DEFAULT_LEAD_MONTHS", "FundingWarning", "WarningCode", "funding_warnings"]

#: Months a municipality needs to prepare an application (profile, quotes,
#: council decision on the own share).
DEFAULT_LEAD_MONTHS = 3


class WarningCode:
    """Stable identifiers of the funding warnings."""

    DEADLINE_PASSED = "deadline_passed"
    DEADLINE_TOO_CLOSE = "deadline_too_close"
    NO_REACHABLE_DEADLINE = "no_reachable_deadline"
    DEADLINE_AFTER_START = "deadline_after_start"
    CO_FINANCING_MISSING = "co_financing_missing"
    UNKNOWN_PROGRAMME = "unknown_programme"
    COST_UNKNOWN = "cost_unknown"


@attrs.frozen
class FundingWarning:
    """A problem with how a measure is to be funded.

    Attributes:
        code: What kind of problem (see :class:`WarningCode`).
        measure: Key of the measure concerned.
        message: The problem in German, naming the measure.
        programme: Key of the programme concerned, if any.
    """

    code: str
    measure: str
    message: str
    programme: str | None = None


def _percent(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def funding_warnings(
    strategy: Strategy,
    programmes: Mapping[str, FundingProgramme],
    *,
    today: dt.date,
    lead_months: int = DEFAULT_LEAD_MONTHS,
) -> tuple[FundingWarning, ...]:
    """Check the programme sources of every measure against the catalogue and the calendar.

    For each source of kind ``foerderprogramm``:

    - its programme key must be in ``programmes``;
    - its application deadline (the source's own, else the first deadline
      of the programme that leaves ``lead_months`` of preparation) must not
      lie before ``today`` and must leave at least ``lead_months`` months
      from ``today`` to prepare the application;
    - if the strategy has a schedule, the deadline must not lie after the
      measure's planned start (programmes rarely fund work begun before the
      application);
    - if the programme needs co-financing (its rate is below 100 % or it
      says so), the measure needs a source of kind ``eigenmittel``;
    - when the measure's one-off cost is not estimated, a source that
      covers a share or rate of it cannot be put in euros yet
      (``cost_unknown``); a source naming an amount can, and nothing is
      claimed about it exceeding a cost nobody knows.

    Args:
        strategy: The strategy.
        programmes: The funding programme catalogue by key, e.g. from
            :func:`~kommunal_digital.funding_programmes`.
        today: The date to check deadlines against.
        lead_months: Months needed to prepare an application.

    Returns:
        Warnings in the order of the measures and their sources.
    """
    found: list[FundingWarning] = []
    for measure in strategy.measures:
        for source in measure.funding_sources:
            if source.kind is FundingKind.FOERDERPROGRAMM:
                found.extend(_source(strategy, measure, source, programmes, today, lead_months))
    return tuple(found)


def _source(
    strategy: Strategy,
    measure: Measure,
    source: FundingSource,
    programmes: Mapping[str, FundingProgramme],
    today: dt.date,
    lead_months: int,
) -> Iterator[FundingWarning]:
    key = source.programme
    programme = programmes.get(key) if key is not None else None
    name = programme.title if programme is not None else (source.name.strip() or str(key))
    prefix = f"Maßnahme „{measure.title}“: "

    def warn(code: str, text: str) -> FundingWarning:
        return FundingWarning(code, measure.key, prefix + text, key)

    if key is not None and programme is None:
        yield warn(
            WarningCode.UNKNOWN_PROGRAMME,
            f"Das Förderprogramm „{key}“ ist im Programmkatalog nicht bekannt.",
        )
    ready = add_months(today, lead_months)
    deadline = source.deadline
    if deadline is None and programme is not None and programme.deadlines:
        reachable = [d for d in programme.deadlines if d >= ready]
        if not reachable:
            yield warn(
                WarningCode.NO_REACHABLE_DEADLINE,
                f"Keine der bekannten Antragsfristen für „{name}“ lässt noch "
                f"{lead_months} Monate für die Vorbereitung des Antrags.",
            )
        else:
            deadline = reachable[0]
    if deadline is not None:
        if deadline < today:
            yield warn(
                WarningCode.DEADLINE_PASSED,
                f"Die Antragsfrist für „{name}“ ist am {kurzdatum(deadline)} abgelaufen.",
            )
        elif deadline < ready:
            yield warn(
                WarningCode.DEADLINE_TOO_CLOSE,
                f"Bis zur Antragsfrist für „{name}“ am {kurzdatum(deadline)} bleiben weniger als "
                f"{lead_months} Monate für die Vorbereitung des Antrags.",
            )
        entry = strategy.schedule.entry(measure.key) if strategy.schedule else None
        if entry is not None and deadline > entry.start:
            yield warn(
                WarningCode.DEADLINE_AFTER_START,
                f"Die Antragsfrist für „{name}“ am {kurzdatum(deadline)} liegt nach dem geplanten "
                f"Beginn am {kurzdatum(entry.start)}; gefördert wird in der Regel nur, was nach "
                "der Antragstellung beginnt.",
            )
    if measure.cost.one_off is None and source.amount is None:
        rate = source.share if source.share is not None else source.rate
        if rate is not None:
            yield warn(
                WarningCode.COST_UNKNOWN,
                f"Der Anteil von {_percent(rate)} % aus „{name}“ lässt sich nicht in Euro "
                "angeben, solange die einmaligen Kosten nicht geschätzt sind.",
            )
    own = any(s.kind is FundingKind.EIGENMITTEL for s in measure.funding_sources)
    if needs_co_financing(source, programme) and not own:
        rate = source.rate if source.rate is not None else (programme.rate if programme else None)
        detail = f" (Fördersatz {_percent(rate)} %)" if rate is not None else ""
        yield warn(
            WarningCode.CO_FINANCING_MISSING,
            f"„{name}“ verlangt einen Eigenanteil{detail}, aber keine Finanzierungsquelle "
            "ist als Eigenmittel ausgewiesen.",
        )
