"""A volunteer's export holds their record, training and shifts; erasure removes them; contact logs stay."""

import datetime

import pytest

from ajet.core.personal_data import erase_personal_data, export_personal_data
from ajet.support.models import ContactLog, ShiftAssignment, Training, Volunteer

pytestmark = pytest.mark.django_db(databases=["default", "support"])


def test_export_and_erase(volunteer):
    ShiftAssignment.objects.create(volunteer=volunteer, night=datetime.date(2026, 3, 14), shift=1)
    ContactLog.objects.create(night=datetime.date(2026, 3, 14), channel="chat", duration="0-10", topics=["health"])
    section = export_personal_data(volunteer.member.user)["support"]
    assert section["volunteer"]["active"] is True
    assert section["training"] == [{"course": "initial", "completed_on": datetime.date(2020, 1, 1)}]
    assert section["shifts"] == [{"night": datetime.date(2026, 3, 14), "shift": 2}]
    assert "contact" not in str(section).lower()
    erase_personal_data(volunteer.member.user)
    assert not Volunteer.objects.exists() and not Training.objects.exists() and not ShiftAssignment.objects.exists()
    assert ContactLog.objects.count() == 1  # identifies no one, so it is not the volunteer's personal data


def test_export_of_a_non_volunteer_is_empty(member):
    assert export_personal_data(member.user)["support"] == {}
