"""A newcomer joins, a member switches language, an officer confirms a sign-up: through the real pages."""

import re

from django.core import mail

from ajet.people.models import Member, User
from tests.browser.conftest import assert_accessible, sign_in, sign_in_block_representative
from tests.factories import PASSWORD, MemberFactory, block_post, give_term

CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def label(text: str) -> re.Pattern:
    """A form label as Django renders it ("Name:"), matched whole so "Password" is not "Password (again)"."""
    return re.compile(rf"^\s*{re.escape(text)}:?\s*$")


def test_newcomer_signs_up_confirms_their_address_and_sees_their_dashboard(page, site):
    give_term(MemberFactory(full_name="Bob Block"), block_post(3))

    page.goto(site + "/")
    assert page.locator(".block-diagram > li").count() == 11
    assert_accessible(page)

    page.get_by_role("banner").get_by_role("link", name="Join", exact=True).click()
    page.wait_for_url(re.compile(r"/accounts/signup/$"))
    assert_accessible(page)
    page.get_by_label(label("E-mail address")).fill("newbie@example.org")
    page.get_by_label(label("Name")).fill("Nina Newcomer")
    page.get_by_label(label("Position")).select_option("CIR")
    page.get_by_label(label("Prefecture")).select_option(label="Saitama")
    page.get_by_label(label("Year on JET")).select_option("1")
    page.get_by_label(label("Arrival group")).select_option("A")
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_label(label("Password (again)")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Join", exact=True).click()

    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    assert_accessible(page)
    member = Member.objects.select_related("user").get(user__email="newbie@example.org")
    assert member.status == Member.Status.PENDING
    assert (member.full_name, member.position, member.prefecture_id) == ("Nina Newcomer", "CIR", "11")

    (message,) = [message for message in mail.outbox if "newbie@example.org" in message.to]
    link = CONFIRMATION_LINK.search(message.body).group(0)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("main").get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:  # allauth signs in on confirmation only in the sign-up's session
        sign_in(page, site, "newbie@example.org")
    elif "/dashboard/" not in page.url:
        page.goto(site + "/dashboard/")

    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert_accessible(page)
    place = page.get_by_role("region", name="Where I belong")
    assert "Pending confirmation" in place.inner_text()
    assert place.get_by_role("link", name="Block 3").is_visible()
    assert "Bob Block" in place.inner_text()
    assert User.objects.get(email="newbie@example.org").emailaddress_set.get().verified


def test_member_switches_to_japanese_and_back(page, site):
    member = MemberFactory(full_name="Alice Member", user__email="alice@example.org")
    sign_in(page, site, "alice@example.org")
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("button", name="日本語").click()
    page.wait_for_function("document.documentElement.lang === 'ja'")
    assert page.url.endswith("/dashboard/")  # the switcher brings you back to the same page
    assert_accessible(page)
    member.refresh_from_db()
    assert member.preferred_language == "ja"

    page.goto(site + "/council/")  # the choice holds on the next page too
    assert page.locator("html").get_attribute("lang") == "ja"

    page.get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert_accessible(page)
    member.refresh_from_db()
    assert member.preferred_language == "en"


def test_block_representative_with_totp_confirms_a_pending_member(page, site):
    penny = MemberFactory(full_name="Penny Pending", status=Member.Status.PENDING, user__email="penny@example.org")

    bob = sign_in_block_representative(page, site)
    assert_accessible(page)

    page.get_by_role("link", name="Members waiting for confirmation").click()
    page.wait_for_url(re.compile(r"/members/pending/$"))
    assert_accessible(page)
    main = page.get_by_role("main")
    main.get_by_label("Select Penny Pending").check()
    main.get_by_role("button", name="Confirm", exact=True).click()

    page.wait_for_url(re.compile(r"/members/pending/"))
    assert_accessible(page)
    penny.refresh_from_db()
    assert penny.status == Member.Status.CURRENT
    assert penny.confirmed_by == bob.user
