"""A member votes on a phone, keeps the tracking code, and after the close finds the ballot on the board."""

import pytest
from playwright.sync_api import expect

from ajet.elections import services
from ajet.elections.models import Election
from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll, sign_in
from tests.elections.election_factories import make_election
from tests.factories import MemberFactory, give_mfa, give_term, national_post


@pytest.fixture
def phone(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def test_a_member_votes_on_a_phone_and_finds_the_ballot_on_the_board(phone, site):
    erin = MemberFactory(full_name="Erin Executive", prefecture_id="13")
    give_term(erin, national_post("chair"))
    give_mfa(erin.user)
    MemberFactory(full_name="Vera Voter", user__email="vera@example.org")
    alice, bob = MemberFactory(full_name="Alice Able"), MemberFactory(full_name="Bob Baker", prefecture_id="13")
    election = make_election(erin, posts=[national_post("chair")], candidates={"chair": [alice, bob]},
                             phase=Election.Phase.VOTING_OPEN)

    sign_in(phone, site, "vera@example.org")
    phone.get_by_role("link", name="Vote now:").first.click()
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)
    phone.get_by_label("1st choice").select_option(label="Bob Baker")
    phone.get_by_label("2nd choice").select_option(label="Alice Able")
    phone.get_by_role("button", name="Review my ballot").click()
    expect(phone.get_by_role("heading", name="Check your ballot")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("button", name="Cast my ballot").click()
    code = phone.locator("code.tracking-code").inner_text()
    assert_accessible(phone)

    services.advance_phase(by=erin.user, election=election)  # voting closes
    phone.goto(f"{site}/elections/{election.slug}/board/")
    assert_no_horizontal_scroll(phone)
    phone.get_by_label("Tracking code").fill(code)
    phone.get_by_role("button", name="Find my ballot").click()
    ranking = phone.locator("ol.found-ranking li").all_inner_texts()
    assert [name.strip("\u2068\u2069") for name in ranking] == ["Bob Baker", "Alice Able"]
    assert_accessible(phone)


def test_a_member_answers_a_referendum_question_on_the_same_ballot(phone, site):
    erin = MemberFactory(full_name="Erin Executive", prefecture_id="13")
    give_term(erin, national_post("chair"))
    give_mfa(erin.user)
    MemberFactory(full_name="Vera Voter", user__email="vera@example.org")
    election = make_election(erin, posts=[national_post("chair")], phase=Election.Phase.DRAFT,
                             candidates={"chair": [MemberFactory(full_name="Alice Able")]})
    services.add_referendum_question(by=erin.user, election=election, question="Do you approve the amendment?",
                                     threshold="two-thirds")
    while election.phase != Election.Phase.VOTING_OPEN:
        election = services.advance_phase(by=erin.user, election=election)

    sign_in(phone, site, "vera@example.org")
    phone.goto(f"{site}/elections/{election.slug}/vote/")
    assert phone.get_by_role("group", name="Referendum: Do you approve the amendment?").is_visible()
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)
    phone.get_by_label("Yes").check()
    phone.get_by_role("button", name="Review my ballot").click()
    expect(phone.get_by_text("Your answer: Yes")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("button", name="Cast my ballot").click()
    assert phone.locator("code.tracking-code").count() == 1  # only the question was answered

    for _ in range(2):
        election = services.advance_phase(by=erin.user, election=election)  # closed, counted
    phone.goto(f"{site}/elections/{election.slug}/results/")
    assert phone.get_by_text("Carried.").is_visible()
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)
