"""The hub's panel on the member dashboard: the latest announcements for the member."""

from ajet.hub import liaison, queries

PANEL_LENGTH = 3


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
