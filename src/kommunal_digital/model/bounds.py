"""The bounds on every number and date of the model, in one place.

docs/security.md ("Bounds on values") lists them with their fields; the
validators in :mod:`kommunal_digital.model.checks` apply them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

__all__ = [
    "MAX_COUNT",
    "MAX_DATE",
    "MAX_DURATION_MONTHS",
    "MAX_EUROS",
    "MAX_FTE",
    "MAX_HORIZON_YEARS",
    "MAX_KEY_LENGTH",
    "MAX_MEASURED",
    "MAX_MONTHS",
    "MAX_NAME_LENGTH",
    "MAX_PLAIN_INTEGER",
    "MAX_PLAN_OFFSET_MONTHS",
    "MAX_PLAN_START",
    "MAX_POPULATION",
    "MAX_SHARE",
    "MAX_TOTAL_EUROS",
    "MAX_TOTAL_FTE",
    "MAX_WEIGHT",
    "MIN_DATE",
]

#: Largest amount of money accepted, in euros (exclusive). A municipality's
#: digital measure never comes near it; the bound keeps amounts exact when
#: they are written as plain numbers.
MAX_EUROS = Decimal("1000000000000")

#: Largest sum of money a computed total may hold, in euros (exclusive): the
#: year totals of a schedule add up the amounts of many measures, each below
#: :data:`MAX_EUROS` (a million measures of the largest amount still fit).
MAX_TOTAL_EUROS = Decimal("1000000000000000000")

#: Earliest date accepted anywhere in the model. Excel's calendar starts in
#: 1900, so a workbook can hold every date the model accepts.
MIN_DATE = dt.date(1900, 1, 1)

#: Latest date accepted anywhere in the model: far beyond any plan, with
#: thousands of years left before Python's last date, so adding the bounded
#: month counts of a plan can never overflow.
MAX_DATE = dt.date(2199, 12, 31)

#: Longest planning horizon accepted, in years.
MAX_HORIZON_YEARS = 30

#: Longest duration accepted for one measure, in months (ten years).
MAX_DURATION_MONTHS = 120

#: Most months a roadmap preset may put between the roadmap's start and a
#: due date (phases before it plus the task's own offset): 40 years.
MAX_PLAN_OFFSET_MONTHS = 480

#: Latest first day of a plan (``limits.start``, ``roadmap.start``): the
#: longest horizon plus the longest measure, or the longest preset offset,
#: still end by :data:`MAX_DATE`.
MAX_PLAN_START = dt.date(2159, 12, 31)

#: Months from the first to the last month of the date range: the bound on
#: month counts stored in a schedule (a running measure may have begun long
#: before the plan).
MAX_MONTHS = (MAX_DATE.year - MIN_DATE.year + 1) * 12

#: Longest key accepted, in characters: keys become parts of file names
#: (``Steckbrief-01-<measure key>.docx``).
MAX_KEY_LENGTH = 64

#: Longest name accepted for a municipality, member or partner, in
#: characters: names become folder names (shortened safely, see
#: :func:`kommunal_digital.io.filenames.safe_file_name`) and headings.
MAX_NAME_LENGTH = 300

#: Most staff a measure, a year or the plan may name, in full-time equivalents.
MAX_FTE = 10_000

#: Largest computed staff total (FTE) of a schedule's year.
MAX_TOTAL_FTE = 10**12

#: Most inhabitants a municipality, member or partner may have.
MAX_POPULATION = 100_000_000

#: Largest magnitude of an indicator's baseline or target, and of a computed
#: score or weight stored in a ranking.
MAX_MEASURED = 10**15

#: Largest weight (goals, criteria) and largest magnitude of a criterion's
#: scale and of a measure's scores.
MAX_WEIGHT = 10**6

#: Largest agreed cost share (a weight of any unit) of a member or partner.
MAX_SHARE = 10**9

#: Most items a count may give (people in a group, departments, votes, ranks).
MAX_COUNT = 10**6

#: Largest magnitude of a whole number in extension data (plugins' own data).
MAX_PLAIN_INTEGER = 2**63
