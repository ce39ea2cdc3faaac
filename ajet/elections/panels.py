"""This app's panel on the member dashboard: "Vote now" for each open election with contests left."""

from ajet.elections import queries
from ajet.elections.models import Election


def vote_now(request) -> dict | None:
    member = getattr(request.user, "member", None)
    if member is None or not member.is_current:
        return None
    open_elections = []
    for election in Election.objects.filter(phase=Election.Phase.VOTING_OPEN):
        contests = queries.contests_to_vote_in(member, election)
        if contests:
            open_elections.append((election, contests))
    return {"open_elections": open_elections} if open_elections else None
