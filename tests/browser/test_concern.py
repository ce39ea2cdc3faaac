"""A member raises a concern on a phone; their block representative updates it; the member sees the status."""

import pytest
from playwright.sync_api import expect

from ajet.voice.models import Concern
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    sign_in,
    sign_in_block_representative,
)
from tests.factories import MemberFactory


@pytest.fixture
def phone(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def test_a_concern_goes_from_the_member_to_the_block_representative_and_back(phone, new_context, site):
    MemberFactory(full_name="Vera Voter", user__email="vera@example.org")
    sign_in(phone, site, "vera@example.org")
    phone.goto(f"{site}/voice/concerns/new/")
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)
    phone.get_by_label("Title").fill("Unpaid overtime")
    phone.get_by_label("What is the matter").fill("Asked to stay until 19:00 without pay.")
    phone.get_by_label("Category").select_option(label="Contracts and pay")
    phone.get_by_label("My block (my block representative)").check()
    phone.get_by_label("Not beyond my block representative").check()
    phone.get_by_role("button", name="Send my concern").click()
    expect(phone.get_by_text("Your concern is sent")).to_be_visible()
    concern = Concern.objects.get()

    officer = new_context().new_page()
    sign_in_block_representative(officer, site)
    officer.goto(f"{site}/voice/concerns/")
    officer.get_by_role("link", name="Unpaid overtime").click()
    assert_accessible(officer)
    officer.get_by_label("Status").select_option(label="In progress")
    officer.get_by_label("Note to the member").fill("I will ask your contracting organisation.")
    officer.get_by_role("button", name="Save the update").click()
    expect(officer.get_by_text("The concern is updated")).to_be_visible()

    phone.goto(f"{site}{concern.get_absolute_url()}")
    assert phone.get_by_text("I will ask your contracting organisation.").is_visible()
    assert_accessible(phone)
