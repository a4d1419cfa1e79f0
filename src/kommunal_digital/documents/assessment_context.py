"""The parts of the Digitalstrategie context that assess and follow the strategy.

``maturity`` (the Digicheck and its phase), ``funding`` (the cash plan and
where the money comes from) and ``monitoring`` (how progress is measured and
reported). Each is plain data; see ``docs/render-context.md``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kommunal_digital.funding.cash_plan import cash_plan
from kommunal_digital.maturity.scoring import assess_maturity, format_percent
from kommunal_digital.model import Strategy
from kommunal_digital.workspace.workspace import Workspace

__all__ = ["funding_data", "maturity_data", "monitoring_data"]


def maturity_data(strategy: Strategy, workspace: Workspace) -> dict[str, Any] | None:
    """The maturity check's result, or ``None`` when the strategy has no check.

    The questionnaire and the phase guide come from the workspace: the
    pack's own guides (or those it inherits from ``base``).

    Raises:
        ModelValidationError: The check's questionnaire is not installed or
            an answer does not fit it (the message names the field).
    """
    if strategy.maturity_check is None:
        return None
    questionnaire = workspace.questionnaire(strategy.maturity_check.questionnaire)
    assessment = assess_maturity(strategy, questionnaire, guides=workspace.phase_guides)
    guide = assessment.guide
    return {
        "title": assessment.title,
        "answered_on": strategy.maturity_check.answered_on,
        "reached": assessment.reached,
        "possible": assessment.possible,
        "percent": assessment.percent,
        "percent_text": format_percent(assessment.percent),
        "phase": assessment.phase.value,
        "phase_label": assessment.phase.label,
        "reasons": list(assessment.reasons),
        "dimensions": [
            {
                "key": d.dimension,
                "title": d.title,
                "reached": d.reached,
                "possible": d.possible,
                "percent": d.percent,
                "percent_text": format_percent(d.percent),
            }
            for d in assessment.dimensions
        ],
        "unanswered": len(assessment.unanswered),
        "guide": {
            "situation": guide.situation,
            "goals": list(guide.goals),
            "methods": list(guide.methods),
            "results": guide.results,
        }
        if guide is not None
        else None,
    }


def funding_data(strategy: Strategy, today: dt.date | None) -> dict[str, Any]:
    """The cash plan per year and every measure's funding sources and operator.

    Amounts are sums of estimates; ``uncosted`` (one-off) and
    ``uncosted_follow_on`` count the measures without an estimate, per year
    and overall, and ``incomplete`` the measures missing either, so
    templates can print ``{{ y.total|summe(y.incomplete) }}``;
    ``unquantified`` counts measures with a grant whose amount is not known
    yet (income still open), ``costed`` the measures in the plan with any
    estimate.

    Without a schedule and without planning limits the cash plan starts in
    the month of the document date.
    """
    start = None
    if strategy.schedule is None and strategy.limits is None:
        start = (today or dt.date.today()).replace(day=1)
    plan = cash_plan(strategy, start=start)
    titles = {m.key: m.title for m in strategy.measures}
    # Grants named without an amount (or a share of an unknown cost): income still open.
    open_income = {
        m.key
        for m in strategy.measures
        if any(s.kind.external and s.covers(m.cost.one_off) is None for s in m.funding_sources)
    }
    running = {mc.measure: {y.year for y in mc.years} for mc in plan.measures}

    def unquantified(year: int | None) -> int:
        return sum(
            1 for key in open_income if key in running and (year is None or year in running[key])
        )

    return {
        "years": [
            {
                "year": y.year,
                "one_off": y.one_off,
                "follow_on": y.follow_on,
                "income": y.income,
                "own_share": y.own_share,
                "total": y.total,
                "uncosted": y.uncosted,
                "uncosted_follow_on": y.uncosted_follow_on,
                "incomplete": y.uncosted + y.uncosted_follow_on,
                "unquantified": unquantified(y.year),
            }
            for y in plan.years
        ],
        "one_off": plan.one_off,
        "follow_on": plan.follow_on,
        "income": plan.income,
        "own_share": plan.own_share,
        "total": plan.total,
        "uncosted": len(plan.uncosted),
        "uncosted_follow_on": len(plan.uncosted_follow_on),
        "incomplete": len(set(plan.uncosted) | set(plan.uncosted_follow_on)),
        "unquantified": unquantified(None),
        "costed": sum(
            1 for mc in plan.measures if mc.one_off is not None or mc.follow_on is not None
        ),
        "unplaced": [titles[key] for key in plan.unplaced],
        "measures": [
            {
                "title": m.title,
                "sources": [s.label for s in m.funding_sources],
                "deadlines": sorted(s.deadline for s in m.funding_sources if s.deadline),
                "operator": m.operator.name if m.operator else "",
                "operator_budget": m.operator.budget if m.operator else "",
            }
            for m in strategy.measures
        ],
    }


def monitoring_data(strategy: Strategy) -> dict[str, Any]:
    """How progress is reported and which indicators measure success."""
    reporting = strategy.reporting
    indicators = [
        {
            "of": field.title,
            "level": "Ziel",
            "name": i.name,
            "unit": i.unit,
            "baseline": i.baseline,
            "target": i.target,
        }
        for field in strategy.chosen_fields
        for goal in field.goals
        for i in goal.indicators
    ]
    indicators += [
        {
            "of": m.title,
            "level": "Maßnahme",
            "name": i.name,
            "unit": i.unit,
            "baseline": i.baseline,
            "target": i.target,
        }
        for m in strategy.measures
        for i in m.indicators
    ]
    return {
        "rhythm_months": reporting.rhythm_months,
        "weighting_label": reporting.weighting.label,
        "last_report_on": reporting.last_report_on,
        "updates": len(strategy.progress_history),
        "indicators": indicators,
    }
