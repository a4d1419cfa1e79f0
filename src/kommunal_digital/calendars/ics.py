"""Writing a strategy's dates as an iCalendar (.ics) file (RFC 5545).

The file is meant for import into Outlook, Thunderbird and other calendar
programs: all-day events (``VALUE=DATE``, so no time zone is needed), UIDs
that stay the same across exports, ``METHOD:PUBLISH`` and a calendar name.
icalendar folds lines at 75 octets, ends them with CRLF and escapes commas,
semicolons and line breaks in texts.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection, Sequence
from pathlib import Path

from kommunal_digital._version import __version__
from kommunal_digital.calendars.events import (
    DEFAULT_PARTS,
    CalendarEvent,
    calendar_events,
    strategy_label,
)
from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.model import Strategy

__all__ = ["calendar_ics", "events_ics", "export_calendar"]

PRODID = f"-//kommunal-digital//kommunal-digital {__version__}//DE"


def calendar_ics(
    strategy: Strategy,
    *,
    include: Collection[str] = DEFAULT_PARTS,
    now: dt.datetime | None = None,
) -> bytes:
    """Return a strategy's deadlines and milestones as an iCalendar file.

    Args:
        strategy: The strategy whose dates to export.
        include: Which parts to export: ``"roadmap"``, ``"profiles"`` and
            ``"schedule"`` (see :func:`calendar_events`); roadmap and profiles
            by default.
        now: The creation time written as every event's ``DTSTAMP``; the
            current time by default. Pass a fixed value for byte-identical
            output.

    Returns:
        The calendar as UTF-8 bytes with CRLF line ends.

    Raises:
        DocumentError: ``include`` names an unknown part.
    """
    events = calendar_events(strategy, include=include)
    return events_ics(events, name=strategy_label(strategy), now=now)


def events_ics(
    events: Sequence[CalendarEvent], *, name: str, now: dt.datetime | None = None
) -> bytes:
    """Write calendar events as an iCalendar file.

    Args:
        events: The events, e.g. from :func:`calendar_events`.
        name: The calendar's name (``X-WR-CALNAME``).
        now: The ``DTSTAMP`` of every event; the current time by default.

    Returns:
        The calendar as UTF-8 bytes with CRLF line ends.
    """
    import icalendar  # lazy: only calendar exports need it

    stamp = _utc(now or dt.datetime.now(dt.UTC))
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for item in events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start)
        # DTEND of an all-day event is exclusive: the day after the last day.
        event.add("dtend", item.end + dt.timedelta(days=1))
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        if item.categories:
            event.add("categories", list(item.categories))
        # Deadlines and milestones should not block anybody's time.
        event.add("transp", "TRANSPARENT")
        event.add("x-microsoft-cdo-busystatus", "FREE")
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def export_calendar(
    strategy: Strategy,
    path: str | os.PathLike[str],
    *,
    force: bool = False,
    include: Collection[str] = DEFAULT_PARTS,
    now: dt.datetime | None = None,
) -> Path:
    """Write a strategy's deadlines and milestones to an ``.ics`` file, atomically.

    Args:
        strategy: The strategy whose dates to export.
        path: The file to write.
        force: Overwrite an existing file.
        include: Which parts to export (see :func:`calendar_ics`).
        now: The ``DTSTAMP`` of every event; the current time by default.

    Returns:
        The path written.

    Raises:
        DocumentError: ``include`` names an unknown part.
        OutputExistsError: ``path`` exists and ``force`` is false.
        OutputError: The file cannot be written.
    """
    data = calendar_ics(strategy, include=include, now=now)
    return write_atomic(path, data, force=force)


def _utc(moment: dt.datetime) -> dt.datetime:
    # A naive time is taken as UTC; DTSTAMP must be UTC (RFC 5545, 3.8.7.2).
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0)
