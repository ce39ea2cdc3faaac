"""A signed-in member's own pages, and the officer's member pages, pass axe-core's serious and critical rules."""

import re

from ajet.people.models import Member
from tests.browser.conftest import assert_accessible, sign_in, sign_in_block_representative
from tests.factories import PASSWORD, ChapterFactory, MemberFactory, block_post, give_term, join

MEMBER_PATHS = [
    "/dashboard/",
    "/me/",
    "/me/close/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",  # asks for the password again first
]


def test_member_pages_are_accessible(page, site):
    alice = MemberFactory(full_name="Alice Member", user__email="alice@example.org")
    join(alice, ChapterFactory(name="Saitama AJET", slug="saitama", prefecture_codes=["11"]))
    sign_in(page, site, "alice@example.org")
    for path in MEMBER_PATHS:
        response = page.goto(site + path)
        assert response.status == 200, path
        assert_accessible(page)


def test_profile_form_errors_are_accessible(page, site):
    member = MemberFactory(full_name="Alice Member", user__email="alice@example.org")
    sign_in(page, site, "alice@example.org")
    page.goto(site + "/me/")
    page.get_by_label("JET number").fill("12345")
    page.get_by_role("main").get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator(".field.has-error").count() == 1
    assert_accessible(page)
    member.refresh_from_db()
    assert member.jet_number in (None, "")


def test_officer_member_pages_are_accessible(page, site):
    penny = MemberFactory(full_name="Penny Pending", status=Member.Status.PENDING, jet_number="20123456789")
    sign_in_block_representative(page, site)
    for path in ("/members/pending/", f"/members/{penny.pk}/"):
        response = page.goto(site + path)
        assert response.status == 200, path
        assert_accessible(page)


def test_officer_without_mfa_is_sent_to_an_accessible_totp_setup(page, site):
    """The first sign-in lands on the page that explains and sets up two-factor authentication (the whole
    flow: test_officer_first_sign_in.py); allauth's own pages for it stay accessible too."""
    nora = MemberFactory(full_name="Nora NoMFA", user__email="nora@example.org")
    give_term(nora, block_post(3))
    sign_in(page, site, "nora@example.org", landing=r"/officers/two-factor/")
    assert page.get_by_role("main").get_by_role("img").count() >= 1  # the QR code, with a text alternative
    assert_accessible(page)
    page.goto(site + "/accounts/2fa/totp/activate/")
    page.wait_for_url(re.compile(r"/accounts/(reauthenticate/|2fa/totp/activate/$)"))
    if "/reauthenticate/" in page.url:
        assert_accessible(page)
        page.get_by_label(re.compile("^Password")).fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Confirm").click()
        page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    assert page.get_by_role("main").get_by_role("img").count() >= 1
    assert_accessible(page)
