"""seed_demo builds a certified past election with results and board, and a current one the demo member can vote in;
both carry a referendum question."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ajet.elections.models import Ballot, Candidate, Election, RollEntry
from ajet.organisation.demo import DEMO_ACCOUNTS
from ajet.people.models import Member

pytestmark = pytest.mark.django_db(databases=["default", "support"])  # seed_demo fills the PSG database too


def test_the_demo_has_a_certified_and_a_current_election(client):
    output = io.StringIO()
    call_command("seed_demo", members=120, chapters=6, stdout=output)
    assert "Elections:" in output.getvalue()
    past = Election.objects.get(phase=Election.Phase.CERTIFIED)
    current = Election.objects.get(phase=Election.Phase.VOTING_OPEN)
    assert past.voting_close_at < current.voting_open_at and past.board_hash
    assert all(contest.result and contest.result["winners"] for contest in past.contests.all())
    assert Ballot.objects.filter(contest__election=past).exists()
    member = Member.objects.get(user__email=next(a.email for a in DEMO_ACCOUNTS if a.role == "member"))
    # Every contest but the CIR rep's, and the referendum question.
    assert RollEntry.objects.filter(contest__election=current, member=member).count() == 5
    client.force_login(member.user)
    ballot = client.get(reverse("elections:ballot", args=[current.slug]))
    assert ballot.status_code == 200 and "Article 5 of the constitution" in ballot.content.decode()
    past_question = past.contests.get(post__isnull=True)
    assert sum(past_question.result["rounds"][0]["tallies"].values()) == past_question.ballots.count() > 0
    results = client.get(reverse("elections:results", args=[past.slug]))
    assert results.status_code == 200 and "from June to September" in results.content.decode()
    assert client.get(reverse("elections:board", args=[past.slug])).status_code == 200
    assert client.get(reverse("elections:result_package", args=[past.slug])).status_code == 200
    # This year's candidates came through nominations; the by-election's await the demo executive.
    statuses = set(Candidate.objects.filter(contest__election=current, member__isnull=False)
                   .values_list("status", flat=True))
    assert statuses == {"approved", "rejected", "withdrawn"}
    by_election = Election.objects.get(phase=Election.Phase.NOMINATIONS_OPEN)
    executive = Member.objects.get(user__email=next(a.email for a in DEMO_ACCOUNTS if a.role == "executive"))
    client.force_login(executive.user)
    page = client.get(reverse("elections:nominations", args=[by_election.slug])).content.decode()
    assert page.count("Record the decision") >= 1
