"""The elections app's permissions, asked through `user.has_perm` by every persona of the permission table.

The URL × role matrix checks the pages; this table checks each rule of ajet/elections/rules.py directly, in
every phase an election passes through, for candidates in every status, and for the personas the matrix has
no column for (tests/organisation/test_permission_table.py builds them). `make mutate` runs it for every
mutant of the rules: it is quick, one world for the whole file.
"""

import pytest

from ajet.elections.models import Candidate, Election
from ajet.people.models import User
from tests.elections.election_factories import contest_of, make_election
from tests.factories import MemberFactory
from tests.organisation.test_permission_table import CURRENT, EVERYONE, check
from tests.organisation.test_permission_table import world as _world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(_world, executive, member, attacker, chapter_officer):  # noqa: F811
    # Alice sits on the committee; Mallory and Carol stand for the Block 3 seat.
    election = make_election(executive, phase=Election.Phase.DRAFT, committee=[member])
    contest = contest_of(election, "block-3-representative")
    _world["election"] = election
    _world["nominee"] = Candidate.objects.create(contest=contest, member=attacker, name=attacker.full_name)
    _world["standing"] = Candidate.objects.create(contest=contest, member=chapter_officer,
                                                  name=chapter_officer.full_name, status=Candidate.Status.APPROVED)
    return _world


def test_elections_rules(world):
    election, nominee, standing = world["election"], world["nominee"], world["standing"]
    check(world, [
        ("elections.view_election", election, {"executive"}),  # a draft is for the executives alone
        ("elections.view_election", Election.objects.get(pk=election.pk), {"executive"}),  # its phase as read
        ("elections.view_election", None, {"executive"}),
        ("elections.add_election", None, {"executive"}),
        ("elections.manage_election", election, {"executive"}),
        ("elections.vote", election, CURRENT),
        ("elections.nominate", election, CURRENT),
        ("elections.review_nomination", election, {"member"}),
        ("elections.review_nomination", None, set()),
        # A nomination awaiting the committee: the nominee, the committee, the executives.
        ("elections.view_candidate", nominee, {"attacker", "member", "executive"}),
        ("elections.withdraw", nominee, {"attacker"}),
        ("elections.withdraw", standing, {"chapter_officer"}),
        ("elections.withdraw", None, set()),
        # Standing (and withdrawn) candidates are public.
        ("elections.view_candidate", standing, EVERYONE),
    ])
    for phase in Election.Phase.values[1:]:  # every phase after the draft is public knowledge
        election.phase = phase
        check(world, [("elections.view_election", election, EVERYONE)])
    nominee.status = Candidate.Status.WITHDRAWN
    check(world, [("elections.view_candidate", nominee, EVERYONE)])
    nominee.status = Candidate.Status.REJECTED
    check(world, [("elections.view_candidate", nominee, {"attacker", "member", "executive"})])


def test_a_nominee_is_known_by_equality_whatever_the_member_number(world):
    """Member numbers past the small integers Python shares: equality, never identity."""
    far = MemberFactory(full_name="Far Away", id=100_000)
    contest = contest_of(world["election"], "chair")
    candidacy = Candidate.objects.create(contest=contest, member=far, name=far.full_name)
    far_user = User.objects.get(pk=far.user_id)
    assert far_user.has_perm("elections.withdraw", Candidate.objects.get(pk=candidacy.pk))
    assert far_user.has_perm("elections.view_candidate", Candidate.objects.get(pk=candidacy.pk))
    assert not world["people"]["member"].has_perm("elections.withdraw", candidacy)
