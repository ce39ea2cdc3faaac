"""This app's panel on the member dashboard: the open surveys addressed to the member, drafts first.

Its HTML is cached (ajet/core/panels.py) per member and language under the versions of the surveys
(VOICE_DATA), the member's own answers and drafts, the organisation (a survey's audience) and the member's
account; surveys open and close with the clock, so the panel is at most CLOCK_SECONDS late.
"""

from ajet.core.cache import member_namespace
from ajet.core.panels import PanelCache
from ajet.organisation.powers import ORGANISATION_DATA
from ajet.people.user_cache import user_namespace
from ajet.voice import queries

VOICE_DATA = "voice"


def open_surveys_cache(request) -> PanelCache | None:
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    return PanelCache(key=str(member.pk), clock=True, namespaces=(
        VOICE_DATA, member_namespace("voice", member.pk), ORGANISATION_DATA, user_namespace(request.user.pk)))


def open_surveys(request) -> dict | None:
    surveys = queries.open_surveys_for(getattr(request.user, "member", None))
    return {"open_surveys": sorted(surveys, key=lambda item: not item[1])} if surveys else None
