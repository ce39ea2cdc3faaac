"""iCalendar (RFC 5545) output of events with the `icalendar` library: times in Asia/Tokyo with its VTIMEZONE
(so that a calendar app shows the local time of the event wherever its user is), DTSTAMP in UTC, and a series
as one VEVENT with its RRULE (FREQ=WEEKLY or MONTHLY, COUNT)."""

import functools

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ajet.hub.models import TOKYO


def calendar_of(events, *, name: str, description: str = "") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//AJET Nexus//hub//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("x-wr-caldesc", description)
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "ajet.example"
    stamp = timezone.now()  # when this calendar was made: the same for each of its events
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", f"event-{event.pk}@{host}")
        entry.add("dtstamp", stamp)
        entry.add("summary", event.title)
        entry.add("dtstart", event.start.astimezone(TOKYO))
        entry.add("dtend", event.end.astimezone(TOKYO))
        if rule := event.ical_rrule():
            entry.add("rrule", rule)
        location = ", ".join(part for part in (event.place, event.address) if part) or event.online_url
        if location:
            entry.add("location", location)
        details = "\n\n".join(part for part in (
            event.description,
            f"{_('Map')}: {event.map_url}" if event.map_url else "",
            f"{_('Online')}: {event.online_url}" if event.online_url else "",
            f"{_('Cost')}: {event.cost}" if event.cost else "") if part)
        if details:
            entry.add("description", details)
        entry.add("url", settings.SITE_URL.rstrip("/") + event.get_absolute_url())
        calendar.add_component(entry)
    if calendar.subcomponents:  # before the events that use it, as add_missing_timezones puts it
        calendar.subcomponents.insert(0, _tokyo_timezone())  # the events' times are Japan time (DTSTAMP: UTC)
    return calendar.to_ical()


@functools.cache
def _tokyo_timezone() -> icalendar.Timezone:
    """Asia/Tokyo's VTIMEZONE, computed once per process (finding and computing it per calendar cost a sixth
    of a feed of 300 events)."""
    return icalendar.Timezone.from_tzid(TOKYO.key)
