"""The hub's permissions, asked through `user.has_perm` by every persona of the permission table.

The URL × role matrix checks the pages; this table checks each rule of ajet/hub/rules.py directly:
announcements sent to a block (asking for an acknowledgement or not), public, or not sent yet; events for a
chapter, public, or for a block; guides public or for members, with their owner post; audiences by kind.
`make mutate` runs this file for every mutant of the rules.
"""

import datetime

import pytest
from django.utils import timezone

from ajet.hub import services
from ajet.hub.models_guides import Guide
from ajet.organisation.models import Block
from ajet.organisation.scopes import Scope
from tests.factories import block_post, chapter_post
from tests.hub.hub_factories import announce, block3
from tests.organisation.test_permission_table import BLOCK_3, CURRENT, EVERYONE, MEMBERS, check
from tests.organisation.test_permission_table import world as _world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

BLOCK_REPS = {"block_rep", "attacker", "busy"}  # Block 3's representatives, with a second factor
# Officers (with a second factor, in a session that used it) who may address some audience.
WRITERS = BLOCK_3 | {"chapter_officer", "other_block_rep"}


@pytest.fixture
def world(_world):  # noqa: F811
    return _world


def _saitama(world):
    """The members living in Saitama (Block 3): those a Block 3 announcement or a Saitama chapter's event reaches
    (the pending member and the alumnus too: reaching goes by where a member lives, as on their hub page)."""
    return {name for name in MEMBERS if world["people"][name].member.prefecture_id == "11"}


def test_announcement_rules(world):
    bob = world["bob"]
    saitama = _saitama(world)
    assert {"member", "chapter_officer", "block_rep", "attacker", "pending", "alumnus"} <= saitama
    to_block = announce(bob, block3(), requires_acknowledgement=True)
    to_block_no_ack = announce(bob, block3(), title="No answer needed")
    public = announce(bob, block3(), is_public=True, title="For everyone")
    later = announce(bob, block3(), send_at=timezone.now() + datetime.timedelta(days=2), title="Later")
    assert to_block.is_sent and not later.is_sent
    check(world, [
        ("hub.view_announcement", to_block, saitama | BLOCK_3),
        ("hub.follow_announcement", to_block, BLOCK_3),
        ("hub.acknowledge_announcement", to_block, saitama & CURRENT),
        ("hub.acknowledge_announcement", to_block_no_ack, set()),
        ("hub.view_announcement", public, EVERYONE),
        ("hub.acknowledge_announcement", public, set()),
        # Not sent yet: only those who may address its audience.
        ("hub.view_announcement", later, BLOCK_3),
        ("hub.acknowledge_announcement", later, set()),
        ("hub.view_announcement", None, set()),
        ("hub.follow_announcement", None, set()),
        ("hub.add_announcement", None, WRITERS),
        ("hub.read_announcements", None, MEMBERS),
    ])


def test_audience_rules(world):
    check(world, [
        ("hub.address_scope", Scope(Scope.NATIONAL), {"executive"}),
        ("hub.address_scope", block3(), BLOCK_3),
        ("hub.address_scope", Scope(Scope.BLOCK, block=5), {"executive", "other_block_rep"}),
        ("hub.address_scope", Scope(Scope.CHAPTER, chapter=world["home"].pk), BLOCK_3 | {"chapter_officer"}),
        ("hub.address_scope", None, set()),
        ("hub.view_liaison_desk", Block.objects.get(number=3), BLOCK_3),
        ("hub.view_liaison_desk", Block.objects.get(number=5), {"executive", "other_block_rep"}),
        ("hub.view_liaison_desk", None, {"executive"}),
    ])


def _event(by, scope, title, **fields):
    start = timezone.now() + datetime.timedelta(days=3)
    return services.create_event(by=by.user, scope=scope, fields={
        "title": title, "start": start, "end": start + datetime.timedelta(hours=2), **fields})


def test_event_rules(world):
    saitama = _saitama(world)
    home = world["home"]
    people = world["people"]
    chapter = Scope(Scope.CHAPTER, chapter=home.pk)
    meetup = _event(people["chapter_officer"].member, chapter, "Saitama meetup")
    open_day = _event(people["executive"].member, Scope(Scope.NATIONAL), "Open day", is_public=True)
    in_aichi = _event(people["other_block_rep"].member, Scope(Scope.BLOCK, block=5), "Aichi picnic")
    organisers = BLOCK_3 | {"chapter_officer"}
    check(world, [
        ("hub.view_event", meetup, saitama | organisers),
        ("hub.rsvp_event", meetup, saitama & CURRENT),
        ("hub.manage_event", meetup, organisers),
        ("hub.view_event", open_day, EVERYONE),
        ("hub.rsvp_event", open_day, CURRENT),
        ("hub.manage_event", open_day, {"executive"}),
        ("hub.view_event", in_aichi, {"executive", "other_block_rep"}),
        ("hub.rsvp_event", in_aichi, {"other_block_rep"}),
        ("hub.view_event", None, set()),
        ("hub.manage_event", None, set()),
        ("hub.add_event", None, WRITERS),
    ])


def test_guide_rules(world):
    public = Guide(title="Public guide", is_public=True, owner_post=block_post(3))
    members_only = Guide(title="Members' guide", owner_post=chapter_post(world["home"]))
    check(world, [
        ("hub.read_guides", None, MEMBERS),
        ("hub.view_guide", public, EVERYONE),
        ("hub.view_guide", members_only, MEMBERS),
        ("hub.view_guide", None, MEMBERS),
        ("hub.add_guide", None, {"executive"}),
        ("hub.change_guide", public, BLOCK_3),
        ("hub.change_guide", members_only, {"executive", "chapter_officer"}),
        ("hub.change_guide", None, {"executive"}),
    ])
