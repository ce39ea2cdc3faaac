"""seed_demo gives the PSG line a coordinator, volunteers, a roster with gaps, a directory and statistics."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ajet.organisation.demo import DEMO_ACCOUNTS
from ajet.people.models import Member
from ajet.support import queries
from ajet.support.models import ContactLog, Resource, Volunteer

pytestmark = pytest.mark.django_db(databases=["default", "support"])


def test_the_demo_has_a_working_psg_line(client):
    output = io.StringIO()
    call_command("seed_demo", members=150, chapters=6, stdout=output)
    assert "Support:" in output.getvalue()
    coordinator = Member.objects.get(user__email=next(a.email for a in DEMO_ACCOUNTS if a.role == "PSG coordinator"))
    assert coordinator.user.has_perm("support.manage_hours")
    assert Volunteer.objects.filter(is_coordinator=True).count() == 1
    assert all(volunteer.member.year_on_jet >= 2 for volunteer in Volunteer.objects.all())
    nights = queries.coverage()
    assert any(night.has_gap for night in nights) and any(night.closed for night in nights)
    assert Resource.objects.filter(category="emergency").exists() and ContactLog.objects.exists()
    client.force_login(coordinator.user)
    assert client.get(reverse("support:coverage")).status_code == 200
    serving = next(volunteer for volunteer in Volunteer.objects.all() if volunteer.may_serve())
    client.force_login(serving.member.user)
    assert client.get(reverse("support:roster")).status_code == 200
