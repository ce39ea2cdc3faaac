import pytest
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.people.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_block_rep_confirms_a_pending_member_of_their_block(client, block_rep, pending):
    client.force_login(block_rep.user)
    response = client.post(reverse("people:confirm", args=[pending.pk]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Member.Status.CURRENT
    entry = AuditEntry.objects.get(action="member.confirm")
    assert entry.before == {"status": "pending"} and entry.after == {"status": "current"}


def test_block_rep_cannot_see_or_confirm_a_pending_member_elsewhere(client, block_rep, pending_elsewhere):
    client.force_login(block_rep.user)
    assert pending_elsewhere.full_name not in client.get(reverse("people:pending")).content.decode()
    assert client.post(reverse("people:confirm", args=[pending_elsewhere.pk])).status_code == 404
    pending_elsewhere.refresh_from_db()
    assert pending_elsewhere.is_pending


def test_chapter_officer_and_executive_may_confirm(chapter_officer, executive, pending, pending_elsewhere):
    assert chapter_officer.user.has_perm("people.confirm_member", pending)
    assert not chapter_officer.user.has_perm("people.confirm_member", pending_elsewhere)
    assert executive.user.has_perm("people.confirm_member", pending_elsewhere)


def test_confirming_twice_is_refused(client, executive, member):
    client.force_login(executive.user)
    assert client.post(reverse("people:confirm", args=[member.pk])).status_code == 403
    assert not AuditEntry.objects.exists()


def test_confirming_again_is_refused_by_the_service(block_rep, pending):
    """Two officers clicking at once: the second is refused (the view shows it as a message)."""
    from ajet.people.services import MembershipError, confirm_membership

    confirm_membership(member=pending, by=block_rep.user)
    with pytest.raises(MembershipError):
        confirm_membership(member=pending, by=block_rep.user)
    assert AuditEntry.objects.filter(action="member.confirm").count() == 1


@pytest.fixture
def unverified(db):
    """Uma signed up in Saitama but has not clicked the link in her e-mail yet."""
    from allauth.account.models import EmailAddress

    from tests.factories import MemberFactory

    uma = MemberFactory(full_name="Uma Unverified", status="pending", user__email="uma@example.org")
    EmailAddress.objects.filter(user=uma.user).update(verified=False)
    return uma


def test_unverified_sign_ups_are_listed_apart_from_those_ready_to_confirm(client, block_rep, pending, unverified):
    client.force_login(block_rep.user)
    response = client.get(reverse("people:pending"))
    assert list(response.context["pending"]) == [pending]
    assert list(response.context["unverified"]) == [unverified]


def test_an_unverified_sign_up_cannot_be_confirmed(client, executive, unverified):
    from ajet.people.services import MembershipError, confirm_membership

    assert not executive.user.has_perm("people.confirm_member", unverified)
    client.force_login(executive.user)
    assert client.post(reverse("people:confirm", args=[unverified.pk])).status_code == 403
    with pytest.raises(MembershipError):
        confirm_membership(member=unverified, by=executive.user)
    unverified.refresh_from_db()
    assert unverified.is_pending and not AuditEntry.objects.exists()


def test_pending_list_shows_each_officer_the_members_they_manage(client, block_rep, cir_rep, executive, pending,
                                                                 pending_elsewhere):
    cir_elsewhere = MemberFactory(full_name="Cora CIR", status="pending", position="CIR", prefecture_id="23",
                                  user__email="cora@example.org")
    expected = {
        block_rep: {"Penny Pending"},
        cir_rep: {"Cora CIR"},
        executive: {"Penny Pending", "Ellis Elsewhere", "Cora CIR"},
    }
    for officer, names in expected.items():
        client.force_login(officer.user)
        page = client.get(reverse("people:pending")).content.decode()
        shown = {name for name in ("Penny Pending", "Ellis Elsewhere", cir_elsewhere.full_name) if name in page}
        assert shown == names, officer.full_name


def test_pending_list_is_paginated_oldest_first(client, executive):
    members = [MemberFactory(full_name=f"Waiting {number:02d}", status="pending") for number in range(26)]
    client.force_login(executive.user)
    first = client.get(reverse("people:pending")).content.decode()
    second = client.get(reverse("people:pending"), {"page": 2}).content.decode()
    assert all(member.full_name in first for member in members[:25]) and members[25].full_name not in first
    assert members[25].full_name in second and members[0].full_name not in second
