"""Events: audience, RSVP by current members, capacity and waiting list, .ics in Japan time, calendar feed."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from ajet.core import once
from ajet.core.models import AuditEntry
from ajet.core.personal_data import erase_personal_data, export_personal_data
from ajet.hub import services
from ajet.hub.models import Event, Rsvp
from ajet.organisation.scopes import Scope
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _event(by, scope=None, *, days=3, **fields):
    start = timezone.now() + datetime.timedelta(days=days)
    fields = {"title": "Meetup", "start": start, "end": start + datetime.timedelta(hours=2)} | fields
    return services.create_event(by=by.user, scope=scope or Scope(Scope.NATIONAL), fields=fields)


def test_an_officer_publishes_an_event_in_japan_time(client, chapter_officer, home_chapter):
    client.force_login(chapter_officer.user)
    response = client.post(reverse("hub:event_create"), {
        "audience": f"chapter:{home_chapter.pk}", "title": "Hanami", "start": "2099-04-01 10:00",
        "end": "2099-04-01 15:00", "place": "Omiya park", "capacity": "20", once.FIELD: once.issue()})
    event = Event.objects.get()
    assert response["Location"] == event.get_absolute_url()
    assert event.start == datetime.datetime(2099, 4, 1, 1, 0, tzinfo=datetime.UTC)  # 10:00 in Tokyo
    assert AuditEntry.objects.filter(action="event.create", target_id=str(event.pk)).exists()


@pytest.mark.parametrize("change", [{"end": "2099-04-01 09:00"}, {"capacity": "0"}, {"audience": "national"}])
def test_bad_event_input_is_refused_and_changes_nothing(client, chapter_officer, home_chapter, change):
    client.force_login(chapter_officer.user)
    data = {"audience": f"chapter:{home_chapter.pk}", "title": "Hanami", "start": "2099-04-01 10:00",
            "end": "2099-04-01 15:00", once.FIELD: once.issue()} | change
    response = client.post(reverse("hub:event_create"), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Event.objects.exists()


def test_capacity_waiting_list_and_promotion_when_someone_cancels(executive, member):
    event = _event(executive, capacity=2)
    first, second, third = member, MemberFactory(), MemberFactory()
    assert not services.answer_rsvp(member=first, event=event, attending=True).waitlisted
    assert not services.answer_rsvp(member=second, event=event, attending=True).waitlisted
    assert services.answer_rsvp(member=third, event=event, attending=True).waitlisted
    assert services.answer_rsvp(member=third, event=event, attending=True).waitlisted  # same answer: no change
    services.answer_rsvp(member=first, event=event, attending=False)
    assert not Rsvp.objects.get(event=event, member=third).waitlisted
    assert Rsvp.objects.filter(event=event, attending=True, waitlisted=False).count() == 2


def test_rsvp_is_for_current_members_and_closes_when_the_event_starts(client, executive, member, pending):
    event = _event(executive)
    client.force_login(pending.user)
    assert client.post(reverse("hub:rsvp", args=[event.pk]), {"attending": "yes"}).status_code == 403
    Event.objects.filter(pk=event.pk).update(start=timezone.now() - datetime.timedelta(minutes=5))
    client.force_login(member.user)
    client.post(reverse("hub:rsvp", args=[event.pk]), {"attending": "yes"})
    assert not Rsvp.objects.exists()


def test_the_ics_file_parses_and_carries_japan_time(client, executive, member):
    start = datetime.datetime(2099, 7, 7, 9, 30, tzinfo=datetime.UTC)  # 18:30 in Tokyo
    event = services.create_event(by=executive.user, scope=Scope(Scope.NATIONAL), fields={
        "title": "Tanabata", "start": start, "end": start + datetime.timedelta(hours=2), "place": "Sendai"})
    client.force_login(member.user)
    response = client.get(reverse("hub:event_ics", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [entry] = calendar.walk("VEVENT")
    assert entry["SUMMARY"] == "Tanabata" and entry["LOCATION"] == "Sendai"
    dtstart = entry.decoded("DTSTART")
    assert (dtstart.hour, dtstart.minute) == (18, 30) and dtstart == start
    assert str(entry["DTSTART"].params["TZID"]) == "Asia/Tokyo"
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]


def test_the_member_calendar_has_their_events_and_what_they_said_yes_to(client, executive, member, other_block_rep):
    _event(executive, Scope(Scope.BLOCK, block=3), title="Block 3 retreat")
    aichi = _event(executive, Scope(Scope.PREFECTURE, prefecture="23"), title="Aichi dinner", is_public=True)
    _event(executive, Scope(Scope.PREFECTURE, prefecture="23"), title="Aichi members only")
    services.answer_rsvp(member=member, event=aichi, attending=True)
    content = client.get(reverse("hub:member_calendar", args=[services.feed_token_of(member)])).content
    titles = sorted(str(entry["SUMMARY"]) for entry in icalendar.Calendar.from_ical(content).walk("VEVENT"))
    assert titles == ["Aichi dinner", "Block 3 retreat"]
    old = services.feed_token_of(member)
    services.reset_feed_token(member=member)
    assert client.get(reverse("hub:member_calendar", args=[old])).status_code == 404


def test_events_on_the_dashboard_and_in_the_personal_data(client, executive, member):
    event = _event(executive, title="Sports day")
    services.answer_rsvp(member=member, event=event, attending=True)
    client.force_login(member.user)
    assert "Sports day" in client.get(reverse("core:dashboard")).content.decode()
    assert export_personal_data(member.user)["hub"]["event_answers"][0]["event"] == "Sports day"
    erase_personal_data(member.user)
    assert not Rsvp.objects.filter(member=member).exists()


def test_the_event_list_costs_the_same_queries_for_one_or_three(client, executive, member,
                                                               django_assert_max_num_queries):
    client.force_login(member.user)
    _event(executive)
    client.get(reverse("hub:events"))
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("hub:events"))
    _event(executive), _event(executive)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("hub:events"))
