"""Who grants a permission (ajet/people/backends.py): officer powers only through terms; Django's model
permissions through superuser status or Permission rows; nothing at all for a closed account."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ajet.people.backends import ModelBackend
from ajet.people.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


class NoPermissionsBackend:
    """A sign-in-only backend (as some third-party ones are): it has no has_perm at all."""

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None


class VetoBackend:
    """Django's contract: a backend that raises PermissionDenied ends the question with a no."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if perm == "people.view_user":
            raise PermissionDenied
        return False


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root@example.org", PASSWORD)


def test_ordinary_accounts_have_no_model_permissions(member, executive):
    for user in (member.user, executive.user):
        assert not user.has_perm("people.view_user")
        assert not user.has_perm("organisation.delete_chapter")


def test_superusers_have_the_model_permissions_but_not_the_powers(superuser, pending):
    assert superuser.has_perm("people.view_user")
    assert superuser.has_perm("organisation.delete_chapter")
    assert not superuser.has_perm("people.view_pending_members")
    assert not superuser.has_perm("people.confirm_member", pending)


def test_permission_rows_grant_model_permissions_but_never_a_power(member, home_chapter):
    member.user.user_permissions.add(Permission.objects.get(codename="view_user"),
                                     Permission.objects.get(codename="change_chapter"))
    user = User.objects.get(pk=member.user.pk)
    assert user.has_perm("people.view_user")
    assert not user.has_perm("organisation.change_chapter")  # the power of the same name
    assert not user.has_perm("organisation.change_chapter", home_chapter)


def test_closed_accounts_have_no_permission_at_all(superuser, executive, pending):
    for user in (superuser, executive.user):
        user.is_active = False
        user.save(update_fields=["is_active"])
        fresh = User.objects.get(pk=user.pk)
        assert not fresh.has_perm("people.view_user")
        assert not fresh.has_perm("people.confirm_member", pending)


def test_a_backend_without_has_perm_is_passed_over(settings, executive, pending):
    settings.AUTHENTICATION_BACKENDS = [f"{__name__}.NoPermissionsBackend", *settings.AUTHENTICATION_BACKENDS]
    assert executive.user.has_perm("people.confirm_member", pending)


def test_a_backend_that_refuses_ends_the_question(settings, superuser, member):
    member.user.user_permissions.add(Permission.objects.get(codename="view_user"))
    settings.AUTHENTICATION_BACKENDS = [f"{__name__}.VetoBackend", *settings.AUTHENTICATION_BACKENDS]
    assert not User.objects.get(pk=member.user.pk).has_perm("people.view_user")
    assert superuser.has_perm("people.view_user")  # the superuser shortcut comes first


def test_signed_in_user_comes_with_their_member_profile_in_one_query(member):
    backend = ModelBackend()
    with CaptureQueriesContext(connection) as queries:
        user = backend.get_user(member.user.pk)
        assert user.member.full_name == "Alice Member"
    assert len(queries) == 1
    assert backend.get_user(member.user.pk + 1000) is None


def test_a_closed_account_loses_its_open_sessions(client, member):
    client.force_login(member.user)
    assert client.get(reverse("people:profile")).status_code == 200
    assert ModelBackend().get_user(member.user.pk) == member.user
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])
    assert ModelBackend().get_user(member.user.pk) is None
    response = client.get(reverse("people:profile"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
