"""The organisation's new pages pass axe-core's serious and critical rules and fit a phone.

Runs with the browser tests (`pytest -m browser`).
"""

import pytest
from django.utils import timezone

from ajet.organisation import services
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.conftest import SignInClient
from tests.factories import ChapterFactory, MemberFactory, block_post, chapter_post, give_mfa, give_term, national_post


@pytest.fixture
def officer_world():
    chapter = ChapterFactory(name="Saitama AJET", slug="saitama", prefecture_codes=["11"], description="Hello.")
    erin = MemberFactory(full_name="Erin Executive", prefecture_id="13")
    give_term(erin, national_post("chair"))
    give_mfa(erin.user)
    bob = MemberFactory(full_name="Bob Block")
    give_term(bob, block_post(3))
    give_term(MemberFactory(full_name="Carol Chapter"), chapter_post(chapter))
    page = services.create_handbook_page(by=erin.user, post=block_post(3), title="Liaison",
                                         body="## Steps\n\n1. Call\n2. Write\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    services.add_handover_item(by=erin.user, post=block_post(3), title="Book the venue", detail="By May")
    return {"executive": erin, "chapter": chapter, "page": page, "term": bob.terms.get()}


def _sign_in(context, site, user):
    client = SignInClient()
    client.force_login(user)  # as after the whole sign-in, second factor included
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])


def test_officer_pages_are_accessible(page, live_server, officer_world):
    site = live_server.url
    _sign_in(page.context, site, officer_world["executive"].user)
    handbook = f"/handbooks/{block_post(3).pk}"
    handbook_page = f"{handbook}/pages/{officer_world['page'].slug}"
    revision = officer_world["page"].revisions.first().pk
    year = services.council_year_of(timezone.localdate())
    paths = [
        "/council/history/", f"/council/history/{year}/", "/initiatives/", "/initiatives/peer-support-group/",
        "/chapters/saitama/", "/chapters/new/", "/chapters/saitama/edit/", "/chapters/saitama/officers/",
        "/council/manage/", "/council/posts/new/", f"/council/posts/{block_post(3).pk}/",
        f"/council/posts/{block_post(3).pk}/terms/new/", f"/council/terms/{officer_world['term'].pk}/end/",
        "/council/prefectures/11/", "/handbooks/", f"{handbook}/", f"{handbook_page}/", f"{handbook_page}/edit/",
        f"{handbook_page}/history/", f"{handbook_page}/history/{revision}/", f"{handbook}/files/new/",
        "/initiatives/peer-support-group/edit/",
    ]
    page.set_viewport_size({"width": 375, "height": 740})
    for path in paths:
        response = page.goto(site + path)
        assert response.status == 200 and response.url == site + path, path
        assert page.locator("main h1").count() == 1, path
        assert_accessible(page)
        assert_no_horizontal_scroll(page)


def test_a_form_with_errors_is_accessible(page, live_server, officer_world):
    site = live_server.url
    _sign_in(page.context, site, officer_world["executive"].user)
    page.goto(f"{site}/council/posts/{block_post(3).pk}/terms/new/")
    page.get_by_label("Member (name or e-mail address)").fill("nobody-at-all")
    page.locator("main form button[type=submit]").click()
    assert page.get_by_text("No member matches").count() == 1
    assert_accessible(page)
