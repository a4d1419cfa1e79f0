"""The parts of the Digitalstrategie context that assess and follow the strategy.

``maturity`` (the Digicheck and its phase), ``funding`` (the cash plan and
where the money comes from) and ``monitoring`` (how progress is measured and
reported). Each is plain data; see ``docs/render-context.md``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kommunal_digital.funding.cash_plan import CashPlan, CashYear, cash_plan
from kommunal_digital.maturity.scoring import assess_maturity, format_percent
from kommunal_digital.model import Strategy
from kommunal_digital.workspace.workspace import Workspace

__all__ = [
    "cash_plan_data",
    "cash_year_data",
    "funding_data",
    "maturity_data",
    "monitoring_data",
    "open_income_measures",
]


def open_income_measures(strategy: Strategy, plan: CashPlan) -> set[str]:
    """Keys of the plan's measures with a grant whose amount is not known yet.

    A grant named without an amount, or as a share of a cost nobody has
    estimated, leaves the income open.

    Args:
        strategy: The strategy the plan was made from.
        plan: A cash plan of the strategy (or of one partner's share of it).
    """
    measures = {m.key: m for m in strategy.measures}
    return {
        mc.measure
        for mc in plan.measures
        if any(
            s.kind.external and s.covers(measures[mc.measure].cost.one_off) is None
            for s in measures[mc.measure].funding_sources
        )
    }


def cash_year_data(year: CashYear, unquantified: int) -> dict[str, Any]:
    """One year of a cash plan as plain data, with the counts of what is not estimated.

    Args:
        year: The year's figures.
        unquantified: Measures in the year whose grant amount is not known.
    """
    return {
        "year": year.year,
        "one_off": year.one_off,
        "follow_on": year.follow_on,
        "income": year.income,
        "own_share": year.own_share,
        "total": year.total,
        "uncosted": year.uncosted,
        "uncosted_follow_on": year.uncosted_follow_on,
        "incomplete": year.uncosted + year.uncosted_follow_on,
        "unquantified": unquantified,
    }


def cash_plan_data(plan: CashPlan, open_income: set[str]) -> dict[str, Any]:
    """A cash plan's years and sums as plain data (see the ``funding`` context keys).

    Args:
        plan: The cash plan.
        open_income: Keys of measures whose grant amount is not known
            (:func:`open_income_measures`).
    """
    running = {mc.measure: {y.year for y in mc.years} for mc in plan.measures}
    open_keys = [key for key in open_income if key in running]
    return {
        "years": [
            cash_year_data(y, sum(1 for key in open_keys if y.year in running[key]))
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
        "unquantified": len(open_keys),
    }


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
    open_income = open_income_measures(strategy, plan)
    return {
        **cash_plan_data(plan, open_income),
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
