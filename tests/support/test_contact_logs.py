"""Contact logs identify no one (DESIGN.md invariant 5), and the published statistics suppress small counts."""

import datetime

import pytest
from django.db import models
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.support import queries, services
from ajet.support.models import ContactLog
from tests.support.conftest import tokyo

pytestmark = pytest.mark.django_db(databases=["default", "support"])

# The only fields a log may have; a new one must be added here on purpose, after asking whether it identifies.
# `hour` is the hour the contact started, rounded down (the "start time rounded to the hour").
ALLOWED_FIELDS = {"id", "night", "hour", "channel", "duration", "topics", "referral_given", "follow_up", "high_risk",
                  "note"}


def test_the_log_schema_has_no_field_that_can_identify_anyone():
    fields = ContactLog._meta.get_fields()
    assert {field.name for field in fields} == ALLOWED_FIELDS
    assert not [field for field in fields if field.is_relation]  # no key to a member, user or volunteer
    assert not [field for field in fields if isinstance(field, (models.GenericIPAddressField, models.DateTimeField,
                                                                models.TimeField, models.TextField))]
    free_text = [field for field in fields if isinstance(field, models.CharField) and not field.choices]
    assert [field.name for field in free_text] == ["note"] and ContactLog._meta.get_field("note").max_length <= 200


def test_a_volunteer_files_a_log_rounded_to_the_night_with_the_note_scrubbed(client, volunteer, frozen):
    frozen(tokyo(2026, 3, 15, 2, 37))
    client.force_login(volunteer.member.user)
    response = client.post(reverse("support:log_contact"), {
        "channel": "chat", "duration": "10-30", "topics": ["isolation", "work-stress"], "referral_given": "on",
        "note": "Asked to mail back at jo.bloggs@example.jp or call 090-1234-5678; referred to TELL",
    }, follow=True)
    log = ContactLog.objects.get()
    assert log.night == datetime.date(2026, 3, 14) and log.hour == 2  # 02:37, rounded down to the hour
    assert log.topics == ["isolation", "work-stress"] and log.referral_given and not log.high_risk
    assert "example.jp" not in log.note and "5678" not in log.note and "referred to TELL" in log.note
    assert "were removed from the note" in response.content.decode()
    assert not AuditEntry.objects.exists()  # an entry would tie the contact to the volunteer


@pytest.mark.parametrize("note", ["+81 3 1234 5678", "(03) 1234-5678", "someone@example.org", "a.b@c"])
def test_scrub_note_removes_contacts(note):
    scrubbed, changed = services.scrub_note(f"before {note} after")
    assert changed and scrubbed == "before [removed] after"


def test_a_plain_note_is_kept():
    assert services.scrub_note("follow-up on shift 2, 3 topics") == ("follow-up on shift 2, 3 topics", False)


def test_topics_must_come_from_the_list(client, volunteer):
    client.force_login(volunteer.member.user)
    response = client.post(reverse("support:log_contact"), {"channel": "chat", "duration": "0-10",
                                                              "topics": ["Alice in Saitama"]})
    assert response.status_code == 200 and not ContactLog.objects.exists()


def test_untrained_volunteer_cannot_log(client, untrained_volunteer):
    client.force_login(untrained_volunteer.member.user)
    assert client.post(reverse("support:log_contact"), {"channel": "chat", "duration": "0-10",
                                                        "topics": ["health"]}).status_code == 403
    assert not ContactLog.objects.exists()


def _logs(night, count, topics):
    ContactLog.objects.bulk_create(ContactLog(night=night, channel="chat", duration="0-10", topics=topics)
                                   for _ in range(count))


def test_published_statistics_suppress_small_counts(client):
    _logs(datetime.date(2026, 3, 2), 6, ["isolation"])
    _logs(datetime.date(2026, 3, 9), 4, ["crisis"])
    _logs(datetime.date(2026, 2, 9), 3, ["health"])
    rows = {row["month"]: row for row in queries.published_statistics()}
    march = dict(rows["2026-03"]["topics"])
    assert rows["2026-03"]["total"] == 10 and march["Isolation"] == 6 and march["Crisis"] is None
    assert rows["2026-02"]["total"] is None
    page = client.get(reverse("support:statistics")).content.decode()
    assert "fewer than 5" in page and ">6<" in page and ">4<" not in page and ">3<" not in page


def test_nobody_reads_logs_but_the_statistics(client, executive, volunteer):
    """There is no page listing logs; executives get the published totals like everyone else."""
    _logs(datetime.date(2026, 3, 2), 5, ["isolation"])
    client.force_login(executive.user)
    assert client.get(reverse("support:statistics")).status_code == 200
    assert client.get(reverse("support:log_contact")).status_code == 403
