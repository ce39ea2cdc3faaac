"""On a 375 px wide phone the pages fit the screen and the navigation stays within reach."""

import re

import pytest

from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll, sign_in
from tests.factories import ChapterFactory, MemberFactory, block_post, give_mfa, give_term, join, national_post


@pytest.fixture
def phone(new_context):
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    return context.new_page()


def open_menu(page) -> None:
    """The phone header is one row: the navigation waits behind the Menu button (a <details>, no JS)."""
    menu = page.locator("details.phone-menu")
    if menu.get_attribute("open") is None:
        page.get_by_text("Menu", exact=True).tap()
    assert menu.get_attribute("open") is not None


def assert_nav_reachable(page) -> None:
    header = page.get_by_role("banner").bounding_box()
    assert header is not None and header["height"] < 80, "the phone header is a single row"
    open_menu(page)
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Council", "Blocks", "Chapters", "My home"):
        link = nav.get_by_role("link", name=name, exact=True)
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
        assert box["height"] >= 24, name  # a target a thumb can hit
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

    open_menu(phone)
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Chapters", exact=True).tap()
    phone.wait_for_url(re.compile(r"/chapters/$"))
    assert_no_horizontal_scroll(phone)


@pytest.mark.parametrize("path", ["/", "/blocks/", "/chapters/", "/accounts/signup/", "/accounts/login/", "/hub/news/",
                                  "/hub/guides/"])
def test_public_pages_fit_a_phone(phone, site, path):
    phone.goto(site + path)
    assert_no_horizontal_scroll(phone)
    assert not phone.get_by_role("navigation", name="Main").is_visible()  # folded away until asked for
    open_menu(phone)
    assert phone.get_by_role("navigation", name="Main").get_by_role("link", name="Council").is_visible()
    assert phone.get_by_role("banner").get_by_role("link", name="Sign in", exact=True).is_visible()
    assert_accessible(phone)


def test_the_footer_sits_at_the_bottom_of_a_short_page(new_context, site):
    for viewport in (PHONE, {"width": 1280, "height": 1000}):
        page = new_context(viewport=viewport).new_page()
        page.goto(site + "/accounts/login/")
        footer = page.locator("footer.site-footer").bounding_box()
        assert footer is not None and abs(footer["y"] + footer["height"] - viewport["height"]) <= 1, viewport


def test_the_menu_closes_and_the_wide_header_has_no_menu(new_context, site):
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(site + "/")
    open_menu(phone)
    phone.get_by_text("Menu", exact=True).tap()
    assert phone.locator("details.phone-menu").get_attribute("open") is None
    desktop = new_context(viewport={"width": 1280, "height": 800}).new_page()
    desktop.goto(site + "/")
    assert not desktop.get_by_text("Menu", exact=True).is_visible()
    assert desktop.get_by_role("navigation", name="Main").get_by_role("link", name="Council").is_visible()
    assert_accessible(desktop)
