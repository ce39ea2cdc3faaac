"""Fetch-and-authorize helpers. The PSG's records are not scoped per object: whoever lacks the permission is
refused (403) before anything is fetched, so nothing about the line's volunteers leaks through a 404."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ajet.support.models import NightException, Resource, ShiftAssignment, Volunteer


def require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def access_volunteer(user, volunteer_id: int) -> Volunteer:
    require(user, "support.manage_volunteers")
    return get_object_or_404(Volunteer.objects.select_related("member").prefetch_related("trainings"),
                             pk=volunteer_id)


def access_night_exception(user, exception_id: int) -> NightException:
    require(user, "support.manage_hours")
    return get_object_or_404(NightException, pk=exception_id)


def access_assignment(user, assignment_id: int) -> ShiftAssignment:
    require(user, "support.manage_roster")
    return get_object_or_404(ShiftAssignment.objects.select_related("volunteer__member"), pk=assignment_id)


def access_resource(user, resource_id: int) -> Resource:
    require(user, "support.manage_resources")
    return get_object_or_404(Resource, pk=resource_id)
