"""The line's own personas (not matrix ROLES): the PSG coordinator, a volunteer coordinator, a trained
volunteer, an untrained one, and a first-year member who may not volunteer."""

import datetime

import pytest
from django.utils import timezone

from ajet.support import hours
from ajet.support.models import Training, Volunteer
from tests.factories import MemberFactory, give_mfa, give_term, national_post


def tokyo(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=hours.LINE_TIMEZONE)


@pytest.fixture
def frozen(monkeypatch):
    """Call frozen(moment) to stop the clock at `moment` (aware) for everything that asks timezone.now()."""
    def freeze(moment: datetime.datetime) -> datetime.datetime:
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment
    return freeze


def make_volunteer(name: str, *, trained: bool = True, active: bool = True, coordinator: bool = False,
                   email: str | None = None) -> Volunteer:
    member = MemberFactory(full_name=name, year_on_jet=2, user__email=email or f"{name.split()[0].lower()}@psg.test")
    volunteer = Volunteer.objects.create(member=member, is_active=active, is_coordinator=coordinator,
                                         joined=datetime.date(2020, 1, 1))
    if trained:
        Training.objects.create(volunteer=volunteer, kind=Training.Kind.INITIAL, completed_on=datetime.date(2020, 1, 1))
    return volunteer


@pytest.fixture
def psg_coordinator(db):
    petra = MemberFactory(full_name="Petra PSG", user__email="petra@example.org")
    # A long term, so that the tests' frozen clocks fall inside it whatever the day they run.
    give_term(petra, national_post("psg-coordinator"), start=datetime.date(2020, 1, 1), days=365 * 30)
    give_mfa(petra.user)
    return petra


@pytest.fixture
def volunteer(db):
    return make_volunteer("Vera Volunteer")


@pytest.fixture
def volunteer_coordinator(db):
    volunteer = make_volunteer("Quinn Coordinator", coordinator=True)
    give_mfa(volunteer.member.user)
    return volunteer


@pytest.fixture
def untrained_volunteer(db):
    return make_volunteer("Uma Untrained", trained=False)
