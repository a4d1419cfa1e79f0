r"""Writing a strategy's dates as an iCalendar (.ics) file (RFC 5545).

The file is meant for import into Outlook, Thunderbird and other calendar
programs: all-day events (``VALUE=DATE``, so no time zone is needed), UIDs
that stay the same across exports, ``METHOD:PUBLISH`` and a calendar name.
icalendar folds lines at 75 octets and ends them with CRLF.

Every text property, the calendar's name (``X-WR-CALNAME``) included, is
written as RFC 5545 text here, not left to icalendar's defaults (which write
unknown properties such as ``X-WR-CALNAME`` raw, and check line breaks only
with an ``assert`` that ``python -O`` removes): line breaks in any spelling
become the escape ``\n`` (the name and the summaries are one line),
backslashes, commas and semicolons are escaped, and control characters are
removed. The finished file is checked line by line before it is returned.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Collection, Sequence
from pathlib import Path

from kommunal_digital._version import __version__
from kommunal_digital.calendars.events import (
    DEFAULT_PARTS,
    CalendarEvent,
    calendar_events,
    strategy_label,
)
from kommunal_digital.errors import DocumentError
from kommunal_digital.io.atomic import write_atomic
from kommunal_digital.model import Strategy

__all__ = ["calendar_ics", "events_ics", "export_calendar"]

PRODID = f"-//kommunal-digital//kommunal-digital {__version__}//DE"

# Line breaks in any of the spellings str.splitlines knows; each becomes one "\n".
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# What RFC 5545 text cannot hold (CONTROL: the C0 controls but tab, and DEL)
# and lone surrogates (no UTF-8 for them).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f\ud800-\udfff]")


def _text(value: str) -> str:
    r"""A text as RFC 5545 can hold it: line breaks as ``\n``, no control characters."""
    return _CONTROL.sub("", _LINE_BREAK.sub("\n", value))


def _line(value: str) -> str:
    """A text on one line: runs of white space, line breaks included, become one space."""
    return " ".join(_text(value).split())


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
    # An X- property is written raw unless it is given as text: vText escapes it.
    calendar.add("x-wr-calname", icalendar.vText(_line(name)))
    for item in events:
        event = icalendar.Event()
        event.add("uid", icalendar.vText(_line(item.uid)))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start)
        # DTEND of an all-day event is exclusive: the day after the last day.
        event.add("dtend", item.end + dt.timedelta(days=1))
        event.add("summary", icalendar.vText(_line(item.summary)))
        if item.description:
            event.add("description", icalendar.vText(_text(item.description)))
        if item.categories:
            event.add("categories", [_line(category) for category in item.categories])
        # Deadlines and milestones should not block anybody's time.
        event.add("transp", "TRANSPARENT")
        event.add("x-microsoft-cdo-busystatus", "FREE")
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    _check_lines(data)
    return data


def _check_lines(data: bytes) -> None:
    """Refuse a file whose lines a text could have broken: no stray CR or LF, one calendar.

    The texts are escaped above; this check keeps that promise even if a
    future icalendar changed its escaping, and works under ``python -O``.
    """
    lines = data.split(b"\r\n")
    stray = any(b"\r" in line or b"\n" in line for line in lines)
    calendars = sum(1 for line in lines if line == b"BEGIN:VCALENDAR")
    if stray or calendars != 1 or lines[-1] != b"":
        raise DocumentError(
            "calendar: a text would have broken the iCalendar structure; nothing was written"
        )


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
