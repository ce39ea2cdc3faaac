"""The PSG line's permissions, asked through `user.has_perm` by the permission table's personas and the line's own.

The URL × role matrix checks the pages; this table checks each rule of ajet/support/rules.py directly, for
the volunteers the matrix has no column for: trained, untrained, inactive, no longer a current member, a
volunteer coordinator with a second factor (asked outside a request, and in a session that used only a
password), one without a second factor, an inactive one, and the PSG coordinator who also coordinates
volunteers. No executive, block or chapter power reaches the line. `make mutate` runs this file for every
mutant of the rules.
"""

import datetime

import pytest

from ajet.organisation.powers import SESSION_MFA_ATTRIBUTE
from ajet.people.models import User
from ajet.support.models import Volunteer
from ajet.support.rules import volunteer_of
from tests.factories import give_mfa
from tests.organisation.test_permission_table import EVERYONE
from tests.organisation.test_permission_table import world as _world  # noqa: F401 (a fixture)
from tests.support.conftest import make_volunteer

pytestmark = pytest.mark.django_db(databases=["default", "support"])


@pytest.fixture
def people(_world):  # noqa: F811
    people = dict(_world["people"])
    people["volunteer"] = make_volunteer("Vera Volunteer").member.user
    people["untrained"] = make_volunteer("Uma Untrained", trained=False).member.user
    people["inactive"] = make_volunteer("Ivy Inactive", active=False).member.user
    former = make_volunteer("Fay Former")
    former.member.status = "alumni"
    former.member.save()
    people["former"] = former.member.user
    for name, active in (("coordinator", True), ("password_coordinator", True), ("inactive_coordinator", False)):
        volunteer = make_volunteer(f"{name} Quinn", coordinator=True, active=active)
        give_mfa(volunteer.member.user)
        people[name] = volunteer.member.user
    setattr(people["password_coordinator"], SESSION_MFA_ATTRIBUTE, False)  # what the middleware sets
    people["coordinator_without_mfa"] = make_volunteer("Quentin NoMFA", coordinator=True).member.user
    # Petra, the PSG coordinator, coordinates volunteers too (asked afresh, as a service would).
    Volunteer.objects.create(member=people["psg_coordinator"].member, is_coordinator=True,
                             joined=datetime.date(2020, 1, 1))
    people["psg_coordinator"] = User.objects.get(pk=people["psg_coordinator"].pk)
    return people


VOLUNTEERS = {"volunteer", "untrained", "inactive", "password_coordinator", "coordinator_without_mfa",
              "inactive_coordinator"}
COORDINATORS = {"psg_coordinator", "coordinator"}


def test_support_rules(people):
    assert set(people) == EVERYONE | VOLUNTEERS | {"former", "coordinator"}
    rows = [
        ("support.manage_hours", {"psg_coordinator", "busy"}),
        ("support.manage_volunteers", COORDINATORS | {"busy"}),
        ("support.manage_roster", COORDINATORS | {"busy"}),
        ("support.manage_resources", COORDINATORS | {"busy"}),
        ("support.view_contact_statistics", COORDINATORS | {"busy"}),
        ("support.view_roster", COORDINATORS | VOLUNTEERS | {"busy"}),
        # Trained and active (a coordinator is a volunteer too: Quinn's training counts).
        ("support.take_shift", {"volunteer", "coordinator", "password_coordinator", "coordinator_without_mfa"}),
        ("support.log_contact", {"volunteer", "coordinator", "password_coordinator", "coordinator_without_mfa"}),
    ]
    wrong = []
    for perm, allowed in rows:
        granted = {name for name, user in people.items() if user.has_perm(perm)}
        if granted != allowed:
            wrong.append(f"{perm}: also {sorted(granted - allowed)}, not {sorted(allowed - granted)}")
    assert not wrong, "\n".join(wrong)
    # Asked directly (views and services do), an account without a member profile is nobody's volunteer.
    assert volunteer_of(people["staff"]) is None and volunteer_of(people["anonymous"]) is None
    assert volunteer_of(people["volunteer"]).member.full_name == "Vera Volunteer"
