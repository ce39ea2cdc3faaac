"""The public PSG page on a phone: open, it says until when; closed, it shows where else to turn. Axe-clean."""

import datetime

import pytest
from django.utils import timezone

from ajet.support.hours import LINE_TIMEZONE
from ajet.support.models import Resource
from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll


@pytest.fixture
def phone(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def _freeze(monkeypatch, *args):
    moment = datetime.datetime(*args, tzinfo=LINE_TIMEZONE)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_psg_page_open_and_closed_on_a_phone(phone, site, monkeypatch):
    Resource.objects.create(name="TELL Lifeline", category="counselling", phone="03-5774-0992",
                            url="https://telljp.com/lifeline/", hours="Daily 9:00–23:00", languages="English")
    _freeze(monkeypatch, 2026, 3, 14, 23, 15)
    phone.goto(site + "/support/")
    assert phone.get_by_role("heading", name="The line is open now").is_visible()
    assert "07:00" in phone.locator(".line-status").inner_text()
    assert phone.get_by_text("TELL Lifeline").count() == 0
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)

    _freeze(monkeypatch, 2026, 3, 15, 9, 30)
    phone.goto(site + "/support/")
    assert phone.get_by_role("heading", name="The line is closed now").is_visible()
    assert "20:00" in phone.locator(".line-status").inner_text()
    assert phone.get_by_role("link", name="119").is_visible()
    assert phone.get_by_text("TELL Lifeline").is_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)
