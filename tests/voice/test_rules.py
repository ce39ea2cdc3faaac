"""The voice app's permissions, asked through `user.has_perm` by every persona of the permission table.

The URL × role matrix checks the pages; this table checks each rule of ajet/voice/rules.py directly: a survey
for every kind of audience (national, national for one position, a block, a prefecture, a chapter, a chapter
across two blocks, a chapter without prefectures, one not open yet), concerns at every level and visibility
(a CIR's, a private one, an escalated one, a merged one), meetings and translators. The surveys and concerns
are not saved: the rules read only their fields. `make mutate` runs this file for every mutant of the rules.
"""

import datetime

import pytest
from django.utils import timezone

from ajet.organisation.geography import prefectures_of_block
from ajet.organisation.models import Post
from ajet.people.models import User
from ajet.voice.models import Concern, SponsorMeeting, Survey, Translator
from tests.factories import ChapterFactory, MemberFactory, give_term
from tests.organisation.test_permission_table import BLOCK_3, CURRENT, EVERYONE, MEMBERS, check
from tests.organisation.test_permission_table import world as _world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

# Officers (with a second factor, in a session that used it): everyone who may build a survey.
BLOCK_REPS = {"block_rep", "attacker", "busy"}  # Block 3's representatives with a second factor
OFFICERS = BLOCK_3 | {"chapter_officer", "other_block_rep", "cir_rep", "psg_coordinator"}


@pytest.fixture
def world(_world):  # noqa: F811
    people = _world["people"]
    Translator.objects.create(member=people["member"].member)
    Translator.objects.create(member=people["executive"].member)  # an executive who translates too
    Translator.objects.create(member=people["alumnus"].member)  # no longer current: translates nothing
    return _world


def _as_read(value: str) -> str:
    """`value` as the database gives it: equal to the app's constants, but another string object."""
    return "".join(list(value))


def _survey(audience, *, opens_in_days=-1, **fields):
    now = timezone.now()
    return Survey(title_en=f"{audience} survey {fields} opening in {opens_in_days} days", audience=_as_read(audience),
                  opens_at=now + datetime.timedelta(days=opens_in_days), closes_at=now + datetime.timedelta(days=7),
                  **fields)


def _concern(level, visibility=Concern.Visibility.ANONYMOUS, **fields):
    return Concern(title=f"{level} concern, {visibility}, {fields}", text="Text", category="other",
                   level=_as_read(level), visibility=_as_read(visibility), **fields)


def test_survey_rules(world):
    home, across, empty = world["home"], world["across"], world["empty"]
    block_3 = sorted(prefectures_of_block(3))
    assert "11" in block_3 and len(block_3) > 1
    whole_block = ChapterFactory(name="Block 3 AJET", slug="block-3", prefecture_codes=block_3)
    people = world["people"]
    saitama = {name for name in CURRENT if people[name].member.prefecture_id == "11"}
    assert {"member", "chapter_officer", "block_rep", "attacker"} <= saitama
    cirs = {"cir_rep"}
    surveys = [
        # (survey, who manages it, who is in its audience)
        (_survey("national"), {"executive"}, CURRENT),
        (_survey("national", positions=["CIR"]), {"executive", "cir_rep"}, cirs),
        (_survey("national", positions=["CIR", "ALT"]), {"executive"}, CURRENT),
        (_survey("block", block_id=3), BLOCK_3, saitama),
        (_survey("block", block_id=5), {"executive", "other_block_rep"}, {"other_block_rep"}),
        (_survey("prefecture", prefecture_id="11"), BLOCK_3 | {"chapter_officer"}, saitama),
        (_survey("prefecture", prefecture_id="23"), {"executive", "other_block_rep"}, {"other_block_rep"}),
        # A chapter's audience: the members living in its prefectures (and those who joined it).
        (_survey("chapter", chapter_id=home.pk), BLOCK_3 | {"chapter_officer"}, saitama),
        (_survey("chapter", chapter_id=across.pk), {"executive"}, saitama | {"other_block_rep"}),
        (_survey("chapter", chapter_id=empty.pk), {"executive"}, set()),
        # A chapter covering exactly Block 3's prefectures: its representatives manage every one of them.
        (_survey("chapter", chapter_id=whole_block.pk), BLOCK_3, saitama),
    ]
    rows = [("voice.add_survey", None, OFFICERS)]
    for survey, managers, audience in surveys:
        rows += [
            ("voice.manage_survey", survey, managers),
            ("voice.view_survey", survey, managers | audience),
            ("voice.respond_survey", survey, audience),
        ]
    upcoming = _survey("national", opens_in_days=1)
    rows += [
        ("voice.view_survey", upcoming, {"executive"}),
        ("voice.respond_survey", upcoming, set()),
        ("voice.view_survey", None, set()),
    ]
    check(world, rows)


