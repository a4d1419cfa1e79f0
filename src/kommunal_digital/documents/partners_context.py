"""Render-context data of a joint strategy: its partners and who carries what.

All amounts are split to the cent with the breakdown code
(:func:`~kommunal_digital.planning.breakdown.partner_weights` and
:func:`~kommunal_digital.units.money.split_amount`), so the partners'
shares of a measure add up to exactly its cost; an unknown cost stays
``None`` in every share.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kommunal_digital.documents.assessment_context import cash_plan_data
from kommunal_digital.documents.statements import council_name
from kommunal_digital.funding.cash_plan import cash_plan, partner_cash_plans, programme_cash
from kommunal_digital.model import CostSharing, Measure, Partner, Strategy, StrategyFunding
from kommunal_digital.planning.breakdown import partner_weights
from kommunal_digital.units.money import split_amount

__all__ = [
    "council_of",
    "funding_programmes",
    "partner_cash",
    "partner_list",
    "sharing_data",
    "with_article",
]

# Words a partner's name may start with, and the article (dative) they take.
_DATIVE = {
    "Stadt": "der",
    "Gemeinde": "der",
    "Ortsgemeinde": "der",
    "Verbandsgemeinde": "der",
    "Samtgemeinde": "der",
    "Verwaltungsgemeinschaft": "der",
    "Kreisstadt": "der",
    "Hansestadt": "der",
    "Landkreis": "dem",
    "Kreis": "dem",
    "Rhein-Kreis": "dem",
    "Amt": "dem",
    "Markt": "dem",
}


def council_of(partner: Partner) -> str:
    """The council that adopts the strategy for a partner, e.g. ``Stadtrat``."""
    return partner.council.strip() or council_name(partner.kind)


def with_article(name: str) -> str:
    """A partner's name after ``mit``: ``der Stadt Adorf``; a bare place name stays bare."""
    first = name.split(" ", 1)[0]
    article = _DATIVE.get(first)
    return f"{article} {name}" if article else name


def partner_list(strategy: Strategy) -> list[dict[str, Any]]:
    """The partners of a joint strategy as plain data (empty for one municipality)."""
    return [
        {
            "key": p.key,
            "name": p.name,
            "kind": p.kind.value,
            "kind_label": p.kind.label,
            "council": council_of(p),
            "population": p.population,
            "official_key": p.official_key or "",
        }
        for p in strategy.partners
    ]


def _split(amount: Decimal | None, weights: list[Decimal]) -> list[Decimal | None]:
    if amount is None:
        return [None] * len(weights)
    return list(split_amount(amount, weights))


def _basis_label(strategy: Strategy, sharing: CostSharing | None) -> str:
    basis = (sharing.basis if sharing is not None else None) or strategy.cost_sharing
    return basis.label


def sharing_data(strategy: Strategy, measure: Measure) -> dict[str, Any] | None:
    """Who takes part in a measure of a joint strategy and what each partner carries.

    ``None`` for a strategy without partners. ``shares`` holds, per partner
    taking part, its share of the one-off and yearly cost (``None`` while
    the cost is not estimated) and of the staff (hundredths of a full-time
    equivalent).
    """
    if not strategy.partners:
        return None
    weights = partner_weights(strategy, measure.sharing)
    values = list(weights.values())
    names = {p.key: p.name for p in strategy.partners}
    staff = None if measure.staff_fte is None else Decimal(str(measure.staff_fte))
    rows = zip(
        weights,
        _split(measure.cost.one_off, values),
        _split(measure.cost.yearly, values),
        _split(staff, values),
        strict=True,
    )
    return {
        "all": len(weights) == len(strategy.partners),
        "partners": [names[key] for key in weights],
        "basis": _basis_label(strategy, measure.sharing) if len(weights) > 1 else "",
        "shares": [
            {
                "key": key,
                "name": names[key],
                "one_off": one_off,
                "yearly": yearly,
                "staff_fte": fte,
            }
            for key, one_off, yearly, fte in rows
        ],
    }


def funding_programmes(strategy: Strategy, partner: str | None = None) -> list[dict[str, Any]]:
    """The strategy-level funding as plain data.

    ``years`` spreads the volume and the own share over the calendar years
    of the funding period (to the cent; empty while period or amount is
    unknown). With ``partner``, ``partner_own_amount`` is that partner's
    part of the own share (``None`` while the own share is unknown or the partner does
    not carry it); without, it is ``None``.
    """
    spread = {p.key: p for p in programme_cash(strategy)}
    return [
        {
            **_programme(strategy, item, partner),
            "years": [
                {"year": year, "amount": amount, "own_amount": own}
                for year, amount, own in spread[item.key].years
            ],
        }
        for item in strategy.funding
    ]


def _programme(strategy: Strategy, item: StrategyFunding, partner: str | None) -> dict[str, Any]:
    own = item.own_amount
    partner_own: Decimal | None = None
    carriers: list[str] = []
    if strategy.partners:
        weights = partner_weights(strategy, item.sharing)
        names = {p.key: p.name for p in strategy.partners}
        carriers = [names[key] for key in weights]
        if partner is not None and partner in weights and own is not None:
            parts = split_amount(own, list(weights.values()))
            partner_own = dict(zip(weights, parts, strict=True))[partner]
    return {
        "key": item.key,
        "title": item.title,
        "provider": item.provider,
        "programme": item.programme or "",
        "amount": item.amount,
        "own_share": item.own_share,
        "own_amount": own,
        "grant": item.grant,
        "start": item.start,
        "end": item.end,
        "partners": carriers,
        "partner_own_amount": partner_own,
    }


def partner_cash(strategy: Strategy, today: dt.date | None) -> list[dict[str, Any]]:
    """The cash plan of a joint strategy per partner: totals over the plan's years.

    Same start rule as the whole plan (``funding`` in the Digitalstrategie);
    empty for a strategy without partners. Every figure of every measure and
    year is split to the cent, so the partners' figures add up to the plan's.
    """
    if not strategy.partners:
        return []
    start = None
    if strategy.schedule is None and strategy.limits is None:
        start = (today or dt.date.today()).replace(day=1)
    plans = partner_cash_plans(strategy, cash_plan(strategy, start=start))
    names = {p.key: p.name for p in strategy.partners}
    return [
        {
            "key": key,
            "name": names[key],
            **{
                name: value
                for name, value in cash_plan_data(plan, set()).items()
                if name not in ("years", "unquantified")
            },
            "measures": len(plan.measures),
        }
        for key, plan in plans.items()
    ]
