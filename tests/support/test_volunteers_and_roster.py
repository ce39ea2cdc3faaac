"""Volunteers, training and the roster: who may serve, who manages, coverage, and the audit trail."""

import datetime
import itertools

import pytest
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.support import queries, services
from ajet.support.models import NightException, ShiftAssignment, Training, Volunteer
from tests.factories import MemberFactory, give_mfa
from tests.support.conftest import make_volunteer, tokyo

pytestmark = pytest.mark.django_db(databases=["default", "support"])

NIGHT = datetime.date(2026, 3, 14)
MANAGER_PAGES = ["support:volunteers", "support:coverage", "support:roster"]


@pytest.fixture
def march(frozen):
    return frozen(tokyo(2026, 3, 14, 12, 0))


@pytest.mark.parametrize("persona", ["psg_coordinator", "volunteer_coordinator"])
def test_coordinators_manage_volunteers_and_roster(client, request, persona):
    who = request.getfixturevalue(persona)
    client.force_login(who.member.user if isinstance(who, Volunteer) else who.user)
    for name in MANAGER_PAGES:
        assert client.get(reverse(name)).status_code == 200, name


def test_only_the_psg_coordinator_manages_hours(client, psg_coordinator, volunteer_coordinator):
    client.force_login(psg_coordinator.user)
    assert client.get(reverse("support:hours")).status_code == 200
    client.force_login(volunteer_coordinator.member.user)
    assert client.get(reverse("support:hours")).status_code == 403


def test_volunteer_coordinator_without_second_factor_manages_nothing(client, db):
    unproved = make_volunteer("Nico NoMFA", coordinator=True)
    client.force_login(unproved.member.user)
    assert client.get(reverse("support:volunteers")).status_code == 403


def test_a_volunteer_sees_the_roster_but_manages_nothing(client, volunteer):
    client.force_login(volunteer.member.user)
    assert client.get(reverse("support:roster")).status_code == 200
    assert client.get(reverse("support:log_contact")).status_code == 200
    for name in ("support:volunteers", "support:coverage", "support:hours", "support:resource_create"):
        assert client.get(reverse(name)).status_code == 403, name


@pytest.mark.parametrize("name", ["support:volunteers", "support:coverage", "support:roster", "support:log_contact",
                                  "support:hours"])
def test_independence_executive_block_rep_and_staff_are_refused(client, executive, block_rep, name, volunteer):
    staff = MemberFactory(full_name="Sam Staff", user__email="sam@example.org", user__is_staff=True)
    give_mfa(staff.user)
    for user in (executive.user, block_rep.user, staff.user):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403, (user, name)


def test_the_admin_shows_no_psg_records(db):
    from django.contrib import admin

    assert not [model for model in admin.site._registry if model._meta.app_label == "support"]


def test_enrol_needs_a_second_year_current_member(client, psg_coordinator, member):
    client.force_login(psg_coordinator.user)
    member.year_on_jet = 1
    member.save(update_fields=["year_on_jet"])
    response = client.post(reverse("support:volunteers"), {"email": member.user.email})
    assert "second year" in response.content.decode()
    assert not Volunteer.objects.exists()
    member.year_on_jet = 2
    member.save(update_fields=["year_on_jet"])
    response = client.post(reverse("support:volunteers"), {"email": member.user.email})
    volunteer = Volunteer.objects.get(member=member)
    assert response.status_code == 302 and not volunteer.may_serve()
    entry = AuditEntry.objects.get(action="support.volunteer_add")
    assert entry.actor == psg_coordinator.user and entry.target_id == str(volunteer.pk)


