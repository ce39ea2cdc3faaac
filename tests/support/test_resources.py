"""The referral directory: maintained by coordinators, shown to everyone and on the closed line's page."""

import pytest
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.support.models import Resource
from tests.support.conftest import tokyo

pytestmark = pytest.mark.django_db(databases=["default", "support"])

TELL = {"name": "TELL Lifeline", "category": "counselling", "phone": "03-5774-0992",
        "url": "https://telljp.com/lifeline/", "hours": "9:00–23:00", "languages": "English"}


def test_coordinator_adds_edits_and_deletes_with_audit(client, volunteer_coordinator):
    client.force_login(volunteer_coordinator.member.user)
    assert client.post(reverse("support:resource_create"), TELL).status_code == 302
    resource = Resource.objects.get()
    client.post(reverse("support:resource_edit", kwargs={"resource_id": resource.pk}), TELL | {"hours": "Daily"})
    resource.refresh_from_db()
    assert resource.hours == "Daily"
    client.post(reverse("support:resource_delete", kwargs={"resource_id": resource.pk}))
    assert not Resource.objects.exists()
    assert list(AuditEntry.objects.values_list("action", flat=True).order_by("pk")) == [
        "support.resource_save", "support.resource_save", "support.resource_delete"]


@pytest.mark.parametrize("bad", [{"url": "javascript:alert(1)"}, {"name": "Evil\u202eName"}, {"category": "spa"}])
def test_bad_input_changes_nothing(client, psg_coordinator, bad):
    client.force_login(psg_coordinator.user)
    response = client.post(reverse("support:resource_create"), TELL | bad)
    assert response.status_code == 200 and not Resource.objects.exists()


def test_directory_shows_on_the_closed_page_and_to_volunteers(client, volunteer, frozen):
    Resource.objects.create(**TELL)
    frozen(tokyo(2026, 3, 15, 9, 0))
    assert "TELL Lifeline" in client.get(reverse("support:home")).content.decode()
    frozen(tokyo(2026, 3, 15, 21, 0))
    assert "TELL Lifeline" not in client.get(reverse("support:home")).content.decode()
    client.force_login(volunteer.member.user)
    page = client.get(reverse("support:resources")).content.decode()
    assert "TELL Lifeline" in page and "tel:03-5774-0992" in page
    assert reverse("support:resource_create") not in page
