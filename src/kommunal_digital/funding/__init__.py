"""Funding: the cash plan of a strategy and checks of its funding programmes."""

from kommunal_digital.funding.cash_plan import (
    CashPlan,
    CashYear,
    MeasureCash,
    ProgrammeCash,
    cash_plan,
    partner_cash_plans,
    programme_cash,
)
from kommunal_digital.funding.findings import FundingWarning, funding_warnings

__all__ = [
    "CashPlan",
    "CashYear",
    "FundingWarning",
    "MeasureCash",
    "ProgrammeCash",
    "cash_plan",
    "funding_warnings",
    "partner_cash_plans",
    "programme_cash",
]
