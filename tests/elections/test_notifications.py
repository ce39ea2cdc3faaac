"""E-mails go out from background tasks: voting open (to the roll), the 24-hour reminder (to non-voters),
certified results; a rehearsal says so."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ajet.elections import services, tasks
from ajet.elections.models import Election
from tests.elections.election_factories import candidate, contest_of, make_election
from tests.factories import MemberFactory, block_post, national_post

pytestmark = pytest.mark.django_db


def test_the_schedule_opens_voting_and_mails_the_roll(executive, member, pending):
    make_election(executive, phase=Election.Phase.NOMINATIONS_OPEN, posts=[national_post("chair")],
                  candidates={"chair": [MemberFactory(full_name="Alice Able")]})
    moves = tasks.advance_phases.call()
    assert [phase for _slug, phase in moves] == ["nominations_closed", "voting_open"]
    recipients = {message.to[0] for message in mail.outbox}
    assert member.user.email in recipients and pending.user.email not in recipients
    assert all("Voting is open" in message.subject for message in mail.outbox)


def test_the_reminder_goes_to_those_who_have_not_voted_once(executive, member, block_rep):
    election = make_election(executive, phase=Election.Phase.VOTING_OPEN, posts=[national_post("chair")],
                             candidates={"chair": [MemberFactory(full_name="Alice Able")]},
                             voting_close_at=timezone.now() + datetime.timedelta(hours=20), is_rehearsal=True)
    chair = contest_of(election, "chair")
    services.cast_ballot(voter=member, contest=chair, ranking=[candidate(chair, "Alice Able").pk])
    assert tasks.send_due_reminders.call() == [election.slug]
    assert tasks.send_due_reminders.call() == []  # once per election
    recipients = {message.to[0] for message in mail.outbox}
    assert block_rep.user.email in recipients and member.user.email not in recipients
    assert all("[Rehearsal]" in message.subject for message in mail.outbox)


def test_certifying_mails_every_member_from_a_task(client, executive, member):
    election = make_election(executive, phase=Election.Phase.COUNTED, posts=[national_post("chair")])
    client.force_login(executive.user)
    client.post(reverse("elections:advance", args=[election.slug]), {"phase": "counted"})
    assert Election.objects.get().phase == Election.Phase.CERTIFIED
    assert member.user.email in {message.to[0] for message in mail.outbox}
    assert "Results certified" in mail.outbox[0].subject
    # The e-mail carries the result package's hash: every member holds a copy to check the archive against.
    from ajet.elections.models import ResultPackage

    body = mail.outbox[0].body
    assert ResultPackage.objects.get(election=election).sha256 in body
    assert reverse("elections:results", args=[election.slug]) in body
    assert reverse("elections:result_package", args=[election.slug]) in body


# --- Nominations open: the same e-mail whether the schedule or an executive opens them (real SMTP) ----------

class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def received(self) -> dict[str, str]:
        """Recipient → the message's text, as it went over the wire with long headers unfolded (RFC 5322)."""
        return {address: re.sub(r"\r\n(?=[ \t])", "", envelope.content.decode())
                for envelope in self.envelopes for address in envelope.rcpt_tos}


@pytest.fixture
def inbox(settings):
    from tests.smtp import smtp_server_for

    with smtp_server_for(settings, Inbox()) as handler:
        yield handler


def _scheduled_draft(executive, **overrides):
    now, day = timezone.now(), datetime.timedelta(days=1)
    fields = {"nominations_open_at": now - datetime.timedelta(minutes=5), "nominations_close_at": now + 5 * day,
              "voting_open_at": now + 6 * day, "voting_close_at": now + 9 * day} | overrides
    return make_election(executive, phase=Election.Phase.DRAFT, posts=[national_post("chair"), block_post(3)],
                         **fields)


def test_the_schedule_opens_nominations_of_a_scheduled_draft_and_mails_the_electorate(executive, member, pending,
                                                                                       block_rep, inbox):
    election = _scheduled_draft(executive, opens_on_schedule=True)
    assert tasks.advance_phases.call() == [(election.slug, Election.Phase.NOMINATIONS_OPEN)]
    assert Election.objects.get().phase == Election.Phase.NOMINATIONS_OPEN
    received = inbox.received()
    assert member.user.email in received and block_rep.user.email in received
    assert pending.user.email not in received  # not a current member: may neither stand nor vote
    assert "Nominations are open: 2026 National AJET Council Election" in received[member.user.email]
    assert reverse("elections:election", args=[election.slug]) in received[member.user.email]
    assert tasks.advance_phases.call() == [] and len(inbox.envelopes) == len(received)  # announced once


def test_an_executive_opening_nominations_sends_the_same_mail(client, executive, member, inbox):
    election = _scheduled_draft(executive)  # not on schedule: waits for the executive
    assert tasks.advance_phases.call() == [] and inbox.envelopes == []
    client.force_login(executive.user)
    client.post(reverse("elections:advance", args=[election.slug]), {"phase": "draft"})
    assert Election.objects.get().phase == Election.Phase.NOMINATIONS_OPEN
    assert "Nominations are open" in inbox.received()[member.user.email]


def test_a_phase_passed_through_in_one_run_is_not_announced(executive, member, inbox):
    day = datetime.timedelta(days=1)
    election = _scheduled_draft(executive, opens_on_schedule=True, nominations_open_at=timezone.now() - 3 * day,
                                nominations_close_at=timezone.now() - day)
    assert tasks.advance_phases.call() == [(election.slug, Election.Phase.NOMINATIONS_OPEN),
                                           (election.slug, Election.Phase.NOMINATIONS_CLOSED)]
    assert inbox.envelopes == []  # nominations are already over: nobody is told they are open
