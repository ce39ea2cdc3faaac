"""What OfficerMFAMiddleware leaves alone (public pages, the ways out, the admin's own refusal of members), and
how switching TOTP off ends the account's other sessions but keeps the one that did it."""

from urllib.parse import quote

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from ajet.people.mfa import end_other_sessions
from ajet.people.models import User
from tests.conftest import SignInClient
from tests.core.test_mfa import _fresh_cache, current_code, setup_url  # noqa: F401 - the autouse fixture too
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_officer_without_mfa_still_reads_public_pages_and_changes_language(client, officer_without_mfa):
    client.force_login(officer_without_mfa.user)
    assert client.get(reverse("organisation:blocks")).status_code == 200
    response = client.post(reverse("people:set_language"), {"language": "ja", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("core:dashboard"))["Location"] == setup_url("/dashboard/")


def test_an_officer_without_mfa_is_sent_to_set_it_up_from_the_account_pages_too(client, officer_without_mfa):
    client.force_login(officer_without_mfa.user)
    assert client.get(reverse("account_email"))["Location"] == setup_url(reverse("account_email"))


def test_only_a_get_comes_back_to_the_page_after_setting_up_mfa(client, officer_without_mfa):
    client.force_login(officer_without_mfa.user)
    assert client.get(reverse("core:dashboard"))["Location"] == setup_url("/dashboard/")
    for method in (client.post, client.delete, client.put):
        assert method(reverse("core:dashboard"))["Location"] == reverse("organisation:officer_mfa")


def test_only_a_get_comes_back_to_the_page_after_the_code(client, block_rep):
    client.force_login(block_rep.user, mfa=False)
    pending = reverse("people:pending")
    assert client.get(pending)["Location"] == f"{reverse('mfa_reauthenticate')}?next={quote(pending, safe='')}"
    for method in (client.post, client.delete, client.put):
        assert method(pending)["Location"] == reverse("mfa_reauthenticate")


@pytest.mark.parametrize("persona", ["member", "officer_without_mfa", "block_rep"])
def test_the_admin_refuses_members_itself_whatever_their_mfa(client, persona, request):
    user = request.getfixturevalue(persona).user
    client.force_login(user, mfa=False)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), response.get(
        "Location")


def test_ending_other_sessions_outside_a_request_signs_everyone_out(block_rep):
    phone = SignInClient()
    phone.force_login(block_rep.user)
    assert phone.get(reverse("people:pending")).status_code == 200
    end_other_sessions(None, block_rep.user)  # e.g. from the shell, after a lost phone
    assert block_rep.user.session_epoch == 1
    response = phone.get(reverse("people:pending"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # allauth announces the removal after commit
def test_switching_totp_off_ends_the_other_sessions_and_keeps_this_one(block_rep):
    user = block_rep.user
    laptop, phone = SignInClient(), SignInClient()
    laptop.force_login(user)
    phone.force_login(user)
    assert phone.get(reverse("core:dashboard")).status_code == 200

    # allauth asks for the password again, then carries out the deactivation it interrupted.
    response = laptop.post(reverse("mfa_deactivate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = laptop.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    # The laptop stays signed in (and, without MFA now, is sent to set it up again); the phone is signed out.
    assert laptop.get(reverse("core:dashboard"))["Location"] == setup_url("/dashboard/")
    assert laptop.get(reverse("organisation:blocks")).status_code == 200
    assert "_auth_user_id" in laptop.session
    response = phone.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert User.objects.get(pk=user.pk).session_epoch == 1
