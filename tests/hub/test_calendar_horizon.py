"""Calendar feeds carry a horizon, from CALENDAR_DAYS_PAST days ago to CALENDAR_DAYS_AHEAD days ahead: an event
is in when one of its dates falls within (a series whole, with its RRULE), and the feed and the events page say
so. Events lie months away from either edge: nothing here depends on the moment the test runs."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from ajet.hub import queries, services
from ajet.hub.models import Event, Rsvp
from ajet.organisation.scopes import Scope

pytestmark = pytest.mark.django_db


def _event(title: str, days: int, *, scope=None, **fields) -> Event:
    """An event starting `days` from now (negative: in the past), written as it is stored."""
    start = timezone.now() + datetime.timedelta(days=days)
    event = Event(title=title, start=start, end=start + datetime.timedelta(hours=2), **fields)
    event.set_scope(scope or Scope(Scope.NATIONAL))
    event.save()
    return event


def _calendar(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def _summaries(calendar: icalendar.Calendar) -> list[str]:
    return sorted(str(entry["SUMMARY"]) for entry in calendar.walk("VEVENT"))


def test_the_horizon_is_sixty_days_back_and_a_year_ahead():
    assert (queries.CALENDAR_DAYS_PAST, queries.CALENDAR_DAYS_AHEAD) == (60, 365)


def test_the_member_feed_carries_the_dates_within_the_horizon_and_each_series_whole(client, member):
    _event("Long over", -90)
    _event("Last month", -30)
    _event("Next spring", 300)
    _event("Too far ahead", 420)
    _event("Weekly, over for months", -300, recurrence="weekly", occurrences=24)  # last date: day -139
    _event("Monthly, ending in the horizon", -700, recurrence="monthly", occurrences=24)  # last: about day 0
    _event("Monthly, starting in the horizon", 300, recurrence="monthly", occurrences=24)
    _event("Monthly, starting beyond it", 400, recurrence="monthly", occurrences=3)
    said_yes_long_ago = _event("Said yes long ago", -200)
    Rsvp.objects.create(event=said_yes_long_ago, member=member, occurrence=said_yes_long_ago.start, attending=True)

    calendar = _calendar(client.get(reverse("hub:member_calendar", args=[services.feed_token_of(member)])).content)
    assert _summaries(calendar) == [
        "Last month", "Monthly, ending in the horizon", "Monthly, starting in the horizon", "Next spring"]
    series = next(entry for entry in calendar.walk("VEVENT") if entry["SUMMARY"] == "Monthly, starting in the horizon")
    assert series["RRULE"]["COUNT"] == [24]  # whole: the calendar app expands it, past the horizon too
    assert "60 days ago" in str(calendar["X-WR-CALDESC"]) and "365 days ahead" in str(calendar["X-WR-CALDESC"])


def test_the_public_feeds_have_the_same_horizon(client, home_chapter):
    _event("National soon", 10, is_public=True)
    _event("National in two years", 730, is_public=True)
    _event("Chapter last week", -7, scope=Scope(Scope.CHAPTER, chapter=home_chapter.pk), is_public=True)
    _event("Chapter long ago", -100, scope=Scope(Scope.CHAPTER, chapter=home_chapter.pk), is_public=True)

    assert _summaries(_calendar(client.get(reverse("hub:national_calendar")).content)) == ["National soon"]
    chapter = _calendar(client.get(reverse("hub:chapter_calendar", args=[home_chapter.slug])).content)
    assert _summaries(chapter) == ["Chapter last week"]
    assert [str(zone["TZID"]) for zone in chapter.walk("VTIMEZONE")] == ["Asia/Tokyo"]


def test_an_empty_feed_is_a_valid_calendar_without_a_time_zone(client):
    calendar = _calendar(client.get(reverse("hub:national_calendar")).content)
    assert calendar.walk("VEVENT") == [] and calendar.walk("VTIMEZONE") == []


def test_the_events_page_tells_what_the_calendars_carry(client, member):
    client.force_login(member.user)
    page = client.get(reverse("hub:events")).content.decode()
    assert "from 60 days ago to 365 days ahead" in page
