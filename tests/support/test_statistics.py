"""The coordinators' figures (by channel, topic, hour of the night, high-risk share; charts and CSV) and the
published ones (channel and topic only). Every cell under 5 is suppressed, and so is one that a total would
give away."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from ajet.support import queries
from ajet.support.models import ContactLog

pytestmark = pytest.mark.django_db(databases=["default", "support"])

MARCH = datetime.date(2026, 3, 10)


def _logs(count, **fields):
    values = {"night": MARCH, "channel": "chat", "duration": "0-10", "topics": ["isolation"], "hour": 23} | fields
    ContactLog.objects.bulk_create(ContactLog(**values) for _ in range(count))


@pytest.fixture
def month():
    _logs(7, hour=23)
    _logs(6, hour=1, channel="phone", high_risk=True, topics=["crisis"])
    _logs(2, hour=4, channel="voice")  # the cell that must not be shown, nor worked out from the total


def test_coordinator_figures_suppress_small_cells_and_their_complement(month):
    row, = queries.contact_statistics()
    assert row["total"] == 15 and row["high_risk"] == 6 and row["high_risk_share"] == 40
    channels = dict(row["channels"])
    assert channels["Voice call (online)"] is None
    assert channels["Phone"] is None  # the next smallest: 15 − 7 − 6 would give the 2 away
    assert channels["Chat"] == 7
    hours = dict(row["hours"])
    assert hours["23:00"] == 7 and hours["04:00"] is None and hours["01:00"] is None
    assert "12:00" not in hours  # only the night's hours, unless a contact started outside them


def test_the_coordinators_page_and_csv(client, month, psg_coordinator):
    client.force_login(psg_coordinator.user)
    page = client.get(reverse("support:contact_statistics")).content.decode()
    assert "By hour of the night" in page and "<svg" in page and "40 %" in page
    response = client.get(reverse("support:contact_statistics_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["2026-03", "hours", "04:00", "<5"] in rows and ["2026-03", "channels", "Chat", "7"] in rows
    assert not [row for row in rows if row[-1] in {"1", "2", "3", "4"}]


def test_volunteers_and_executives_do_not_get_the_figures(client, volunteer, executive, month):
    for user in (volunteer.member.user, executive.user):
        client.force_login(user)
        assert client.get(reverse("support:contact_statistics")).status_code == 403
        assert client.get(reverse("support:contact_statistics_csv")).status_code == 403


def test_the_published_statistics_have_channel_and_topic_never_hour(client, month):
    row, = queries.published_statistics()
    assert set(row) == {"month", "total", "channels", "topics"}
    page = client.get(reverse("support:statistics")).content.decode()
    assert "Chat" in page and "Crisis" in page and "23:00" not in page
