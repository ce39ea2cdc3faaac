"""One member, one vote per contest, under concurrency (DESIGN.md invariant 2): 50 simultaneous casts."""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction

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


def _a_backend_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


def test_closing_the_vote_waits_for_a_ballot_being_cast_and_seals_it():
    """No ballot lands after the close: the cast holds a share lock on the election's row until it commits,
    so the close (which locks the row for update) seals the box with that ballot in it."""
    erin = MemberFactory(full_name="Erin Executive", prefecture_id="13")
    give_term(erin, national_post("chair"))
    give_mfa(erin.user)
    voter = MemberFactory(full_name="Vera Voter")
    election = make_election(erin, posts=[national_post("chair")], candidates={"chair": [MemberFactory()]},
                             phase=Election.Phase.VOTING_OPEN)
    chair = contest_of(election, "chair")
    cast, commit = threading.Event(), threading.Event()
    outcome = {}

    def voter_casts():
        try:
            with transaction.atomic():
                outcome["code"] = services.cast_ballot(voter=voter, contest=chair, ranking=[])
                cast.set()
                commit.wait(timeout=60)  # the transaction stays open while the executive closes the vote
        finally:
            connections.close_all()

    def executive_closes():
        try:
            cast.wait(timeout=60)
            services.advance_phase(by=erin.user, election=election)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=voter_casts), threading.Thread(target=executive_closes)]
    for thread in threads:
        thread.start()
    assert cast.wait(timeout=60)
    for _ in range(600):  # until the close waits for the cast's lock (it never gets past it while it is held)
        if _a_backend_waits_for_a_lock():
            break
        time.sleep(0.05)
    waited = _a_backend_waits_for_a_lock()
    commit.set()
    for thread in threads:
        thread.join(timeout=60)
    assert waited, "the close did not wait for the ballot being cast"
    election.refresh_from_db()
    assert election.phase == Election.Phase.VOTING_CLOSED
    assert list(Ballot.objects.filter(contest=chair).values_list("tracking_code", flat=True)) == [outcome["code"]]
    assert election.board_hash == services.board_hash(election)  # the sealed board holds the ballot
