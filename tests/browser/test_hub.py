"""On a phone, a member reads an announcement from the dashboard, confirms it, and answers an event."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ajet.hub import services
from ajet.hub.models import Acknowledgement, Rsvp
from ajet.organisation.scopes import Scope
from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll, sign_in
from tests.factories import MemberFactory, give_mfa, give_term, national_post


@pytest.fixture
def phone(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def test_a_member_reads_an_announcement_and_rsvps_on_a_phone(phone, site):
    erin = MemberFactory(full_name="Erin Executive", prefecture_id="13")
    give_term(erin, national_post("chair"))
    give_mfa(erin.user)
    alice = MemberFactory(full_name="Alice Member", user__email="alice@example.org")
    services.create_announcement(by=erin.user, scope=Scope(Scope.NATIONAL), fields={
        "title": "Election timetable", "body": "Voting opens **Monday**.", "requires_acknowledgement": True})
    start = timezone.now() + datetime.timedelta(days=5)
    services.create_event(by=erin.user, scope=Scope(Scope.BLOCK, block=3), fields={
        "title": "Block 3 conference", "start": start, "end": start + datetime.timedelta(hours=3),
        "place": "Saitama City", "capacity": 30})

    sign_in(phone, site, "alice@example.org")
    phone.get_by_role("link", name="Election timetable").tap()
    phone.wait_for_url(re.compile(r"/hub/announcements/\d+/$"))
    expect(phone.get_by_text("Monday")).to_be_visible()
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)
    phone.get_by_role("button", name="I have read this").tap()
    expect(phone.get_by_text("Thank you: your confirmation has been recorded.")).to_be_visible()
    assert Acknowledgement.objects.filter(member=alice).count() == 1

    phone.goto(site + "/dashboard/")
    phone.get_by_role("link", name="Block 3 conference").tap()
    phone.wait_for_url(re.compile(r"/hub/events/\d+/$"))
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)
    phone.get_by_role("button", name="I will attend").tap()
    expect(phone.get_by_text("See you there: your place is booked.")).to_be_visible()
    assert Rsvp.objects.get(member=alice).attending
    expect(phone.get_by_role("link", name="Add to my calendar (.ics)")).to_be_visible()
