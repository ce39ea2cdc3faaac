"""The dashboard says "Vote now" while a member has contests left; their export lists voting days, never ballots."""

import pytest
from django.urls import reverse

from ajet.core.personal_data import export_personal_data
from ajet.elections import services
from ajet.elections.models import Election
from tests.elections.election_factories import candidate, contest_of, make_election
from tests.factories import MemberFactory, national_post

pytestmark = pytest.mark.django_db


def test_vote_now_panel_until_the_member_has_voted(client, executive, member):
    alice = MemberFactory(full_name="Alice Able")
    election = make_election(executive, phase=Election.Phase.VOTING_OPEN, posts=[national_post("chair")],
                             candidates={"chair": [alice]})
    client.force_login(member.user)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Vote now:" in page and "2026 National AJET Council Election" in page
    chair = contest_of(election, "chair")
    code = services.cast_ballot(voter=member, contest=chair, ranking=[candidate(chair, "Alice Able").pk])
    assert "Vote now" not in client.get(reverse("core:dashboard")).content.decode()

    exported = export_personal_data(member.user)["elections"]
    assert exported["voted"][0]["contest"] == "Chair" and exported["candidacies"] == []
    assert code not in str(exported)
    assert export_personal_data(alice.user)["elections"]["candidacies"][0]["status"] == "approved"
