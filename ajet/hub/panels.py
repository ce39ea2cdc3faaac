"""The hub's panels: on the member dashboard the latest announcements and events for the member; on a
chapter's page its upcoming events.

Their HTML is cached (ajet/core/panels.py) per member and language under the versions of what they read:
the hub's announcements and events (HUB_DATA), the member's own hub rows (acknowledgements, RSVPs), the
organisation (which chapters reach the member) and the member's account (prefecture, position). Events
change with the clock too (an event passing), so their panels are at most CLOCK_SECONDS late.
"""

from ajet.core.cache import member_namespace
from ajet.core.panels import PanelCache
from ajet.hub import liaison, queries
from ajet.hub.models import HUB_DATA
from ajet.organisation.powers import ORGANISATION_DATA
from ajet.organisation.scopes import Scope
from ajet.people.user_cache import user_namespace

PANEL_LENGTH = 3
CHAPTER_EVENTS = 10


def _member_cache(request, member, *, clock: bool, extra: str = "") -> PanelCache:
    return PanelCache(key=f"{member.pk}{extra}", clock=clock, namespaces=(
        HUB_DATA, member_namespace("hub", member.pk), ORGANISATION_DATA, user_namespace(request.user.pk)))


def announcements_cache(request) -> PanelCache | None:
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    return _member_cache(request, member, clock=False, extra=f":desk={liaison.has_desk(request.user):d}")


def announcements(request) -> dict | None:
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    latest = list(queries.announcements_for(member)[:PANEL_LENGTH])
    if not latest:
        return None
    waiting = queries.announcements_for(member, unread_only=True).count()
    return {"latest_announcements": latest, "waiting_acknowledgement": waiting,
            "liaison_desk": liaison.has_desk(request.user)}


def events_cache(request) -> PanelCache | None:
    member = getattr(request.user, "member", None)
    return None if member is None else _member_cache(request, member, clock=True)


def events(request) -> dict | None:
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    upcoming = list(queries.events_for(member)[:PANEL_LENGTH])
    return {"upcoming_events": upcoming} if upcoming else None


def chapter_events_cache(request, chapter) -> PanelCache:
    """Per member (events reach members by their scope), or one for every visitor who is not a member."""
    member = getattr(request.user, "member", None)
    if member is None:
        return PanelCache(key=f"{chapter.pk}:public", clock=True, namespaces=(HUB_DATA,))
    return _member_cache(request, member, clock=True, extra=f":{chapter.pk}")


def chapter_events(request, chapter) -> dict:
    """On a chapter's page: its upcoming events that the visitor may see (the public ones for anyone)."""
    member = getattr(request.user, "member", None)
    events = queries.events_for(member) if member is not None else queries.upcoming_public_events()
    return {"chapter_events": list(events.filter(scope_kind=Scope.CHAPTER, scope_chapter=chapter)[:CHAPTER_EVENTS]),
            "chapter": chapter}
