"""The render context of the Digitalstrategie document.

The context is plain data (dicts, lists, strings, numbers, dates), so the
same context feeds Word templates, and later Markdown, HTML and JSON. Every
variable is listed in ``docs/render-context.md``; pack authors rely on it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kommunal_digital.documents import statements
from kommunal_digital.documents.assessment_context import (
    funding_data,
    maturity_data,
    monitoring_data,
)
from kommunal_digital.documents.numbering import measure_numbers, numbered_measures
from kommunal_digital.documents.partners_context import (
    funding_programmes,
    partner_cash,
    partner_list,
    sharing_data,
)
from kommunal_digital.model import (
    ActionField,
    ExternalMilestone,
    Goal,
    Indicator,
    Measure,
    MeasureStatus,
    Milestone,
    ProjectProfile,
    Role,
    RoleState,
    Strategy,
    Task,
)
from kommunal_digital.model.ownership import measure_owner
from kommunal_digital.model.ranking import Ranking
from kommunal_digital.model.schedule import Schedule, ScheduledMeasure
from kommunal_digital.ranking.ordering import entry_assessed
from kommunal_digital.workspace.workspace import Workspace

__all__ = [
    "external_milestones_data",
    "field_data",
    "goal_data",
    "head_context",
    "indicator_data",
    "measure_data",
    "milestone_data",
    "organigram_data",
    "profile_data",
    "ranking_data",
    "roadmap_data",
    "schedule_data",
    "strategy_context",
    "sums",
    "task_data",
    "wording_of",
    "workshop_data",
]

_OPEN = (MeasureStatus.GEPLANT, MeasureStatus.IN_UMSETZUNG, MeasureStatus.VERZOEGERT)


def indicator_data(indicator: Indicator) -> dict[str, Any]:
    """An indicator as plain data."""
    return {
        "name": indicator.name,
        "unit": indicator.unit,
        "baseline": indicator.baseline,
        "target": indicator.target,
    }


def goal_data(goal: Goal) -> dict[str, Any]:
    """A goal with its indicators as plain data."""
    return {
        "key": goal.key,
        "statement": goal.statement,
        "weight": goal.weight,
        "indicators": [indicator_data(i) for i in goal.indicators],
    }


def task_data(task: Task) -> dict[str, Any]:
    """A task (Was / Wer / Bis wann) as plain data."""
    return {"what": task.what, "who": task.who, "due": task.due}


def milestone_data(milestone: Milestone) -> dict[str, Any]:
    """A milestone (Was / geplant / Erreicht am) as plain data."""
    return {
        "what": milestone.what,
        "planned": milestone.planned,
        "reached_on": milestone.reached_on,
        "reached": milestone.reached,
    }


def measure_data(
    strategy: Strategy, measure: Measure, number: int, today: dt.date | None = None
) -> dict[str, Any]:
    """A measure as plain data, numbered ``number`` in the document.

    Unknown cost, duration and staff stay ``None`` (templates print the
    pack's wording for unknown, never 0). ``legal_deadline_passed`` is
    true when the legal deadline lies before ``today`` (the document
    date) and the measure is not finished or dropped.
    """
    field = strategy.action_field(measure.action_field)
    today = today or dt.date.today()
    goal = strategy.goal(measure.goal) if measure.goal else None
    names = {s.key: s.name for s in strategy.stakeholders}
    budgeting = measure.budgeting
    return {
        "number": number,
        "key": measure.key,
        "title": measure.title,
        "description": measure.description,
        "field_key": field.key,
        "field_title": field.title,
        "goal": goal.statement if goal else "",
        "duration_months": measure.duration_months,
        "cost_one_off": measure.cost.one_off,
        "cost_yearly": measure.cost.yearly,
        "staff_fte": measure.staff_fte,
        "cost_known": measure.cost.known,
        "owner_role": _owner(strategy, measure),
        "members": list(measure.members),
        "members_text": _members_text(strategy, measure),
        "partners": list(measure.partners),
        "sharing": sharing_data(strategy, measure),
        "depends_on": [strategy.measure(key).title for key in measure.depends_on],
        "waits_for": [
            _external_data(strategy.external_milestone(key)) for key in measure.waits_for
        ],
        "stakeholders": [
            {"name": names[i.stakeholder], "role": i.role.label} for i in measure.stakeholders
        ],
        "funding_sources": [source.label for source in measure.funding_sources],
        "legal_driver": measure.legal_driver,
        "legal_deadline": measure.legal_deadline,
        "legal_deadline_passed": measure.legal_deadline is not None
        and measure.legal_deadline < today
        and measure.status in _OPEN,
        "start_on": measure.start_on,
        "target_on": measure.target_on,
        "deadline": measure.deadline,
        "finished_on": measure.finished_on,
        "done": measure.status is MeasureStatus.ABGESCHLOSSEN,
        "status_key": measure.status.value,
        "status": measure.status.label,
        "progress": measure.progress,
        "indicators": [indicator_data(i) for i in measure.indicators],
        "builds_on": budgeting.builds_on,
        "absorbed_by_operations": budgeting.absorbed_by_operations,
        "needs_extra_staff": budgeting.needs_extra_staff,
        "needs_extra_material": budgeting.needs_extra_material,
        "needs_cooperation": budgeting.needs_cooperation,
        "delivery": budgeting.delivery.label,
        "has_profile": strategy.profile_for(measure.key) is not None,
    }


def _external_data(milestone: ExternalMilestone) -> dict[str, Any]:
    return {
        "key": milestone.key,
        "title": milestone.title,
        "owner": milestone.owner,
        "expected_on": milestone.expected_on,
        "reached_on": milestone.reached_on,
        "reached": milestone.reached,
        "note": milestone.note,
    }


def external_milestones_data(strategy: Strategy) -> list[dict[str, Any]]:
    """The strategy's external milestones, each with the measures that wait for it.

    Every milestone carries ``key``, ``title``, ``owner``, ``expected_on``
    and ``reached_on`` (``None`` while unknown), ``reached``, ``note`` and
    ``measures``: the waiting measures' ``number`` and ``title``, in
    document order.
    """
    numbers = measure_numbers(strategy)
    waiting = sorted((m for m in strategy.measures if m.waits_for), key=lambda m: numbers[m.key])
    return [
        {
            **_external_data(milestone),
            "measures": [
                {"number": numbers[m.key], "title": m.title}
                for m in waiting
                if milestone.key in m.waits_for
            ],
        }
        for milestone in strategy.external_milestones
    ]


def _members_text(strategy: Strategy, measure: Measure) -> str:
    """Which member municipalities the measure serves, for a municipality that has members."""
    if measure.members:
        return ", ".join(measure.members)
    return "alle Mitgliedsgemeinden" if strategy.municipality.members else ""


def _known_sum(values: list[Any]) -> tuple[Any, int]:
    """The sum of the known values (``None`` if none is known) and how many are unknown."""
    known = [v for v in values if v is not None]
    missing = len(values) - len(known)
    if not known:  # nothing estimated, or nothing to estimate yet: unknown, not 0
        return None, missing
    return sum(known, Decimal(0)) if isinstance(known[0], Decimal) else sum(known), missing


def sums(measures: list[dict[str, Any]]) -> dict[str, Any]:
    """Cost and staff sums over measures as plain data, with how many are not estimated.

    ``cost_one_off`` is the sum of the estimated one-off costs (``None``
    when there are measures but none is estimated) and
    ``cost_one_off_missing`` the number without an estimate; the same for
    ``cost_yearly`` and ``staff_fte``. Templates print them with the
    ``summe`` filter: ``{{ t.cost_one_off|summe(t.cost_one_off_missing) }}``.
    """
    one_off, one_off_missing = _known_sum([m["cost_one_off"] for m in measures])
    yearly, yearly_missing = _known_sum([m["cost_yearly"] for m in measures])
    staff, staff_missing = _known_sum([m["staff_fte"] for m in measures])
    return {
        "cost_one_off": one_off,
        "cost_one_off_missing": one_off_missing,
        "cost_yearly": yearly,
        "cost_yearly_missing": yearly_missing,
        "staff_fte": staff,
        "staff_fte_missing": staff_missing,
    }


def _owner(strategy: Strategy, measure: Measure) -> str:
    role = measure_owner(strategy, measure)
    return role.title if role is not None else measure.owner_role


def field_data(field: ActionField, measures: list[dict[str, Any]]) -> dict[str, Any]:
    """A chosen action field with its goals, its measures and their sums (see :func:`sums`)."""
    own = [m for m in measures if m["field_key"] == field.key]
    return {
        "key": field.key,
        "title": field.title,
        "description": field.description,
        "goals": [goal_data(g) for g in field.goals],
        "measures": own,
        **sums(own),
    }


def profile_data(strategy: Strategy, profile: ProjectProfile) -> dict[str, Any]:
    """A project profile (the seven core questions) as plain data."""
    measure = strategy.measure(profile.measure)
    names = {s.key: s.name for s in strategy.stakeholders}
    return {
        "measure_key": measure.key,
        "measure_title": measure.title,
        "field_title": strategy.action_field(measure.action_field).title,
        "result": profile.result,
        "target_group": profile.target_group,
        "stakeholders": [names[key] for key in profile.stakeholders],
        "lead": profile.lead,
        "resources": {
            "financial": profile.resources.financial,
            "staff": profile.resources.staff,
            "organisational": profile.resources.organisational,
        },
        "tasks": [task_data(t) for t in profile.tasks],
        "milestones": [milestone_data(m) for m in profile.milestones],
    }


def schedule_data(strategy: Strategy, schedule: Schedule) -> dict[str, Any]:
    """The multi-year schedule: placed, unplaced, finished and dropped measures, year totals.

    Each placed measure carries its document number and ``notes``: why it
    starts late (``delay_reason``) and what the scheduler reports (an
    assumed duration, a kept start, a missed target date or deadline).
    Each year says how many measures running in it have no cost estimate
    (``uncosted``) or no staff estimate (``unstaffed``).
    """
    numbers = measure_numbers(strategy)

    def title(key: str) -> str:
        return strategy.measure(key).title

    def notes(item: ScheduledMeasure) -> list[str]:
        found = [item.delay_reason] if item.delay_reason else []
        return found + [note for note in item.notes if note not in found]

    return {
        "start": schedule.limits.start,
        "horizon_years": schedule.limits.horizon_years,
        "placed": [
            {
                "key": item.measure,
                "number": numbers[item.measure],
                "title": title(item.measure),
                "field_title": strategy.action_field(
                    strategy.measure(item.measure).action_field
                ).title,
                "start": item.start,
                "end": item.end,
                "duration_months": item.duration_months,
                "delay_reason": item.delay_reason,
                "notes": notes(item),
                "cost_known": strategy.measure(item.measure).cost.known,
            }
            for item in schedule.placed
        ],
        "unplaced": [
            {"key": item.measure, "title": title(item.measure), "reason": item.reason}
            for item in schedule.unplaced
        ],
        "done": [
            {"key": item.measure, "title": title(item.measure), "finished_on": item.finished_on}
            for item in schedule.done
        ],
        "dropped": [{"key": key, "title": title(key)} for key in schedule.dropped],
        "external_milestones": external_milestones_data(strategy),
        "years": [
            {
                "year": total.year,
                "one_off": total.one_off,
                "follow_on": total.follow_on,
                "staff_fte": total.staff_fte,
                "staff_fte_peak": total.staff_fte_peak,
                "budget": schedule.limits.budget_for(total.year),
                "uncosted": total.uncosted,
                "uncosted_follow_on": total.uncosted_follow_on,
                "unstaffed": total.unstaffed,
            }
            for total in schedule.years
        ],
    }


def ranking_data(strategy: Strategy, ranking: Ranking) -> dict[str, Any]:
    """The ranking with its explanation, weights and scored entries."""
    criteria = {c.key: c.title for c in strategy.criteria}
    return {
        "rule": ranking.rule,
        "assessed": ranking.assessed,
        "explanation": ranking.explanation,
        "consistency_ratio": ranking.consistency_ratio,
        "weights": [
            {"criterion": criteria.get(key, key), "weight": weight}
            for key, weight in ranking.weights.items()
        ],
        "entries": [
            {
                "rank": entry.rank,
                "key": entry.measure,
                "title": strategy.measure(entry.measure).title,
                "score": entry.score,
                "assessed": entry_assessed(entry),
                "note": entry.note,
                "tie_break": entry.tie_break,
                "parts": [
                    {
                        "label": part.label,
                        "value": part.value,
                        "normalized": part.normalized,
                        "weight": part.weight,
                        "contribution": part.contribution,
                    }
                    for part in entry.parts
                ],
            }
            for entry in ranking.entries
        ],
    }


def wording_of(workspace: Workspace) -> dict[str, str]:
    """The pack's ``[wording]`` over the built-in defaults."""
    return {**statements.DEFAULT_WORDING, **workspace.wording}


def workshop_data(strategy: Strategy) -> dict[str, Any] | None:
    """The recorded workshop as plain data, or ``None`` when the strategy records none."""
    workshop = strategy.workshop
    if workshop is None:
        return None
    return {
        "held_on": workshop.held_on,
        "ended_on": workshop.ended_on,
        "participants": list(workshop.participants),
        "participant_count": workshop.participant_count,
        "moderation": workshop.moderation,
        "notes": workshop.notes,
        "sources": [{"title": s.title, "url": s.url} for s in workshop.sources],
    }


def head_context(
    strategy: Strategy, workspace: Workspace, document_type: str, today: dt.date | None
) -> dict[str, Any]:
    """The keys every document type shares.

    ``document``, ``municipality``, ``strategy``, ``text_blocks`` (the
    text of each of the workspace's text blocks by key, so templates can
    print a pack's Textbausteine: ``{{ text_blocks["vorwort"] }}``),
    ``wording`` (the pack's terms, e.g. ``wording.unknown``), ``workshop``
    (``None`` unless recorded), ``roles`` (the organigram's role titles by
    kind, e.g. ``roles.digital_council``; only kinds that exist) and
    ``texts`` (the canned paragraphs, each said only when its fact holds;
    see :mod:`kommunal_digital.documents.statements`).

    Args:
        strategy: The strategy the document is about.
        workspace: Supplies the text blocks.
        document_type: The document type, printed as ``document.type``.
        today: The date printed on the document; today by default.
    """
    municipality = strategy.municipality
    wording = wording_of(workspace)
    date = today or dt.date.today()
    return {
        "document": {
            "type": document_type,
            "title": strategy.title,
            "date": date,
        },
        "municipality": {
            "name": municipality.name,
            "kind": municipality.kind.value,
            "kind_label": municipality.kind.label,
            "land": municipality.land,
            "official_key": municipality.official_key or "",
            "population": municipality.population,
            "members": [{"name": m.name, "population": m.population} for m in municipality.members],
            "maturity": municipality.maturity.value if municipality.maturity else "",
            "maturity_label": municipality.maturity.label if municipality.maturity else "",
        },
        "strategy": {
            "title": strategy.title,
            "vision": strategy.vision,
            "starting_point": strategy.starting_point,
            "adopted_on": strategy.adopted_on,
        },
        "text_blocks": {key: block.text for key, block in workspace.text_blocks.items()},
        "wording": wording,
        "workshop": workshop_data(strategy),
        "partners": partner_list(strategy),
        "roles": {
            kind: [r.title for r in roles]
            for kind, roles in statements.roles_by_kind(strategy).items()
        },
        "texts": {
            "preface": statements.preface(strategy, wording),
            "workshop": statements.workshop_sentence(strategy, wording),
            "passed_deadlines": statements.passed_deadlines(strategy, date),
        },
    }


def roadmap_data(strategy: Strategy) -> dict[str, Any] | None:
    """The procedure plan with its phases, or ``None`` when there is none."""
    roadmap = strategy.roadmap
    if roadmap is None:
        return None
    return {
        "start": roadmap.start,
        "phases": [
            {
                "title": phase.title,
                "tasks": [task_data(t) for t in phase.tasks],
                "milestones": [milestone_data(m) for m in phase.milestones],
            }
            for phase in roadmap.phases
        ],
    }


def organigram_data(strategy: Strategy) -> dict[str, Any] | None:
    """Roles and relations of the organigram, or ``None`` when there is none."""
    organigram = strategy.organigram
    if organigram is None:
        return None
    titles = {r.key: r.title for r in organigram.roles}

    def role_data(r: Role) -> dict[str, Any]:
        departments = r.departments_total
        people = (
            statements.count(r.headcount, "Person", "Personen") if r.headcount is not None else ""
        )
        units = (
            statements.count(departments, "Fachbereich", "Fachbereichen")
            if departments is not None
            else ""
        )
        size = " aus ".join(part for part in (people, units) if part)
        if units and not people:
            size = "aus " + units
        details = [size] if size else []
        if r.state is not None and r.state is not RoleState.FILLED:
            details.append(r.state.label)
        summary = r.title + (f" ({', '.join(details)})" if details else "")
        if r.holder.strip():
            summary += f": {r.holder.strip()}"
        return {
            "title": r.title,
            "kind": r.kind.label,
            "holder": r.holder,
            "state": r.state.value if r.state is not None else None,
            "state_label": r.state.label if r.state is not None else "",
            "headcount": r.headcount,
            "departments": list(r.departments),
            "department_count": departments,
            "history": [
                {"holder": h.holder, "since": h.since, "until": h.until, "note": h.note}
                for h in r.history
            ],
            "summary": summary,
            "details": ", ".join(details),
        }

    return {
        "roles": [role_data(r) for r in organigram.roles],
        "relations": [
            {"source": titles[r.source], "kind": r.kind.label, "target": titles[r.target]}
            for r in organigram.relations
        ],
    }


def strategy_context(
    strategy: Strategy, workspace: Workspace, *, today: dt.date | None = None
) -> dict[str, Any]:
    """Build the render context of the Digitalstrategie document.

    Args:
        strategy: The strategy to present.
        workspace: Supplies the maturity questionnaire, the phase guides and
            the text blocks.
        today: Date printed as the document date; defaults to today.

    Returns:
        A dict of plain data; see ``docs/render-context.md`` for every key.
        The variables of context extensions are not in it; they are added
        by :func:`kommunal_digital.documents.document_context` and when a
        document is rendered.
    """
    measures = [
        measure_data(strategy, m, n, today)
        for n, m in enumerate(numbered_measures(strategy), start=1)
    ]
    fields = [field_data(f, measures) for f in strategy.chosen_fields]
    head = head_context(strategy, workspace, "digitalstrategie", today)
    wording = head["wording"]
    head["texts"] |= {
        "fields": statements.fields_intro(strategy, wording),
        "costs": statements.cost_summary(strategy.measures, wording),
        "staff": statements.staff_summary(strategy.measures, wording),
        "monitoring": statements.monitoring_paragraph(
            strategy, statements.council_name(strategy.municipality.kind)
        ),
        "schedule": statements.schedule_intro(strategy),
    }
    return {
        **head,
        "fields": fields,
        "measures": measures,
        "profiles": [profile_data(strategy, p) for p in strategy.profiles],
        "stakeholders": [
            {"name": s.name, "group": s.group.label, "power": s.power, "interest": s.interest}
            for s in strategy.stakeholders
        ],
        "roadmap": roadmap_data(strategy),
        "organigram": organigram_data(strategy),
        "external_milestones": external_milestones_data(strategy),
        "schedule": schedule_data(strategy, strategy.schedule) if strategy.schedule else None,
        "ranking": ranking_data(strategy, strategy.ranking) if strategy.ranking else None,
        "maturity": maturity_data(strategy, workspace),
        "funding": {
            **funding_data(strategy, today),
            "programmes": funding_programmes(strategy),
            "partners": partner_cash(strategy, today),
        },
        "monitoring": monitoring_data(strategy),
        "totals": {
            "fields": len(fields),
            "fields_without_measures": [f["title"] for f in fields if not f["measures"]],
            "measures": len(measures),
            **sums(measures),
        },
    }
