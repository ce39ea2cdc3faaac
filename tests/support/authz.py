"""The PSG line's rows. Independence: none of the matrix personas (executives and block representatives
included) holds a PSG role, so each is refused every page but the public ones; the PSG's own personas are
tested in tests/support/test_permissions.py."""

import datetime

from ajet.support import services
from ajet.support.models import ContactLog, NightException, OnCall, Resource, ShiftAssignment, Volunteer
from tests.authz_support import Row, everyone, signed_in
from tests.factories import MemberFactory

REFUSED = signed_in(403)


def _resource(world):
    world.resource = Resource.objects.get_or_create(name="Tokyo English Life Line", category="counselling")[0]
    return {"resource_id": world.resource.pk}


def _exception(world):
    world.exception = NightException.objects.get_or_create(night=datetime.date(2099, 1, 1), closed=True)[0]
    return {"exception_id": world.exception.pk}


def _volunteer(world):
    member = MemberFactory(full_name="Val Volunteer", year_on_jet=3) if not hasattr(world, "psg_volunteer") else None
    if member is not None:
        world.psg_volunteer = Volunteer.objects.create(member=member)
    return {"volunteer_id": world.psg_volunteer.pk}


def _assignment(world):
    _volunteer(world)
    world.assignment = ShiftAssignment.objects.get_or_create(volunteer=world.psg_volunteer,
                                                             night=datetime.date(2099, 1, 1), shift=0)[0]
    return {"assignment_id": world.assignment.pk}


def _still(attribute):
    def verify(world, role):
        getattr(world, attribute).refresh_from_db()  # raises if it was deleted
    return verify


def _shift_data(world):
    return {"night": "2099-01-02", "shift": "0"}


def _no_exception_added(world, role):
    assert not NightException.objects.filter(night=datetime.date(2099, 1, 2)).exists()


def _no_volunteer_added(world, role):
    assert not Volunteer.objects.filter(member=world.member).exists()


def _no_assignment(world, role):
    assert not ShiftAssignment.objects.filter(night=datetime.date(2099, 1, 2)).exists()


def _no_resource_planted(world, role):
    assert not Resource.objects.filter(name="Planted").exists()


def _resource_unchanged(world, role):
    assert Resource.objects.get(pk=world.resource.pk).name == "Tokyo English Life Line"


def _no_training(world, role):
    assert not world.psg_volunteer.trainings.exists()


def _no_log(world, role):
    assert not ContactLog.objects.exists()


def _my_shift(world):
    """The drop form names a shift in its data; the URL has no arguments."""
    _assignment(world)
    return {}


def _not_offered(world, role):
    assert not ShiftAssignment.objects.get(pk=world.assignment.pk).offered


def _offered_assignment(world):
    _assignment(world)
    ShiftAssignment.objects.filter(pk=world.assignment.pk).update(offered=True)
    return {}


def _still_theirs(world, role):
    assert ShiftAssignment.objects.get(pk=world.assignment.pk).volunteer_id == world.psg_volunteer.pk


def _calendar(world):
    _volunteer(world)
    return {"token": services.calendar_token_of(world.psg_volunteer)}


def _no_on_call(world, role):
    assert not OnCall.objects.exists()


ROWS = [
    # Public: the line's status, the directory and the published statistics.
    Row("support:home", everyone(200)),
    Row("support:status_api", everyone(200)),
    Row("support:statistics", everyone(200)),
    Row("support:resources", everyone(200)),
    Row("support:chat", everyone(200)),
    # The PSG's own pages: refused to everyone without a PSG role, executives and block representatives too.
    Row("support:resource_create", REFUSED),
    Row("support:resource_create", REFUSED, method="post",
        data=lambda world: {"name": "Planted", "category": "legal"},
        verify=_no_resource_planted),
    Row("support:resource_edit", REFUSED, kwargs=_resource),
    Row("support:resource_edit", REFUSED, kwargs=_resource, method="post",
        data=lambda world: {"name": "Changed", "category": "legal"},
        verify=_resource_unchanged),
    Row("support:resource_delete", REFUSED, kwargs=_resource, method="post", verify=_still("resource")),
    Row("support:hours", REFUSED),
    Row("support:hours", REFUSED, method="post", data=lambda world: {"night": "2099-01-02", "closed": "on"},
        verify=_no_exception_added),
    Row("support:hours_exception_delete", REFUSED, kwargs=_exception, method="post", verify=_still("exception")),
    Row("support:volunteers", REFUSED),
    Row("support:volunteers", REFUSED, method="post", data=lambda world: {"email": world.member.user.email},
        verify=_no_volunteer_added),
    Row("support:volunteer", REFUSED, kwargs=_volunteer),
    Row("support:training_add", REFUSED, kwargs=_volunteer, method="post",
        data=lambda world: {"kind": "initial", "completed_on": "2024-01-01"},
        verify=_no_training),
    Row("support:roster", REFUSED),
    Row("support:shift_sign_up", REFUSED, method="post", data=_shift_data, verify=_no_assignment),
    Row("support:shift_drop", REFUSED, kwargs=_my_shift, method="post", data=lambda world: {
        "night": "2099-01-01", "shift": "0"}, verify=_still("assignment")),
    Row("support:coverage", REFUSED),
    Row("support:shift_unassign", REFUSED, kwargs=_assignment, method="post", verify=_still("assignment")),
    Row("support:log_contact", REFUSED),
    Row("support:console", REFUSED),
    Row("support:log_contact", REFUSED, method="post", data=lambda world: {
        "channel": "chat", "duration": "0-10", "topics": ["isolation"]},
        verify=_no_log),
    Row("support:shift_offer", REFUSED, kwargs=_my_shift, method="post", data=lambda world: {
        "night": "2099-01-01", "shift": "0"}, verify=_not_offered),
    Row("support:shift_take", REFUSED, kwargs=_offered_assignment, method="post", data=lambda world: {
        "assignment": str(world.assignment.pk)}, verify=_still_theirs),
    Row("support:calendar_reset", REFUSED, method="post"),
    # The volunteer's shift calendar: its secret address is the key (calendar apps do not sign in).
    Row("support:calendar", everyone(200), kwargs=_calendar),
    Row("support:on_call", REFUSED, method="post", data=lambda world: {
        "oncall-night": "2099-01-01", "oncall-coordinator": str(world.executive.pk)}, verify=_no_on_call),
    Row("support:debrief", REFUSED),
    Row("support:debrief", REFUSED, method="post"),
    Row("support:contact_statistics", REFUSED),
    Row("support:contact_statistics_csv", REFUSED),
]
