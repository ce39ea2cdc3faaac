"""E-mails go out from background tasks: voting open (to the roll), the 24-hour reminder (to non-voters),
certified results; a rehearsal says so."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ajet.elections import services, tasks
from ajet.elections.models import Election
from tests.elections.election_factories import candidate, contest_of, make_election
from tests.factories import MemberFactory, national_post

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
