"""The signed-in user comes from the shared cache, and every kind of write to the account or the member
profile is seen by the very next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ajet.people.models import Member, User
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    member = MemberFactory(full_name="Hana Sato", prefecture_id="11")
    client.force_login(member.user)
    return client, member


def user_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, [q["sql"] for q in captured.captured_queries if 'FROM "people_user"' in q["sql"]]


def test_the_second_request_does_not_load_the_user_again(signed_in):
    client, _ = signed_in
    path = reverse("people:profile")
    first, loaded = user_queries(client, path)
    assert first.status_code == 200 and loaded
    second, loaded_again = user_queries(client, path)
    assert second.status_code == 200 and not loaded_again


@pytest.mark.parametrize("deactivate", ["save", "update", "bulk_update"])
def test_a_closed_account_is_signed_out_at_the_next_request(signed_in, deactivate):
    client, member = signed_in
    path = reverse("people:profile")
    assert client.get(path).status_code == 200
    user = User.objects.get(pk=member.user_id)
    user.is_active = False
    if deactivate == "save":
        user.save(update_fields=["is_active"])
    elif deactivate == "update":
        User.objects.filter(pk=user.pk).update(is_active=False)
    else:
        User.objects.bulk_update([user], ["is_active"])
    assert client.get(path).status_code == 302


def test_a_new_password_ends_the_other_sessions_at_once(signed_in):
    client, member = signed_in
    path = reverse("people:profile")
    assert client.get(path).status_code == 200
    user = User.objects.get(pk=member.user_id)
    user.set_password("a brand new passphrase")
    user.save()
    assert client.get(path).status_code == 302


@pytest.mark.parametrize("write", ["save", "update"])
def test_a_change_to_the_member_profile_is_seen_at_once(signed_in, write):
    client, member = signed_in
    path = reverse("people:profile")
    assert "Hana Sato" in client.get(path).text
    if write == "save":
        member.full_name = "Hana Suzuki"
        member.save(update_fields=["full_name"])
    else:
        Member.objects.filter(pk=member.pk).update(full_name="Hana Suzuki")
    page = client.get(path).text
    assert "Hana Suzuki" in page and "Hana Sato" not in page


def test_a_row_read_before_a_write_is_never_served_after_it(signed_in):
    """A request that loaded the account just before another committed a change must not store the old
    row as current (the cache keeps a version per account, bumped after the commit too)."""
    from ajet.people.user_cache import cached_user

    client, member = signed_in
    old = User.objects.select_related("member").get(pk=member.user_id)

    def load_then_someone_writes():
        User.objects.filter(pk=member.user_id).update(is_active=False)  # lands while we hold the old row
        return old

    assert cached_user(member.user_id, load_then_someone_writes).is_active  # this request's own answer
    assert client.get(reverse("people:profile")).status_code == 302  # but no later request is served it
