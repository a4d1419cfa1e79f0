"""The Beschlussvorlage: the council resolution draft of a strategy.

The proposed decision and its justification are generated from the
strategy in plain German, so a municipality starts from a complete draft
that it then adapts to its own customs. Every sentence follows the data:
no ranking is called adopted that was never assessed, no total hides a
measure without a cost estimate, no function is "set up" that already has
a holder, and a strategy without measures asks for them instead of
adopting empty tables. Amounts are formatted here because they stand
inside sentences.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from kommunal_digital.documents import statements
from kommunal_digital.documents.assessment_context import (
    cash_plan_data,
    funding_data,
    open_income_measures,
)
from kommunal_digital.documents.context import head_context, sums
from kommunal_digital.documents.numbering import measure_numbers
from kommunal_digital.documents.partners_context import (
    council_of,
    funding_programmes,
    with_article,
)
from kommunal_digital.documents.statements import council_name, count, the
from kommunal_digital.errors import DocumentError
from kommunal_digital.funding.cash_plan import CashPlan, cash_plan, partner_cash_plans
from kommunal_digital.german import euro
from kommunal_digital.model import (
    Cost,
    Measure,
    MeasureStatus,
    MunicipalityKind,
    Partner,
    Role,
    RoleKind,
    Strategy,
)
from kommunal_digital.planning.breakdown import PartnerPlan, partner_plans, partner_weights
from kommunal_digital.workspace.workspace import Workspace

__all__ = ["beschlussvorlage_context", "council_name", "partner_beschlussvorlage_context"]

#: How many measures of the ranking the draft names as priorities.
TOP_MEASURES = 5

_CLOSED = (MeasureStatus.ABGESCHLOSSEN, MeasureStatus.VERWORFEN)


def _for_municipality(strategy: Strategy) -> str:
    municipality = strategy.municipality
    if municipality.name in strategy.title:
        return ""
    article = {
        MunicipalityKind.KREIS: "den ",
        MunicipalityKind.AMT: "das ",
        MunicipalityKind.UNBEKANNT: "",
    }.get(municipality.kind, "die ")
    return f" für {article}{municipality.name}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plain(amount: Decimal) -> str:
    return euro(amount).replace("\xa0", " ")


def _assessed(strategy: Strategy) -> bool:
    return strategy.ranking is not None and strategy.ranking.assessed


def _years(strategy: Strategy, funding: dict[str, Any]) -> list[dict[str, Any]]:
    """Money per year of the schedule, with funding income and own share (cash plan).

    Each year also says how many measures in it have no estimate of their
    one-off or yearly cost (``incomplete``, see the funding context).
    """
    schedule = strategy.schedule
    if schedule is None:
        return []
    staff = {total.year: total.staff_fte for total in schedule.years}
    return [{**year, "staff_fte": staff.get(year["year"], 0.0)} for year in funding["years"]]


def _top_measures(strategy: Strategy) -> list[dict[str, Any]]:
    """The first measures of an assessed ranking; none without one."""
    ranking = strategy.ranking
    if ranking is None or not ranking.assessed:
        return []
    numbers = measure_numbers(strategy)
    return [
        {
            "rank": entry.rank,
            "number": numbers[entry.measure],
            "title": strategy.measure(entry.measure).title,
            "field_title": strategy.action_field(
                strategy.measure(entry.measure).action_field
            ).title,
        }
        for entry in [
            e for e in ranking.entries if strategy.measure(e.measure).status not in _CLOSED
        ][:TOP_MEASURES]
    ]


def _officer(strategy: Strategy) -> Role | None:
    if strategy.organigram is None:
        return None
    for role in strategy.organigram.roles:
        if role.kind in (RoleKind.DIGITAL_OFFICER, RoleKind.CDO):
            return role
    return None


def _mandate(strategy: Strategy, council: str) -> str:
    """What the administration is asked to do, by what exists."""
    if not strategy.chosen_fields:
        return (
            "Die Verwaltung wird beauftragt, die Handlungsfelder auszuwählen, Maßnahmen zu "
            f"erarbeiten und {the(council, 'dat')} zur Beratung vorzulegen."
        )
    if not strategy.measures:
        return (
            "Die Verwaltung wird beauftragt, für die ausgewählten Handlungsfelder Maßnahmen zu "
            f"erarbeiten und {the(council, 'dat')} zur Beratung vorzulegen."
        )
    empty = [f.title for f in strategy.chosen_fields if not strategy.measures_in(f.key)]
    missing = (
        f" Für {('das Handlungsfeld ' if len(empty) == 1 else 'die Handlungsfelder ')}"
        f"{', '.join(empty)} erarbeitet sie die noch fehlenden Maßnahmen."
        if empty
        else ""
    )
    if _assessed(strategy):
        return (
            "Die Verwaltung wird beauftragt, die Maßnahmen in der Rangfolge der Strategie "
            f"umzusetzen und {the(council, 'dat')} regelmäßig über den Stand zu berichten.{missing}"
        )
    return (
        "Die Verwaltung wird beauftragt, die Maßnahmen zu bewerten, "
        f"{the(council, 'dat')} eine Rangfolge vorzuschlagen und regelmäßig über den Stand der "
        "Umsetzung "
        f"zu berichten.{missing}"
    )


def _money_point(years: list[dict[str, Any]]) -> str:
    """The budget decision for the first year, never a total that hides unknown costs."""
    first = years[0]
    if first["incomplete"] and first["total"] <= 0:
        return (
            f"Für die im Jahr {first['year']} vorgesehenen Maßnahmen liegt noch keine "
            "Kostenschätzung vor; die Verwaltung legt sie mit dem Haushaltsentwurf vor."
        )
    funded = (
        f" (davon {_plain(first['own_share'])} Eigenanteil nach Förder- und Drittmitteln)"
        if first["income"]
        else ""
    )
    if first["incomplete"]:
        return (
            f"Für {first['year']} sind bisher {_plain(first['total'])} geschätzt; für "
            f"{count(first['incomplete'], 'Maßnahme', 'Maßnahmen')} liegt noch keine "
            "Kostenschätzung vor. Die Verwaltung legt die vollständige Schätzung mit dem "
            "Haushaltsentwurf vor; die Mittel der Folgejahre werden in den jeweiligen "
            "Haushaltsplanungen berücksichtigt."
        )
    return (
        f"Die für {first['year']} vorgesehenen Mittel von {_plain(first['total'])}{funded} "
        "werden im Haushalt bereitgestellt; die Mittel der Folgejahre werden in den "
        "jeweiligen Haushaltsplanungen berücksichtigt."
    )


def _decision(
    strategy: Strategy, council: str, years: list[dict[str, Any]], officer: Role | None
) -> list[str]:
    points = [
        f"{_capital(the(council))} beschließt die „{strategy.title}“{_for_municipality(strategy)} "
        "in der vorliegenden Fassung als Leitlinie für die Digitalisierung.",
        _mandate(strategy, council),
    ]
    if officer is not None and not officer.holder.strip():
        points.append(
            f"Die Funktion „{officer.title}“ wird eingerichtet; die Verwaltung legt die dafür "
            "nötigen Änderungen des Stellenplans vor."
        )
    if years:
        points.append(_money_point(years))
    if strategy.municipality.members:
        point = "Die Mitgliedsgemeinden werden an der Umsetzung beteiligt."
        if any(m.members for m in strategy.measures):
            point += " Maßnahmen für einzelne Mitgliedsgemeinden werden mit deren Räten abgestimmt."
        points.append(point)
    return points


def _justification(
    strategy: Strategy, wording: dict[str, str], top: list[dict[str, Any]], today: dt.date
) -> list[str]:
    chosen = strategy.chosen_fields
    paragraphs = []
    if strategy.starting_point:
        paragraphs.append(strategy.starting_point.strip())
    workshop = statements.workshop_sentence(strategy, wording)
    if workshop:
        paragraphs.append(workshop)
    if not chosen:
        paragraphs.append("Die Handlungsfelder der Strategie werden noch ausgewählt.")
    else:
        titles = ", ".join(f.title for f in chosen)
        fields = count(len(chosen), "Handlungsfeld", "Handlungsfelder")
        if not strategy.measures:
            paragraphs.append(
                f"Die Strategie umfasst {fields} ({titles}). Maßnahmen sind "
                f"{wording['to_be_worked_out']}."
            )
        else:
            text = (
                f"Die Strategie umfasst {fields} ({titles}) mit "
                f"{count(len(strategy.measures), 'Maßnahme', 'Maßnahmen')}."
            )
            if _assessed(strategy):
                text += " Die Maßnahmen wurden bewertet und in eine Rangfolge gebracht."
            else:
                text += f" Die Maßnahmen sind {wording['not_assessed']}."
            paragraphs.append(text)
    if top:
        paragraphs.append(
            "Vorrang haben: " + "; ".join(f"{m['rank']}. {m['title']}" for m in top) + "."
        )
    paragraphs.extend(statements.passed_deadlines(strategy, today))
    if strategy.vision:
        paragraphs.append("Leitbild der Strategie: " + strategy.vision.strip())
    return paragraphs


def _attachments(strategy: Strategy) -> list[str]:
    attachments = ["Digitalstrategie"]
    if strategy.roadmap is not None or strategy.schedule is not None:
        attachments.append("Vorgehensplan")
    if strategy.measures:
        attachments.append("Maßnahmen-Steckbriefe")
    return attachments


def _extra_staff_text(strategy: Strategy, wording: dict[str, str]) -> str:
    """What is known about extra staff, for measures that are not closed."""
    return _extra_staff_text_of(list(strategy.measures), wording)


def _extra_staff_text_of(measures: list[Measure], wording: dict[str, str]) -> str:
    open_measures = [m for m in measures if m.status not in _CLOSED]
    if not open_measures:
        return ""
    answered = [m for m in open_measures if m.budgeting.needs_extra_staff is not None]
    if not answered:
        return f"Ob zusätzliches Personal nötig ist, ist für die Maßnahmen {wording['unknown']}."
    if any(m.budgeting.needs_extra_staff for m in answered):
        return ""
    unanswered = len(open_measures) - len(answered)
    text = "Keine Maßnahme ist als Bedarf an zusätzlichem Personal gekennzeichnet."
    if unanswered:
        text += f" Für {count(unanswered, 'Maßnahme', 'Maßnahmen')} ist das {wording['unknown']}."
    return text


def beschlussvorlage_context(
    strategy: Strategy, workspace: Workspace, today: dt.date | None
) -> dict[str, Any]:
    """Build the render context of the Beschlussvorlage (council resolution draft).

    Args:
        strategy: The strategy to be adopted.
        workspace: Supplies the text blocks (``text_blocks``) and the wording.
        today: The date printed on the draft; today by default.

    Returns:
        Plain data; see ``docs/render-context.md`` (section *beschlussvorlage*).
    """
    head = head_context(strategy, workspace, "beschlussvorlage", today)
    wording = head["wording"]
    council = council_name(strategy.municipality.kind)
    funding = funding_data(strategy, today)
    years = _years(strategy, funding)
    top = _top_measures(strategy)
    officer = _officer(strategy)
    measures = strategy.measures
    extra_staff = [m.title for m in measures if m.budgeting.needs_extra_staff]
    totals = sums(
        [
            {
                "cost_one_off": m.cost.one_off,
                "cost_yearly": m.cost.yearly,
                "staff_fte": m.staff_fte,
            }
            for m in measures
        ]
    )
    return {
        **head,
        "council": council,
        "proposal": {
            "subject": f"Beschluss der „{strategy.title}“{_for_municipality(strategy)}",
            "decision": _decision(strategy, council, years, officer),
            "justification": _justification(strategy, wording, top, head["document"]["date"]),
        },
        "top_measures": top,
        "finances": {
            "summary": statements.cost_summary(measures, wording),
            "scheduled": strategy.schedule is not None,
            "years": years,
            "one_off": totals["cost_one_off"],
            "one_off_missing": totals["cost_one_off_missing"],
            "yearly": totals["cost_yearly"],
            "yearly_missing": totals["cost_yearly_missing"],
            "incomplete": sum(1 for m in measures if not m.cost.known),
            "unquantified": funding["unquantified"],
            "measures": len(measures),
            "planned_total": sum((y["total"] for y in years), Decimal(0)),
            "planned_income": sum((y["income"] for y in years), Decimal(0)),
            "planned_own_share": sum((y["own_share"] for y in years), Decimal(0)),
            "programmes": funding_programmes(strategy),
        },
        "staffing": {
            "staff_fte": totals["staff_fte"],
            "staff_fte_missing": totals["staff_fte_missing"],
            "staff_text": statements.staff_summary(measures, wording),
            "extra_staff_measures": extra_staff,
            "extra_staff_text": _extra_staff_text(strategy, wording),
            "officer": officer.title if officer is not None else "",
            "officer_holder": officer.holder if officer is not None else "",
        },
        "attachments": _attachments(strategy),
        "partner": None,
    }


def _partner(strategy: Strategy, key: str) -> Partner:
    for partner in strategy.partners:
        if partner.key == key:
            return partner
    known = ", ".join(p.key for p in strategy.partners) or "none"
    raise DocumentError(
        f"beschlussvorlage: the strategy has no partner {key!r} (partners: {known})"
    )


def _partner_measures(strategy: Strategy, plan: PartnerPlan) -> list[Measure]:
    """The partner's measures with its share of their cost and staff (for the summaries)."""
    measures = []
    for share in plan.shares:
        measure = strategy.measure(share.measure)
        staff = plan.staff.get(share.measure)
        measures.append(
            attrs.evolve(
                measure,
                cost=Cost(share.one_off, share.yearly),
                staff_fte=None if staff is None else float(staff),
                funding_sources=(),
                operator=None,
            )
        )
    return measures


