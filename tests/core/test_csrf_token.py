"""The forms' CSRF token masked with one read of the random source (ajet/core/csrf.py) is one Django's
middleware accepts: the same secret under a fresh mask each time."""

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _get_new_csrf_string, _unmask_cipher_token

from ajet.core.csrf import get_token, mask_cipher_secret


def test_a_masked_token_unmasks_to_the_secret_and_is_fresh_each_time():
    secret = _get_new_csrf_string()
    tokens = {mask_cipher_secret(secret) for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret


def test_the_mask_uses_every_character():
    masks = "".join(mask_cipher_secret(_get_new_csrf_string())[:32] for _ in range(300))
    assert set(masks) == set(CSRF_ALLOWED_CHARS)


def test_get_token_renews_the_cookie_and_a_request_without_one_gets_a_new_secret():
    request = HttpRequest()
    request.META["CSRF_COOKIE"] = secret = _get_new_csrf_string()
    assert _unmask_cipher_token(get_token(request)) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    fresh = HttpRequest()
    token = get_token(fresh)
    assert len(fresh.META["CSRF_COOKIE"]) == 32 and set(fresh.META["CSRF_COOKIE"]) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == fresh.META["CSRF_COOKIE"]
    assert fresh.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert get_token(fresh)[32:] != token[32:] and _unmask_cipher_token(get_token(fresh)) == fresh.META["CSRF_COOKIE"]


def test_a_visitor_without_a_cookie_gets_one_that_validates_their_form(client, db):
    from django.test import Client
    from django.urls import reverse

    browser = Client(enforce_csrf_checks=True)
    html = browser.get("/").content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert _unmask_cipher_token(token) == browser.cookies["csrftoken"].value
    response = browser.post(reverse("people:set_language"),
                            {"language": "ja", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
