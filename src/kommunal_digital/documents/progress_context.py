"""The render context of the Fortschrittsbericht (status report for the Digitalrat)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kommunal_digital.documents.context import head_context
from kommunal_digital.model import Strategy
from kommunal_digital.monitoring.report import progress_report
from kommunal_digital.workspace.workspace import Workspace

__all__ = ["fortschrittsbericht_context"]


def fortschrittsbericht_context(
    strategy: Strategy, workspace: Workspace, today: dt.date | None
) -> dict[str, Any]:
    """Build the render context of the Fortschrittsbericht as of ``today``.

    The report itself (``report``) is
    :meth:`kommunal_digital.monitoring.report.ProgressReport.to_context`,
    described key by key in ``docs/monitoring.md``.
    """
    as_of = today or dt.date.today()
    return {
        **head_context(strategy, workspace, "fortschrittsbericht", as_of),
        "report": progress_report(strategy, as_of=as_of).to_context(),
    }
