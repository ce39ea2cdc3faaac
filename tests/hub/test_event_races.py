"""Waiting-list promotion under concurrent cancellations (PostgreSQL): every freed place goes to the next in
line exactly once, the event never holds more than its capacity, and each promoted member gets one e-mail."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from ajet.hub import services
from ajet.hub.models import Rsvp
from ajet.organisation.scopes import Scope
from tests.concurrency import needs_postgresql, run_together
from tests.factories import MemberFactory, give_mfa, give_term, national_post

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CAPACITY = 6


def test_concurrent_cancellations_promote_the_first_in_line_once_each():
    erin = MemberFactory(full_name="Erin Executive", prefecture_id="13")
    give_term(erin, national_post("chair"))
    give_mfa(erin.user)
    start = timezone.now() + datetime.timedelta(days=4)
    event = services.create_event(by=erin.user, scope=Scope(Scope.NATIONAL), fields={
        "title": "Fuji climb", "start": start, "end": start + datetime.timedelta(hours=8), "capacity": CAPACITY})
    holders = [MemberFactory() for _ in range(CAPACITY)]
    waiting = [MemberFactory() for _ in range(CAPACITY + 3)]
    for member in holders + waiting:
        services.answer_rsvp(member=member, event=event, attending=True)
    newcomers = [MemberFactory() for _ in range(3)]
    mail.outbox.clear()

    # Every holder cancels at once, while three newcomers answer yes at the same moment.
    actors = [(member, False) for member in holders] + [(member, True) for member in newcomers]
    results = run_together(len(actors), lambda index: services.answer_rsvp(
        member=actors[index][0], event=event, attending=actors[index][1]))
    assert not [result for result in results if isinstance(result, Exception)], results

    places = Rsvp.objects.filter(event=event, attending=True, waitlisted=False)
    assert places.count() == CAPACITY
    # The first six in line got the places; the newcomers wait behind the rest.
    assert set(places.values_list("member_id", flat=True)) == {member.pk for member in waiting[:CAPACITY]}
    still_waiting = Rsvp.objects.filter(event=event, attending=True, waitlisted=True)
    assert set(still_waiting.values_list("member_id", flat=True)) == (
        {member.pk for member in waiting[CAPACITY:]} | {member.pk for member in newcomers})
    promoted_mail = sorted(address for message in mail.outbox for address in message.to)
    assert promoted_mail == sorted(member.user.email for member in waiting[:CAPACITY])


def test_simultaneous_reminder_clicks_queue_one_reminder():
    from ajet.hub.models import Announcement, Delivery

    erin = MemberFactory(full_name="Erin Executive", prefecture_id="13")
    give_term(erin, national_post("chair"))
    give_mfa(erin.user)
    readers = [MemberFactory() for _ in range(5)]
    announcement = services.create_announcement(by=erin.user, scope=Scope(Scope.NATIONAL), fields={
        "title": "Timetable", "body": "Please confirm.", "requires_acknowledgement": True})
    mail.outbox.clear()

    def work(index):
        try:
            return services.remind_unacknowledged(by=erin.user, announcement=announcement)
        except services.HubError:
            return "refused"

    results = run_together(4, work)
    assert sorted(results, key=str) == [6, "refused", "refused", "refused"], results
    assert Delivery.objects.filter(announcement=announcement, kind=Delivery.Kind.REMINDER).count() == 6
    assert Announcement.objects.get(pk=announcement.pk).reminder_queued_at is not None
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [erin.user.email] + [reader.user.email for reader in readers])
