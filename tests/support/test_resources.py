"""The referral directory: maintained by coordinators, shown to everyone and on the closed line's page."""

import datetime

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


def _directory():
    from ajet.organisation.models import Prefecture

    Resource.objects.create(**TELL, open_from=datetime.time(9), open_until=datetime.time(23))
    Resource.objects.create(name="Police", category="emergency", phone="110", languages="Japanese",
                            always_open=True)
    Resource.objects.create(name="Saitama Legal Aid", category="legal", more_categories=["counselling"],
                            languages="Japanese, English", region=Prefecture.objects.get(pk="11"),
                            open_from=datetime.time(9), open_until=datetime.time(17), weekdays_only=True)
    Resource.objects.create(name="Aichi Night Line", category="counselling", languages="Portuguese",
                            region=Prefecture.objects.get(pk="23"), open_from=datetime.time(22),
                            open_until=datetime.time(6))
    Resource.objects.create(name="Unknown hours", category="jet", languages="English")


def _names(client, **query):
    from ajet.support.queries import find_resources

    found = {resource.name for resource in find_resources(**query)}
    page = client.get(reverse("support:resources"), query).content.decode()
    assert all(name in page for name in found)
    return found


def test_the_directory_is_searched_and_filtered(client, frozen):
    _directory()
    frozen(tokyo(2026, 3, 14, 10, 0))  # a Saturday morning
    assert _names(client, q="legal") == {"Saitama Legal Aid"}
    assert _names(client, category="counselling") == {"Aichi Night Line", "Saitama Legal Aid", "TELL Lifeline"}
    assert _names(client, language="english") == {"Saitama Legal Aid", "TELL Lifeline", "Unknown hours"}
    assert _names(client, region="11") == {"Police", "Saitama Legal Aid", "TELL Lifeline", "Unknown hours"}
    assert _names(client, region="national") == {"Police", "TELL Lifeline", "Unknown hours"}
    assert _names(client, open_now=True) == {"Police", "TELL Lifeline"}  # weekdays only; unknown hours left out
    frozen(tokyo(2026, 3, 16, 2, 0))  # Monday 02:00: the night line opened on Sunday at 22:00
    assert _names(client, open_now=True) == {"Police", "Aichi Night Line"}
    frozen(tokyo(2026, 3, 16, 10, 0))
    assert _names(client, open_now="on") == {"Police", "Saitama Legal Aid", "TELL Lifeline"}


def test_a_bad_filter_shows_the_whole_directory(client):
    _directory()
    page = client.get(reverse("support:resources"), {"category": "spa", "region": "99"}).content.decode()
    assert "Unknown hours" in page and "Aichi Night Line" in page


def test_opening_hours_need_both_ends(client, psg_coordinator):
    client.force_login(psg_coordinator.user)
    response = client.post(reverse("support:resource_create"), TELL | {"open_from": "09:00"})
    assert response.status_code == 200 and not Resource.objects.exists()
