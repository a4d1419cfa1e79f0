"""The Beschlussvorlage: the council resolution draft of a strategy.

The proposed decision and its justification are generated from the
strategy in plain German, so a municipality starts from a complete draft
that it then adapts to its own customs. Amounts are formatted here because
they stand inside sentences.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kommunal_digital.documents.assessment_context import funding_data
from kommunal_digital.documents.context import head_context
from kommunal_digital.german import euro, zahl
from kommunal_digital.model import MunicipalityKind, RoleKind, Strategy
from kommunal_digital.workspace.workspace import Workspace

__all__ = ["beschlussvorlage_context", "council_name"]

_COUNCILS = {
    MunicipalityKind.GEMEINDE: "Gemeinderat",
    MunicipalityKind.STADT: "Stadtrat",
    MunicipalityKind.VERBANDSGEMEINDE: "Verbandsgemeinderat",
    MunicipalityKind.KREIS: "Kreistag",
}

#: How many measures of the ranking the draft names as priorities.
TOP_MEASURES = 5


def council_name(kind: MunicipalityKind) -> str:
    """The name of the elected body that adopts the strategy, e.g. ``Stadtrat``."""
    return _COUNCILS[kind]


def _for_municipality(strategy: Strategy) -> str:
    municipality = strategy.municipality
    if municipality.name in strategy.title:
        return ""
    article = "den" if municipality.kind is MunicipalityKind.KREIS else "die"
    return f" für {article} {municipality.name}"


def _plain(amount: Decimal) -> str:
    return euro(amount).replace("\xa0", " ")


def _years(strategy: Strategy, today: dt.date | None) -> list[dict[str, Any]]:
    """Money per year of the schedule, with funding income and own share (cash plan)."""
    if strategy.schedule is None:
        return []
    staff = {total.year: total.staff_fte for total in strategy.schedule.years}
    return [
        {**year, "staff_fte": staff.get(year["year"], 0.0)}
        for year in funding_data(strategy, today)["years"]
    ]


def _top_measures(strategy: Strategy) -> list[dict[str, Any]]:
    if strategy.ranking is not None:
        keys = [e.measure for e in strategy.ranking.entries[:TOP_MEASURES]]
    else:
        keys = [m.key for m in strategy.measures[:TOP_MEASURES]]
    return [
        {
            "rank": number,
            "title": strategy.measure(key).title,
            "field_title": strategy.action_field(strategy.measure(key).action_field).title,
        }
        for number, key in enumerate(keys, start=1)
    ]


def _officer(strategy: Strategy) -> str:
    if strategy.organigram is None:
        return ""
    for role in strategy.organigram.roles:
        if role.kind in (RoleKind.DIGITAL_OFFICER, RoleKind.CDO):
            return role.title
    return ""


def _decision(
    strategy: Strategy, council: str, years: list[dict[str, Any]], officer: str
) -> list[str]:
    points = [
        f"Der {council} beschließt die „{strategy.title}“{_for_municipality(strategy)} "
        "in der vorliegenden Fassung als Leitlinie für die Digitalisierung.",
        "Die Verwaltung wird beauftragt, die Maßnahmen in der beschlossenen Rangfolge "
        f"umzusetzen und dem {council} regelmäßig über den Stand zu berichten.",
    ]
    if officer:
        points.append(
            f"Die Funktion „{officer}“ wird eingerichtet; die Verwaltung legt die dafür "
            "nötigen Änderungen des Stellenplans vor."
        )
    if years:
        first = years[0]
        funded = (
            f" (davon {_plain(first['own_share'])} Eigenanteil nach Förder- und Drittmitteln)"
            if first["income"]
            else ""
        )
        points.append(
            f"Die für {first['year']} vorgesehenen Mittel von {_plain(first['total'])}{funded} "
            "werden im Haushalt bereitgestellt; die Mittel der Folgejahre werden in den "
            "jeweiligen Haushaltsplanungen berücksichtigt."
        )
    if strategy.municipality.members:
        points.append(
            "Die Mitgliedsgemeinden werden an der Umsetzung beteiligt; Maßnahmen für einzelne "
            "Mitgliedsgemeinden werden mit deren Räten abgestimmt."
        )
    return points


def _justification(strategy: Strategy, top: list[dict[str, Any]]) -> list[str]:
    chosen = strategy.chosen_fields
    paragraphs = []
    if strategy.starting_point:
        paragraphs.append(strategy.starting_point.strip())
    titles = ", ".join(f.title for f in chosen)
    paragraphs.append(
        f"Die Strategie umfasst {len(chosen)} Handlungsfelder ({titles}) mit "
        f"{len(strategy.measures)} Maßnahmen, die in der Digital-Werkstatt erarbeitet, "
        "bewertet und in eine Rangfolge gebracht wurden."
        if chosen
        else "Die Handlungsfelder der Strategie werden noch ausgewählt."
    )
    if top:
        paragraphs.append(
            "Vorrang haben: " + "; ".join(f"{m['rank']}. {m['title']}" for m in top) + "."
        )
    if strategy.vision:
        paragraphs.append("Leitbild der Strategie: " + strategy.vision.strip())
    return paragraphs


def beschlussvorlage_context(
    strategy: Strategy, workspace: Workspace, today: dt.date | None
) -> dict[str, Any]:
    """Build the render context of the Beschlussvorlage (council resolution draft).

    Args:
        strategy: The strategy to be adopted.
        workspace: Supplies the text blocks (``text_blocks``).
        today: The date printed on the draft; today by default.

    Returns:
        Plain data; see ``docs/render-context.md`` (section *beschlussvorlage*).
    """
    council = council_name(strategy.municipality.kind)
    years = _years(strategy, today)
    top = _top_measures(strategy)
    officer = _officer(strategy)
    measures = strategy.measures
    extra_staff = [m.title for m in measures if m.budgeting.needs_extra_staff]
    one_off = sum((m.cost.one_off for m in measures), Decimal(0))
    yearly = sum((m.cost.yearly for m in measures), Decimal(0))
    fte = sum(m.staff_fte for m in measures)
    return {
        **head_context(strategy, workspace, "beschlussvorlage", today),
        "council": council,
        "proposal": {
            "subject": f"Beschluss der „{strategy.title}“{_for_municipality(strategy)}",
            "decision": _decision(strategy, council, years, officer),
            "justification": _justification(strategy, top),
        },
        "top_measures": top,
        "finances": {
            "years": years,
            "one_off": one_off,
            "yearly": yearly,
            "planned_total": sum((y["total"] for y in years), Decimal(0)),
            "planned_income": sum((y["income"] for y in years), Decimal(0)),
            "planned_own_share": sum((y["own_share"] for y in years), Decimal(0)),
        },
        "staffing": {
            "staff_fte": fte,
            "staff_text": f"{zahl(fte)} Vollzeitäquivalente während der Umsetzung",
            "extra_staff_measures": extra_staff,
            "officer": officer,
        },
    }
