"""This app's panel on the member dashboard: "Vote now" for each open election with contests left.

Its HTML is cached (ajet/core/panels.py) per member and language under the versions of the elections
(ELECTIONS_DATA: elections, their phases, contests, candidates, rolls), the member's own participations
(their votes cast, so that one member voting leaves everyone else's panel alone) and the member's account.
"""

from ajet.core.cache import member_namespace
from ajet.core.panels import PanelCache
from ajet.elections import queries
from ajet.elections.models import Election
from ajet.elections.signals import ELECTIONS_DATA
from ajet.people.user_cache import user_namespace


def vote_now_cache(request) -> PanelCache | None:
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    return PanelCache(key=str(member.pk), namespaces=(
        ELECTIONS_DATA, member_namespace("elections", member.pk), user_namespace(request.user.pk)))


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