def _plan_years(strategy: Strategy, plan: CashPlan) -> list[dict[str, Any]]:
    """A partner's cash plan per year, with the keys of the whole strategy's years."""
    years = cash_plan_data(plan, open_income_measures(strategy, plan))["years"]
    # The schedule's staff per year is the strategy's; a partner's is not planned.
    return [{**year, "staff_fte": None} for year in years]


def _joint_decision(
    strategy: Strategy, partner: Partner, council: str, years: list[dict[str, Any]]
) -> list[str]:
    others = [with_article(p.name) for p in strategy.partners if p.key != partner.key]
    together = (
        f"gemeinsam mit {', '.join(others[:-1])} und {others[-1]} erarbeitete "
        if len(others) > 1
        else f"gemeinsam mit {others[0]} erarbeitete "
        if others
        else ""
    )
    points = [
        f"{_capital(the(council))} beschließt die {together}„{strategy.title}“ in der vorliegenden "
        "Fassung als Leitlinie für die Digitalisierung.",
        _mandate(strategy, council),
    ]
    officer = _officer(strategy)
    if officer is not None and not officer.holder.strip():
        points.append(
            f"Die Funktion „{officer.title}“ wird eingerichtet; die Verwaltung legt die dafür "
            "nötigen Änderungen des Stellenplans vor."
        )
    if years:
        points.append(_money_point(years))
    bases = {
        (m.sharing.basis if m.sharing is not None else None) or strategy.cost_sharing
        for m in strategy.measures
    }
    if strategy.measures and len(strategy.partners) > 1:
        rule = (
            next(iter(bases)).label
            if len(bases) == 1
            else "nach der für jede Maßnahme vereinbarten Regel"
        )
        points.append(
            "Die Kosten gemeinsamer Maßnahmen tragen die beteiligten Kommunen "
            f"{rule}; die Angaben zu den finanziellen und personellen Auswirkungen nennen "
            f"den Anteil {with_article(partner.name)}."
        )
    return points


