"""A volunteer's shifts as iCalendar (RFC 5545), like the hub's event calendars: Japan time with its VTIMEZONE."""

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ajet.support import hours


def shifts_calendar(assignments, *, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//AJET Nexus//support//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "ajet.example"
    for assignment in assignments:
        start, end = assignment.span
        entry = icalendar.Event()
        # The same shift keeps its UID across refreshes (night and shift, not the row), so a swap back and
        # forth does not duplicate it in the volunteer's calendar.
        entry.add("uid", f"psg-{assignment.volunteer_id}-{assignment.night:%Y%m%d}-{assignment.shift}@{host}")
        entry.add("dtstamp", timezone.now())
        entry.add("summary", _("PSG line shift"))
        entry.add("dtstart", start.astimezone(hours.LINE_TIMEZONE))
        entry.add("dtend", end.astimezone(hours.LINE_TIMEZONE))
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
