"""The ballot pages: rank, confirm, cast, receipt; then the board, the check page, downloads and results."""

import json

import pytest
from django.urls import reverse

from ajet.elections import services
from ajet.elections.board import ballot_lines, chain_head
from ajet.elections.models import Ballot, Election, Participation
from tests.elections.election_factories import candidate, contest_of, make_election
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(executive, member):
    alice, bob = MemberFactory(full_name="Alice Able"), MemberFactory(full_name="Bob Baker", prefecture_id="13")
    return make_election(executive, candidates={"chair": [alice, bob], "block-3-representative": [alice]},
                         phase=Election.Phase.VOTING_OPEN)


def ballot_data(election, chair_names=(), block_names=()):
    data = {}
    for slug, names in (("chair", chair_names), ("block-3-representative", block_names)):
        contest = contest_of(election, slug)
        for rank, name in enumerate(names, start=1):
            data[f"c{contest.pk}_{rank}"] = str(candidate(contest, name).pk)
    return data


def test_a_member_ranks_confirms_and_gets_tracking_codes(client, election, member):
    client.force_login(member.user)
    page = client.get(reverse("elections:ballot", args=[election.slug]))
    assert page.status_code == 200 and "1st choice" in page.content.decode()
    data = ballot_data(election, ["Bob Baker", "Alice Able"], ["Re-open nominations"])
    confirm = client.post(reverse("elections:ballot", args=[election.slug]), data)
    assert "Check your ballot" in confirm.content.decode()
    assert Ballot.objects.count() == 0  # nothing cast before the confirmation
    receipt = client.post(reverse("elections:cast", args=[election.slug]), data)
    assert receipt.status_code == 200
    codes = list(Ballot.objects.values_list("tracking_code", flat=True))
    assert len(codes) == 2 and all(code in receipt.content.decode() for code in codes)
    assert not any(code in str(dict(client.session)) for code in codes)  # never kept in the session
    again = client.post(reverse("elections:cast", args=[election.slug]), data)
    assert again.status_code in (302, 400) and Ballot.objects.count() == 2


def test_a_duplicate_rank_is_shown_as_an_error_and_nothing_is_cast(client, election, member):
    client.force_login(member.user)
    data = ballot_data(election, ["Alice Able", "Alice Able"])
    response = client.post(reverse("elections:cast", args=[election.slug]), data)
    assert response.status_code == 400 and "at most once" in response.content.decode()
    assert Ballot.objects.count() == Participation.objects.count() == 0


def test_a_tampered_form_naming_another_contests_candidate_is_refused(client, election, member):
    client.force_login(member.user)
    chair, block = contest_of(election, "chair"), contest_of(election, "block-3-representative")
    data = {f"c{chair.pk}_1": str(candidate(block, "Alice Able").pk)}
    response = client.post(reverse("elections:cast", args=[election.slug]), data)
    assert response.status_code == 400
    assert Ballot.objects.count() == Participation.objects.count() == 0


def test_after_close_the_board_shows_the_ballot_and_its_hash(client, election, member, executive):
    client.force_login(member.user)
    data = ballot_data(election, ["Bob Baker", "Alice Able"])
    client.post(reverse("elections:cast", args=[election.slug]), data)
    code = Ballot.objects.get().tracking_code
    for _ in range(2):
        election = services.advance_phase(by=executive.user, election=election)
    client.logout()  # the board is public
    board = client.get(reverse("elections:board", args=[election.slug])).content.decode()
    assert code in board and election.board_hash in board
    found = client.get(reverse("elections:board_check", args=[election.slug]), {"code": code.lower()})
    assert "Bob Baker" in found.content.decode() and "was counted" in found.content.decode()
    missing = client.get(reverse("elections:board_check", args=[election.slug]), {"code": "0000-0000-0000"})
    assert "No ballot has this tracking code" in missing.content.decode()
    text = client.get(reverse("elections:board_file", args=[election.slug])).content.decode()
    assert chain_head(ballot_lines(text)) == election.board_hash
    chair = contest_of(election, "chair")
    blt = client.get(reverse("elections:contest_file", args=[election.slug, chair.pk, "blt"])).content.decode()
    assert '"Bob Baker"' in blt
    result = json.loads(client.get(reverse("elections:contest_file", args=[election.slug, chair.pk, "json"])).content)
    assert result["winners"] == ["Bob Baker"]
    page = client.get(reverse("elections:results", args=[election.slug])).content.decode()
    assert "Round 1" in page and "Exhausted ballots" in page


def test_only_codes_are_published_when_full_ballots_are_not(client, executive, member):
    alice = MemberFactory(full_name="Alice Able")
    election = make_election(executive, candidates={"chair": [alice]}, phase=Election.Phase.VOTING_OPEN,
                             publish_full_ballots=False)
    chair = contest_of(election, "chair")
    code = services.cast_ballot(voter=member, contest=chair, ranking=[candidate(chair, "Alice Able").pk])
    election = services.advance_phase(by=executive.user, election=election)
    board = client.get(reverse("elections:board", args=[election.slug])).content.decode()
    assert code in board and "Alice Able" not in board
    assert client.get(reverse("elections:contest_file", args=[election.slug, chair.pk, "csv"])).status_code == 404
