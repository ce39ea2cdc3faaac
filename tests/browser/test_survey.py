"""A member answers a survey on a phone (saving a draft first); after the close the block representative sees
the results on a phone too: the charts (SVG, named for screen readers) and the small group shown as
"fewer than 5"."""

import re

import pytest
from playwright.sync_api import expect

from ajet.voice import services
from ajet.voice.models import Response
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    sign_in,
    sign_in_block_representative,
)
from tests.factories import MemberFactory, block_post, give_mfa, give_term
from tests.voice.survey_factories import answers, close, make_survey


@pytest.fixture
def phone(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def test_a_member_answers_on_a_phone_and_the_officer_sees_suppressed_results(phone, new_context, site):
    olga = MemberFactory(full_name="Olga Organiser")
    give_term(olga, block_post(3))
    give_mfa(olga.user)
    survey = make_survey(olga, audience="block", block_id=3, title_en="Block 3 check-in")
    MemberFactory(full_name="Vera Voter", user__email="vera@example.org")
    for position in ["ALT"] * 5 + ["CIR"] * 2:
        services.submit_response(member=MemberFactory(position=position), survey=survey, values=answers(survey))

    sign_in(phone, site, "vera@example.org")
    phone.get_by_role("link", name="Block 3 check-in").click()
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)
    phone.get_by_label("Right").check()
    phone.get_by_role("button", name="Save a draft").click()
    expect(phone.get_by_text("saved as a draft")).to_be_visible()
    assert phone.get_by_label("Right").is_checked()
    phone.get_by_label("4 · Agree").check()
    phone.get_by_label("Overtime hours").fill("12")
    phone.get_by_role("button", name="Submit my answers").click()
    expect(phone.get_by_text("your answers are submitted")).to_be_visible()
    assert_accessible(phone)
    assert Response.objects.filter(survey=survey).count() == 8

    close(survey)
    officer = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in_block_representative(officer, site)
    officer.goto(f"{site}/voice/surveys/{survey.pk}/results/")
    bars = officer.get_by_role("img", name=re.compile(r"^Bar chart: Load\?"))
    assert bars.is_visible() and bars.bounding_box()["width"] > 300
    assert officer.get_by_role("img", name=re.compile(r"^Diverging bar chart: Valued\?")).is_visible()
    assert officer.get_by_role("img", name=re.compile(r"^Histogram: Overtime hours")).is_visible()
    assert_no_horizontal_scroll(officer)
    cir = officer.locator('tr[data-group="position-CIR"]').first
    assert cir.inner_text().strip().endswith("fewer than 5")
    assert re.search(r"^\d+$", officer.locator('tr[data-group="block-3"] td.respondents').first.inner_text())
    assert_accessible(officer)
