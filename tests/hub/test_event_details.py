"""Events beyond the basics: the RSVP deadline, series of dates (RRULE), place and links, the promotion
e-mail, the reminders of the day before, the organisers' attendee list (CSV) and message, the public feeds."""

import csv
import datetime
import io

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ajet.core import once
from ajet.core.models import AuditEntry
from ajet.hub import services, tasks
from ajet.hub.models import TOKYO, Event, Rsvp
from ajet.organisation.scopes import Scope
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _event(by, scope=None, *, days=3, **fields):
    start = timezone.now() + datetime.timedelta(days=days)
    fields = {"title": "Meetup", "start": start, "end": start + datetime.timedelta(hours=2)} | fields
    return services.create_event(by=by.user, scope=scope or Scope(Scope.NATIONAL), fields=fields)


def _chapter(home_chapter):
    return Scope(Scope.CHAPTER, chapter=home_chapter.pk)


# --- Deadline -----------------------------------------------------------------------------------------

def test_an_rsvp_after_the_deadline_is_refused_but_a_cancellation_is_taken(client, executive, member):
    event = _event(executive, capacity=1)
    first = MemberFactory()
    services.answer_rsvp(member=first, event=event, attending=True)
    services.answer_rsvp(member=member, event=event, attending=True)  # waits
    Event.objects.filter(pk=event.pk).update(rsvp_deadline=timezone.now() - datetime.timedelta(minutes=1))
    late = MemberFactory()
    client.force_login(late.user)
    response = client.post(reverse("hub:rsvp", args=[event.pk]), {"attending": "yes"}, follow=True)
    assert "Answers closed on" in response.content.decode()
    assert not Rsvp.objects.filter(member=late).exists()
    # Someone who cannot come may still say so: their place goes to the first in line.
    services.answer_rsvp(member=first, event=event, attending=False)
    assert not Rsvp.objects.get(member=member).waitlisted


def test_the_deadline_must_come_before_the_start(client, chapter_officer, home_chapter):
    client.force_login(chapter_officer.user)
    response = client.post(reverse("hub:event_create"), {
        "audience": f"chapter:{home_chapter.pk}", "title": "Hanami", "start": "2099-04-01 10:00",
        "end": "2099-04-01 15:00", "rsvp_deadline": "2099-04-02 10:00", once.FIELD: once.issue()})
    assert "Answers must close before the event starts." in response.context["form"].errors["rsvp_deadline"]
    assert not Event.objects.exists()


# --- Series ---------------------------------------------------------------------------------------------