def test_training_makes_a_volunteer_trained_until_the_refresher_is_due(client, psg_coordinator, untrained_volunteer,
                                                                      frozen):
    frozen(tokyo(2026, 3, 14, 12, 0))
    client.force_login(psg_coordinator.user)
    url = reverse("support:training_add", kwargs={"volunteer_id": untrained_volunteer.pk})
    client.post(url, {"kind": "refresher", "completed_on": "2026-03-01"})
    assert not untrained_volunteer.trainings.exists()  # a refresher needs the initial training first
    client.post(url, {"kind": "initial", "completed_on": "2026-03-01"})
    untrained_volunteer.refresh_from_db()
    assert untrained_volunteer.refresher_due == datetime.date(2027, 3, 1)
    assert untrained_volunteer.may_serve(datetime.date(2027, 3, 1))
    assert not untrained_volunteer.may_serve(datetime.date(2027, 3, 2))
    assert AuditEntry.objects.filter(action="support.training_add", actor=psg_coordinator.user).count() == 1


def test_deactivating_is_audited_and_stops_serving(client, psg_coordinator, volunteer):
    client.force_login(psg_coordinator.user)
    client.post(reverse("support:volunteer", kwargs={"volunteer_id": volunteer.pk}), {"is_coordinator": ""})
    volunteer.refresh_from_db()
    assert not volunteer.is_active and not volunteer.may_serve()
    entry = AuditEntry.objects.get(action="support.volunteer_change")
    assert entry.before["is_active"] is True and entry.after["is_active"] is False


def test_sign_up_rules(client, volunteer, untrained_volunteer, march):
    client.force_login(volunteer.member.user)
    client.post(reverse("support:shift_sign_up"), {"night": "2026-03-14", "shift": "1"})
    assert ShiftAssignment.objects.filter(volunteer=volunteer, night=NIGHT, shift=1).exists()
    client.post(reverse("support:shift_sign_up"), {"night": "2026-03-14", "shift": "1"})  # twice: refused
    assert ShiftAssignment.objects.filter(volunteer=volunteer).count() == 1
    with pytest.raises(services.SupportError):  # untrained
        services.sign_up_for_shift(volunteer=untrained_volunteer, night=NIGHT, shift=0)
    with pytest.raises(services.SupportError):  # in the past
        services.sign_up_for_shift(volunteer=volunteer, night=datetime.date(2026, 3, 13), shift=2)
    NightException.objects.create(night=datetime.date(2026, 3, 15), closed=True)
    with pytest.raises(services.SupportError):  # a closed night
        services.sign_up_for_shift(volunteer=volunteer, night=datetime.date(2026, 3, 15), shift=0)
    client.force_login(untrained_volunteer.member.user)
    assert client.post(reverse("support:shift_sign_up"), {"night": "2026-03-16", "shift": "0"}).status_code == 403
    client.force_login(volunteer.member.user)
    response = client.post(reverse("support:shift_drop"), {"night": "2026-03-14", "shift": "1"}, follow=True)
    assert "offer it for a swap instead" in response.content.decode()  # less than 48 hours' notice
    assert ShiftAssignment.objects.filter(volunteer=volunteer).exists()
    client.post(reverse("support:shift_sign_up"), {"night": "2026-03-20", "shift": "1"})
    client.post(reverse("support:shift_drop"), {"night": "2026-03-20", "shift": "1"})  # with notice: dropped
    assert list(ShiftAssignment.objects.filter(volunteer=volunteer).values_list("night", flat=True)) == [NIGHT]


def test_shifts_cover_the_window_exactly():
    spans = [queries.hours.shift_span(NIGHT, index) for index in range(len(queries.hours.SHIFTS))]
    window = queries.hours.window_of(NIGHT)
    assert spans[0][0] == window.start and spans[-1][1] == window.end
    assert all(earlier[1] == later[0] for earlier, later in itertools.pairwise(spans))


def test_coverage_counts_only_trained_active_volunteers(march):
    first, second = make_volunteer("Ann One"), make_volunteer("Ben Two")
    lapsing = make_volunteer("Cat Lapse")
    lapsing.refresher_due = datetime.date(2026, 3, 14)
    lapsing.save(update_fields=["refresher_due"])
    for volunteer in (first, second):
        ShiftAssignment.objects.create(volunteer=volunteer, night=NIGHT, shift=0)
    ShiftAssignment.objects.create(volunteer=first, night=datetime.date(2026, 3, 15), shift=0)
    ShiftAssignment.objects.create(volunteer=lapsing, night=datetime.date(2026, 3, 15), shift=0)
    NightException.objects.create(night=datetime.date(2026, 3, 16), closed=True)
    nights = queries.coverage(NIGHT, 3)
    assert [shift.missing for shift in nights[0].shifts] == [0, 2, 2]
    assert [shift.trained for shift in nights[1].shifts] == [1, 0, 0]  # Cat's refresher was due the night before
    assert nights[2].closed and not nights[2].shifts and not nights[2].has_gap


