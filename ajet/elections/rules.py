"""Permissions of the elections app, built on the shared predicates of organisation."""

import rules

from ajet.organisation.predicates import is_current_member, is_executive, is_member


@rules.predicate
def is_published(user, election) -> bool:
    """Everything but a draft is public knowledge (the bulletin board and results are for anyone to check)."""
    from ajet.elections.models import Election

    return election is not None and election.phase != Election.Phase.DRAFT


@rules.predicate
def sits_on_committee(user, election) -> bool:
    return election is not None and is_member(user) and election.committee.filter(pk=user.member.pk).exists()


@rules.predicate
def is_own_candidacy(user, candidate) -> bool:
    return candidate is not None and is_member(user) and candidate.member_id == user.member.pk


@rules.predicate
def may_see_candidate(user, candidate) -> bool:
    """Standing candidates are public to members; a nomination not (or no longer) on the ballot is seen only
    by the nominee, the committee and the executives."""
    from ajet.elections.models import Candidate

    election = candidate.contest.election
    return (candidate.status in (Candidate.Status.APPROVED, Candidate.Status.WITHDRAWN)
            or is_own_candidacy(user, candidate) or sits_on_committee(user, election) or is_executive(user))


rules.add_perm("elections.view_election", is_executive | is_published)
rules.add_perm("elections.add_election", is_executive)
rules.add_perm("elections.manage_election", is_executive)
rules.add_perm("elections.vote", is_current_member)
rules.add_perm("elections.nominate", is_current_member)
rules.add_perm("elections.review_nomination", sits_on_committee)
rules.add_perm("elections.view_candidate", may_see_candidate)
rules.add_perm("elections.withdraw", is_own_candidacy)
