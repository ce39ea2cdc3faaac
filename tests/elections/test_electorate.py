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


# --- the rules themselves (ajet/elections/electorate.py, mutation-tested) ---------------------------------

def test_each_posts_default_rule():
    from tests.factories import block_post

    assert electorate.default_eligibility(national_post("chair")) == {"eligibility": "all"}
    assert electorate.default_eligibility(national_post("cir-representative")) == {
        "eligibility": "position", "position": "CIR"}
    rule = electorate.default_eligibility(block_post(3))
    assert rule["eligibility"] == "block" and rule["block"].number == 3


def test_block_and_position_rules_reach_only_their_members(executive, member, cir_rep, pending):
    from tests.factories import block_post

    election = make_election(executive, phase=Election.Phase.DRAFT,
                             posts=[national_post("chair"), block_post(3), national_post("cir-representative")])
    chair, block, cir = (contest_of(election, slug) for slug in ("chair", "block-3-representative",
                                                                 "cir-representative"))
    assert set(electorate.eligible_members(chair)) == {executive, member, cir_rep}  # never the pending member
    assert set(electorate.eligible_members(block)) == {member}  # Saitama; Tokyo and Hokkaido are elsewhere
    assert set(electorate.eligible_members(cir)) == {cir_rep}
    assert electorate.is_eligible(member, block) and not electorate.is_eligible(executive, block)
    assert not electorate.is_eligible(None, chair) and not electorate.is_eligible(pending, chair)


def test_a_membership_cutoff_leaves_later_members_off_the_frozen_roll(executive, member):
    import datetime

    from django.utils import timezone

    from ajet.people.models import Member

    Member.objects.filter(pk=member.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    election = make_election(executive, posts=[national_post("chair")], phase=Election.Phase.VOTING_OPEN,
                             membership_cutoff=timezone.localdate() - datetime.timedelta(days=30))
    chair = contest_of(election, "chair")
    assert list(RollEntry.objects.filter(contest=chair).values_list("member", flat=True)) == [member.pk]
    assert chair.roll_size == 1
    assert electorate.rolls_holding(member, [chair]) == {chair.pk}
    assert electorate.rolls_holding(executive, [chair]) == electorate.rolls_holding(None, [chair]) == set()


def test_the_roll_is_frozen_per_contest_with_its_size(executive, member, cir_rep):
    election = make_election(executive, posts=[national_post("chair"), national_post("cir-representative")],
                             phase=Election.Phase.VOTING_OPEN)
    chair, cir = contest_of(election, "chair"), contest_of(election, "cir-representative")
    assert (chair.roll_size, cir.roll_size) == (3, 1)
    assert set(RollEntry.objects.filter(contest=cir).values_list("member", flat=True)) == {cir_rep.pk}
    MemberFactory(full_name="Late Comer")
    assert RollEntry.objects.filter(contest=chair).count() == 3  # frozen: a new member is not added


def test_who_may_stand(executive, member, block_rep, pending):
    from tests.factories import block_post

    election = make_election(executive, phase=Election.Phase.NOMINATIONS_OPEN, committee=[block_rep],
                             posts=[national_post("chair"), block_post(3)])
    services.add_referendum_question(by=executive.user, election=election, question="Agree?")
    chair, block = contest_of(election, "chair"), contest_of(election, "block-3-representative")
    question = election.contests.get(post__isnull=True)
    assert electorate.can_stand_in(member, chair) and electorate.can_stand_in(member, block)
    assert not electorate.can_stand_in(executive, block)  # Tokyo is not in block 3
    assert not electorate.can_stand_in(block_rep, chair)  # on the committee
    assert not electorate.can_stand_in(pending, chair)
    assert not electorate.can_stand_in(None, chair)
    assert not electorate.can_stand_in(member, question)
