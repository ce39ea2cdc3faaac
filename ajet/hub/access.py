"""Fetch-and-authorize helpers: 404 when the announcement is hidden, 403 when seen but not allowed."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404

from ajet.core.access import authorize
from ajet.hub.models import Announcement


def access_announcement(user, announcement_id: int, perm: str | None = None) -> Announcement:
    announcement = get_object_or_404(Announcement.objects.select_related("scope_chapter", "scope_prefecture"),
                                     pk=announcement_id)
    return authorize(user, announcement, see="hub.view_announcement", do=perm)


def access_event(user, event_id: int, perm: str | None = None):
    from ajet.hub.models import Event

    event = get_object_or_404(Event, pk=event_id)
    return authorize(user, event, see="hub.view_event", do=perm)


def signs_in_when_hidden(view):
    """For pages open to anyone when public: a visitor who is not signed in and may not see the object is
    sent to sign in (it may be theirs once signed in) instead of a 404."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise

    return wrapper
def access_guide(user, slug: str, perm: str | None = None):
    """A guide by its short name: 404 when the user may not read it, 403 when read but not allowed `perm`."""
    from ajet.hub.models import Guide

    guide = get_object_or_404(Guide.objects.select_related("category", "owner_post"), slug=slug)
    return authorize(user, guide, see="hub.view_guide", do=perm)
