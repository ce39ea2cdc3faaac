"""On a phone, a member reads an announcement from the dashboard, confirms it, and answers an event."""

import datetime
import re
from pathlib import Path

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


def test_a_chapter_officer_publishes_an_event_and_a_member_rsvps_and_downloads_the_ics(new_context, site):
    import icalendar

    from ajet.hub.models import Event
    from tests.browser.conftest import sign_in
    from tests.factories import ChapterFactory, chapter_post, join

    saitama = ChapterFactory(name="Saitama AJET", slug="saitama", prefecture_codes=["11"])
    carol = MemberFactory(full_name="Carol Chapter", user__email="carol@example.org")
    give_term(carol, chapter_post(saitama))
    secret = give_mfa(carol.user)
    alice = MemberFactory(full_name="Alice Member", user__email="alice@example.org")
    join(alice, saitama)
    day = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()

    officer = new_context().new_page()
    sign_in(officer, site, "carol@example.org", totp_secret=secret)
    officer.goto(site + "/hub/events/new/")
    assert_accessible(officer)
    officer.get_by_label("Audience").select_option(label="Chapter: Saitama AJET")
    officer.get_by_label("Title").fill("Saitama monthly meetup")
    officer.get_by_label("Starts").fill(f"{day} 19:00")
    officer.get_by_label("Ends").fill(f"{day} 21:00")
    officer.get_by_label("Place").fill("Izakaya Tanuki")
    officer.get_by_label("Address").fill("1-2-3 Omiya, Saitama")
    officer.get_by_label("Cost").fill("¥3,000")
    officer.get_by_label("Capacity").fill("12")
    officer.get_by_label("Repeats").select_option(label="Every month (same day of the month)")
    officer.get_by_label("Number of dates").fill("3")
    officer.get_by_role("button", name="Publish").click()
    officer.wait_for_url(re.compile(r"/hub/events/\d+/$"))
    expect(officer.get_by_text("The event is published.")).to_be_visible()
    assert_accessible(officer)
    event = Event.objects.get()
    assert (event.recurrence, event.occurrences, event.capacity) == ("monthly", 3, 12)

    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(phone, site, "alice@example.org")
    phone.goto(site + "/hub/events/")
    assert_accessible(phone)
    phone.get_by_role("link", name="Saitama monthly meetup").tap()
    phone.wait_for_url(re.compile(r"/hub/events/\d+/$"))
    assert_no_horizontal_scroll(phone)
    assert_accessible(phone)
    phone.get_by_role("button", name="I will attend").first.tap()
    expect(phone.get_by_text("See you there: your place is booked.")).to_be_visible()
    answer = Rsvp.objects.get(member=alice)
    assert answer.attending and answer.occurrence == event.start
    assert_accessible(phone)

    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Add to my calendar (.ics)").tap()
    calendar = icalendar.Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    [entry] = calendar.walk("VEVENT")
    assert entry["SUMMARY"] == "Saitama monthly meetup"
    assert entry.decoded("DTSTART").hour == 19 and str(entry["DTSTART"].params["TZID"]) == "Asia/Tokyo"
    assert entry["RRULE"].to_ical() == b"FREQ=MONTHLY;COUNT=3"

    officer.goto(site + f"/hub/events/{event.pk}/attendees/")
    expect(officer.get_by_role("cell", name="Alice Member")).to_be_visible()
    assert_accessible(officer)


def test_a_block_representative_forwards_national_news_from_the_liaison_desk(page, site):
    from ajet.hub.models import Announcement
    from tests.browser.conftest import sign_in_block_representative
    from tests.factories import ChapterFactory

    erin = MemberFactory(full_name="Erin Executive", prefecture_id="13")
    give_term(erin, national_post("chair"))
    give_mfa(erin.user)
    ChapterFactory(name="Saitama AJET", slug="saitama", prefecture_codes=["11"])
    MemberFactory(full_name="Sam Signup", status="pending")
    national = services.create_announcement(by=erin.user, scope=Scope(Scope.NATIONAL), fields={
        "title": "Recontracting deadline", "body": "Tell your school by February."})

    sign_in_block_representative(page, site)
    page.goto(site + "/hub/liaison/")
    page.wait_for_url(re.compile(r"/hub/liaison/3/$"))
    expect(page.get_by_text("Sam Signup")).to_be_attached()
    assert_accessible(page)
    page.get_by_label("National announcement").select_option(label="Recontracting deadline")
    page.get_by_label("Your note to the block").fill("Block 3: ask me if in doubt.")
    page.get_by_role("button", name="Forward to the block").click()
    page.wait_for_url(re.compile(r"/hub/announcements/\d+/status/$"))
    assert_accessible(page)
    assert Announcement.objects.get(forwarded_from=national).scope_block_id == 3
