"""The session engine reads the session with what its account needs (ajet/core/sessions.py): the account it
remembers for a session key is only a guess of what to read, never who is signed in."""

import pytest
from django.urls import reverse

from ajet.core import sessions
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_a_wrong_guess_never_signs_in_another_account(client):
    hana = MemberFactory(full_name="Hana Sato")
    kenji = MemberFactory(full_name="Kenji Mori")
    client.force_login(hana.user)
    assert "Hana Sato" in client.get(reverse("people:profile")).content.decode()
    client.force_login(kenji.user)  # warms the cache with Kenji's account and powers
    assert "Kenji Mori" in client.get(reverse("people:profile")).content.decode()
    client.force_login(hana.user)
    sessions._accounts_of_sessions[client.session.session_key] = kenji.user_id  # a stale or wrong guess
    page = client.get(reverse("people:profile")).content.decode()
    assert "Hana Sato" in page and "Kenji Mori" not in page


def test_a_signed_out_session_stays_signed_out(client):
    hana = MemberFactory(full_name="Hana Sato")
    client.force_login(hana.user)
    session_key = client.session.session_key
    assert client.get(reverse("people:profile")).status_code == 200
    assert sessions._accounts_of_sessions[session_key] == hana.user_id
    client.post(reverse("account_logout"))
    client.cookies["sessionid"] = session_key  # the old cookie, replayed
    assert client.get(reverse("people:profile")).status_code == 302
