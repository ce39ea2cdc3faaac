"""Phases move by an executive's action or on schedule, audit-logged; closing seals and counts; certifying
creates the winners' terms (not in a rehearsal; RON winning leaves the post vacant)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ajet.core.models import AuditEntry
from ajet.elections import board, services
from ajet.elections.models import Election
from ajet.elections.services import ElectionError
from ajet.organisation.models import Term
from tests.elections.election_factories import candidate, contest_of, election_fields, make_election
from tests.factories import MemberFactory, national_post

pytestmark = pytest.mark.django_db
Phase = Election.Phase


def vote_for(contest, names_by_voter):
    for voter, names in names_by_voter:
        services.cast_ballot(voter=voter, contest=contest, ranking=[candidate(contest, n).pk for n in names])


@pytest.fixture
def alice():
    return MemberFactory(full_name="Alice Able")


@pytest.fixture
def bob():
    return MemberFactory(full_name="Bob Baker", prefecture_id="13")


def test_only_executives_create_and_move_elections(block_rep, executive):
    with pytest.raises(PermissionDenied):
        services.create_election(by=block_rep.user, fields=election_fields(), posts=[national_post("chair")])
    election = make_election(executive, phase=Phase.DRAFT)
    with pytest.raises(PermissionDenied):
        services.advance_phase(by=block_rep.user, election=election)
    assert Election.objects.get().phase == Phase.DRAFT
    assert AuditEntry.objects.filter(action="election.create").count() == 1


def test_each_contest_offers_re_open_nominations_and_default_electorates(executive):
    election = make_election(executive, phase=Phase.DRAFT, posts=[national_post("chair"), national_post(
        "cir-representative")])
    chair, cir = contest_of(election, "chair"), contest_of(election, "cir-representative")
    assert chair.eligibility == "all" and cir.eligibility == "position" and cir.position == "CIR"
    assert chair.candidates.get(is_reopen_nominations=True).on_ballot


def test_the_schedule_moves_phases_whose_dates_passed_and_counts_at_close(executive, alice, bob, member):
    election = make_election(executive, candidates={"chair": [alice, bob]}, phase=Phase.NOMINATIONS_OPEN,
                             posts=[national_post("chair")])
    assert services.advance_due_phases() == [(election.slug, Phase.NOMINATIONS_CLOSED),
                                             (election.slug, Phase.VOTING_OPEN)]
    chair = contest_of(election, "chair")
    vote_for(chair, [(member, ["Alice Able"]), (alice, ["Alice Able"]), (bob, ["Bob Baker", "Alice Able"])])
    assert services.advance_due_phases() == []  # voting still open
    later = election.voting_close_at + datetime.timedelta(minutes=1)
    assert services.advance_due_phases(now=later) == [(election.slug, Phase.VOTING_CLOSED),
                                                      (election.slug, Phase.COUNTED)]
    chair.refresh_from_db()
    assert chair.result["winners"] == ["Alice Able"]
    assert chair.result["rounds"][0]["tallies"]["Alice Able"] == 2
    entries = AuditEntry.objects.filter(action="election.phase").order_by("pk")
    phases = list(entries.values_list("after__phase", "actor_label"))
    assert phases[-4:] == [("nominations_closed", "system"), ("voting_open", "system"),
                           ("voting_closed", "system"), ("counted", "system")]


def test_the_board_hash_is_the_chain_head_of_the_published_board(executive, alice, bob, member):
    election = make_election(executive, candidates={"chair": [alice, bob]}, phase=Phase.VOTING_OPEN,
                             posts=[national_post("chair")])
    chair = contest_of(election, "chair")
    vote_for(chair, [(member, ["Bob Baker", "Alice Able"])])
    election = services.advance_phase(by=executive.user, election=election)
    text = services.board_text(election)
    assert "Bob Baker > Alice Able" in text
    assert election.board_hash == board.chain_head(board.ballot_lines(text)) == board.stated_head(text)


def test_certifying_creates_the_winners_terms(executive, alice, bob, member):
    election = make_election(executive, candidates={"chair": [alice, bob]}, phase=Phase.VOTING_OPEN,
                             posts=[national_post("chair")])
    vote_for(contest_of(election, "chair"), [(member, ["Bob Baker"]), (alice, ["Bob Baker"])])
    for _ in range(2):
        election = services.advance_phase(by=executive.user, election=election)
    assert election.phase == Phase.COUNTED
    services.certify(by=executive.user, election=election)
    term = Term.objects.get(member=bob)
    assert (term.post.slug, term.start, term.end) == ("chair", election.term_start, election.term_end)
    assert AuditEntry.objects.filter(action="election.certify").exists()
    with pytest.raises(ElectionError):
        services.certify(by=executive.user, election=Election.objects.get(pk=election.pk))


def test_a_rehearsal_never_creates_terms_and_ron_winning_leaves_the_post_vacant(executive, alice, member, bob):
    election = make_election(executive, candidates={"chair": [alice]}, phase=Phase.VOTING_OPEN,
                             posts=[national_post("chair")], is_rehearsal=True)
    chair = contest_of(election, "chair")
    vote_for(chair, [(member, ["Alice Able"]), (alice, ["Alice Able"])])
    for _ in range(3):
        election = services.advance_phase(by=executive.user, election=election)
    assert election.phase == Phase.CERTIFIED and not Term.objects.filter(member=alice).exists()

    real = make_election(executive, slug="rerun", candidates={"chair": [alice]}, phase=Phase.VOTING_OPEN,
                         posts=[national_post("chair")], term_start=timezone.localdate() + datetime.timedelta(400),
                         term_end=timezone.localdate() + datetime.timedelta(700))
    chair = contest_of(real, "chair")
    ron = services.REOPEN_NOMINATIONS
    vote_for(chair, [(member, [ron]), (bob, [ron]), (alice, ["Alice Able"])])
    for _ in range(3):
        real = services.advance_phase(by=executive.user, election=real)
    chair.refresh_from_db()
    assert chair.result["winners"] == [ron] and chair.vacant
    assert not Term.objects.filter(member=alice).exists()


def test_a_committee_member_cannot_stand(executive, alice):
    election = make_election(executive, phase=Phase.DRAFT, committee=[alice])
    with pytest.raises(ElectionError, match="committee"):
        services.add_candidate(by=executive.user, contest=contest_of(election, "chair"), member=alice)
