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
