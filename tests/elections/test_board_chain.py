"""The bulletin board's hash chain: any change, addition, removal or reordering of a ballot changes the
head; a downloaded board file is checked by `python -m ajet.elections.board` without Django."""

import subprocess
import sys
from pathlib import Path

import pytest

from ajet.elections import board, services
from ajet.elections.models import Ballot, Election
from tests.elections.election_factories import contest_of, make_election
from tests.elections.test_lifecycle import vote_for
from tests.factories import MemberFactory, national_post

LINES = ["chair\tAAAA-AAAA-AAAA\tAlice > Bob", "chair\tBBBB-BBBB-BBBB\tBob", "chair\tCCCC-CCCC-CCCC\t"]
ROOT = Path(__file__).resolve().parents[2]


def test_the_chain_head_is_stable_and_follows_the_documented_recipe():
    import hashlib

    head = "0" * 64
    for line in LINES:
        head = hashlib.sha256((head + "\n" + line).encode()).hexdigest()
    assert board.chain_head(LINES) == head


@pytest.mark.parametrize("tampered", [
    [LINES[0], "chair\tBBBB-BBBB-BBBB\tAlice", LINES[2]],  # one ballot changed
    [*LINES, "chair\tDDDD-DDDD-DDDD\tAlice"],  # one added
    LINES[:1] + LINES[2:],  # one removed
    [LINES[1], LINES[0], LINES[2]],  # reordered
])
def test_any_change_to_the_ballots_changes_the_head(tampered):
    assert board.chain_head(tampered) != board.chain_head(LINES)


@pytest.mark.django_db
def test_a_ballot_changed_added_or_removed_in_the_database_changes_the_published_head(executive):
    alice, bob = MemberFactory(full_name="Alice Able"), MemberFactory(full_name="Bob Baker")
    election = make_election(executive, candidates={"chair": [alice, bob]}, phase=Election.Phase.VOTING_OPEN,
                             posts=[national_post("chair")])
    chair = contest_of(election, "chair")
    vote_for(chair, [(alice, ["Alice Able"]), (bob, ["Bob Baker", "Alice Able"]), (executive, ["Bob Baker"])])
    election = services.advance_phase(by=executive.user, election=election)
    published = election.board_hash
    assert services.board_hash(election) == published
    ballot = Ballot.objects.get(ranking=[chair.candidates.get(name="Alice Able").pk])
    Ballot.objects.filter(pk=ballot.pk).update(ranking=[chair.candidates.get(name="Bob Baker").pk])
    assert services.board_hash(election) != published
    Ballot.objects.filter(pk=ballot.pk).update(ranking=ballot.ranking)
    assert services.board_hash(election) == published
    Ballot.objects.filter(pk=ballot.pk).delete()
    assert services.board_hash(election) != published
    ballot.save(force_insert=True)
    Ballot.objects.create(contest=chair, ranking=[])
    assert services.board_hash(election) != published


@pytest.mark.django_db
def test_the_checker_runs_without_django_on_a_downloaded_board(executive, tmp_path):
    alice = MemberFactory(full_name="Alice Able")
    election = make_election(executive, candidates={"chair": [alice]}, phase=Election.Phase.VOTING_OPEN,
                             posts=[national_post("chair")])
    vote_for(contest_of(election, "chair"), [(alice, ["Alice Able"])])
    election = services.advance_phase(by=executive.user, election=election)
    path = tmp_path / "board.txt"
    path.write_text(services.board_text(election), encoding="utf-8")
    script = ("import runpy, sys; sys.argv = ['board', sys.argv[1]]\n"
              "try:\n    runpy.run_module('ajet.elections.board', run_name='__main__')\n"
              "finally:\n    assert 'django' not in sys.modules")
    checked = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", script, str(path)], cwd=ROOT, capture_output=True, text=True)
    assert checked.returncode == 0 and election.board_hash in checked.stdout and "OK" in checked.stdout
    path.write_text(path.read_text().replace("Alice Able", "Mallory"), encoding="utf-8")
    tampered = subprocess.run([sys.executable, "-m", "ajet.elections.board", str(path)], cwd=ROOT,  # noqa: S603
                              capture_output=True, text=True)
    assert tampered.returncode == 1 and "MISMATCH" in tampered.stderr
