"""The cached election (queries.get_election): read once per change, never older than the last write."""

import pytest

from ajet.elections import queries, services
from ajet.elections.models import Candidate, Election
from tests.elections.election_factories import candidate, contest_of, make_election
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(executive):
    alice = MemberFactory(full_name="Alice Able")
    return make_election(executive, candidates={"chair": [alice]}, phase=Election.Phase.NOMINATIONS_OPEN)


def names_on_ballot(slug, post="chair"):
    contest = next(c for c in queries.ballot_contests(queries.get_election(slug)) if c.key == post)
    return [c.name for c in contest.ballot_candidates]


def test_the_election_its_contests_and_candidates_are_read_once(election, django_assert_num_queries):
    assert names_on_ballot(election.slug) == ["Alice Able", "Re-open nominations"]
    with django_assert_num_queries(0):
        assert names_on_ballot(election.slug) == ["Alice Able", "Re-open nominations"]
    assert queries.get_election("no-such-election") is None


def test_every_write_is_seen_at_once(election, executive):
    names_on_ballot(election.slug)
    services.withdraw(by=candidate(contest_of(election, "chair"), "Alice Able").member.user,
                      candidate=candidate(contest_of(election, "chair"), "Alice Able"))
    assert names_on_ballot(election.slug) == ["Re-open nominations"]
    services.advance_phase(by=executive.user, election=election)
    assert queries.get_election(election.slug).phase == Election.Phase.NOMINATIONS_CLOSED
    Election.objects.filter(pk=election.pk).update(title="Renamed")  # no signal: the queryset bumps
    assert queries.get_election(election.slug).title == "Renamed"
    Candidate.objects.filter(contest__election=election, is_reopen_nominations=True).update(name="RON")
    assert names_on_ballot(election.slug) == ["RON"]
