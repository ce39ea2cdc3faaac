"""One member, one vote per contest, under concurrency (DESIGN.md invariant 2): 50 simultaneous casts."""

import pytest
from django.core.cache import cache

from ajet.elections import services
from ajet.elections.models import Ballot, Election, Participation
from ajet.elections.services import ElectionError
from tests.concurrency import needs_postgresql, run_together
from tests.elections.election_factories import candidate, contest_of, make_election
from tests.factories import MemberFactory, give_mfa, give_term, national_post

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ATTEMPTS = 50


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_fifty_simultaneous_casts_by_one_member_store_exactly_one_ballot():
    erin = MemberFactory(full_name="Erin Executive", prefecture_id="13")
    give_term(erin, national_post("chair"))
    give_mfa(erin.user)
    voter = MemberFactory(full_name="Vera Voter")
    alice = MemberFactory(full_name="Alice Able")
    election = make_election(erin, posts=[national_post("chair")], candidates={"chair": [alice]},
                             phase=Election.Phase.VOTING_OPEN)
    chair = contest_of(election, "chair")
    choice = candidate(chair, "Alice Able").pk

    def work(index):
        try:
            return services.cast_ballot(voter=voter, contest=chair, ranking=[choice])
        except ElectionError:
            return "refused"

    results = run_together(ATTEMPTS, work)
    assert results.count("refused") == ATTEMPTS - 1, results
    assert Ballot.objects.filter(contest=chair).count() == 1
    assert Participation.objects.filter(contest=chair, member=voter).count() == 1
