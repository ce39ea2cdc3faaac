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
    "/hub/news/",
    "/hub/guides/",
    "/hub/guides/earthquakes/",
]


@pytest.fixture
def public_world():
    """A council with holders and bios, and a chapter with a description, so no page is empty."""
    chapter = ChapterFactory(name="Saitama AJET", slug="saitama", prefecture_codes=["11"],
                             description="Welcome parties, charity runs and a monthly newsletter.",
                             contact_email="saitama@ajet.example")
    give_term(MemberFactory(full_name="Bob Block"), block_post(3))
    give_term(MemberFactory(full_name="Erin Executive", prefecture_id="13"), national_post("chair"))
    _public_guide_and_event(chapter)
    return chapter


def _public_guide_and_event(chapter):
    import datetime

    from django.utils import timezone

    from ajet.hub.models import Event, Guide, GuideCategory
    from ajet.organisation.scopes import Scope

    category = GuideCategory.objects.create(slug="safety", name="Safety", name_ja="安全")
    Guide.objects.create(category=category, slug="earthquakes", title="Earthquakes", title_ja="地震",
                         body="Find your **evacuation site**.\n\n* water\n* food", body_ja="避難所を確認しましょう。",
                         owner_post=national_post("chair"), is_public=True)
    start = timezone.now() + datetime.timedelta(days=5)
    event = Event(title="Charity run", start=start, end=start + datetime.timedelta(hours=3), place="Omiya park",
                  is_public=True)
    event.set_scope(Scope(Scope.CHAPTER, chapter=chapter.pk))
    event.save()


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
