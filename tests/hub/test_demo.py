"""seed_demo adds announcements at every scope; the demo member reads theirs."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ajet.hub.models import Announcement, Event, Rsvp
from ajet.organisation.demo import DEMO_ACCOUNTS
from ajet.people.models import Member

pytestmark = pytest.mark.django_db(databases=["default", "support"])  # seed_demo fills the PSG database too


def test_the_demo_has_announcements_for_the_demo_member(client):
    output = io.StringIO()
    call_command("seed_demo", members=60, chapters=4, stdout=output)
    assert "Hub:" in output.getvalue()
    assert {row.scope_kind for row in Announcement.objects.all()} == {"national", "block", "prefecture", "chapter"}
    member = Member.objects.get(user__email=next(a.email for a in DEMO_ACCOUNTS if a.role == "member"))
    client.force_login(member.user)
    titles = {announcement.title for announcement in client.get(reverse("hub:announcements")).context["page"]}
    assert {"Welcome to AJET Nexus", "Election timetable", "Block 3 news", "Typhoon season"} <= titles
    assert "CIR meetup online" not in titles
    events = {event.title for event in client.get(reverse("hub:events")).context["events"]}
    assert {"National AJET town hall (online)", "Block 3 skills conference"} <= events
    assert Rsvp.objects.filter(attending=True).exists()
    meetup = Event.objects.get(recurrence="monthly")
    assert meetup.occurrences == 6 and meetup.title in events
    assert Rsvp.objects.filter(event=meetup).values("occurrence").distinct().count() == 2


def test_the_demo_has_guides_in_both_languages(client):
    from ajet.hub.models import Guide

    call_command("seed_demo", members=60, chapters=4, stdout=io.StringIO())
    assert {"recontracting", "tax-and-pension-refunds", "changing-prefecture", "disaster-preparedness"} == set(
        Guide.objects.values_list("slug", flat=True))
    assert all(guide.body_ja and guide.title_ja for guide in Guide.objects.all())
    assert Guide.objects.filter(is_public=False).count() == 1 and sum(g.is_stale for g in Guide.objects.all()) == 1
    found = client.get(reverse("hub:guides"), {"q": "避難所"}).context["rows"]  # inside a Japanese sentence
    assert [row["guide"].slug for row in found] == ["disaster-preparedness"]
    assert client.get(reverse("hub:public_news")).status_code == 200
