"""Calendars: a strategy's deadlines, milestones and measure periods as iCalendar."""