def test_a_monthly_meetup_is_one_series_with_an_rrule_and_answers_per_date(client, chapter_officer, home_chapter,
                                                                          member):
    client.force_login(chapter_officer.user)
    client.post(reverse("hub:event_create"), {
        "audience": f"chapter:{home_chapter.pk}", "title": "Monthly meetup", "start": "2099-01-31 19:00",
        "end": "2099-01-31 21:00", "place": "Izakaya Tanuki", "address": "1-2-3 Omiya, Saitama",
        "map_url": "https://www.openstreetmap.org/#map=18/35.9/139.6", "cost": "¥3,000",
        "recurrence": "monthly", "occurrences": "4", "capacity": "1", "rsvp_deadline": "2099-01-30 19:00",
        "is_public": "on", once.FIELD: once.issue()})
    event = Event.objects.get()
    # The 31st of each month, in Japan time: February and April have none (RFC 5545 skips them).
    assert [moment.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M") for moment in event.occurrence_starts()] == [
        "2099-01-31 19:00", "2099-03-31 19:00", "2099-05-31 19:00", "2099-07-31 19:00"]
    assert event.series_end == datetime.datetime(2099, 7, 31, 12, 0, tzinfo=datetime.UTC)

    january, march = event.occurrence_starts()[:2]
    client.force_login(member.user)
    client.post(reverse("hub:rsvp", args=[event.pk]), {"attending": "yes", "date": march.isoformat()})
    other = MemberFactory()
    assert not services.answer_rsvp(member=other, event=event, attending=True, occurrence=january).waitlisted
    assert services.answer_rsvp(member=other, event=event, attending=True, occurrence=march).waitlisted  # one place
    assert Rsvp.objects.get(member=member).occurrence == march
    # Each date closes a day before it, as the first does.
    assert event.deadline_for(march) == march - datetime.timedelta(days=1)
    with pytest.raises(services.HubError, match="not one of the event's dates"):
        services.answer_rsvp(member=member, event=event, attending=True,
                             occurrence=march + datetime.timedelta(days=1))
    response = client.post(reverse("hub:rsvp", args=[event.pk]), {"attending": "yes", "date": "not a date"},
                           follow=True)
    assert "not one of the event&#x27;s dates" in response.content.decode()

    page = client.get(event.get_absolute_url())
    assert [row["counts"]["going"] for row in page.context["dates"]] == [1, 1, 0, 0]
    assert page.context["dates"][1]["rsvp"].attending
    html = page.content.decode()
    assert "1-2-3 Omiya, Saitama" in html and "openstreetmap.org" in html and "¥3,000" in html

    calendar = icalendar.Calendar.from_ical(client.get(reverse("hub:event_ics", args=[event.pk])).content)
    [entry] = calendar.walk("VEVENT")
    assert entry["RRULE"].to_ical() == b"FREQ=MONTHLY;COUNT=4"
    assert entry["LOCATION"] == "Izakaya Tanuki, 1-2-3 Omiya, Saitama"
    assert "¥3,000" in entry["DESCRIPTION"] and "openstreetmap.org" in entry["DESCRIPTION"]
    dtstart = entry.decoded("DTSTART")
    assert str(entry["DTSTART"].params["TZID"]) == "Asia/Tokyo" and (dtstart.hour, dtstart.day) == (19, 31)
    # What a calendar app computes from the RRULE is what members answer to.
    expanded = [moment.astimezone(datetime.UTC) for moment in entry["RRULE"].to_ical() and
                _expand(entry)]
    assert expanded == event.occurrence_starts()


def _expand(entry):
    from dateutil import rrule

    return list(rrule.rrulestr(entry["RRULE"].to_ical().decode(), dtstart=entry.decoded("DTSTART")))


@pytest.mark.parametrize("change", [{"recurrence": "", "occurrences": "3"}, {"recurrence": "weekly",
                                                                            "occurrences": "30"}])
def test_a_series_needs_a_repetition_and_a_sensible_number_of_dates(client, chapter_officer, home_chapter, change):
    client.force_login(chapter_officer.user)
    response = client.post(reverse("hub:event_create"), {
        "audience": f"chapter:{home_chapter.pk}", "title": "Weekly", "start": "2099-04-01 10:00",
        "end": "2099-04-01 12:00", once.FIELD: once.issue()} | change)
    assert response.context["form"].errors["occurrences"]
    assert not Event.objects.exists()


def test_a_series_stays_on_the_lists_until_its_last_date(executive, member):
    start = timezone.now() - datetime.timedelta(days=10)
    event = services.create_event(by=executive.user, scope=Scope(Scope.NATIONAL), fields={
        "title": "Weekly study", "start": start, "end": start + datetime.timedelta(hours=1),
        "recurrence": "weekly", "occurrences": 3})
    from ajet.hub import queries

    assert list(queries.events_for(member)) == [event]
    [upcoming] = event.upcoming_occurrences()
    assert upcoming == start + datetime.timedelta(days=14)
    assert services.answer_rsvp(member=member, event=event, attending=True).occurrence == upcoming


# --- Promotion e-mail and reminders ---------------------------------------------------------------------

