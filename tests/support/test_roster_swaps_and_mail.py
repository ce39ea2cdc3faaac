"""The roster beyond sign-up: notice for dropping, swaps, the monthly maximum, the coordinator on call, the
shift calendar, and the e-mails (reminders, the coordinators' digest of gaps) over a real SMTP server."""

import datetime
from email import message_from_bytes

import icalendar
import pytest
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.support import queries, services, tasks
from ajet.support.models import OnCall, ShiftAssignment
from tests.smtp import smtp_server_for
from tests.support.conftest import make_volunteer, tokyo

pytestmark = pytest.mark.django_db(databases=["default", "support"])

NIGHT = datetime.date(2026, 3, 20)


@pytest.fixture
def march(frozen):
    return frozen(tokyo(2026, 3, 14, 12, 0))


class Keeper:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def _body(message) -> str:
    return message.get_payload(decode=True).decode()


def test_a_volunteer_swaps_a_shift_for_one_of_theirs(client, volunteer, march):
    other = make_volunteer("Olly Other")
    services.sign_up_for_shift(volunteer=volunteer, night=NIGHT, shift=0)
    theirs = services.sign_up_for_shift(volunteer=other, night=NIGHT, shift=2)
    services.offer_shift(volunteer=other, night=NIGHT, shift=2)
    client.force_login(volunteer.member.user)
    roster = client.get(reverse("support:roster")).content.decode()
    assert "Offered for a swap" in roster
    client.post(reverse("support:shift_take"), {"assignment": theirs.pk, "give": f"{NIGHT:%Y-%m-%d}/0"})
    assert set(ShiftAssignment.objects.values_list("volunteer__member__full_name", "shift")) == {
        ("Vera Volunteer", 2), ("Olly Other", 0)}
    assert not ShiftAssignment.objects.filter(offered=True).exists()


def test_a_shift_not_offered_cannot_be_taken_and_a_failed_swap_changes_nothing(volunteer, untrained_volunteer, march):
    other = make_volunteer("Olly Other")
    theirs = services.sign_up_for_shift(volunteer=other, night=NIGHT, shift=1)
    with pytest.raises(services.SupportError):
        services.take_offered_shift(volunteer=volunteer, assignment_id=theirs.pk)
    services.offer_shift(volunteer=other, night=NIGHT, shift=1)
    with pytest.raises(services.SupportError):  # giving a shift one does not hold
        services.take_offered_shift(volunteer=volunteer, assignment_id=theirs.pk, give=(NIGHT, 0))
    with pytest.raises(services.SupportError):  # untrained
        services.take_offered_shift(volunteer=untrained_volunteer, assignment_id=theirs.pk)
    assert list(ShiftAssignment.objects.values_list("volunteer", "shift", "offered")) == [(other.pk, 1, True)]
    services.take_offered_shift(volunteer=volunteer, assignment_id=theirs.pk)  # a plain handover
    assert list(ShiftAssignment.objects.values_list("volunteer", "shift")) == [(volunteer.pk, 1)]


def test_dropping_needs_notice(volunteer, march, settings):
    services.sign_up_for_shift(volunteer=volunteer, night=datetime.date(2026, 3, 15), shift=0)  # in 32 hours
    with pytest.raises(services.SupportError, match="offer it for a swap"):
        services.drop_shift(volunteer=volunteer, night=datetime.date(2026, 3, 15), shift=0)
    settings.SUPPORT_DROP_NOTICE_HOURS = 24
    services.drop_shift(volunteer=volunteer, night=datetime.date(2026, 3, 15), shift=0)
    assert not ShiftAssignment.objects.exists()


def test_the_monthly_maximum_of_shifts(volunteer, march, settings):
    settings.SUPPORT_MAX_SHIFTS_PER_MONTH = 2
    services.sign_up_for_shift(volunteer=volunteer, night=NIGHT, shift=0)
    services.sign_up_for_shift(volunteer=volunteer, night=NIGHT, shift=1)
    with pytest.raises(services.SupportError, match="at most 2 shifts a month"):
        services.sign_up_for_shift(volunteer=volunteer, night=datetime.date(2026, 3, 25), shift=0)
    services.sign_up_for_shift(volunteer=volunteer, night=datetime.date(2026, 4, 1), shift=0)  # next month
    other = make_volunteer("Olly Other")
    offered = services.sign_up_for_shift(volunteer=other, night=datetime.date(2026, 3, 28), shift=2)
    services.offer_shift(volunteer=other, night=offered.night, shift=2)
    with pytest.raises(services.SupportError):  # a swap counts too
        services.take_offered_shift(volunteer=volunteer, assignment_id=offered.pk)
    assert ShiftAssignment.objects.filter(volunteer=volunteer).count() == 3


