"""A new officer's first sign-in in a browser: told why, then two-factor authentication set up in one form."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, current_totp, sign_in
from tests.factories import MemberFactory, block_post, give_term


def test_new_officer_is_told_why_then_sets_up_two_factor_and_reaches_the_dashboard(page, site):
    nina = MemberFactory(full_name="Nina New", user__email="nina@example.org")
    give_term(nina, block_post(3))

    sign_in(page, site, "nina@example.org", landing=r"/officers/two-factor/\?next=%2Fdashboard%2F$")
    assert_accessible(page)
    assert page.get_by_role("heading", name="Protect your officer account", level=1).is_visible()
    assert page.get_by_text("two-factor authentication", exact=False).first.is_visible()
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()
    assert page.get_by_label("Password").count() == 0  # signed in a moment ago
    secret = page.locator("code.secret").inner_text()

    page.get_by_label(re.compile("Authenticator code")).fill(current_totp(secret))
    page.get_by_role("button", name="Switch on two-factor authentication").click()
    # The answer comes back to the same address: wait for its heading (a loaded machine answers late).
    expect(page.get_by_role("heading", name="Two-factor authentication is on")).to_be_visible()
    assert page.locator(".recovery-codes li").count() == 10
    assert_accessible(page)

    page.get_by_role("link", name="Continue").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(page)
