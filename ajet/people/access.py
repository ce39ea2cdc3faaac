"""Fetch-and-authorize helpers: 404 when the member is hidden from the user, 403 when seen but not allowed."""

from collections.abc import Callable

from django.db.models import Q
from django.shortcuts import get_object_or_404

from ajet.core.access import authorize
from ajet.people.models import Member
from ajet.people.queries import pending_sign_ups


def access_member(user, member_id: int, perm: str = "people.view_member") -> Member:
    member = get_object_or_404(Member.objects.select_related("prefecture", "user"), pk=member_id)
    return authorize(user, member, see="people.view_member", do=perm)


# Who manages which members is the organisation's knowledge (its powers); it registers a filter here
# (AppConfig.ready) so that member lists ask the database for the members an officer manages instead of
# loading every member and asking has_perm of each.
_managed_members_filter: Callable[[object], Q] | None = None
# The data versions (ajet.core.cache) that the filter and the permissions on members are derived from.
managed_members_namespaces: tuple[str, ...] = ()


def managed_members_versions() -> tuple[str, ...]:
    return managed_members_namespaces


def register_managed_members_filter(function: Callable[[object], Q], namespaces: tuple[str, ...] = ()) -> None:
    global _managed_members_filter, managed_members_namespaces
    _managed_members_filter = function
    managed_members_namespaces = tuple(namespaces)


def get_pending_members_for(user):
    """Pending sign-ups in the user's area, oldest first, annotated with `email_verified` (a queryset; pages
    ask has_perm of each)."""
    pending = pending_sign_ups()
    if _managed_members_filter is not None:
        pending = pending.filter(_managed_members_filter(user))
    return pending.order_by("created_at", "pk")


def get_managed_members_for(user):
    """Current and pending members the user is responsible for (their prefectures, constituency; everyone
    for executives), by name (a queryset)."""
    members = Member.objects.filter(status__in=[Member.Status.CURRENT, Member.Status.PENDING])
    if _managed_members_filter is None:
        return members.none()
    return members.filter(_managed_members_filter(user)).select_related("user", "prefecture").order_by(
        "full_name", "pk")


def get_terms_ending_for(members: list[Member], last_day) -> list:
    """The officer terms of `members` that run past `last_day` (they end, or are cancelled, when the members
    leave that day), by post. The Term model is the organisation's: reached through the relation, not imported."""
    term_model = Member._meta.get_field("terms").related_model
    return list(term_model.objects.filter(member__in=members, end__gt=last_day).select_related("post", "member")
                .order_by("member__full_name", "start"))
