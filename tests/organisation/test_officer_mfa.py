"""A new officer's first sign-in: the page says why officers use two-factor authentication before it asks for
anything, then sets it up in one form and leads back to where the officer was going."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse

from tests.core.test_mfa import _fresh_cache, current_code, setup_url, sign_in  # noqa: F401 - autouse fixture
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
SETUP = "organisation:officer_mfa"


def totp(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # allauth signals the new authenticator on commit
def test_first_sign_in_explains_then_sets_up_in_one_form_and_goes_on(client, officer_without_mfa, pending):
    user = officer_without_mfa.user
    assert sign_in(client, user.email).status_code == 302
    response = client.get(reverse("people:pending"))
    assert response["Location"] == setup_url("/members/pending/")
    page = client.get(response["Location"]).content.decode()
    # Why, before anything is asked; the post they hold; the whole set-up on the page.
    assert page.index("two-factor authentication") < page.index("<form method=\"post\"")
    assert "Block 3 Representative" in page and 'name="code"' in page and 'href="otpauth://totp/' in page
    assert "Block 3" in page and 'src="data:image/svg+xml;base64,' in page
    assert 'name="password"' not in page  # they gave it a moment ago, at sign-in
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in page

    response = client.post(reverse(SETUP), {"code": current_code(secret), "next": "/members/pending/"})
    assert response.status_code == 200 and totp(user).exists()
    done = response.content.decode()
    assert len(re.findall(r"<li><code>", done)) == 10  # the recovery codes, shown once
    assert 'href="/members/pending/"' in done
    pending_page = client.get(reverse("people:pending"))
    assert pending_page.status_code == 200 and "Penny Pending" in pending_page.content.decode()
    assert client.get(reverse(SETUP) + "?next=/dashboard/")["Location"] == "/dashboard/"


def test_a_session_that_did_not_just_sign_in_gives_the_password_in_the_same_form(client, officer_without_mfa):
    user = officer_without_mfa.user
    client.force_login(user, mfa=False)  # no sign-in recorded in this session
    page = client.get(reverse(SETUP)).content.decode()
    assert 'name="password"' in page and 'name="code"' in page
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse(SETUP), {"password": "wrong-password", "code": current_code(secret)})
    assert response.status_code == 200 and not totp(user).exists()
    assert client.session[SECRET_SESSION_KEY] == secret  # the app already holds this key: it stays
    response = client.post(reverse(SETUP), {"password": PASSWORD, "code": current_code(secret)})
    assert response.status_code == 200 and totp(user).exists()


def test_a_wrong_code_switches_nothing_on_and_says_so(client, officer_without_mfa):
    user = officer_without_mfa.user
    sign_in(client, user.email)
    client.get(reverse(SETUP))
    secret = client.session[SECRET_SESSION_KEY]
    wrong = f"{(int(current_code(secret)) + 500_000) % 1_000_000:06d}"
    response = client.post(reverse(SETUP), {"code": wrong})
    assert response.status_code == 200 and not totp(user).exists()
    assert 'class="error"' in response.content.decode()


def test_next_stays_on_this_site(client, officer_without_mfa):
    sign_in(client, officer_without_mfa.user.email)
    page = client.get(reverse(SETUP) + "?next=https://evil.example/").content.decode()
    assert 'name="next" value="/dashboard/"' in page
