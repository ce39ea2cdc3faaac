"""Casting: one vote per member per contest, on the frozen roll, in the window; bad ballots change nothing."""

import datetime

import pytest
from django.utils import timezone

from ajet.elections import services
from ajet.elections.models import Ballot, Election, Participation, RollEntry
from ajet.elections.services import ElectionError
from tests.elections.election_factories import candidate, contest_of, make_election
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidates():
    return [MemberFactory(full_name="Alice Able"), MemberFactory(full_name="Bob Baker", prefecture_id="13")]


@pytest.fixture
def election(executive, candidates, member):
    alice, bob = candidates
    return make_election(executive, candidates={"chair": [alice, bob], "block-3-representative": [alice]},
                         phase=Election.Phase.VOTING_OPEN)


def nothing_stored():
    return Ballot.objects.count() == 0 and Participation.objects.count() == 0


def test_the_roll_is_frozen_when_voting_opens_with_each_contests_electorate(election, member, executive):
    chair, block = contest_of(election, "chair"), contest_of(election, "block-3-representative")
    assert RollEntry.objects.filter(contest=chair, member=executive).exists()  # Tokyo, block 4: national post
    assert not RollEntry.objects.filter(contest=block, member=executive).exists()  # … but not block 3
    assert RollEntry.objects.filter(contest=block, member=member).exists()
    assert chair.roll_size == RollEntry.objects.filter(contest=chair).count()
    late = MemberFactory(full_name="Late Comer")  # joined after voting opened: not on the frozen roll
    with pytest.raises(ElectionError, match="not on the electoral roll"):
        services.cast_ballot(voter=late, contest=chair, ranking=[])
    assert nothing_stored()


def test_a_ballot_is_stored_without_the_voter_and_returns_a_tracking_code(election, member, candidates):
    chair = contest_of(election, "chair")
    ron = chair.candidates.get(is_reopen_nominations=True)
    code = services.cast_ballot(voter=member, contest=chair, ranking=[candidate(chair, "Bob Baker").pk, ron.pk])
    ballot = Ballot.objects.get(tracking_code=code)
    assert ballot.ranking == [candidate(chair, "Bob Baker").pk, ron.pk]
    assert Participation.objects.get().member == member
    assert Participation.objects.get().day == timezone.localdate()


def test_one_vote_per_member_per_contest(election, member):
    chair = contest_of(election, "chair")
    services.cast_ballot(voter=member, contest=chair, ranking=[candidate(chair, "Alice Able").pk])
    with pytest.raises(ElectionError, match="already voted"):
        services.cast_ballot(voter=member, contest=chair, ranking=[candidate(chair, "Bob Baker").pk])
    assert Ballot.objects.count() == Participation.objects.count() == 1


@pytest.mark.parametrize("case", ["other contest", "duplicate", "not a number", "withdrawn"])
def test_bad_rankings_are_refused_and_store_nothing(election, member, case):
    chair, block = contest_of(election, "chair"), contest_of(election, "block-3-representative")
    alice = candidate(chair, "Alice Able")
    ranking = {
        "other contest": [candidate(block, "Alice Able").pk],
        "duplicate": [alice.pk, alice.pk],
        "not a number": ["1; DROP TABLE"],
        "withdrawn": [alice.pk],
    }[case]
    if case == "withdrawn":
        alice.status = alice.Status.WITHDRAWN
        alice.save(update_fields=["status"])
    with pytest.raises(ElectionError):
        services.cast_ballot(voter=member, contest=chair, ranking=ranking)
    assert nothing_stored()


def test_several_contests_are_cast_all_or_nothing(election, member):
    chair, block = contest_of(election, "chair"), contest_of(election, "block-3-representative")
    with pytest.raises(ElectionError):
        services.cast_ballots(voter=member, rankings={
            chair: [candidate(chair, "Alice Able").pk], block: [candidate(chair, "Alice Able").pk]})
    assert nothing_stored()
    codes = services.cast_ballots(voter=member, rankings={chair: [], block: [candidate(block, "Alice Able").pk]})
    assert set(codes) == {chair, block} and len(set(codes.values())) == 2


def test_pending_members_and_members_who_left_cannot_vote(election, member, pending):
    chair = contest_of(election, "chair")
    with pytest.raises(ElectionError, match="current members"):
        services.cast_ballot(voter=pending, contest=chair, ranking=[])
    member.status = member.Status.ALUMNI
    member.save(update_fields=["status"])
    with pytest.raises(ElectionError, match="current members"):
        services.cast_ballot(voter=member, contest=chair, ranking=[])
    assert nothing_stored()


def test_voting_outside_the_window_is_refused(executive, member, candidates):
    early = make_election(executive, slug="early", candidates={"chair": candidates},
                          phase=Election.Phase.NOMINATIONS_CLOSED)
    with pytest.raises(ElectionError, match="phase"):
        services.cast_ballot(voter=member, contest=contest_of(early, "chair"), ranking=[])
    late = make_election(executive, slug="late", candidates={"chair": candidates}, phase=Election.Phase.VOTING_OPEN)
    Election.objects.filter(pk=late.pk).update(voting_close_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ElectionError, match="closed"):
        services.cast_ballot(voter=member, contest=contest_of(late, "chair"), ranking=[])
    assert nothing_stored()


def test_a_ballot_cast_with_an_election_read_before_the_close_is_refused(election, member, executive):
    """The phase is read again in the cast's transaction, not taken from the page's (possibly cached) copy."""
    chair = contest_of(election, "chair")  # read while voting is open, as a request would have it
    services.advance_phase(by=executive.user, election=election)  # meanwhile: voting closes
    assert chair.election.phase == Election.Phase.VOTING_OPEN
    with pytest.raises(ElectionError, match="phase"):
        services.cast_ballot(voter=member, contest=chair, ranking=[candidate(chair, "Alice Able").pk])
    with pytest.raises(ElectionError, match="phase"):
        services.cast_ballots(voter=member, rankings={chair: []})
    assert nothing_stored()


def test_a_ballot_names_contests_of_one_election(election, executive, member, candidates):
    other = make_election(executive, slug="other", candidates={"chair": candidates}, phase=Election.Phase.VOTING_OPEN)
    with pytest.raises(ElectionError, match="one election"):
        services.cast_ballots(voter=member, rankings={contest_of(election, "chair"): [],
                                                      contest_of(other, "chair"): []})
    assert nothing_stored()


def test_a_second_vote_in_one_of_several_contests_refuses_them_all(election, member):
    chair, block = contest_of(election, "chair"), contest_of(election, "block-3-representative")
    services.cast_ballot(voter=member, contest=block, ranking=[])
    with pytest.raises(ElectionError, match="already voted in Block 3"):
        services.cast_ballots(voter=member, rankings={chair: [candidate(chair, "Bob Baker").pk], block: []})
    assert Ballot.objects.count() == Participation.objects.count() == 1


def test_casting_several_contests_takes_a_fixed_number_of_statements(election, member, django_assert_num_queries):
    """The lock on the phase, the roll of every contest, one insert of participations and one of ballots
    (plus the savepoint of the test's transaction), however many contests the ballot holds."""
    from ajet.elections import queries

    contests = queries.ballot_contests(queries.get_election(election.slug))
    with django_assert_num_queries(6):
        codes = services.cast_ballots(voter=member, rankings={contest: [] for contest in contests})
    assert len(codes) == 2 and Ballot.objects.count() == Participation.objects.count() == 2
