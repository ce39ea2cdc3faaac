"""The electorate a draft election sets per contest (e.g. the CIR Representative by all members), and members
asking the election committee to correct their roll."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ajet.core import once
from ajet.core.models import AuditEntry
from ajet.elections import electorate, services
from ajet.elections.models import Election, RollEntry
from ajet.elections.services import ElectionError
from tests.elections.election_factories import contest_of, make_election
from tests.factories import MemberFactory, national_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(executive):
    return make_election(executive, phase=Election.Phase.DRAFT,
                         posts=[national_post("chair"), national_post("cir-representative")])


def test_the_election_sets_the_cir_representatives_electorate_and_the_frozen_roll_follows(draft, executive, member):
    cir = contest_of(draft, "cir-representative")
    assert cir.eligibility == "position" and not electorate.eligible_members(cir).filter(pk=member.pk).exists()
    services.set_electorate(by=executive.user, contest=cir, eligibility="all")
    entry = AuditEntry.objects.get(action="contest.electorate")
    assert entry.before["eligibility"] == "position" and entry.after == {"eligibility": "all", "block": None,
                                                                        "position": ""}
    election = draft
    while election.phase != Election.Phase.VOTING_OPEN:
        election = services.advance_phase(by=executive.user, election=election)
    assert RollEntry.objects.filter(contest=cir, member=member).exists()  # an ALT votes for the CIR rep now


def test_a_block_electorate_needs_its_block_and_nothing_changes_on_error(draft, executive):
    chair = contest_of(draft, "chair")
    with pytest.raises(ElectionError, match="block"):
        services.set_electorate(by=executive.user, contest=chair, eligibility="block")
    with pytest.raises(ElectionError, match="position"):
        services.set_electorate(by=executive.user, contest=chair, eligibility="position")
    chair.refresh_from_db()
    assert chair.eligibility == "all" and not AuditEntry.objects.filter(action="contest.electorate").exists()


def test_only_an_executive_and_only_in_the_draft(draft, executive, block_rep):
    chair = contest_of(draft, "chair")
    with pytest.raises(PermissionDenied):
        services.set_electorate(by=block_rep.user, contest=chair, eligibility="position", position="CIR")
    election = services.advance_phase(by=executive.user, election=draft)
    with pytest.raises(ElectionError, match="cannot be done now"):
        services.set_electorate(by=executive.user, contest=contest_of(election, "chair"), eligibility="position",
                                position="CIR")
    assert contest_of(election, "chair").eligibility == "all"


def test_the_electorate_page_sets_a_block(client, draft, executive):
    client.force_login(executive.user)
    chair = contest_of(draft, "chair")
    url = reverse("elections:electorate", args=[draft.slug, chair.pk])
    assert "Who may vote" in client.get(url).content.decode()
    invalid = client.post(url, {"eligibility": "block"})
    assert invalid.status_code == 200 and "Choose the block" in invalid.content.decode()
    assert client.post(url, {"eligibility": "block", "block": "3"}).status_code == 302
    chair.refresh_from_db()
    assert (chair.eligibility, chair.block_id, chair.position) == ("block", 3, "")


# --- roll corrections ------------------------------------------------------------------------------------

def _ask(client, election, message="I moved to Nagano (block 4) in March."):
    return client.post(reverse("elections:roll_correction", args=[election.slug]),
                       {"message": message, once.FIELD: once.issue()})


def test_a_member_asks_the_committee_to_correct_the_roll(client, executive, member, block_rep):
    election = make_election(executive, phase=Election.Phase.NOMINATIONS_OPEN, committee=[block_rep])
    client.force_login(member.user)
    page = client.get(reverse("elections:roll_correction", args=[election.slug])).content.decode()
    assert "Block 3 Representative</bdi>: you are on the roll" in page
    assert _ask(client, election).status_code == 302
    [message] = mail.outbox
    assert message.to == [block_rep.user.email] and message.reply_to == [member.user.email]
    assert member.full_name in message.subject and "I moved to Nagano" in message.body
    assert "Chair: on the roll" in message.body


def test_without_a_committee_the_executives_read_it_and_after_the_close_it_is_refused(client, executive, member):
    election = make_election(executive, phase=Election.Phase.VOTING_OPEN)
    client.force_login(member.user)
    _ask(client, election)
    assert [message.to for message in mail.outbox] == [[executive.user.email]]
    services.advance_phase(by=executive.user, election=election)
    assert _ask(client, election).status_code == 302 and len(mail.outbox) == 1


def test_a_pending_member_cannot_send_one(client, executive, pending):
    election = make_election(executive, phase=Election.Phase.NOMINATIONS_OPEN, committee=[MemberFactory()])
    client.force_login(pending.user)
    assert _ask(client, election).status_code == 403 and mail.outbox == []
