"""iCalendar (RFC 5545) output of events with the `icalendar` library: times in Asia/Tokyo with its VTIMEZONE."""

from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

TOKYO = ZoneInfo("Asia/Tokyo")


def calendar_of(events, *, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//AJET Nexus//hub//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "ajet.example"
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", f"event-{event.pk}@{host}")
        entry.add("dtstamp", timezone.now())
        entry.add("summary", event.title)
        entry.add("dtstart", event.start.astimezone(TOKYO))
        entry.add("dtend", event.end.astimezone(TOKYO))
        if event.place:
            entry.add("location", event.place)
        if event.description:
            entry.add("description", event.description)
        entry.add("url", settings.SITE_URL.rstrip("/") + event.get_absolute_url())
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
