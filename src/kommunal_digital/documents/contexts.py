"""The render contexts of the built-in document types, and the types themselves.

Every context starts with the keys all documents share (``document``,
``municipality``, ``strategy``, ``text_blocks``) and adds what its document
shows. All
variables are listed in ``docs/render-context.md``, one section per type.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kommunal_digital.documents.context import (
    head_context,
    measure_data,
    milestone_data,
    organigram_data,
    profile_data,
    roadmap_data,
    schedule_data,
    strategy_context,
    task_data,
)
from kommunal_digital.documents.council import beschlussvorlage_context
from kommunal_digital.documents.numbering import measure_numbers
from kommunal_digital.documents.progress_context import fortschrittsbericht_context
from kommunal_digital.errors import DocumentError
from kommunal_digital.model import RoleKind, Strategy
from kommunal_digital.model.ownership import measure_owner
from kommunal_digital.workspace.workspace import DocumentType, Workspace

__all__ = [
    "BUILTIN_DOCUMENT_TYPES",
    "organigramm_context",
    "steckbrief_context",
    "vorgehensplan_context",
]

_HEAD = frozenset(
    {
        "document",
        "municipality",
        "strategy",
        "text_blocks",
        "images",
        "wording",
        "workshop",
        "roles",
        "texts",
        "partners",
    }
)


def steckbrief_context(
    strategy: Strategy, workspace: Workspace, measure: str, today: dt.date | None
) -> dict[str, Any]:
    """Build the render context of one measure's profile sheet (Maßnahmen-Steckbrief).

    Raises:
        DocumentError: The strategy has no measure with this key.
    """
    numbers = measure_numbers(strategy)
    if measure not in numbers:
        raise DocumentError(f"steckbrief: the strategy has no measure {measure!r}")
    number = numbers[measure]
    item = strategy.measure(measure)
    profile = strategy.profile_for(measure)
    placed = (
        {p.measure: p for p in strategy.schedule.placed} if strategy.schedule is not None else {}
    )
    rank = None
    if strategy.ranking is not None and strategy.ranking.assessed:
        ranks = {e.measure: e.rank for e in strategy.ranking.entries}
        rank = ranks.get(measure)
    slot = placed.get(measure)
    return {
        **head_context(strategy, workspace, "steckbrief", today),
        "measure": measure_data(strategy, item, number, today),
        "profile": profile_data(strategy, profile) if profile is not None else None,
        "placement": {
            "rank": rank,
            "start": slot.start if slot else None,
            "end": slot.end if slot else None,
        },
        "steps": [task_data(t) for t in profile.tasks] if profile else [],
        "milestones": [milestone_data(m) for m in profile.milestones] if profile else [],
    }


def vorgehensplan_context(
    strategy: Strategy, workspace: Workspace, today: dt.date | None
) -> dict[str, Any]:
    """Build the render context of the Vorgehensplan (procedure plan)."""
    return {
        **head_context(strategy, workspace, "vorgehensplan", today),
        "roadmap": roadmap_data(strategy),
        "schedule": schedule_data(strategy, strategy.schedule) if strategy.schedule else None,
    }


def organigramm_context(
    strategy: Strategy, workspace: Workspace, today: dt.date | None
) -> dict[str, Any]:
    """Build the render context of the Organigramm sheet."""
    organigram = strategy.organigram
    pilots = []
    if organigram is not None:
        for field in strategy.chosen_fields:
            role = next(
                (
                    r
                    for r in organigram.roles
                    if r.kind in (RoleKind.PILOT, RoleKind.TOPIC_SPONSOR)
                    and r.action_field == field.key
                ),
                None,
            )
            owners = sorted(
                {
                    owner.title
                    for m in strategy.measures_in(field.key)
                    if (owner := measure_owner(strategy, m)) is not None
                }
            )
            pilots.append(
                {
                    "field_title": field.title,
                    "pilot": role.title if role else "",
                    "holder": role.holder if role else "",
                    "owners": owners,
                }
            )
    return {
        **head_context(strategy, workspace, "organigramm", today),
        "organigram": organigram_data(strategy),
        "pilots": pilots,
    }


def _digitalstrategie(
    strategy: Strategy, workspace: Workspace, today: dt.date | None
) -> dict[str, Any]:
    return strategy_context(strategy, workspace, today=today)


#: The document types the built-in plugin registers.
BUILTIN_DOCUMENT_TYPES = (
    DocumentType(
        "digitalstrategie",
        "Digitalstrategie",
        _digitalstrategie,
        variables=_HEAD
        | {
            "fields",
            "measures",
            "profiles",
            "stakeholders",
            "roadmap",
            "organigram",
            "schedule",
            "ranking",
            "maturity",
            "funding",
            "monitoring",
            "totals",
            "external_milestones",
        },
    ),
    DocumentType(
        "steckbrief",
        "Maßnahmen-Steckbrief",
        measure_context=steckbrief_context,
        variables=_HEAD | {"measure", "profile", "placement", "steps", "milestones"},
    ),
    DocumentType(
        "vorgehensplan",
        "Vorgehensplan",
        vorgehensplan_context,
        variables=_HEAD | {"roadmap", "schedule"},
    ),
    DocumentType(
        "beschlussvorlage",
        "Beschlussvorlage",
        beschlussvorlage_context,
        variables=_HEAD
        | {
            "council",
            "proposal",
            "top_measures",
            "finances",
            "staffing",
            "attachments",
            "partner",
        },
    ),
    DocumentType(
        "fortschrittsbericht",
        "Fortschrittsbericht",
        fortschrittsbericht_context,
        variables=_HEAD | {"report"},
    ),
    DocumentType(
        "organigramm",
        "Organigramm",
        organigramm_context,
        variables=_HEAD | {"organigram", "pilots"},
    ),
)
