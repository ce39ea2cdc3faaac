"""Failed sign-ins are limited per client address (behind the proxies we trust) and per account, and an
account's owner locked out by someone else's guesses learns how to get in: reset the password."""

import os
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

LIMIT = 5  # settings.ACCOUNT_RATE_LIMITS["login_failed"], per address and per account


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def fail_login(client, email, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": "wrong-password-1"}, **headers)


def limited(response) -> bool:
    return "Too many failed sign-in attempts" in response.content.decode()


def test_a_forged_forwarded_for_does_not_escape_the_address_limit(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0  # the default: no proxy in front
    for n in range(LIMIT):  # a different account each time, so only the per-address limit counts
        response = fail_login(client, f"guess{n}@example.org", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        assert not limited(response)
    response = fail_login(client, "guess-next@example.org", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert limited(response)


def test_behind_one_trusted_proxy_each_client_address_has_its_own_limit(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}  # every request reaches Django from the proxy
    attacker, colleague = Client(**proxy), Client(**proxy)
    for n in range(LIMIT):
        # A forged first entry is ignored: the proxy's appended entry (the last one) is the client.
        fail_login(attacker, f"guess{n}@example.org", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7")
    assert limited(fail_login(attacker, "guess-next@example.org", HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.7"))
    # Someone else on the same proxy, from another address, signs in as usual.
    MemberFactory(full_name="Colin Colleague", user__email="colin@example.org")
    response = colleague.post(reverse("account_login"), {"login": "colin@example.org", "password": PASSWORD},
                              HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert response.status_code == 302 and SESSION_KEY in colleague.session


def test_the_number_of_trusted_proxies_comes_from_the_environment(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "AJET_"))}
    env.update(DJANGO_SETTINGS_MODULE="ajet.settings", AJET_VAR_DIR=str(tmp_path), AJET_TRUSTED_PROXIES="2")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"],
        cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"


def test_an_owner_locked_out_from_elsewhere_is_told_to_reset_and_a_reset_lets_them_in(member):
    attacker = Client(REMOTE_ADDR="198.51.100.1")
    for _ in range(LIMIT):
        fail_login(attacker, "alice@example.org")

    alice = Client(REMOTE_ADDR="203.0.113.50")  # her own, fresh address: the per-account limit holds
    response = alice.post(reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 200 and SESSION_KEY not in alice.session
    page = response.content.decode()
    assert limited(response) and "reset your password" in page
    assert reverse("account_reset_password") in page  # the login page links to the reset

    alice.post(reverse("account_reset_password"), {"email": "alice@example.org"})
    [reset] = mail.outbox
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", reset.body).group(0)
    to_form = alice.get(urlsplit(link).path)
    new_password = "Kawagoe-old-town-42"
    done = alice.post(to_form["Location"], {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    alice.logout()
    response = alice.post(reverse("account_login"), {"login": "alice@example.org", "password": new_password})
    assert response.status_code == 302 and SESSION_KEY in alice.session
