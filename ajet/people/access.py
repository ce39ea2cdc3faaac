"""Fetch-and-authorize helpers: 404 when the member is hidden from the user, 403 when seen but not allowed."""

from django.shortcuts import get_object_or_404

from ajet.core.access import authorize
from ajet.people.models import Member


def access_member(user, member_id: int, perm: str = "people.view_member") -> Member:
    member = get_object_or_404(Member.objects.select_related("prefecture", "user"), pk=member_id)
    return authorize(user, member, see="people.view_member", do=perm)