def test_concern_rules(world):
    people = world["people"]
    alice, cid = people["member"].member, people["cir_rep"].member
    named = _concern("block", Concern.Visibility.NAMED, block_id=3, member=alice)
    merged = _concern("block", Concern.Visibility.NAMED, block_id=3, member=alice, merged_into_id=1)
    from_a_cir = _concern("block", block_id=1, raised_by_cir=True)
    private = _concern("block", Concern.Visibility.PRIVATE, block_id=1, raised_by_cir=True, member=cid)
    block_5 = _concern("block", block_id=5)
    bobs = _concern("block", Concern.Visibility.PRIVATE, block_id=3, member=world["bob"])
    escalated = _concern("block", block_id=5, escalated_at=timezone.now())
    check(world, [
        ("voice.raise_concern", None, CURRENT),
        # Named: current members read and support it; Alice replies but does not support her own.
        ("voice.view_concern", named, CURRENT),
        # A block's concern goes to its representatives (Beth is one), not to the executives.
        ("voice.triage_concern", named, BLOCK_REPS),
        ("voice.reply_concern", named, {"member"}),
        ("voice.support_concern", named, CURRENT - {"member"}),
        # Merged into another: no longer public.
        ("voice.view_concern", merged, BLOCK_REPS | {"member"}),
        ("voice.support_concern", merged, set()),
        # A CIR's block concern reaches the CIR Representative too, unless it is private.
        ("voice.triage_concern", from_a_cir, {"cir_rep"}),
        ("voice.view_concern", from_a_cir, {"cir_rep"}),
        ("voice.triage_concern", private, set()),
        ("voice.view_concern", private, {"cir_rep"}),  # Cid raised it
        ("voice.reply_concern", private, {"cir_rep"}),
        ("voice.triage_concern", block_5, {"other_block_rep"}),
        # Bob raised one in his own block, not beyond it: he reads it as its raiser and as its handler.
        ("voice.view_concern", bobs, BLOCK_REPS),
        ("voice.reply_concern", bobs, {"block_rep"}),
        ("voice.triage_concern", escalated, {"executive", "other_block_rep"}),
        ("voice.triage_concern", _concern("cir"), {"cir_rep"}),
        ("voice.triage_concern", _concern("national"), {"executive"}),
        ("voice.view_concern", _concern("national"), {"executive"}),
        ("voice.reply_concern", _concern("national"), set()),  # anonymous: nobody's
        ("voice.view_concern", None, set()),
        ("voice.reply_concern", None, set()),
    ])


def test_meeting_and_translation_rules(world):
    published = SponsorMeeting(title="Meeting", held_on=timezone.localdate(), published_at=timezone.now())
    draft = SponsorMeeting(title="Meeting", held_on=timezone.localdate())
    check(world, [
        ("voice.add_meeting", None, {"executive"}),
        ("voice.manage_meeting", draft, {"executive"}),
        ("voice.view_meeting", draft, {"executive"}),
        ("voice.view_meeting", published, MEMBERS),
        ("voice.view_meeting", None, {"executive"}),
        ("voice.subscribe_summaries", None, MEMBERS),
        ("voice.view_cycle", None, MEMBERS),
        ("voice.translate", None, {"executive", "member"}),
        ("voice.view_report", None, {"executive", "member"}),
        ("voice.manage_translators", None, {"executive"}),
    ])
    assert {"anonymous", "staff"} == EVERYONE - MEMBERS


def test_a_survey_is_open_to_its_audience_from_the_moment_it_opens(world, monkeypatch):
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)
    survey = Survey(title_en="Opening now", audience="national", opens_at=moment,
                    closes_at=moment + datetime.timedelta(days=7))
    check(world, [("voice.respond_survey", survey, CURRENT)])


def test_a_raiser_is_known_by_equality_whatever_the_member_number(world):
    """Member numbers past the small integers Python shares: equality, never identity."""
    far = MemberFactory(full_name="Far Away", id=100_000)
    concern = Concern.objects.create(title="Mine", text="Text", category="other", level="block", block_id=3,
                                     visibility="named", member=far)
    far_user = User.objects.get(pk=far.user_id)
    assert far_user.has_perm("voice.reply_concern", Concern.objects.get(pk=concern.pk))


def test_a_representative_of_two_positions_addresses_either_or_both(world):
    sea = Post.objects.create(name_en="SEA Representative", slug="sea-representative", kind=Post.Kind.APPOINTED,
                              scope=Post.Scope.NATIONAL, constituency_position="SEA")
    cid = world["people"]["cir_rep"].member
    give_term(cid, sea)
    user = User.objects.get(pk=cid.user_id)
    assert user.has_perm("voice.manage_survey", _survey("national", positions=["CIR"]))
    assert user.has_perm("voice.manage_survey", _survey("national", positions=["CIR", "SEA"]))
    assert not user.has_perm("voice.manage_survey", _survey("national", positions=["CIR", "ALT"]))
