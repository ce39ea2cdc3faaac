"""Opening hours: 20:00–07:00 Asia/Tokyo every night, with the coordinator's exceptions, under a frozen clock."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from ajet.support import hours
from ajet.support.models import NightException
from tests.support.conftest import tokyo

pytestmark = pytest.mark.django_db(databases=["default", "support"])


def _status(client):
    return client.get(reverse("support:status_api")).json()


@pytest.mark.parametrize(("moment", "expected"), [
    (tokyo(2026, 3, 14, 19, 59, 59), {"open": False, "opens_at": "2026-03-14T20:00:00+09:00", "closes_at": None}),
    (tokyo(2026, 3, 14, 20, 0, 0), {"open": True, "opens_at": None, "closes_at": "2026-03-15T07:00:00+09:00"}),
    (tokyo(2026, 3, 14, 23, 59, 59), {"open": True, "opens_at": None, "closes_at": "2026-03-15T07:00:00+09:00"}),
    (tokyo(2026, 3, 15, 0, 0, 0), {"open": True, "opens_at": None, "closes_at": "2026-03-15T07:00:00+09:00"}),
    (tokyo(2026, 3, 15, 6, 59, 59), {"open": True, "opens_at": None, "closes_at": "2026-03-15T07:00:00+09:00"}),
    (tokyo(2026, 3, 15, 7, 0, 0), {"open": False, "opens_at": "2026-03-15T20:00:00+09:00", "closes_at": None}),
    (tokyo(2026, 12, 31, 23, 30), {"open": True, "opens_at": None, "closes_at": "2027-01-01T07:00:00+09:00"}),
])
def test_status_at_the_boundary_seconds(client, frozen, moment, expected):
    frozen(moment)
    assert _status(client) == expected


def test_utc_clock_is_read_in_tokyo(client, frozen):
    # 11:00 UTC is 20:00 in Tokyo all year round: Japan has no daylight saving time.
    for month in (1, 7):
        frozen(datetime.datetime(2026, month, 10, 11, 0, tzinfo=datetime.UTC))
        assert _status(client)["open"] is True
        frozen(datetime.datetime(2026, month, 10, 10, 59, 59, tzinfo=datetime.UTC))
        assert _status(client)["open"] is False


def test_closed_night_is_skipped_for_the_next_opening(client, frozen):
    NightException.objects.create(night=datetime.date(2026, 3, 14), closed=True, reason="Training day")
    frozen(tokyo(2026, 3, 14, 21, 0))
    assert _status(client) == {"open": False, "opens_at": "2026-03-15T20:00:00+09:00", "closes_at": None}
    frozen(tokyo(2026, 3, 14, 12, 0))
    assert _status(client)["opens_at"] == "2026-03-15T20:00:00+09:00"


def test_closed_night_does_not_close_the_morning_of_the_night_before(client, frozen):
    NightException.objects.create(night=datetime.date(2026, 3, 14), closed=True)
    frozen(tokyo(2026, 3, 14, 3, 0))  # still the night of the 13th
    assert _status(client) == {"open": True, "opens_at": None, "closes_at": "2026-03-14T07:00:00+09:00"}


def test_extended_night(client, frozen):
    NightException.objects.create(night=datetime.date(2026, 12, 31), opens=datetime.time(18, 0),
                                  closes=datetime.time(9, 0), reason="New Year")
    frozen(tokyo(2026, 12, 31, 18, 0))
    assert _status(client) == {"open": True, "opens_at": None, "closes_at": "2027-01-01T09:00:00+09:00"}
    frozen(tokyo(2027, 1, 1, 8, 59, 59))
    assert _status(client)["open"] is True
    frozen(tokyo(2027, 1, 1, 9, 0))
    assert _status(client) == {"open": False, "opens_at": "2027-01-01T20:00:00+09:00", "closes_at": None}


def test_shortened_night_closes_before_midnight(client, frozen):
    NightException.objects.create(night=datetime.date(2026, 3, 14), closes=datetime.time(23, 0))
    frozen(tokyo(2026, 3, 14, 22, 59, 59))
    assert _status(client)["closes_at"] == "2026-03-14T23:00:00+09:00"
    frozen(tokyo(2026, 3, 14, 23, 0))
    assert _status(client) == {"open": False, "opens_at": "2026-03-15T20:00:00+09:00", "closes_at": None}


def test_no_opening_in_sight(client, frozen):
    first = datetime.date(2026, 3, 14)
    NightException.objects.bulk_create(NightException(night=first + datetime.timedelta(days=offset), closed=True)
                                       for offset in range(hours.LOOKAHEAD_NIGHTS + 1))
    frozen(tokyo(2026, 3, 14, 21, 0))
    assert _status(client) == {"open": False, "opens_at": None, "closes_at": None}


@given(st.datetimes(min_value=datetime.datetime(2025, 1, 1), max_value=datetime.datetime(2030, 12, 31)))
def test_default_window_property(naive):
    """Over every second of several years: open exactly from 20:00 to 07:00, Tokyo time, and the next
    change is the next 20:00 or 07:00."""
    moment = naive.replace(tzinfo=hours.LINE_TIMEZONE)
    status = hours.status_at(moment, {})
    clock = moment.time()
    assert status.open == (clock >= datetime.time(20) or clock < datetime.time(7))
    change = status.closes_at if status.open else status.opens_at
    assert change > moment and change - moment <= datetime.timedelta(hours=13)
    assert change.time() == (datetime.time(7) if status.open else datetime.time(20))


def test_public_page_when_open_and_closed(client, frozen):
    frozen(tokyo(2026, 3, 14, 22, 0))
    page = client.get(reverse("support:home")).content.decode()
    assert "The line is open now" in page and "119" not in page
    frozen(tokyo(2026, 3, 15, 9, 0))
    page = client.get(reverse("support:home")).content.decode()
    assert "The line is closed now" in page and "tel:119" in page and "tel:110" in page
    assert "20:00" in page
