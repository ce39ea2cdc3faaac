"""Fetch-and-authorize helpers: 404 when the election is hidden (a draft), 403 when seen but not allowed."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from ajet.core.access import authorize
from ajet.elections.models import Candidate, Contest, Election
from ajet.elections.queries import get_election


def access_election(user, slug: str, perm: str | None = None) -> Election:
    election = get_election(slug)  # from the shared cache, kept current by signals.py
    if election is None:
        raise Http404
    return authorize(user, election, see="elections.view_election", do=perm)


def access_contest(user, slug: str, contest_id: int, perm: str | None = None) -> Contest:
    election = access_election(user, slug, perm)
    contest = get_object_or_404(Contest.objects.select_related("post"), election=election, pk=contest_id)
    contest.election = election
    return contest


def access_candidate(user, slug: str, candidate_id: int, perm: str | None = None) -> Candidate:
    """A candidate of a visible election: 404 for a nomination the user may not see (see rules.py), 403
    when seen but `perm` (asked on the candidate) is not allowed."""
    election = access_election(user, slug)
    candidate = get_object_or_404(Candidate.objects.select_related("contest__post", "member"),
                                  contest__election=election, pk=candidate_id, is_reopen_nominations=False,
                                  answer="")
    candidate.contest.election = election
    return authorize(user, candidate, see="elections.view_candidate", do=perm)
