"""Whole pages from the shared cache (ajet/core/page_cache.py): the home, council and chapter pages, the
dashboard and the pending list. A cached page shows every change its key covers at the next request; two
visitors, or two languages, never share a page; a form's CSRF token from a cached page is the visitor's own
and valid; a page with a flash message is rendered for it (and shown once); an officer whose powers change
sees it at once. The dashboard's panels (tests/core/test_cached_panels.py) now go through the page cache too:
those tests cover each kind of write of the hub, voice and elections."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ajet.core import page_cache
from ajet.organisation import services as organisation_services
from ajet.organisation.models import ChapterMembership
from ajet.people import services as people_services
from tests.conftest import SignInClient
from tests.factories import MemberFactory, give_mfa, give_term, join, national_post

pytestmark = pytest.mark.django_db
HOME = reverse("core:home")
COUNCIL = reverse("organisation:council")
DASHBOARD = reverse("core:dashboard")
PENDING = reverse("people:pending")


def page(client, url, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


def queries_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        page(client, url)
    return [query["sql"] for query in queries.captured_queries]


def tokens_in(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_a_second_visit_is_served_from_the_cache(client, member, home_chapter):
    client.force_login(member.user)
    for url in (HOME, COUNCIL, home_chapter.get_absolute_url(), DASHBOARD):
        first = page(client, url)
        assert not [sql for sql in queries_of(client, url) if "organisation_" in sql or "hub_" in sql], url
        assert page(client, url).replace("\n", "") and tokens_in(first)


def test_the_council_shows_a_new_term_at_once_to_everyone(client, member):
    anonymous = SignInClient()
    client.force_login(member.user)
    assert "Vera Vice" not in page(anonymous, COUNCIL) + page(client, COUNCIL)
    vera = MemberFactory(full_name="Vera Vice", user__email="vera@example.org")
    give_term(vera, national_post("vice-chair"))
    assert "Vera Vice" in page(anonymous, COUNCIL)
    assert "Vera Vice" in page(client, COUNCIL)


def test_a_chapter_page_shows_a_new_member_and_the_visitors_own_membership_at_once(client, member, home_chapter):
    newcomer = MemberFactory(full_name="Nina New", user__email="nina@example.org")
    url = home_chapter.get_absolute_url()
    anonymous = SignInClient()
    before = page(anonymous, url)
    client.force_login(newcomer.user)
    assert "Join this chapter" in page(client, url)
    join(newcomer, home_chapter)
    assert "Leave this chapter" in page(client, url)
    assert page(anonymous, url) != before  # the member count
    ChapterMembership.objects.filter(member=newcomer).delete()
    assert "Join this chapter" in page(client, url)


def test_two_members_never_see_each_others_page(client, member, chapter_officer, home_chapter):
    other = SignInClient()
    client.force_login(member.user)
    other.force_login(chapter_officer.user)
    for url in (DASHBOARD, home_chapter.get_absolute_url(), COUNCIL, HOME):
        for _ in range(2):  # the second round is served from the cache
            mine, theirs = page(client, url), page(other, url)
            assert ("My posts" in mine, "My posts" in theirs) == (False, url == DASHBOARD)
            assert ("Leave this chapter" in mine, "Leave this chapter" in theirs) == (
                url == home_chapter.get_absolute_url(), False)
            assert not tokens_in(mine) & tokens_in(theirs)


def test_english_and_japanese_pages_are_kept_apart(client):
    english = page(client, HOME)
    japanese = page(client, HOME, HTTP_ACCEPT_LANGUAGE="ja")
    assert '<html lang="en">' in english and '<html lang="ja">' in japanese
    assert '<html lang="en">' in page(client, HOME) and '<html lang="ja">' in page(
        client, HOME, HTTP_ACCEPT_LANGUAGE="ja")


def test_a_form_posted_from_a_cached_page_passes_the_csrf_check(member):
    for visitor in (None, member.user):
        client = SignInClient(enforce_csrf_checks=True)
        if visitor is not None:
            client.force_login(visitor)
        page(client, HOME)  # fills the cache (or finds it filled)
        html = page(client, HOME)
        assert page_cache.CSRF_PLACEHOLDER not in html
        (token,) = tokens_in(html)
        response = client.post(reverse("people:set_language"), {"language": "ja", "next": "/",
                                                                 "csrfmiddlewaretoken": token})
        assert response.status_code == 302


def test_the_cached_page_holds_no_token_of_a_session(client, member):
    client.force_login(member.user)
    html = page(client, DASHBOARD)
    for token in tokens_in(html):
        assert all(token.encode() not in entry for entry in _pages_in_cache())
    assert any(page_cache.CSRF_PLACEHOLDER.encode() in entry for entry in _pages_in_cache())


def _pages_in_cache() -> list[bytes]:
    """The stored pages' bodies (the tests' cache is the in-process one)."""
    entries = []
    for stored_key in list(cache._cache):
        key = stored_key.split(":", 2)[2]  # without the backend's prefix and version
        if key.startswith("ajet:page:"):
            _version, (_placeholder, body, _content_type) = cache.get(key)
            entries.append(body)
    return entries


def test_a_flash_message_is_shown_once_and_its_page_is_not_cached(client, member, home_chapter):
    newcomer = MemberFactory(full_name="Nina New", user__email="nina@example.org")
    client.force_login(newcomer.user)
    url = home_chapter.get_absolute_url()
    page(client, url)
    page(client, DASHBOARD)
    response = client.post(reverse("organisation:chapter_join", args=[home_chapter.slug]), follow=True)
    assert response.content.decode().count("You have joined Saitama AJET.") == 1
    assert "You have joined" not in page(client, url)
    assert "You have joined" not in page(client, DASHBOARD)
    people_services.update_profile(member=newcomer, changes={"full_name": "Nina Newer"})
    response = client.post(reverse("organisation:chapter_leave", args=[home_chapter.slug]))
    assert "You have left" in page(client, DASHBOARD)  # the next page shows it, whether cached or not
    assert "You have left" not in page(client, DASHBOARD)
    assert "You have left" not in page(client, url)


def test_an_officer_whose_powers_change_sees_it_at_once(client, member):
    client.force_login(member.user)
    assert "Manage posts, terms and blocks" not in page(client, COUNCIL)
    assert "My posts" not in page(client, DASHBOARD)
    give_mfa(member.user)
    term = give_term(member, national_post("chair"))
    client.force_login(member.user)  # the officer signs in again with the second factor
    assert "Manage posts, terms and blocks" in page(client, COUNCIL)
    assert "My posts" in page(client, DASHBOARD)
    organisation_services.end_term(by=member.user, term=term, end=timezone.localdate() - datetime.timedelta(days=1))
    assert "Manage posts, terms and blocks" not in page(client, COUNCIL)
    assert "My posts" not in page(client, DASHBOARD)


def test_a_session_without_the_second_factor_gets_its_own_page(client, executive):
    client.force_login(executive.user)
    assert "Manage posts, terms and blocks" in page(client, COUNCIL)
    without = SignInClient()
    without.force_login(executive.user, mfa=False)
    response = without.get(COUNCIL)  # public: served, without the powers the second factor unlocks
    assert response.status_code == 200 and "Manage posts, terms and blocks" not in response.content.decode()


def test_the_pending_list_shows_a_sign_up_and_a_decision_at_once(client, block_rep, pending):
    client.force_login(block_rep.user)
    assert "Penny Pending" in page(client, PENDING)
    newcomer = MemberFactory(full_name="Sam Signup", status="pending", user__email="sam@example.org")
    assert "Sam Signup" in page(client, PENDING)
    people_services.confirm_membership(member=newcomer, by=block_rep.user)
    assert "Sam Signup" not in page(client, PENDING)
    assert "Penny Pending" in page(client, PENDING)


def test_another_members_sign_in_leaves_the_officers_pending_list_in_place(client, block_rep, pending, member):
    client.force_login(block_rep.user)
    page(client, PENDING)
    other = SignInClient()
    member.user.set_password("a long enough password")
    member.user.save()
    page(client, PENDING)  # the password change above is a real change: the list is rebuilt once
    assert other.login(email="alice@example.org", password="a long enough password")  # writes last_login
    assert not [sql for sql in queries_of(client, PENDING) if "people_member" in sql]
    people_services.confirm_membership(member=pending, by=block_rep.user)
    assert "Penny Pending" not in page(client, PENDING)


def test_a_page_that_answers_otherwise_than_200_is_not_cached(client, member, other_chapter):
    client.force_login(member.user)
    assert client.get(reverse("organisation:chapter", args=["no-such-chapter"])).status_code == 404
    assert not _pages_in_cache()


def test_a_page_from_the_cache_is_read_with_the_session_in_one_round_trip(client, member, home_chapter, monkeypatch):
    client.force_login(member.user)
    reads, inside = [], []

    def counted(original):
        def read(*args, **kwargs):  # the in-process cache's get_many calls get: count the outer call only
            if not inside:
                reads.append(args)
            inside.append(True)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()
        return read

    for method in ("get", "get_many"):
        monkeypatch.setattr(cache, method, counted(getattr(cache, method)))
    for url in (DASHBOARD, home_chapter.get_absolute_url(), COUNCIL, HOME):
        page(client, url)
        page(client, url)  # served from the cache: what it was read from is noted for this session and path
        reads.clear()
        html = page(client, url)
        assert len(reads) == 1, (url, reads)  # the session, the account, its powers and the page
        assert tokens_in(html)


@pytest.mark.django_db
def test_a_page_holding_a_one_time_form_token_is_not_kept():
    """Each showing of a creation form gets its own token (ajet/core/once.py): a kept page would hand the
    same one to every visitor, and the second to send it would be told it was already done."""
    from django import forms
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.test import RequestFactory

    from ajet.core.once import FIELD, protect

    class Form(forms.Form):
        title = forms.CharField()

    @page_cache.cached_page(lambda request: page_cache.PageCache(key="once-test"))
    def view(request):
        form = protect(Form())
        return HttpResponse(f"<form>{form[FIELD]}</form>", content_type="text/html")

    def token_shown() -> str:
        request = RequestFactory().get("/once-test/")
        request.user = AnonymousUser()
        return re.search(rf'name="{FIELD}" value="([^"]+)"', view(request).content.decode()).group(1)

    assert token_shown() != token_shown()