def test_the_coordinator_on_call_is_set_on_the_coverage_page_with_audit(client, psg_coordinator, volunteer_coordinator,
                                                                         march):
    client.force_login(psg_coordinator.user)
    client.post(reverse("support:on_call"), {"oncall-night": "2026-03-14",
                                             "oncall-coordinator": volunteer_coordinator.member.pk})
    assert OnCall.objects.get().coordinator == volunteer_coordinator.member
    assert AuditEntry.objects.filter(action="support.on_call").exists()
    assert "Quinn Coordinator" in client.get(reverse("support:coverage")).content.decode()
    client.post(reverse("support:on_call"), {"oncall-night": "2026-03-14", "oncall-coordinator": ""})
    assert not OnCall.objects.exists()


def test_only_coordinators_can_be_on_call(client, psg_coordinator, volunteer, march):
    client.force_login(psg_coordinator.user)
    client.post(reverse("support:on_call"), {"oncall-night": "2026-03-14", "oncall-coordinator": volunteer.member.pk})
    assert not OnCall.objects.exists()


def test_the_shift_calendar_feed(client, volunteer, march):
    services.sign_up_for_shift(volunteer=volunteer, night=NIGHT, shift=1)
    client.force_login(volunteer.member.user)
    roster = client.get(reverse("support:roster")).content.decode()
    volunteer.refresh_from_db()
    token = volunteer.calendar_token
    assert f"/support/calendar/{token}.ics" in roster
    client.logout()
    response = client.get(reverse("support:calendar", args=[token]))
    assert response["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [(event.decoded("dtstart"), event.decoded("dtend")) for event in events] == [
        (tokyo(2026, 3, 20, 23, 30), tokyo(2026, 3, 21, 3, 0))]
    client.force_login(volunteer.member.user)
    client.post(reverse("support:calendar_reset"))
    assert client.get(reverse("support:calendar", args=[token])).status_code == 404
    assert client.get("/support/calendar/not-a-token.ics").status_code == 404


def test_reminders_before_the_shift_once_each(settings, volunteer, frozen):
    frozen(tokyo(2026, 3, 14, 12, 0))
    services.sign_up_for_shift(volunteer=volunteer, night=datetime.date(2026, 3, 14), shift=0)  # in 8 hours
    services.sign_up_for_shift(volunteer=volunteer, night=datetime.date(2026, 3, 16), shift=0)  # in 56 hours
    with smtp_server_for(settings, Keeper()) as keeper:
        assert tasks.send_shift_reminders.call() == 1
        assert tasks.send_shift_reminders.call() == 0  # a re-run sends nothing twice
    (recipients, message), = keeper.messages
    assert recipients == ["vera@psg.test"] and "20:00" in message["Subject"]
    assert "/support/chat/console/" in _body(message)


def test_the_digest_of_gaps_goes_to_the_coordinators(settings, psg_coordinator, volunteer_coordinator, volunteer,
                                                     march):
    with smtp_server_for(settings, Keeper()) as keeper:
        assert tasks.send_gap_digest.call() == 2
    assert sorted(recipients[0] for recipients, _message in keeper.messages) == ["petra@example.org",
                                                                                "quinn@psg.test"]
    body = _body(keeper.messages[0][1])
    assert len(queries.gaps()) == 3 * queries.ROSTER_NIGHTS and "0 of 2 volunteers" in body


def test_debrief_after_a_high_risk_log(client, settings, volunteer, volunteer_coordinator, frozen):
    frozen(tokyo(2026, 3, 15, 2, 0))
    OnCall.objects.create(night=datetime.date(2026, 3, 14), coordinator=volunteer_coordinator.member)
    client.force_login(volunteer.member.user)
    response = client.post(reverse("support:log_contact"), {
        "hour": "1", "channel": "phone", "duration": "30-60", "topics": ["crisis"], "high_risk": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("support:debrief")
    assert "Quinn Coordinator" in response.content.decode()
    with smtp_server_for(settings, Keeper()) as keeper:
        client.post(reverse("support:debrief"))
    (recipients, message), = keeper.messages
    assert recipients == ["quinn@psg.test"] and "Vera Volunteer" in _body(message)
    assert "crisis" not in _body(message).lower()
