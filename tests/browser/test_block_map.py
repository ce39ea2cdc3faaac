"""The map of the blocks in a browser: each prefecture a link a keyboard reaches and a screen reader names."""

import re

import pytest

from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll


def focused_name(page) -> str:
    return page.evaluate("document.activeElement.getAttribute('aria-label') || document.activeElement.textContent")


@pytest.mark.parametrize("path", ["/", "/blocks/"])
def test_keyboard_walks_the_prefectures_and_opens_a_block(page, site, path):
    page.goto(site + path)
    assert_accessible(page)
    links = page.get_by_role("group", name=re.compile("Map of Japan")).get_by_role("link")
    assert links.count() == 47
    assert page.get_by_role("link", name="Saitama: Block 3", exact=True).is_visible()
    page.get_by_role("link", name="Hokkaido: Block 1", exact=True).focus()
    page.keyboard.press("Tab")
    assert focused_name(page) == "Aomori: Block 1"
    page.keyboard.press("Tab")
    assert focused_name(page) == "Iwate: Block 1"
    page.get_by_role("link", name="Tokyo: Block 4", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/blocks/4/#prefecture-13$"))
    assert page.get_by_role("heading", name="Block 4", level=1).is_visible()
    assert page.get_by_role("heading", name="Chapters").is_visible()  # the block's chapters are one click away


def test_the_map_fits_a_phone_and_names_prefectures_in_japanese(new_context, site):
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="ja-JP",
                        extra_http_headers={"Accept-Language": "ja"}).new_page()
    phone.goto(site + "/")
    assert_no_horizontal_scroll(phone)
    assert phone.get_by_role("link", name=re.compile("^埼玉県[:：]")).count() == 1
    assert_accessible(phone)
