"""Error pages look like the site, in the visitor's language, with a way home; expected refusals log one
line; HEAD works like GET on public pages; there is a favicon."""

import logging

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from tests.factories import PASSWORD

HOME_LINK = f'href="{reverse("core:home")}"'


def assert_site_page(response, status: int, heading: str, language: str = "en"):
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html and HOME_LINK in html and heading in html
    assert "<h1>Forbidden</h1>" not in html and "<h1>Not Found</h1>" not in html


@pytest.mark.django_db
def test_403_uses_the_layout_and_links_home(client, member):
    client.force_login(member.user)
    assert_site_page(client.get(reverse("core:audit_log")), 403, "You may not do this")


@pytest.mark.django_db
def test_403_is_in_the_members_language(client, member):
    member.preferred_language = "ja"
    member.save(update_fields=["preferred_language"])
    client.force_login(member.user)
    assert_site_page(client.get(reverse("core:audit_log")), 403, "<h1>", language="ja")


@pytest.mark.django_db
def test_404_uses_the_layout_and_links_home(client):
    assert_site_page(client.get("/no-such-page/"), 404, "Page not found")


@pytest.mark.django_db
def test_404_is_in_the_visitors_language(client):
    assert_site_page(client.get("/no-such-page/", headers={"accept-language": "ja"}), 404, "<h1>", language="ja")


def test_500_renders_without_a_request_context():
    request = RequestFactory().get("/")  # no user, no session: the 500 handler cannot rely on them
    callback = get_resolver().resolve_error_handler(500)
    assert_site_page(callback(request), 500, "Something went wrong")


def test_500_falls_back_to_plain_html_when_the_layout_itself_fails(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": {
        **settings.TEMPLATES[0]["OPTIONS"], "builtins": ["tests.core.broken_tags"]}}]
    response = get_resolver().resolve_error_handler(500)(RequestFactory().get("/"))
    assert response.status_code == 500 and HOME_LINK in response.content.decode()


@pytest.mark.django_db
def test_allauths_rate_limit_answer_uses_the_sites_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    cache.clear()
    login = reverse("account_login")
    client.post(login, {"login": "nobody@example.org", "password": PASSWORD})
    assert_site_page(client.post(login, {"login": "nobody@example.org", "password": PASSWORD}), 429,
                     "Too many attempts")
    cache.clear()


@pytest.mark.django_db
def test_an_expected_403_is_logged_in_one_line(client, member, caplog):
    client.force_login(member.user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("core:audit_log")).status_code == 403
    records = [record for record in caplog.records if record.name == "django.request"]
    assert len(records) == 1
    formatted = logging.Formatter().format(records[0])
    assert formatted.startswith("Forbidden") and "\n" not in formatted and "Traceback" not in formatted


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["core:home", "core:healthz", "organisation:council", "organisation:blocks",
                                  "organisation:chapters"])
def test_head_answers_like_get_without_a_body(client, name):
    get = client.get(reverse(name))
    head = client.head(reverse(name))
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"] and head.content == b""


@pytest.mark.django_db
def test_there_is_a_favicon(client):
    html = client.get(reverse("core:home")).content.decode()
    assert '<link rel="icon" href="/static/core/favicon.svg"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/core/favicon.svg"
    assert client.get(response["Location"]).status_code == 200
