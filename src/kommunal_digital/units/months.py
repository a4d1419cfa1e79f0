"""Month arithmetic: plans count in whole months from a start date."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

__all__ = ["add_months", "month_start", "months_between", "year_of_month"]


def add_months(start: dt.date, months: int) -> dt.date:
    """Return the date ``months`` months after ``start`` (end of month clamped)."""
    return start + relativedelta(months=months)


def month_start(start: dt.date, offset: int) -> dt.date:
    """Return the first day of the month ``offset`` months after ``start``'s month."""
    return add_months(start.replace(day=1), offset)


def months_between(start: dt.date, later: dt.date) -> int:
    """Whole calendar months from ``start``'s month to ``later``'s month."""
    return (later.year - start.year) * 12 + later.month - start.month


def year_of_month(start: dt.date, offset: int) -> int:
    """The calendar year of the month ``offset`` months after ``start``'s month."""
    return start.year + (start.month - 1 + offset) // 12