def test_the_promoted_member_is_emailed(executive, member, django_capture_on_commit_callbacks):
    event = _event(executive, capacity=1, title="Sake tasting", place="Kawagoe")
    first = MemberFactory()
    services.answer_rsvp(member=first, event=event, attending=True)
    services.answer_rsvp(member=member, event=event, attending=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_rsvp(member=first, event=event, attending=False)
    [message] = mail.outbox
    assert message.to == [member.user.email]
    assert message.subject == "[AJET Nexus] A place is yours: Sake tasting"
    assert "Kawagoe" in message.body and event.get_absolute_url() in message.body


def test_reminders_go_out_the_day_before_once_to_those_with_a_place(executive, member):
    now = datetime.datetime(2099, 6, 10, 9, 0, tzinfo=TOKYO)
    tomorrow = now + datetime.timedelta(days=1)
    event = services.create_event(by=executive.user, scope=Scope(Scope.NATIONAL), fields={
        "title": "Beach cleanup", "start": tomorrow, "end": tomorrow + datetime.timedelta(hours=3),
        "capacity": 1, "cost": "Free lunch"})
    later = services.create_event(by=executive.user, scope=Scope(Scope.NATIONAL), fields={
        "title": "Later", "start": now + datetime.timedelta(days=3), "end": now + datetime.timedelta(days=3, hours=1)})
    waiting, declined = MemberFactory(), MemberFactory()
    services.answer_rsvp(member=member, event=event, attending=True)
    services.answer_rsvp(member=waiting, event=event, attending=True)
    services.answer_rsvp(member=declined, event=event, attending=False)
    services.answer_rsvp(member=member, event=later, attending=True)
    mail.outbox.clear()

    assert tasks.send_event_reminders.call(now=now.isoformat()) == 1
    [message] = mail.outbox
    assert message.to == [member.user.email] and message.subject == "[AJET Nexus] Reminder: Beach cleanup"
    assert "Free lunch" in message.body and "2099" in message.body
    assert tasks.send_event_reminders.call(now=now.isoformat()) == 0  # once
    assert Rsvp.objects.get(member=member, event=event).reminded_at is not None


# --- Organisers -----------------------------------------------------------------------------------------

def test_organisers_export_attendees_as_csv_with_neutralised_cells(client, chapter_officer, home_chapter, member):
    event = _event(chapter_officer, _chapter(home_chapter), capacity=1)
    sneaky = MemberFactory(full_name="=HYPERLINK(\"http://evil.example\")", user__email="sneaky@example.org")
    services.answer_rsvp(member=member, event=event, attending=True)
    services.answer_rsvp(member=sneaky, event=event, attending=True)  # waits
    client.force_login(chapter_officer.user)
    response = client.get(reverse("hub:event_attendees_csv", args=[event.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["date", "name", "email", "prefecture", "position", "status", "answered_at"]
    assert [(row[1], row[5]) for row in rows[1:]] == [("Alice Member", "going"),
                                                       ("'=HYPERLINK(\"http://evil.example\")", "waiting")]
    page = client.get(reverse("hub:event_attendees", args=[event.pk]))
    assert [row.member for row in page.context["rows"]] == [member, sneaky]


def test_organisers_message_the_attendees_with_an_audit_entry(client, chapter_officer, home_chapter, member,
                                                             django_capture_on_commit_callbacks):
    event = _event(chapter_officer, _chapter(home_chapter), capacity=1, title="Hike")
    waiting = MemberFactory()
    services.answer_rsvp(member=member, event=event, attending=True)
    services.answer_rsvp(member=waiting, event=event, attending=True)
    mail.outbox.clear()
    client.force_login(chapter_officer.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("hub:event_attendees", args=[event.pk]), {
            "date": "", "subject": "Bring water", "body": "It will be hot.\nSee you at 9."})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [member.user.email] and message.subject == "[AJET Nexus] Bring water"
    assert "It will be hot." in message.body and message.reply_to == [chapter_officer.user.email]
    entry = AuditEntry.objects.get(action="event.message")
    assert entry.target_id == str(event.pk) and entry.after["recipients"] == 1
    assert entry.after["subject"] == "Bring water"


def test_a_message_with_nobody_to_write_to_is_refused(client, chapter_officer, home_chapter):
    event = _event(chapter_officer, _chapter(home_chapter))
    client.force_login(chapter_officer.user)
    response = client.post(reverse("hub:event_attendees", args=[event.pk]), {"subject": "Hi", "body": "Hello"})
    assert response.status_code == 200 and "Nobody has a place yet" in response.content.decode()
    assert not AuditEntry.objects.filter(action="event.message").exists()


def test_a_member_cannot_export_or_message(client, chapter_officer, home_chapter, member):
    event = _event(chapter_officer, _chapter(home_chapter))
    client.force_login(member.user)
    assert client.get(reverse("hub:event_attendees_csv", args=[event.pk])).status_code == 403
    assert client.post(reverse("hub:event_attendees", args=[event.pk]),
                       {"subject": "Hi", "body": "Hello"}).status_code == 403
    with pytest.raises(services.HubError):
        services.message_attendees(by=member.user, event=event, subject="Hi", body="Hello")


# --- Public feeds ---------------------------------------------------------------------------------------

def _summaries(content: bytes) -> list[str]:
    return sorted(str(entry["SUMMARY"]) for entry in icalendar.Calendar.from_ical(content).walk("VEVENT"))


def test_the_chapter_and_national_feeds_carry_only_their_public_events(client, executive, chapter_officer,
                                                                      home_chapter, other_chapter):
    _event(chapter_officer, _chapter(home_chapter), title="Saitama open picnic", is_public=True)
    _event(chapter_officer, _chapter(home_chapter), title="Saitama members dinner")
    _event(executive, Scope(Scope.CHAPTER, chapter=other_chapter.pk), title="Aichi open day", is_public=True)
    _event(executive, Scope(Scope.NATIONAL), title="National town hall", is_public=True)
    _event(executive, Scope(Scope.NATIONAL), title="National members only")
    _event(executive, Scope(Scope.BLOCK, block=3), title="Block 3 open day", is_public=True)

    chapter_feed = client.get(reverse("hub:chapter_calendar", args=[home_chapter.slug]))
    assert chapter_feed["Content-Type"].startswith("text/calendar")
    assert _summaries(chapter_feed.content) == ["Saitama open picnic"]
    national = client.get(reverse("hub:national_calendar")).content
    assert _summaries(national) == ["National town hall"]
    calendar = icalendar.Calendar.from_ical(national)
    assert (str(calendar["VERSION"]), str(calendar["PRODID"])) == ("2.0", "-//AJET Nexus//hub//EN")
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    [entry] = calendar.walk("VEVENT")
    assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} <= set(entry)  # RFC 5545 3.6.1
    assert entry.decoded("DTSTAMP").utcoffset() == datetime.timedelta(0)  # DTSTAMP in UTC (RFC 5545 3.8.7.2)
    assert client.get(reverse("hub:chapter_calendar", args=["no-such-chapter"])).status_code == 404
    client.force_login(chapter_officer.user)  # the events page links the public calendars
    page = client.get(reverse("hub:events")).content.decode()
    assert reverse("hub:national_calendar") in page


def test_the_personal_feed_has_the_events_of_the_members_chapters(client, executive, member, other_chapter):
    from tests.factories import join

    join(member, other_chapter)  # Alice lives in Saitama and joined Aichi's chapter too
    _event(executive, Scope(Scope.CHAPTER, chapter=other_chapter.pk), title="Aichi chapter night")
    _event(executive, Scope(Scope.PREFECTURE, prefecture="23"), title="Aichi prefecture only")
    content = client.get(reverse("hub:member_calendar", args=[services.feed_token_of(member)])).content
    assert _summaries(content) == ["Aichi chapter night"]


def test_events_written_in_bulk_know_when_their_series_ends(executive):
    start = datetime.datetime(2099, 1, 5, 10, 0, tzinfo=datetime.UTC)
    Event.objects.bulk_create([
        Event(title="Once", start=start, end=start + datetime.timedelta(hours=1), scope_kind=Scope.NATIONAL),
        Event(title="Weekly", start=start, end=start + datetime.timedelta(hours=1), scope_kind=Scope.NATIONAL,
              recurrence="weekly", occurrences=3)])
    ends = dict(Event.objects.values_list("title", "series_end"))
    assert ends == {"Once": start + datetime.timedelta(hours=1),
                    "Weekly": start + datetime.timedelta(days=14, hours=1)}
