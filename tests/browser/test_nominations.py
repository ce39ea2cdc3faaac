"""A member stands for election on a phone, with a platform and a photo, and sees their candidate page."""

import pytest

from ajet.elections.models import Candidate, Election
from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll, sign_in
from tests.elections.election_factories import make_election
from tests.factories import MemberFactory, give_mfa, give_term, national_post

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def phone(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def test_a_member_stands_for_election_on_a_phone(phone, site, tmp_path):
    erin = MemberFactory(full_name="Erin Executive", prefecture_id="13")
    give_term(erin, national_post("chair"))
    give_mfa(erin.user)
    MemberFactory(full_name="Nina Nominee", user__email="nina@example.org")
    election = make_election(erin, posts=[national_post("chair")], phase=Election.Phase.NOMINATIONS_OPEN)
    photo = tmp_path / "nina.png"
    photo.write_bytes(PNG)

    sign_in(phone, site, "nina@example.org")
    phone.goto(f"{site}/elections/{election.slug}/")
    phone.get_by_role("link", name="Stand for election").click()
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)
    phone.get_by_label("Platform (English)").fill("Open books and more peer support.")
    phone.get_by_label("Photo (optional)").set_input_files(str(photo))
    phone.get_by_role("button", name="Send my nomination").click()
    phone.wait_for_url("**/candidates/*/")
    assert phone.get_by_role("heading", name="Nina Nominee").is_visible()
    assert phone.get_by_role("img", name="Photo of Nina Nominee").is_visible()
    assert_accessible(phone)
    assert Candidate.objects.get(member__full_name="Nina Nominee").status == Candidate.Status.NOMINATED
