"""On a 375 px wide phone the pages fit the screen and the navigation stays within reach."""

import re

import pytest

from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll, sign_in
from tests.factories import ChapterFactory, MemberFactory, block_post, give_mfa, give_term, join, national_post


@pytest.fixture
def phone(new_context):
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    return context.new_page()


def assert_nav_reachable(page) -> None:
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Council", "Blocks", "Chapters", "My home"):
        link = nav.get_by_role("link", name=name, exact=True)
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
    assert page.get_by_role("button", name="Sign out").is_visible()


def test_dashboard_and_council_fit_a_phone(phone, site):
    chapter = ChapterFactory(name="Saitama AJET", slug="saitama", prefecture_codes=["11"])
    # A long name and a long organisation are what push a narrow layout sideways.
    bob = MemberFactory(full_name="Roberta Bartholomew-Blockington", user__email="bob@example.org",
                        contracting_organisation="Saitama Prefectural Board of Education, Kawagoe Office")
    join(bob, chapter)
    give_term(bob, block_post(3))
    secret = give_mfa(bob.user)
    give_term(MemberFactory(full_name="Erin Executive", prefecture_id="13"), national_post("chair"))

    sign_in(phone, site, "bob@example.org", totp_secret=secret)
    for path in ("/dashboard/", "/council/"):
        phone.goto(site + path)
        assert_no_horizontal_scroll(phone)
        assert_nav_reachable(phone)
        assert_accessible(phone)

    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Chapters", exact=True).tap()
    phone.wait_for_url(re.compile(r"/chapters/$"))
    assert_no_horizontal_scroll(phone)


@pytest.mark.parametrize("path", ["/", "/blocks/", "/chapters/", "/accounts/signup/", "/accounts/login/"])
def test_public_pages_fit_a_phone(phone, site, path):
    phone.goto(site + path)
    assert_no_horizontal_scroll(phone)
    assert phone.get_by_role("navigation", name="Main").get_by_role("link", name="Council").is_visible()
    assert_accessible(phone)
