"""National initiatives: public pages, executives create and edit, the supervisor edits the description."""

import pytest
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.organisation.models import Initiative
from tests.factories import MemberFactory, give_mfa, give_term, national_post, once_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def psg_coordinator(db):
    paula = MemberFactory(full_name="Paula PSG", user__email="paula@example.org")
    give_term(paula, national_post("psg-coordinator"))
    give_mfa(paula.user)
    return paula


def test_public_pages_show_the_supervising_post_and_holder(client, psg_coordinator):
    for url in (reverse("organisation:initiatives"), reverse("organisation:initiative", args=["peer-support-group"])):
        page = client.get(url).content.decode()
        assert "Peer Support Group Coordinator" in page and "Paula PSG" in page


def test_executive_creates_an_initiative_supervised_by_an_appointed_post(client, executive):
    client.force_login(executive.user)
    url = reverse("organisation:initiative_create")
    data = {"name_en": "Mental Health Week", "slug": "mental-health-week", "description": "Talks.",
            "supervising_post": national_post("chair").pk}
    response = client.post(url, once_sent(data))
    assert response.status_code == 200  # the Chair is not an appointed post
    assert not Initiative.objects.filter(slug="mental-health-week").exists()
    response = client.post(url, once_sent(data | {"supervising_post": national_post("psg-coordinator").pk}))
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="initiative.create").after["slug"] == "mental-health-week"


def test_supervisor_edits_only_the_description(client, psg_coordinator):
    client.force_login(psg_coordinator.user)
    url = reverse("organisation:initiative_edit", args=["peer-support-group"])
    response = client.post(url, once_sent({"description": "Open every night.", "name_en": "Renamed",
                                 "supervising_post": national_post("chair").pk}))
    assert response.status_code == 302
    initiative = Initiative.objects.get(slug="peer-support-group")
    assert initiative.description == "Open every night."
    assert initiative.name_en == "Peer Support Group" and initiative.supervising_post.slug == "psg-coordinator"
    assert AuditEntry.objects.get(action="initiative.change").after["description"] == "Open every night."


def test_others_cannot_edit_an_initiative(client, block_rep, member):
    for person in (block_rep, member):
        client.force_login(person.user)
        response = client.post(reverse("organisation:initiative_edit", args=["peer-support-group"]),
                               {"description": "Hijacked"})
        assert response.status_code == 403
    assert "Hijacked" not in Initiative.objects.get(slug="peer-support-group").description
