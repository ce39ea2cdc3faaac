"""Drop the cached elections (queries.get_election) and the "Vote now" panels (panels.py) when what they
show changes: an election, a contest, a candidate, a post's name (its contest's name on the ballot), a roll;
and a member's own panel when they vote.

Cache invalidation only, not business logic: the services stay the only writers. Saves and deletes bump the
elections' data version (ajet.core.cache) now and again after the transaction commits; the models'
querysets bump on writes that send no signals (update, bulk_create, bulk_update).
"""

from ajet.core.cache import VersionedQuerySet, bump_on_member_writes, bump_on_writes

ELECTIONS_DATA = "elections"


class ElectionDataQuerySet(VersionedQuerySet):
    namespace = ELECTIONS_DATA


def connect() -> None:
    from ajet.elections.models import Candidate, Contest, Election, Participation, RollEntry
    from ajet.organisation.models import Post

    bump_on_writes(ELECTIONS_DATA, Election, Contest, Candidate, Post, RollEntry)
    bump_on_member_writes("elections", Participation)
