"""One word for one thing: "Sign in" and "Join" (never allauth's "Sign Up"), the same Year on JET field on
sign-up and profile, "Set your password" on an invitation, and e-mails that name AJET Nexus, not a host."""

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core import mail
from django.urls import reverse

from ajet.people.forms import ProfileForm, SignupForm
from ajet.people.models import User
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
ALLAUTH_WORDS = re.compile(r"Sign Up|Sign In|Sign Out|Signup|sign up|Remember Me|Change Password|Confirm Access")


@pytest.mark.parametrize(("url_name", "heading", "button"), [
    ("account_login", "Sign in", "Sign in"),
    ("account_signup", "Join AJET", "Join"),
    ("account_reset_password", None, None),
])
def test_account_pages_use_the_sites_words(client, url_name, heading, button):
    page = client.get(reverse(url_name)).content.decode()
    assert not ALLAUTH_WORDS.search(page), ALLAUTH_WORDS.search(page)
    assert ">Email" not in page  # the site says "e-mail address"
    if heading:
        assert f"<h1>{heading}</h1>" in re.sub(r"\s+<", "<", re.sub(r">\s+", ">", page))
        assert re.search(rf"<button[^>]*>\s*{button}\s*</button>", page)


def test_sign_up_and_profile_ask_year_on_jet_the_same_way(member):
    signup, profile = SignupForm(), ProfileForm(instance=member)
    for name in ("year_on_jet", "arrival_group", "prefecture"):
        assert signup.fields[name].label == profile.fields[name].label, name
    assert list(signup.fields["year_on_jet"].choices) == list(profile.fields["year_on_jet"].choices)
    assert next(iter(signup.fields["year_on_jet"].choices)) == ("", "Choose your year on JET")
    assert list(signup.fields["arrival_group"].choices) == list(profile.fields["arrival_group"].choices)
    assert signup.fields["prefecture"].empty_label == profile.fields["prefecture"].empty_label


def _reset_page(client, user) -> str:
    path = reverse("account_reset_password_from_key",
                   kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)})
    response = client.get(path)
    return client.get(response["Location"]).content.decode()


def test_an_invitation_sets_a_password_and_a_reset_chooses_a_new_one(client):
    invited = MemberFactory(user__email="ivy@example.org").user
    invited.set_unusable_password()
    invited.save()
    page = _reset_page(client, invited)
    assert "<title>Set your password · AJET</title>" in page and "Change Password" not in page
    page = _reset_page(client, MemberFactory(user__email="rita@example.org").user)
    assert "Choose a new password" in page and "Set your password" not in page


def test_allauth_emails_name_ajet_nexus_not_the_host(client, settings):
    settings.SITE_URL = "https://nexus.ajet.example"
    MemberFactory(user__email="rita@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "rita@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject.startswith("[AJET Nexus] ")
    assert "Hello from AJET Nexus!" in message.body and "nexus.ajet.example" in message.body
    assert "testserver" not in message.body.replace("http://testserver/", "")
    assert User.objects.filter(email="rita@example.org").exists()


def test_a_stranger_asking_for_a_reset_is_invited_to_join(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    (message,) = mail.outbox
    assert "join AJET" in message.body and "sign up" not in message.body.lower()


def test_the_second_step_and_signing_out_say_sign_in_and_sign_out(client, block_rep):
    from tests.core.test_mfa import sign_in

    sign_in(client, block_rep.user.email)
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert not ALLAUTH_WORDS.search(page) and "Sign in" in page
    client.force_login(block_rep.user)
    page = client.get(reverse("account_logout")).content.decode()
    assert not ALLAUTH_WORDS.search(page) and "Sign out" in page
