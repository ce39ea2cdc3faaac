"""On a phone: a member raises a concern without their name and answers the officer's question with the
receipt code alone; an executive prepares a meeting and reads its briefing report side by side."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from ajet.organisation.models import Post
from ajet.voice import services
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    sign_in,
    sign_in_block_representative,
)
from tests.factories import MemberFactory, give_mfa, give_term, national_post

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def test_an_anonymous_concern_is_followed_with_its_receipt_code(phone, new_context, site):
    MemberFactory(full_name="Vera Voter", user__email="vera@example.org")
    sign_in(phone, site, "vera@example.org")
    phone.goto(f"{site}/voice/concerns/new/")
    phone.get_by_label("Title").fill("Harassment at school")
    phone.get_by_label("What is the matter").fill("A colleague shouts at me.")
    phone.get_by_label("Category").select_option(label="Discrimination and harassment")
    phone.get_by_label("My block (my block representative)").check()
    phone.get_by_label("To the officers only, without my name (you get a receipt code)").check()
    phone.get_by_role("button", name="Send my concern").click()
    phone.wait_for_url(re.compile(r"/voice/concerns/receipt/$"))
    code = re.search(r"[A-Z2-9]{5}(?:-[A-Z2-9]{5}){3}", phone.content()).group(0)
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)

    officer = new_context().new_page()
    sign_in_block_representative(officer, site)
    officer.goto(f"{site}/voice/concerns/")
    officer.get_by_role("link", name="Harassment at school").click()
    assert "Vera" not in officer.content()
    assert_accessible(officer)
    officer.get_by_label("Status").select_option(label="More information needed")
    officer.get_by_label("Note to the member").fill("Which school is it?")
    officer.get_by_role("button", name="Save the update").click()
    expect(officer.get_by_text("The concern is updated")).to_be_visible()

    stranger = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()  # not signed in
    stranger.goto(f"{site}/voice/concerns/receipt/")
    stranger.get_by_label("Receipt code").fill(code.lower())
    stranger.get_by_role("button", name="Show the concern").click()
    expect(stranger.get_by_text("Which school is it?")).to_be_visible()
    assert_accessible(stranger)
    assert_no_horizontal_scroll(stranger)
    stranger.get_by_label("Your answer").fill("The junior high school.")
    stranger.get_by_role("button", name="Send my answer").click()
    expect(stranger.get_by_text("Your answer is sent to the officers")).to_be_visible()
    officer.reload()
    assert officer.get_by_text("The junior high school.").is_visible()


def test_an_executive_prepares_a_meeting_and_reads_its_report_side_by_side(phone, site):
    erin = MemberFactory(full_name="Erin Executive", prefecture_id="13", user__email="erin@example.org")
    give_term(erin, national_post("chair"))
    secret = give_mfa(erin.user)
    today = datetime.date.today()
    last = services.create_meeting(by=erin.user, title="Autumn meeting", sponsors=["CLAIR"],
                                   held_on=today - datetime.timedelta(days=90))
    item = services.add_agenda_item(by=erin.user, meeting=last, title_en="Contract renewal dates",
                                    title_ja="契約更新の時期", recommendation_en="Confirm renewals by December.")
    services.record_sponsor_answer(by=erin.user, item=item, sponsor="CLAIR", answer_en="CLAIR agrees.",
                                   answer_ja="CLAIRは同意します。")
    services.add_follow_up(by=erin.user, item=item, text_en="Send the circular", owner=Post.objects.get(slug="chair"),
                           due_on=today - datetime.timedelta(days=3))
    services.publish_meeting(by=erin.user, meeting=last, summary_en="Progress.")
    upcoming = services.create_meeting(by=erin.user, title="Spring meeting", sponsors=["MEXT"],
                                       held_on=today + datetime.timedelta(days=60))
    sign_in(phone, site, "erin@example.org", totp_secret=secret)
    phone.goto(f"{site}/voice/meetings/{upcoming.pk}/")
    assert phone.get_by_text("Send the circular").is_visible() and phone.get_by_text("Overdue").is_visible()
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)
    phone.goto(f"{site}/voice/meetings/{last.pk}/")
    phone.get_by_role("link", name="Briefing report").click()
    phone.get_by_role("link", name="Side by side").click()
    assert phone.get_by_text("CLAIRは同意します。").is_visible() and phone.get_by_text("CLAIR agrees.").is_visible()
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)
    phone.goto(f"{site}/voice/meetings/cycle/")
    assert_accessible(phone)
    phone.goto(f"{site}/voice/translations/")
    assert phone.get_by_text("Confirm renewals by December.").is_visible()
    assert_accessible(phone)
