"""The dated items of a strategy as calendar events, before any file format.

A strategy holds dates in three places: the roadmap (tasks with a due date,
milestones planned or reached), the project profiles (their own tasks and
milestones) and the multi-year schedule (when each measure runs). This
module turns them into :class:`CalendarEvent` objects with German texts and
stable identifiers; :mod:`kommunal_digital.calendars.ics` writes them as
iCalendar.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Collection
from typing import Literal

import attrs

from kommunal_digital.errors import DocumentError, ModelValidationError
from kommunal_digital.model import Measure, Milestone, Strategy, Task, measure_owner

__all__ = ["CALENDAR_PARTS", "DEFAULT_PARTS", "CalendarEvent", "calendar_events"]

#: Every part of a strategy that can go into a calendar.
CALENDAR_PARTS = ("roadmap", "profiles", "schedule")

#: The parts exported unless asked otherwise: deadlines and milestones.
DEFAULT_PARTS = ("roadmap", "profiles")

#: The right-hand side of every UID (RFC 5545 recommends a domain-like part).
UID_DOMAIN = "kommunal-digital"

EventKind = Literal["task", "milestone", "measure"]

_KIND_LABEL: dict[str, str] = {
    "task": "Aufgabe",
    "milestone": "Meilenstein",
    "measure": "Maßnahme",
}


@attrs.frozen
class CalendarEvent:
    """One all-day calendar entry derived from a strategy.

    Attributes:
        uid: Stable identifier: the same item of the same strategy gets the
            same UID in every export, so a calendar updates the entry on
            re-import instead of adding a second one.
        kind: ``"task"``, ``"milestone"`` or ``"measure"``.
        summary: The German one-line title, e.g. ``"Meilenstein: Strategie beschlossen"``.
        start: The first day.
        end: The last day (inclusive; the same as ``start`` for a deadline).
        description: German details: phase or measure, who is responsible, dates.
        categories: Category names, ``"Digitalstrategie"`` and the kind first.
    """

    uid: str
    kind: EventKind
    summary: str
    start: dt.date
    end: dt.date = attrs.field()
    description: str = ""
    categories: tuple[str, ...] = ()

    @end.validator
    def _check_end(self, attribute: attrs.Attribute[dt.date], value: dt.date) -> None:
        if value < self.start:
            raise ModelValidationError("end", f"{value} lies before the start {self.start}")


def calendar_events(
    strategy: Strategy, *, include: Collection[str] = DEFAULT_PARTS
) -> tuple[CalendarEvent, ...]:
    """List the dated items of a strategy as calendar events.

    Tasks without a due date and milestones without a date are left out. A
    profile milestone that the generated roadmap already carries (as
    ``"<measure title>: <milestone>"`` on the same date) appears only once,
    as the roadmap's.

    Args:
        strategy: The strategy whose dates to collect.
        include: Which parts to collect, any of ``"roadmap"`` (phase tasks and
            milestones), ``"profiles"`` (tasks and milestones of the project
            profiles) and ``"schedule"`` (each scheduled measure from its
            start to its end).

    Returns:
        The events sorted by start date, then summary.

    Raises:
        DocumentError: ``include`` names an unknown part.
    """
    unknown = sorted(set(include) - set(CALENDAR_PARTS))
    if unknown:
        raise DocumentError(
            f"include: unknown calendar part(s) {', '.join(map(repr, unknown))} "
            f"(known: {', '.join(CALENDAR_PARTS)})"
        )
    builder = _Builder(strategy)
    if "roadmap" in include:
        builder.add_roadmap()
    if "profiles" in include:
        builder.add_profiles(skip_roadmap_copies="roadmap" in include)
    if "schedule" in include:
        builder.add_schedule()
    return tuple(sorted(builder.events, key=lambda e: (e.start, e.summary, e.uid)))


def strategy_label(strategy: Strategy) -> str:
    """The strategy's title, with the municipality's name unless the title has it."""
    name = strategy.municipality.name
    return strategy.title if name in strategy.title else f"{strategy.title} – {name}"


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Builder:
    """Collects events and hands out UIDs that stay put across exports."""

    def __init__(self, strategy: Strategy) -> None:
        self.strategy = strategy
        municipality = strategy.municipality
        self.owner = municipality.official_key or municipality.name
        self.footer = strategy_label(strategy)
        self.events: list[CalendarEvent] = []
        self._seen: Counter[str] = Counter()

    def uid(self, *parts: str) -> str:
        # The identity is the item's place and text, never its date: moving a
        # deadline must update the entry, not create a new one. Identical
        # items in the same place are told apart by their occurrence.
        identity = "\x1f".join((self.owner, self.strategy.title, *parts))
        self._seen[identity] += 1
        identity += f"\x1f{self._seen[identity]}"
        digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]
        return f"{digest}@{UID_DOMAIN}"

    def add(
        self,
        uid: str,
        kind: EventKind,
        title: str,
        start: dt.date,
        details: list[str],
        categories: list[str],
        end: dt.date | None = None,
    ) -> None:
        self.events.append(
            CalendarEvent(
                uid=uid,
                kind=kind,
                summary=f"{_KIND_LABEL[kind]}: {_one_line(title)}",
                start=start,
                end=end or start,
                # One line per detail: a line break typed into a field (in any
                # of Unicode's spellings) must not reach the calendar file.
                description="\n".join(_one_line(line) for line in [*details, self.footer]),
                categories=tuple(
                    dict.fromkeys(
                        _one_line(c) for c in ("Digitalstrategie", _KIND_LABEL[kind], *categories)
                    )
                ),
            )
        )

    def add_task(self, task: Task, place: str, context: str, category: str, lead: str) -> None:
        if task.due is None:
            return
        details = [context]
        who = task.who.strip() or lead.strip()
        if who:
            details.append(f"Verantwortlich: {who}")
        details.append(f"Zu erledigen bis: {_date(task.due)}")
        self.add(
            self.uid("task", place, task.what), "task", task.what, task.due, details, [category]
        )

    def add_milestone(self, milestone: Milestone, place: str, context: str, category: str) -> None:
        day = milestone.reached_on or milestone.planned
        if day is None:
            return
        details = [context]
        if milestone.planned is not None:
            details.append(f"Geplant: {_date(milestone.planned)}")
        if milestone.reached_on is not None:
            details.append(f"Erreicht am: {_date(milestone.reached_on)}")
        else:
            details.append("Noch nicht erreicht")
        uid = self.uid("milestone", place, milestone.what)
        self.add(uid, "milestone", milestone.what, day, details, [category])

    def add_roadmap(self) -> None:
        roadmap = self.strategy.roadmap
        if roadmap is None:
            return
        for phase in roadmap.phases:
            context = f"Phase: {phase.title}"
            for task in phase.tasks:
                self.add_task(task, f"roadmap/{phase.key}", context, phase.title, "")
            for milestone in phase.milestones:
                self.add_milestone(milestone, f"roadmap/{phase.key}", context, phase.title)

    def add_profiles(self, *, skip_roadmap_copies: bool) -> None:
        copies: set[tuple[str, dt.date | None]] = set()
        if skip_roadmap_copies and self.strategy.roadmap is not None:
            copies = {
                (m.what, m.planned)
                for phase in self.strategy.roadmap.phases
                for m in phase.milestones
            }
        for profile in self.strategy.profiles:
            measure = self.strategy.measure(profile.measure)
            field = self.strategy.action_field(measure.action_field).title
            context = f"Maßnahme: {measure.title}"
            place = f"profile/{measure.key}"
            for task in profile.tasks:
                self.add_task(task, place, context, field, profile.lead)
            for milestone in profile.milestones:
                if (f"{measure.title}: {milestone.what}", milestone.planned) in copies:
                    continue
                self.add_milestone(milestone, place, context, field)

    def add_schedule(self) -> None:
        schedule = self.strategy.schedule
        if schedule is None:
            return
        for entry in schedule.placed:
            measure = self.strategy.measure(entry.measure)
            field = self.strategy.action_field(measure.action_field).title
            details = [f"Handlungsfeld: {field}"]
            owner = _owner(self.strategy, measure)
            if owner:
                details.append(f"Verantwortlich: {owner}")
            details.append(f"Umsetzung: {_date(entry.start)} bis {_date(entry.end)}")
            if entry.delay_reason:
                details.append(entry.delay_reason)
            uid = self.uid("measure", measure.key)
            self.add(uid, "measure", measure.title, entry.start, details, [field], end=entry.end)


def _owner(strategy: Strategy, measure: Measure) -> str:
    role = measure_owner(strategy, measure)
    return role.title if role is not None else measure.owner_role
