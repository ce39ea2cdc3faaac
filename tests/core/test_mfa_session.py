"""MFA is proved per sign-in: officer powers need this session to have passed the second factor, every
power (current or upcoming) needs MFA, and switching TOTP on ends the account's other sessions."""

import datetime
from urllib.parse import urlencode

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from allauth.mfa.utils import decrypt
from django.urls import reverse
from django.utils import timezone

from ajet.organisation.models import HandbookPage
from ajet.people.models import User
from tests.conftest import SignInClient
from tests.core.test_mfa import _fresh_cache, current_code, setup_url  # noqa: F401 - the autouse fixture too
from tests.factories import PASSWORD, MemberFactory, block_post, give_mfa, give_term, once_sent


@pytest.fixture
def incoming(db):
    """Ian takes over Block 3 next month and has not switched MFA on."""
    ian = MemberFactory(full_name="Ian Incoming", user__email="ian@example.org")
    give_term(ian, block_post(3), start=timezone.localdate() + datetime.timedelta(days=30))
    return ian


@pytest.mark.django_db
def test_incoming_holder_without_mfa_has_no_handbook_access(client, incoming):
    post = block_post(3)
    client.force_login(incoming.user)
    assert not incoming.user.has_perm("organisation.view_handbook", post)
    assert not incoming.user.has_perm("organisation.change_handbook", post)
    response = client.post(reverse("organisation:handbook_page_create", args=[post.pk]),
                           {"title": "Sneaky", "body": "written without MFA"})
    assert response.status_code == 302 and response["Location"] == reverse("organisation:officer_mfa")
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response["Location"] == setup_url("/dashboard/")
    assert not HandbookPage.objects.exists()


@pytest.mark.django_db
def test_incoming_holder_with_mfa_edits_the_handbook(client, incoming):
    post = block_post(3)
    give_mfa(incoming.user)
    client.force_login(incoming.user)
    response = client.post(reverse("organisation:handbook_page_create", args=[post.pk]),
                           once_sent({"title": "Plans", "body": "Ready to take over."}))
    assert response.status_code == 302
    assert HandbookPage.objects.get().title == "Plans"


@pytest.mark.django_db
def test_password_only_session_has_no_powers_until_it_passes_the_second_factor(client, block_rep, pending):
    """A session that signed in with a password alone (before TOTP was switched on elsewhere) holds nothing."""
    client.force_login(block_rep.user, mfa=False)
    response = client.get(reverse("people:pending"))
    assert response.status_code == 302
    pending_url = reverse("people:pending")
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?{urlencode({'next': pending_url})}"
    response = client.post(reverse("people:confirm", args=[pending.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_reauthenticate")
    pending.refresh_from_db()
    assert pending.is_pending
    # Public pages stay public, but show no officer powers.
    chapter_page = client.get(reverse("organisation:blocks"))
    assert chapter_page.status_code == 200

    totp = Authenticator.objects.get(user=block_rep.user, type=Authenticator.Type.TOTP)
    code = current_code(decrypt(totp.data["secret"]))
    response = client.get(reverse("people:pending"))
    response = client.post(response["Location"], {"code": code, "next": pending_url})
    assert response.status_code == 302 and response["Location"] == pending_url, response.content.decode()[:500]
    assert client.get(reverse("people:pending")).status_code == 200


@pytest.mark.django_db
def test_password_only_session_gets_no_officer_links_on_public_pages(client, chapter_officer, home_chapter):
    client.force_login(chapter_officer.user, mfa=False)
    page = client.get(home_chapter.get_absolute_url()).content.decode()
    assert reverse("organisation:chapter_edit", args=[home_chapter.slug]) not in page
    client.force_login(chapter_officer.user)
    page = client.get(home_chapter.get_absolute_url()).content.decode()
    assert reverse("organisation:chapter_edit", args=[home_chapter.slug]) in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # allauth announces a new authenticator after commit
def test_switching_totp_on_ends_the_other_sessions(officer_without_mfa):
    user = officer_without_mfa.user
    laptop, phone = SignInClient(), SignInClient()
    for device in (laptop, phone):
        response = device.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302
    # On the laptop, switch TOTP on (allauth asks for the password again first).
    response = laptop.get(reverse("mfa_activate_totp"))
    laptop.post(response["Location"], {"password": PASSWORD})
    laptop.get(reverse("mfa_activate_totp"))
    secret = laptop.session[SECRET_SESSION_KEY]
    response = laptop.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302

    # The laptop keeps its session, and it passed the second factor when it typed the code.
    assert laptop.get(reverse("people:pending")).status_code == 200
    # The phone signed in with the password alone: it is signed out.
    response = phone.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert User.objects.get(pk=user.pk).session_epoch >= 1


@pytest.mark.django_db
def test_existing_sessions_survive_the_upgrade_while_the_epoch_is_zero(client, member):
    """Epoch 0 keeps Django's own session hash: deploying this change signs nobody out."""
    from django.contrib.auth.base_user import AbstractBaseUser

    user = member.user
    assert user.session_epoch == 0
    assert user.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(user)
    user.session_epoch = 1
    assert user.get_session_auth_hash() != AbstractBaseUser._get_session_auth_hash(user)


@pytest.mark.django_db
def test_staff_need_the_second_factor_in_this_session_for_the_admin(client):
    admin_user = User.objects.create_superuser("root@example.org", PASSWORD)
    give_mfa(admin_user)
    client.force_login(admin_user, mfa=False)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate"))
    client.force_login(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200
