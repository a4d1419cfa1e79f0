"""The render context of the Fortschrittsbericht (status report for the Digitalrat)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kommunal_digital.documents.context import head_context
from kommunal_digital.model import Strategy

__all__ = ["fortschrittsbericht_context"]


def fortschrittsbericht_context(strategy: Strategy, today: dt.date | None) -> dict[str, Any]:
    """Build the render context of the Fortschrittsbericht as of ``today``."""
    as_of = today or dt.date.today()
    measures = [
        {
            "key": m.key,
            "title": m.title,
            "field_title": strategy.action_field(m.action_field).title,
            "status": m.status.label,
            "progress": m.progress,
        }
        for m in strategy.measures
    ]
    return {
        **head_context(strategy, "fortschrittsbericht", today),
        "report": {"as_of": as_of, "measures": measures},
    }
