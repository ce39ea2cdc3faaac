"""Officer powers need two-factor authentication (TOTP through allauth), tried through allauth's real views."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import urlencode

from ajet.people.models import User
from tests.factories import PASSWORD, MemberFactory, block_post, give_mfa, give_term

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    # allauth keeps rate limits and used TOTP codes in the cache; one step of tolerance keeps a code
    # computed at the very end of a 30-second step valid when the request lands in the next one.
    settings.MFA_TOTP_TOLERANCE = 1
    cache.clear()
    yield
    cache.clear()


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def setup_url(next_path: str) -> str:
    """Where an officer without MFA is sent: the page that explains it and sets it up, then back."""
    return f"{reverse('organisation:officer_mfa')}?{urlencode({'next': next_path})}"


def sign_in(client, email: str):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def open_totp_activation(client) -> str:
    """Open allauth's activation page (it asks for the password again first); returns the new secret."""
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    return client.session[SECRET_SESSION_KEY]


def test_officer_without_mfa_is_sent_to_set_it_up(client, officer_without_mfa, pending):
    client.force_login(officer_without_mfa.user)
    for name in ("core:dashboard", "people:pending"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == setup_url(reverse(name)), name
    assert not officer_without_mfa.user.has_perm("people.confirm_member", pending)


def test_officer_without_mfa_can_reach_the_mfa_pages_and_sign_out(client, officer_without_mfa):
    client.force_login(officer_without_mfa.user)
    assert client.get(reverse("mfa_index")).status_code == 200
    # allauth asks for the password again before adding an authenticator: that page is reachable too.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(response["Location"]).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # allauth signals the new authenticator on commit
def test_officer_who_activates_totp_gets_their_powers(client, officer_without_mfa, pending):
    user = officer_without_mfa.user
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard"))["Location"] == setup_url("/dashboard/")

    secret = open_totp_activation(client)
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]

    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("core:dashboard")).status_code == 200
    pending_page = client.get(reverse("people:pending"))
    assert pending_page.status_code == 200 and "Penny Pending" in pending_page.content.decode()
    assert User.objects.get(pk=user.pk).has_perm("people.confirm_member", pending)


def test_wrong_code_does_not_activate_totp(client, officer_without_mfa):
    sign_in(client, officer_without_mfa.user.email)
    secret = open_totp_activation(client)
    wrong = f"{(int(current_code(secret)) + 500_000) % 1_000_000:06d}"
    response = client.post(reverse("mfa_activate_totp"), {"code": wrong})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=officer_without_mfa.user).exists()
    assert client.get(reverse("core:dashboard"))["Location"] == setup_url("/dashboard/")


def test_officer_with_totp_is_asked_for_the_code_at_sign_in(client):
    officer = MemberFactory(full_name="Tess Totp", user__email="tess@example.org")
    give_term(officer, block_post(3))
    secret = give_mfa(officer.user)

    response = sign_in(client, "tess@example.org")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet: the dashboard still sends them to the login page.
    dashboard = client.get(reverse("core:dashboard"))
    assert dashboard.status_code == 302 and dashboard["Location"].startswith(reverse("account_login"))

    assert client.get(reverse("mfa_authenticate")).status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).status_code == 200
    assert client.get(reverse("people:pending")).status_code == 200


def test_staff_need_mfa_for_the_admin(client):
    admin_user = User.objects.create_superuser("root@example.org", PASSWORD)
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"] == setup_url("/admin/")
    give_mfa(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200
