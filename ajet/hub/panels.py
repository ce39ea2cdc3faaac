"""The hub's panels: on the member dashboard the latest announcements and events for the member; on a
chapter's page its upcoming events."""

from ajet.hub import liaison, queries
from ajet.organisation.scopes import Scope

PANEL_LENGTH = 3
CHAPTER_EVENTS = 10


def announcements(request) -> dict | None:
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    latest = list(queries.announcements_for(member)[:PANEL_LENGTH])
    waiting = queries.announcements_for(member, unread_only=True).count()
    if not latest:
        return None
    return {"latest_announcements": latest, "waiting_acknowledgement": waiting,
            "liaison_desk": bool(liaison.desk_blocks(request.user))}


def events(request) -> dict | None:
    member = getattr(request.user, "member", None)
    if member is None:
        return None
    upcoming = list(queries.events_for(member)[:PANEL_LENGTH])
    return {"upcoming_events": upcoming} if upcoming else None


def chapter_events(request, chapter) -> dict:
    """On a chapter's page: its upcoming events that the visitor may see (the public ones for anyone)."""
    member = getattr(request.user, "member", None)
    events = queries.events_for(member) if member is not None else queries.upcoming_public_events()
    return {"chapter_events": list(events.filter(scope_kind=Scope.CHAPTER, scope_chapter=chapter)[:CHAPTER_EVENTS]),
            "chapter": chapter}
