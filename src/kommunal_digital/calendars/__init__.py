"""Calendars: a strategy's deadlines, milestones and measure periods as iCalendar."""

from kommunal_digital.calendars.events import CalendarEvent, calendar_events
from kommunal_digital.calendars.ics import calendar_ics, export_calendar

__all__ = [
    "CalendarEvent",
    "calendar_events",
    "calendar_ics",
    "export_calendar",
]
