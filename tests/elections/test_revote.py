"""Re-voting (elections that allow it): the receipt shows a secret; presenting it replaces that ballot while
voting is open. The ballot holds only the secret's hash; the sealed box drops even that."""

import re

import pytest
from django.urls import reverse

from ajet.elections import services
from ajet.elections.models import Ballot, Election, Participation
from tests.elections.election_factories import candidate, contest_of, make_election
from tests.factories import MemberFactory, national_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(executive, member, block_rep):
    return make_election(executive, phase=Election.Phase.VOTING_OPEN, posts=[national_post("chair")],
                         allow_revote=True, candidates={"chair": [MemberFactory(full_name="Alice Able"),
                                                                   MemberFactory(full_name="Bob Baker")]})


def _cast(client, election, name):
    chair = contest_of(election, "chair")
    response = client.post(reverse("elections:cast", args=[election.slug]),
                           {f"c{chair.pk}_1": str(candidate(chair, name).pk)})
    page = response.content.decode()
    return (re.search(r'class="tracking-code">([^<]+)<', page).group(1),
            re.search(r'class="revote-secret">([^<]+)<', page).group(1))


def _revote(client, election, secret, name=None):
    chair = contest_of(election, "chair")
    data = {"secret": secret} | ({f"c{chair.pk}_1": str(candidate(chair, name).pk)} if name else {})
    return client.post(reverse("elections:revote", args=[election.slug, chair.pk]), data)


def test_the_secret_replaces_the_ballot_and_nothing_else(client, election, member, block_rep):
    client.force_login(member.user)
    code, secret = _cast(client, election, "Alice Able")
    ballot = Ballot.objects.get(tracking_code=code)
    assert ballot.revote_hash == services.revote_hash(secret) and secret not in str(ballot.__dict__)
    response = _revote(client, election, secret.lower(), "Bob Baker")
    assert response.status_code == 200 and code in response.content.decode()
    chair = contest_of(election, "chair")
    assert Ballot.objects.get(tracking_code=code).ranking == [candidate(chair, "Bob Baker").pk]
    assert Ballot.objects.count() == Participation.objects.count() == 1

    client.force_login(block_rep.user)  # another voter, who cannot guess the first one's secret
    _cast(client, election, "Alice Able")
    _revote(client, election, "AAAAA-BBBBB-CCCCC-DDDDD", "Bob Baker")  # a wrong secret changes nothing
    assert sorted(Ballot.objects.values_list("ranking", flat=True)) == sorted(
        [[candidate(chair, "Bob Baker").pk], [candidate(chair, "Alice Able").pk]])


def test_no_revote_without_a_vote_or_after_close_and_the_seal_drops_the_hashes(client, election, member, executive):
    client.force_login(member.user)
    code, secret = _cast(client, election, "Alice Able")
    client.force_login(executive.user)  # has not voted: sent back, nothing changes
    assert _revote(client, election, secret, "Bob Baker").status_code == 302
    election = services.advance_phase(by=executive.user, election=election)
    chair = contest_of(election, "chair")
    with pytest.raises(services.ElectionError):
        services.revote(voter=member, contest=chair, secret=secret, ranking=[])
    ballot = Ballot.objects.get(tracking_code=code)
    assert ballot.ranking == [candidate(chair, "Alice Able").pk] and ballot.revote_hash == ""


def test_elections_without_revoting_show_no_secret_and_refuse_it(client, executive, member):
    election = make_election(executive, phase=Election.Phase.VOTING_OPEN, posts=[national_post("chair")],
                             candidates={"chair": [MemberFactory(full_name="Alice Able")]})
    chair = contest_of(election, "chair")
    client.force_login(member.user)
    page = client.post(reverse("elections:cast", args=[election.slug]),
                       {f"c{chair.pk}_1": str(candidate(chair, "Alice Able").pk)}).content.decode()
    assert "revote-secret" not in page and Ballot.objects.get().revote_hash == ""
    with pytest.raises(services.ElectionError):
        services.revote(voter=member, contest=chair, secret="x", ranking=[])
