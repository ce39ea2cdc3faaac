"""Fetch-and-authorize helpers: 404 when the member is hidden from the user, 403 when seen but not allowed."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ajet.people.models import Member


def access_member(user, member_id: int, perm: str = "people.view_member") -> Member:
    member = get_object_or_404(Member.objects.select_related("prefecture", "user"), pk=member_id)
    if not user.has_perm("people.view_member", member):
        raise Http404
    if perm != "people.view_member" and not user.has_perm(perm, member):
        raise PermissionDenied
    return member
