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


rules.add_perm("elections.view_election", is_executive | is_published)
rules.add_perm("elections.add_election", is_executive)
rules.add_perm("elections.manage_election", is_executive)
rules.add_perm("elections.vote", is_current_member)
rules.add_perm("elections.nominate", is_current_member)
rules.add_perm("elections.review_nominations", sits_on_committee)
