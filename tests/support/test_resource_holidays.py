"""Directory entries closed on Japan's public holidays: "open now", the hours text, the form. Fixed dates in
Asia/Tokyo only (2026: New Year's Day on a Thursday, Golden Week 3–5 May with the substitute holiday on Wednesday
6 May, the citizens' holiday of 22 September; New Year's Day 2028 on a Saturday)."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from ajet.core.models import AuditEntry
from ajet.support import opening_hours
from ajet.support.models import Resource
from ajet.support.opening_hours import is_public_holiday, validate_weekly_hours
from ajet.support.queries import find_resources, with_open_state
from tests.support.conftest import tokyo

pytestmark = pytest.mark.django_db(databases=["default", "support"])

WEEKDAYS_9_TO_17 = [[["09:00", "17:00"]]] * 5 + [[], []]
NIGHTLY_22_TO_6 = [[["22:00", "06:00"]]] * 7


@pytest.mark.parametrize(("day", "holiday"), [
    (datetime.date(2026, 1, 1), True),  # New Year's Day
    (datetime.date(2026, 1, 2), False),  # banks and city halls close, but it is no national holiday
    (datetime.date(2026, 5, 3), True),  # Constitution Day, a Sunday
    (datetime.date(2026, 5, 4), True),
    (datetime.date(2026, 5, 5), True),
    (datetime.date(2026, 5, 6), True),  # the substitute holiday for 3 May
    (datetime.date(2026, 5, 7), False),
    (datetime.date(2026, 9, 22), True),  # the citizens' holiday between two holidays
    (datetime.date(2026, 12, 31), False),
    (datetime.date(2028, 1, 1), True),
], ids=str)
def test_japans_public_holidays(day, holiday):
    assert is_public_holiday(day) is holiday


def test_a_weekday_service_is_closed_on_a_holiday_when_it_says_so():
    closing = Resource(name="City hall desk", category="legal", weekly_hours=WEEKDAYS_9_TO_17, closed_on_holidays=True)
    opening = Resource(name="Open on holidays", category="legal", weekly_hours=WEEKDAYS_9_TO_17)
    for moment in (tokyo(2026, 1, 1, 10, 0), tokyo(2026, 5, 4, 10, 0), tokyo(2026, 5, 6, 16, 59),
                   tokyo(2026, 9, 22, 9, 0)):
        assert closing.is_open_at(moment) is False and opening.is_open_at(moment) is True, moment
    assert closing.is_open_at(tokyo(2026, 5, 7, 10, 0)) is True  # the Thursday after Golden Week
    assert closing.is_open_at(tokyo(2026, 1, 2, 10, 0)) is True


def test_the_holiday_is_the_day_in_japan_not_in_utc():
    closing = Resource(name="City hall desk", category="legal", weekly_hours=WEEKDAYS_9_TO_17, closed_on_holidays=True)
    # 09:30 on Thursday 7 May in Japan is still 6 May (the substitute holiday) in UTC.
    assert closing.is_open_at(tokyo(2026, 5, 7, 9, 30).astimezone(datetime.UTC)) is True
    # 10:00 on Wednesday 6 May in Japan; 01:00 UTC the same day.
    assert closing.is_open_at(tokyo(2026, 5, 6, 10, 0).astimezone(datetime.UTC)) is False


def test_a_night_belongs_to_the_day_it_starts():
    line = Resource(name="Night line", category="counselling", weekly_hours=NIGHTLY_22_TO_6, closed_on_holidays=True)
    # The night before a holiday runs into the holiday's morning: it started on an ordinary day, so it is open.
    assert line.is_open_at(tokyo(2026, 1, 1, 5, 59)) is True  # Wednesday 31 December's night
    assert line.is_open_at(tokyo(2028, 1, 1, 2, 0)) is True  # Friday 31 December 2027's night, a Saturday holiday
    assert line.is_open_at(tokyo(2026, 5, 3, 2, 0)) is True  # Saturday 2 May's night
    # A night that starts on a holiday does not open, and so is not running the next morning either.
    assert line.is_open_at(tokyo(2026, 1, 1, 22, 0)) is False
    assert line.is_open_at(tokyo(2026, 1, 2, 2, 0)) is False
    assert line.is_open_at(tokyo(2028, 1, 1, 23, 0)) is False
    assert line.is_open_at(tokyo(2026, 5, 4, 2, 0)) is False  # Constitution Day's night
    assert line.is_open_at(tokyo(2026, 5, 6, 22, 0)) is False  # the substitute holiday's night
    assert line.is_open_at(tokyo(2026, 5, 7, 5, 0)) is False
    # The first ordinary day after Golden Week opens again that evening.
    assert line.is_open_at(tokyo(2026, 5, 7, 21, 59)) is False
    assert line.is_open_at(tokyo(2026, 5, 7, 22, 0)) is True
    assert line.is_open_at(tokyo(2026, 5, 8, 5, 59)) is True


def test_round_the_clock_and_unknown_hours_on_a_holiday():
    always = Resource(name="Always", category="counselling", always_open=True, closed_on_holidays=True)
    assert always.is_open_at(tokyo(2025, 12, 31, 23, 59)) is True
    assert always.is_open_at(tokyo(2026, 1, 1, 0, 0)) is False
    assert always.is_open_at(tokyo(2026, 1, 1, 23, 59)) is False
    assert always.is_open_at(tokyo(2026, 1, 2, 0, 0)) is True
    unknown = Resource(name="Unknown", category="jet", closed_on_holidays=True)
    assert unknown.is_open_at(tokyo(2026, 1, 2, 10, 0)) is None  # not known on an ordinary day
    assert unknown.is_open_at(tokyo(2026, 1, 1, 10, 0)) is False  # but known to be closed on the holiday


def test_closed_for_the_holiday_only_when_it_would_open_another_day():
    desk = Resource(name="City hall desk", category="legal", weekly_hours=WEEKDAYS_9_TO_17, closed_on_holidays=True)
    assert desk.is_closed_for_holiday_at(tokyo(2026, 5, 6, 10, 0)) is True
    assert desk.is_closed_for_holiday_at(tokyo(2026, 5, 6, 20, 0)) is False  # closed at that hour anyway
    assert desk.is_closed_for_holiday_at(tokyo(2026, 5, 7, 10, 0)) is False  # open
    assert desk.is_closed_for_holiday_at(tokyo(2026, 5, 3, 10, 0)) is False  # a Sunday: closed anyway


def _directory():
    Resource.objects.create(name="City hall desk", category="legal", hours="Weekdays 9:00–17:00",
                            weekly_hours=WEEKDAYS_9_TO_17, closed_on_holidays=True)
    Resource.objects.create(name="Weekday line", category="counselling", weekly_hours=WEEKDAYS_9_TO_17)
    Resource.objects.create(name="Round the clock", category="counselling", always_open=True, closed_on_holidays=True)


def _entry(page: str, name: str) -> str:
    start = page.index(name)
    return " ".join(page[start:page.index("</li>", start)].split())


def test_the_directory_says_closed_for_the_holiday_and_shows_it_in_the_hours(client, frozen):
    _directory()
    frozen(tokyo(2026, 5, 6, 10, 0))  # the substitute holiday, a Wednesday
    assert {resource.name for resource in find_resources(open_now=True)} == {"Weekday line"}
    page = client.get(reverse("support:resources")).content.decode()
    desk = _entry(page, "City hall desk")
    assert "Closed now (public holiday)" in desk
    assert "Hours: Weekdays 9:00–17:00" in desk and "Mon–Fri 09:00–17:00; Sat–Sun closed" in desk
    assert "Closed on public holidays" in desk
    assert "Closed on public holidays" not in _entry(page, "Weekday line")
    clock = _entry(page, "Round the clock")
    assert "Open 24 hours." in clock and "every day" not in clock and "Closed on public holidays" in clock

    frozen(tokyo(2026, 5, 7, 10, 0))
    assert {resource.name for resource in find_resources(open_now=True)} == {
        "City hall desk", "Weekday line", "Round the clock"}
    page = client.get(reverse("support:resources"), {"open_now": "on"}).content.decode()
    assert "Open now" in _entry(page, "City hall desk") and "public holiday)" not in page


def test_the_closed_line_page_says_so_too(client, frozen):
    _directory()
    frozen(tokyo(2026, 1, 1, 10, 0))  # the line is closed in the morning: the page lists the directory
    page = client.get(reverse("support:home")).content.decode()
    assert "Closed now (public holiday)" in _entry(page, "City hall desk")


def test_reading_the_directory_costs_no_query_per_holiday_check(django_assert_num_queries, frozen):
    _directory()
    frozen(tokyo(2026, 5, 6, 10, 0))
    found = list(Resource.objects.all())
    with django_assert_num_queries(0):
        with_open_state(found)


def _form(**fields) -> dict:
    return {"name": "City hall desk", "category": "legal", "hours": "Weekdays 9:00–17:00",
            **{f"hours_{day}": "09:00–17:00" if day < 5 else "" for day in range(7)}, **fields}


def test_the_coordinator_sets_it_in_the_form_with_audit(client, psg_coordinator):
    client.force_login(psg_coordinator.user)
    form_page = client.get(reverse("support:resource_create")).content.decode()
    assert 'name="closed_on_holidays"' in form_page and "Closed on Japanese public holidays" in form_page
    assert client.post(reverse("support:resource_create"), _form(closed_on_holidays="on")).status_code == 302
    resource = Resource.objects.get()
    assert resource.closed_on_holidays is True
    assert AuditEntry.objects.get(action="support.resource_save").after["closed_on_holidays"] is True
    edit = reverse("support:resource_edit", kwargs={"resource_id": resource.pk})
    assert client.get(edit).context["form"]["closed_on_holidays"].value() is True
    client.post(edit, _form())  # an unticked box is not sent
    resource.refresh_from_db()
    assert resource.closed_on_holidays is False


# --- "Open now" with holidays, checked against the calendar minute by minute ------------------------------------

_CLOCKS = st.integers(0, 24 * 60).map(lambda minutes: f"{minutes // 60:02}:{minutes % 60:02}")
_PAIRS = st.tuples(_CLOCKS, _CLOCKS).filter(lambda pair: pair[0] != "24:00").map(list)
_WEEKS = st.lists(st.lists(_PAIRS, max_size=3), min_size=7, max_size=7).map(lambda week: [sorted(day) for day in week])
_HOLIDAYS_2026 = sorted(day for day in (datetime.date(2026, 1, 1) + datetime.timedelta(days=n) for n in range(365))
                        if is_public_holiday(day))
# Moments around the holidays (the day before to the day after), and anywhere in the year.
_MOMENTS = st.one_of(
    st.builds(lambda day, minutes: datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(
        minutes=minutes), st.sampled_from(_HOLIDAYS_2026), st.integers(-1440, 2 * 1440 - 1)),
    st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2026, 12, 31)),
)


def _open_by_the_calendar(weekly, local: datetime.datetime) -> bool:
    """Each pair as a span of real time from the day it opens (a pair that closes when it opens: 24 hours),
    leaving out every day that is a holiday; open when `local` falls in a span."""
    for day in (local.date() - datetime.timedelta(days=1), local.date()):
        if is_public_holiday(day):
            continue
        midnight = datetime.datetime.combine(day, datetime.time())
        for opens, closes in weekly[day.weekday()]:
            start, end = opening_hours._minutes(opens), opening_hours._minutes(closes)
            if midnight + datetime.timedelta(minutes=start) <= local < midnight + datetime.timedelta(
                    minutes=end if end > start else end + 1440):
                return True
    return False


@given(weekly=_WEEKS, moment=_MOMENTS)
def test_open_now_on_holidays_agrees_with_the_calendar(weekly, moment):
    if not any(weekly):
        assert opening_hours.is_open([], moment, closed_on_holidays=True) is (
            False if is_public_holiday(moment.date()) else None)
        return
    validate_weekly_hours(weekly)
    assert opening_hours.is_open(weekly, moment, closed_on_holidays=True) is _open_by_the_calendar(weekly, moment)