def test_coordinator_assigns_and_removes_with_audit(client, psg_coordinator, volunteer, march):
    client.force_login(psg_coordinator.user)
    client.post(reverse("support:coverage"), {"volunteer": volunteer.pk, "night": "2026-03-20", "shift": "2"})
    assignment = ShiftAssignment.objects.get(volunteer=volunteer)
    page = client.get(reverse("support:coverage")).content.decode()
    assert "Vera Volunteer" in page and "gap" in page
    client.post(reverse("support:shift_unassign", kwargs={"assignment_id": assignment.pk}))
    assert not ShiftAssignment.objects.exists()
    assert list(AuditEntry.objects.values_list("action", flat=True).order_by("pk")) == [
        "support.shift_assign", "support.shift_unassign"]


def test_coverage_query_count_does_not_grow(django_assert_max_num_queries, march):
    for index in range(3):
        ShiftAssignment.objects.create(volunteer=make_volunteer(f"Vol{index} Person"), night=NIGHT, shift=index)
    with django_assert_max_num_queries(4):
        nights = queries.coverage(NIGHT, 28)
        assert sum(shift.trained for night in nights for shift in night.shifts) == 3


def test_exception_form_is_audited(client, psg_coordinator, march):
    client.force_login(psg_coordinator.user)
    client.post(reverse("support:hours"), {"night": "2026-03-20", "closed": "on", "reason": "Volunteer retreat"})
    exception = NightException.objects.get()
    assert exception.closed
    client.post(reverse("support:hours"), {"night": "2026-03-21"})  # neither closed nor times: refused
    assert NightException.objects.count() == 1
    client.post(reverse("support:hours_exception_delete", kwargs={"exception_id": exception.pk}))
    assert not NightException.objects.exists()
    assert AuditEntry.objects.filter(action__startswith="support.night_exception").count() == 2


def test_training_record_rejects_future_dates(psg_coordinator, volunteer, march):
    with pytest.raises(services.SupportError):
        services.record_training(by=psg_coordinator.user, volunteer=volunteer, kind=Training.Kind.REFRESHER,
                                 completed_on=datetime.date(2026, 4, 1))


COORDINATING = ("support.manage_volunteers", "support.manage_roster", "support.manage_resources",
                "support.view_contact_statistics")


def test_a_psg_coordinator_who_is_also_a_volunteer_coordinator_keeps_every_power(psg_coordinator):
    Volunteer.objects.create(member=psg_coordinator, is_coordinator=True, joined=datetime.date(2020, 1, 1))
    from ajet.people.models import User

    user = User.objects.get(pk=psg_coordinator.user_id)
    assert all(user.has_perm(perm) for perm in COORDINATING)


def test_a_volunteer_coordinator_keeps_the_powers_outside_a_request(volunteer_coordinator):
    """A service or a task asks for the account afresh, with no session behind it: a coordinator with a
    second factor keeps the powers there (only a password-only session loses them)."""
    from ajet.people.models import User

    user = User.objects.get(pk=volunteer_coordinator.member.user_id)
    assert all(user.has_perm(perm) for perm in COORDINATING)


def test_an_account_without_a_member_profile_is_nobodys_volunteer(volunteer):
    from ajet.people.models import User
    from ajet.support.rules import volunteer_of

    staff = User.objects.create_superuser(email="admin@example.org", password="a long admin passphrase")
    assert volunteer_of(staff) is None
    assert not staff.has_perm("support.view_roster") and not staff.has_perm("support.log_contact")
