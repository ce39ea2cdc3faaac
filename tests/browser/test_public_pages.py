"""Every public page passes axe-core's serious and critical rules, in English and in Japanese."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.factories import ChapterFactory, MemberFactory, block_post, give_term, national_post

PUBLIC_PATHS = [
    "/",
    "/council/",
    "/blocks/",
    "/blocks/3/",
    "/chapters/",
    "/chapters/saitama/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]


@pytest.fixture
def public_world():
    """A council with holders and bios, and a chapter with a description, so no page is empty."""
    chapter = ChapterFactory(name="Saitama AJET", slug="saitama", prefecture_codes=["11"],
                             description="Welcome parties, charity runs and a monthly newsletter.",
                             contact_email="saitama@ajet.example")
    give_term(MemberFactory(full_name="Bob Block"), block_post(3))
    give_term(MemberFactory(full_name="Erin Executive", prefecture_id="13"), national_post("chair"))
    return chapter


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_page_is_accessible(page, site, public_world, path):
    response = page.goto(site + path)
    assert response.status == 200
    assert page.locator("main h1").count() == 1
    assert_accessible(page)


def test_home_page_in_japanese_is_accessible(page, site, public_world):
    page.goto(site + "/")
    page.locator(".language-switcher button").click()
    page.wait_for_function("document.documentElement.lang === 'ja'")
    assert_accessible(page)
