"""Funding: the cash plan of a strategy and checks of its funding programmes."""

from kommunal_digital.funding.cash_plan import CashPlan, CashYear, MeasureCash, cash_plan
from kommunal_digital.funding.findings import FundingWarning, funding_warnings

__all__ = [
    "CashPlan",
    "CashYear",
    "FundingWarning",
    "MeasureCash",
    "cash_plan",
    "funding_warnings",
]
