"""A member edits their profile: moving prefecture re-homes their block and chapter; bad input changes nothing."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from ajet.people.forms import ProfileForm
from ajet.people.models import Member
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def profile_data(member: Member, **overrides) -> dict:
    fields = model_to_dict(member, fields=ProfileForm._meta.fields)
    data = {name: ("" if value is None else value) for name, value in fields.items()}
    return data | overrides


def test_moving_from_saitama_to_aichi_rehomes_block_and_suggested_chapter(client, member, home_chapter,
                                                                          other_chapter, other_block_rep):
    client.force_login(member.user)
    before = client.get(reverse("core:dashboard")).content.decode()
    assert "Block 3" in before and "Aichi AJET" not in before

    response = client.post(reverse("people:profile"), profile_data(member, prefecture="23"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.prefecture_id == "23"

    dashboard = client.get(reverse("core:dashboard"))
    place = dashboard.content.decode()
    assert "Block 5" in place and "Block 3" not in place
    assert "Olga Other" in place  # block 5's representative
    suggestions = place.split("Chapters near you", 1)[1]
    assert other_chapter.get_absolute_url() in suggestions and home_chapter.get_absolute_url() not in suggestions


@pytest.mark.parametrize("overrides, field", [
    ({"year_on_jet": "7"}, "year_on_jet"),
    ({"year_on_jet": "0"}, "year_on_jet"),
    ({"jet_number": "2012345"}, "jet_number"),
    ({"prefecture": "99"}, "prefecture"),
    ({"full_name": ""}, "full_name"),
])
def test_bad_profile_input_changes_nothing(client, member, overrides, field):
    MemberFactory(full_name="Bob Taken", jet_number="20987654321")
    client.force_login(member.user)
    before = model_to_dict(Member.objects.get(pk=member.pk))
    response = client.post(reverse("people:profile"),
                           profile_data(member, **({"full_name": "Alice Renamed", "prefecture": "23"} | overrides)))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert model_to_dict(Member.objects.get(pk=member.pk)) == before


def test_keeping_ones_own_jet_number_is_fine(client, member):
    client.force_login(member.user)
    response = client.post(reverse("people:profile"), profile_data(member, year_on_jet="3"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.year_on_jet, member.jet_number) == (3, "20123456789")


# --- No existence oracle for JET numbers ---------------------------------------------------------

def test_a_jet_number_of_another_member_is_accepted_silently_and_flagged_for_officers(client, member, block_rep):
    MemberFactory(full_name="Bob Taken", jet_number="20987654321")
    client.force_login(member.user)
    free = client.post(reverse("people:profile"), profile_data(member, jet_number="20111111111"), follow=True)
    taken = client.post(reverse("people:profile"), profile_data(member, jet_number="20987654321"), follow=True)
    # The member sees the same answer for a free number and a registered one, and their number as given.
    assert free.status_code == taken.status_code == 200
    assert [str(m) for m in free.context["messages"]] == [str(m) for m in taken.context["messages"]]
    assert taken.context["form"]["jet_number"].value() == "20987654321"
    assert "registered" not in taken.content.decode()
    member.refresh_from_db()
    assert (member.jet_number, member.jet_number_claimed) == (None, "20987654321")
    assert Member.objects.get(full_name="Bob Taken").jet_number == "20987654321"

    # Saving again without touching it (the form shows it as given) keeps it flagged.
    form = client.get(reverse("people:profile")).context["form"]
    assert form["jet_number"].value() == "20987654321"
    assert client.post(reverse("people:profile"), profile_data(member, year_on_jet="2",
                                                               jet_number="20987654321")).status_code == 302
    member.refresh_from_db()
    assert (member.jet_number, member.jet_number_claimed, member.year_on_jet) == (None, "20987654321", 2)
    member.status = "pending"
    member.save()
    client.force_login(block_rep.user)
    for page in (reverse("people:pending"), reverse("people:member", args=[member.pk])):
        assert "already registered to another member" in client.get(page).content.decode()

    # A free number clears the flag.
    client.force_login(member.user)
    client.post(reverse("people:profile"), profile_data(member, jet_number="20222222222"))
    member.refresh_from_db()
    assert (member.jet_number, member.jet_number_claimed) == ("20222222222", "")


def test_profile_saves_are_rate_limited_with_a_clear_message(client, member, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "profile_change": "3/h/user"}
    client.force_login(member.user)
    for year in ("2", "3", "4"):
        assert client.post(reverse("people:profile"), profile_data(member, year_on_jet=year)).status_code == 302
    response = client.post(reverse("people:profile"), profile_data(member, year_on_jet="5"))
    assert response.status_code == 429
    assert "saved your profile many times in the last hour" in response.content.decode()
    member.refresh_from_db()
    assert member.year_on_jet == 4
    assert client.get(reverse("people:profile")).status_code == 200  # reading is not limited
