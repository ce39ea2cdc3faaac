"""A chapter page in both languages: each reader gets their language, or the other with a note and `lang`."""

import re

from tests.browser.conftest import assert_accessible
from tests.factories import ChapterFactory


def test_a_chapter_page_in_english_and_in_japanese(page, site):
    ChapterFactory(name="Saitama AJET", slug="saitama", prefecture_codes=["11"],
                   description="Monthly language exchange in Omiya.", description_ja="")
    page.goto(site + "/chapters/saitama/")
    assert page.get_by_text("Monthly language exchange in Omiya.").is_visible()
    assert page.locator(".fallback-note").count() == 0
    assert_accessible(page)

    page.get_by_role("button", name="日本語").click()
    page.wait_for_url(re.compile(r"/chapters/saitama/$"))
    assert page.locator("html").get_attribute("lang") == "ja"
    english = page.locator('div[lang="en"]', has_text="Monthly language exchange in Omiya.")
    assert english.is_visible()
    note = page.locator(".fallback-note")
    assert note.is_visible()  # in the reader's language once the catalogue has it
    assert_accessible(page)


def test_japanese_text_on_an_english_page_is_marked_japanese(page, site):
    ChapterFactory(name="Aichi AJET", slug="aichi", prefecture_codes=["23"],
                   description="", description_ja="名古屋で毎月交流会を開いています。")
    page.goto(site + "/chapters/aichi/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("This text is only available in Japanese.").is_visible()
    assert page.locator('div[lang="ja"]').inner_text() == "名古屋で毎月交流会を開いています。"
    assert_accessible(page)