def partner_beschlussvorlage_context(
    strategy: Strategy, workspace: Workspace, today: dt.date | None, partner: str
) -> dict[str, Any]:
    """Build the Beschlussvorlage of one partner council of a joint strategy.

    The council adopts the whole joint strategy; the money and staff are the
    partner's share (to the cent, see
    :func:`~kommunal_digital.planning.breakdown.partner_plans`), the cash
    plan per year the partner's (see
    :func:`~kommunal_digital.funding.cash_plan.partner_cash_plans`). The
    context has the keys of :func:`beschlussvorlage_context`; ``municipality``
    and ``council`` are the partner's and ``partner`` describes its share.

    Args:
        strategy: The joint strategy.
        workspace: Supplies the text blocks and the wording.
        today: The date printed on the draft; today by default.
        partner: The partner's key.

    Raises:
        DocumentError: The strategy has no partner with this key.
    """
    item = _partner(strategy, partner)
    context = beschlussvorlage_context(strategy, workspace, today)
    wording = context["wording"]
    council = council_of(item)
    plan = next(p for p in partner_plans(strategy) if p.partner == partner)
    measures = _partner_measures(strategy, plan)
    years: list[dict[str, Any]] = []
    unquantified = 0
    if strategy.schedule is not None:
        own_plan = partner_cash_plans(strategy, cash_plan(strategy))[partner]
        years = _plan_years(strategy, own_plan)
        unquantified = len(open_income_measures(strategy, own_plan))
    totals = sums(
        [
            {"cost_one_off": s.one_off, "cost_yearly": s.yearly, "staff_fte": plan.staff[s.measure]}
            for s in plan.shares
        ]
    )
    numbers = measure_numbers(strategy)
    by_key = {m.key: m for m in strategy.measures}
    extra_staff = [m.title for m in measures if m.budgeting.needs_extra_staff]
    intro = (
        f"{item.name} ist an {count(len(measures), 'Maßnahme', 'Maßnahmen')} der gemeinsamen "
        "Strategie beteiligt; die Beträge nennen ihren Anteil. "
        if measures
        else f"{item.name} ist an keiner Maßnahme der gemeinsamen Strategie beteiligt. "
    )
    municipality = {
        **context["municipality"],
        "name": item.name,
        "kind": item.kind.value,
        "kind_label": item.kind.label,
        "official_key": item.official_key or "",
        "population": item.population,
        "members": [],
    }
    return {
        **context,
        "municipality": municipality,
        "council": council,
        "proposal": {
            **context["proposal"],
            "subject": f"Beschluss der gemeinsamen „{strategy.title}“",
            "decision": _joint_decision(strategy, item, council, years),
        },
        "finances": {
            **context["finances"],
            "summary": intro + statements.cost_summary(measures, wording),
            "years": years,
            "one_off": totals["cost_one_off"],
            "one_off_missing": totals["cost_one_off_missing"],
            "yearly": totals["cost_yearly"],
            "yearly_missing": totals["cost_yearly_missing"],
            "incomplete": sum(1 for m in measures if not m.cost.known),
            "unquantified": unquantified,
            "measures": len(measures),
            "planned_total": sum((y["total"] for y in years), Decimal(0)),
            "planned_income": sum((y["income"] for y in years), Decimal(0)),
            "planned_own_share": sum((y["own_share"] for y in years), Decimal(0)),
            "programmes": funding_programmes(strategy, partner),
        },
        "staffing": {
            **context["staffing"],
            "staff_fte": totals["staff_fte"],
            "staff_fte_missing": totals["staff_fte_missing"],
            "staff_text": statements.staff_summary(measures, wording),
            "extra_staff_measures": extra_staff,
            "extra_staff_text": _extra_staff_text_of(measures, wording),
        },
        "partner": {
            "key": item.key,
            "name": item.name,
            "council": council,
            "others": [p.name for p in strategy.partners if p.key != item.key],
            "one_off": plan.one_off,
            "yearly": plan.yearly,
            "staff_fte": plan.staff_fte,
            "uncosted": len(plan.uncosted),
            "uncosted_yearly": len(plan.uncosted_yearly),
            "measures": [
                {
                    "number": numbers[s.measure],
                    "title": by_key[s.measure].title,
                    "one_off": s.one_off,
                    "yearly": s.yearly,
                    "staff_fte": plan.staff[s.measure],
                    "shared": len(partner_weights(strategy, by_key[s.measure].sharing)) > 1,
                }
                for s in plan.shares
            ],
        },
    }
