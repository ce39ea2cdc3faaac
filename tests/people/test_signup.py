"""Sign-up through allauth's own view: bad input changes nothing; a good sign-up is a pending member."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from ajet.organisation.powers import forget_powers
from ajet.people.models import Member
from ajet.people.services import confirm_membership

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "Omiya-bonsai-village-7"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # allauth counts sign-ups per IP in the cache
    yield
    cache.clear()


def signup_data(**overrides) -> dict:
    data = {
        "email": "sam@example.org", "password1": PASSWORD, "password2": PASSWORD, "full_name": "Sam Signup",
        "preferred_language": "en", "position": "ALT", "prefecture": "11", "contracting_organisation": "Omiya BOE",
        "year_on_jet": "1", "arrival_group": "A", "jet_number": "",
    }
    return data | overrides


def counts():
    return User.objects.count(), Member.objects.count()


@pytest.mark.parametrize("overrides, field, message", [
    ({"email": "sam@@example"}, "email", "Enter a valid email address"),
    ({"email": ""}, "email", "required"),
    ({"prefecture": "99"}, "prefecture", "Select a valid choice"),
    ({"prefecture": "Atlantis"}, "prefecture", "Select a valid choice"),
    ({"jet_number": "1912345678"}, "jet_number", "11 digits and starts with 20"),
    ({"jet_number": "20abc456789"}, "jet_number", "11 digits and starts with 20"),
    ({"year_on_jet": "7"}, "year_on_jet", "Select a valid choice"),
    ({"position": "Teacher"}, "position", "Select a valid choice"),
])
def test_bad_sign_up_input_gets_a_clear_message_and_creates_nobody(client, member, overrides, field, message):
    before = counts()
    response = client.post(reverse("account_signup"), signup_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert counts() == before
    assert not mail.outbox


def test_a_jet_number_already_registered_is_not_revealed_but_flagged(client, member):
    """Refusing it would tell anyone which numbers are registered: the sign-up goes through as any other,
    and the clash waits for the confirming officer."""
    free = client.post(reverse("account_signup"), signup_data(email="fay@example.org", jet_number="20111111111"))
    client.logout()
    cache.clear()
    taken = client.post(reverse("account_signup"), signup_data(jet_number=member.jet_number))
    assert free.status_code == taken.status_code == 302 and free["Location"] == taken["Location"]
    sam = Member.objects.get(user__email="sam@example.org")
    assert (sam.jet_number, sam.jet_number_claimed) == (None, member.jet_number)
    assert Member.objects.get(user__email="fay@example.org").jet_number == "20111111111"
    member.refresh_from_db()
    assert member.jet_number == "20123456789"


def test_an_address_already_registered_creates_nobody_and_tells_its_owner(client, member):
    """allauth does not reveal on the page who has an account (enumeration); the owner is told by e-mail."""
    before = counts()
    response = client.post(reverse("account_signup"), signup_data(email="ALICE@example.org"), follow=True)
    assert response.status_code == 200 and "We have sent an email to you" in response.content.decode()
    assert counts() == before
    member.refresh_from_db()
    assert member.full_name == "Alice Member"
    [notice] = mail.outbox
    assert notice.to == ["alice@example.org"]
    assert "already" in notice.body.lower()


def test_a_good_sign_up_is_a_pending_member_who_verifies_and_signs_in(client, member):
    response = client.post(reverse("account_signup"), signup_data(jet_number="20999999999"))
    assert response.status_code == 302
    sam = Member.objects.select_related("user").get(user__email="sam@example.org")
    assert sam.status == Member.Status.PENDING
    assert (sam.full_name, sam.prefecture_id, sam.jet_number) == ("Sam Signup", "11", "20999999999")

    [verification] = mail.outbox
    assert verification.to == ["sam@example.org"]
    confirm_path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", verification.body).group(1)
    assert client.post(confirm_path).status_code == 302

    # Pending: they can sign in and edit their profile, but not take part.
    client.logout()
    signed_in = client.post(reverse("account_login"), {"login": "sam@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).status_code == 200
    profile = client.get(reverse("people:profile"))
    assert profile.status_code == 200
    data = {name: value for name, value in signup_data().items() if name in profile.context["form"].fields}
    data.update(full_name="Sam Saitama", bio="Hello from Omiya.", jet_number="20999999999")
    assert client.post(reverse("people:profile"), data).status_code == 302
    sam.refresh_from_db()
    assert (sam.full_name, sam.bio, sam.status) == ("Sam Saitama", "Hello from Omiya.", Member.Status.PENDING)

    user = User.objects.get(pk=sam.user_id)
    assert not user.has_perm("people.take_part")
    confirm_membership(member=sam, by=member.user)
    user = User.objects.get(pk=sam.user_id)
    forget_powers(user)
    assert user.has_perm("people.take_part")
