"""The confirmation queue in a browser: tick several sign-ups and confirm them; reject one with a reason.
axe-core stays clean on the queue and after each decision."""

from allauth.account.models import EmailAddress

from ajet.people.models import Member
from tests.browser.conftest import assert_accessible, sign_in_block_representative
from tests.factories import MemberFactory


def test_bulk_confirm_and_reject_from_the_queue(page, site):
    penny = MemberFactory(full_name="Penny Pending", status=Member.Status.PENDING)
    pat = MemberFactory(full_name="Pat Pending", status=Member.Status.PENDING)
    uma = MemberFactory(full_name="Uma Unverified", status=Member.Status.PENDING)
    EmailAddress.objects.filter(user=uma.user).update(verified=False)
    sign_in_block_representative(page, site)
    page.goto(site + "/members/pending/")
    assert_accessible(page)
    main = page.get_by_role("main")
    main.get_by_label("Select Penny Pending").check()
    main.get_by_label("Select Pat Pending").check()
    main.get_by_role("button", name="Confirm", exact=True).click()
    page.wait_for_load_state()
    assert "2 members confirmed." in page.content()
    assert_accessible(page)

    main.get_by_label("Select Uma Unverified").check()
    main.get_by_label("Reason for rejecting").select_option(label="Duplicate account")
    main.get_by_label("Note for the person (optional)").fill("You signed up twice.")
    main.get_by_role("button", name="Reject").click()
    page.wait_for_load_state()
    assert "1 sign-up rejected" in page.content()
    assert "Nobody in your area is waiting for confirmation." in page.content()
    assert_accessible(page)
    statuses = dict(Member.objects.filter(pk__in=[penny.pk, pat.pk, uma.pk]).values_list("full_name", "status"))
    assert statuses == {"Penny Pending": "current", "Pat Pending": "current", "Uma Unverified": "rejected"}


def test_the_executives_turnover_pages_and_the_audit_log_are_accessible(page, site):
    import datetime

    from ajet.core import audit
    from tests.browser.conftest import PHONE, sign_in
    from tests.factories import give_mfa, give_term, national_post

    erin = MemberFactory(full_name="Erin Executive", user__email="erin@example.org")
    give_term(erin, national_post("chair"))
    lena = MemberFactory(full_name="Lena Leaver", jet_start_date=datetime.date(2023, 7, 27))
    audit.record(actor=erin.user, action="member.confirm", target=lena, before={"status": "pending"},
                 after={"status": "current", "contracting_organisation": "Saitama Prefectural Board of Education "
                                                                        "and a very long name that must wrap"})
    sign_in(page, site, "erin@example.org", totp_secret=give_mfa(erin.user))
    page.goto(site + "/members/leavers/")
    assert_accessible(page)
    main = page.get_by_role("main")
    main.get_by_label("Or: everyone who arrived in").fill("2023")
    main.get_by_label("Last day of their contracts").fill("2026-07-31")
    main.get_by_role("button", name="Show who would leave").click()
    page.wait_for_url("**/members/leavers/preview/")
    assert "Lena Leaver" in page.content()
    assert_accessible(page)
    page.goto(site + "/audit/?action=member.confirm")
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    page.goto(site + "/audit/")
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1  # the changes wrap instead of widening the page
