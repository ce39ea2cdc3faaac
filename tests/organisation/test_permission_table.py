"""Every permission declared in a rules.py, asked through the one door (`user.has_perm`) by every persona.

The URL × role matrix checks the pages; this table checks the permissions themselves, including the objects
no page offers today (a chapter across two blocks, a chapter without prefectures, a post not yet saved,
a pending CIR member elsewhere) and the personas the matrix has no column for (the CIR representative, the
PSG coordinator, an incoming holder, an alumnus, a staff account without a member profile, a session that
signed in with a password alone, and Beth, an executive who holds every other kind of post as well).
Each row lists exactly who is allowed: everyone else must be refused.
"""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ajet.organisation.models import Block, Initiative, Post
from ajet.organisation.powers import SESSION_MFA_ATTRIBUTE
from ajet.people.models import Member, User
from tests.factories import (
    PASSWORD,
    ChapterFactory,
    MemberFactory,
    block_post,
    chapter_post,
    give_mfa,
    give_term,
    national_post,
)

pytestmark = pytest.mark.django_db

MEMBERS = {"pending", "alumnus", "member", "chapter_officer", "block_rep", "other_block_rep", "cir_rep",
           "psg_coordinator", "executive", "busy", "attacker", "officer_without_mfa", "password_only", "incoming"}
CURRENT = MEMBERS - {"pending", "alumnus"}
EVERYONE = MEMBERS | {"anonymous", "staff"}
BLOCK_3 = {"executive", "block_rep", "attacker"}


@pytest.fixture
def world(home_chapter, other_chapter, pending, pending_elsewhere, member, chapter_officer, block_rep,
          other_block_rep, executive, cir_rep, attacker, officer_without_mfa):
    people = {name: value.user for name, value in locals().items()
              if hasattr(value, "user") and name != "pending_elsewhere"}
    people["anonymous"] = AnonymousUser()
    people["staff"] = User.objects.create_superuser("root@example.org", PASSWORD)  # no member profile
    people["alumnus"] = MemberFactory(full_name="Al Alumnus", status="alumni").user
    psg = MemberFactory(full_name="Petra PSG", prefecture_id="13")
    give_term(psg, national_post("psg-coordinator"))
    give_mfa(psg.user)
    people["psg_coordinator"] = psg.user
    # Pat represents Block 3 with MFA switched on, but this session signed in with a password alone
    # (what OfficerMFAMiddleware tells powers_of in a request).
    pat = MemberFactory(full_name="Pat Password")
    give_term(pat, block_post(3))
    give_mfa(pat.user)
    setattr(pat.user, SESSION_MFA_ATTRIBUTE, False)
    people["password_only"] = pat.user
    ian = MemberFactory(full_name="Ian Incoming")  # takes over Block 3 and the home chapter's presidency
    give_term(ian, block_post(3), start=timezone.localdate() + datetime.timedelta(days=30))
    give_term(ian, chapter_post(home_chapter), start=timezone.localdate() + datetime.timedelta(days=30))
    give_mfa(ian.user)
    people["incoming"] = ian.user
    # Beth chairs the council, and also represents Block 3 (re-elected for next year), presides over the home
    # chapter and coordinates the PSG: every way of being allowed at once must still allow her.
    beth = MemberFactory(full_name="Beth Busy", prefecture_id="13")
    for post in (national_post("chair"), block_post(3), chapter_post(home_chapter), national_post("psg-coordinator")):
        give_term(beth, post)
    give_term(beth, block_post(3), start=timezone.localdate() + datetime.timedelta(days=340))
    give_mfa(beth.user)
    people["busy"] = beth.user
    give_term(block_rep, block_post(3), start=timezone.localdate() + datetime.timedelta(days=340))  # re-elected

    across = ChapterFactory(name="Kanto-Tokai AJET", slug="kanto-tokai", prefecture_codes=["11", "23"])
    empty = ChapterFactory(name="Nowhere AJET", slug="nowhere")
    empty.prefectures.clear()
    pending_cir = MemberFactory(full_name="Cora CIR", status="pending", position="CIR", prefecture_id="23")
    unverified = MemberFactory(full_name="Una Unverified", status="pending")
    EmailAddress.objects.filter(user=unverified.user).update(verified=False)
    assert set(people) == EVERYONE
    return {
        "people": people, "home": home_chapter, "aichi": other_chapter, "across": across, "empty": empty,
        "pending": pending, "pending_elsewhere": pending_elsewhere, "pending_cir": pending_cir,
        "unverified": unverified, "member": member, "term": block_rep.terms.order_by("start").first(),
        "psg": Initiative.objects.get(slug="peer-support-group"), "beth": beth, "bob": block_rep,
    }


def check(world, rows):
    """Each row: (permission, object, who may). Collects every difference, then fails with all of them.
    Beth may whatever an executive may."""
    wrong = []
    for perm, obj, allowed in rows:
        assert allowed <= EVERYONE, allowed - EVERYONE
        allowed = allowed | ({"busy"} if "executive" in allowed else set())
        granted = {name for name, user in world["people"].items() if user.has_perm(perm, obj)}
        if granted != allowed:
            wrong.append(f"{perm} on {obj!r}: also {sorted(granted - allowed)}, not {sorted(allowed - granted)}")
    assert not wrong, "\n".join(wrong)


def test_council_structure_is_for_executives(world):
    check(world, [
        ("organisation.change_block", None, {"executive"}),
        ("organisation.change_block", Block.objects.get(number=5), {"executive"}),
        ("organisation.add_post", None, {"executive"}),
        ("organisation.change_post", national_post("vice-chair"), {"executive"}),
        # Declared, though no view asks them, so that no superuser or Permission row grants them.
        ("organisation.add_term", None, {"executive"}),
        ("organisation.change_term", world["term"], {"executive"}),
        ("organisation.add_initiative", None, {"executive"}),
        ("organisation.change_initiative", world["psg"], {"executive", "psg_coordinator"}),
        ("organisation.change_initiative", None, {"executive"}),
        ("core.view_audit_log", None, {"executive"}),
        ("people.import_roster", None, {"executive"}),
    ])


def test_chapters_belong_to_their_blocks_representatives_and_officers(world):
    home, aichi, across = world["home"], world["aichi"], world["across"]
    check(world, [
        ("organisation.add_chapter", None, {"executive", "block_rep", "attacker", "other_block_rep"}),
        ("organisation.add_chapter", Block.objects.get(number=3), BLOCK_3),
        ("organisation.add_chapter", Block.objects.get(number=5), {"executive", "other_block_rep"}),
        ("organisation.change_chapter", home, BLOCK_3 | {"chapter_officer"}),
        ("organisation.change_chapter", aichi, {"executive", "other_block_rep"}),
        # A chapter across Blocks 3 and 5: either representative may edit it ...
        ("organisation.change_chapter", across, BLOCK_3 | {"other_block_rep"}),
        ("organisation.change_chapter", None, {"executive"}),
        # ... but only a representative of every block it spans manages its officers, and the chapter's President.
        ("organisation.manage_chapter_officers", home, BLOCK_3 | {"chapter_officer"}),
        ("organisation.manage_chapter_officers", aichi, {"executive", "other_block_rep"}),
        ("organisation.manage_chapter_officers", across, {"executive"}),
        ("organisation.manage_chapter_officers", None, {"executive"}),
        # Joining needs a confirmed membership; leaving only a profile.
        ("organisation.join_chapter", home, CURRENT),
        ("organisation.leave_chapter", home, MEMBERS),
    ])


def test_no_one_grants_a_post_above_their_own_powers(world):
    home, aichi, across, empty = world["home"], world["aichi"], world["across"], world["empty"]
    check(world, [
        # A home-chapter post: those who already manage Saitama (its president included).
        ("organisation.grant_post", chapter_post(home), BLOCK_3 | {"chapter_officer"}),
        ("organisation.grant_post", chapter_post(home, slug="secretary", name="Secretary"),
         BLOCK_3 | {"chapter_officer"}),
        ("organisation.grant_post", chapter_post(aichi), {"executive", "other_block_rep"}),
        ("organisation.grant_post", chapter_post(across), {"executive"}),
        ("organisation.grant_post", chapter_post(empty), {"executive"}),
        ("organisation.grant_post", block_post(3), {"executive"}),
        ("organisation.grant_post", national_post("treasurer"), {"executive"}),
        ("organisation.grant_post", national_post("cir-representative"), {"executive"}),
        # Posts as a form would shape them, before they are saved.
        ("organisation.grant_post", Post(name_en="Shadow Chair", kind="executive", scope="chapter", chapter=home),
         {"executive"}),  # plain strings, as a form's cleaned data has them
        ("organisation.grant_post", Post(name_en="Loose", kind=Post.Kind.ELECTED, scope=Post.Scope.CHAPTER),
         {"executive"}),
        ("organisation.grant_post", Post(name_en="Block 3 deputy", kind=Post.Kind.APPOINTED, scope=Post.Scope.BLOCK,
                                         block_id=3), {"executive"}),
        # Malformed: a block or national post tied to a chapter is still a block or national post.
        ("organisation.grant_post", Post(name_en="Odd", kind=Post.Kind.APPOINTED, scope=Post.Scope.BLOCK, block_id=3,
                                         chapter=home), {"executive"}),
        ("organisation.grant_post", Post(name_en="Odd", kind=Post.Kind.APPOINTED, scope=Post.Scope.NATIONAL,
                                         chapter=home), {"executive"}),
        ("organisation.grant_post", None, set()),
    ])


def test_handbooks_are_read_by_holders_incoming_holders_and_executives(world):
    home = world["home"]
    readers = BLOCK_3 | {"incoming"}
    check(world, [
        ("organisation.view_handbook", block_post(3), readers),
        ("organisation.change_handbook", block_post(3), readers),
        ("organisation.view_handbook", chapter_post(home), {"executive", "chapter_officer", "incoming"}),
        ("organisation.change_handbook", chapter_post(home), {"executive", "chapter_officer", "incoming"}),
        ("organisation.view_handbook", chapter_post(home, slug="treasurer", name="Treasurer"),
         {"executive", "attacker"}),
        ("organisation.view_handbook", block_post(5), {"executive", "other_block_rep"}),
        ("organisation.view_handbook", national_post("psg-coordinator"), {"executive", "psg_coordinator"}),
        ("organisation.view_handbook", None, {"executive"}),
    ])


def test_members_are_managed_by_the_officers_whose_area_covers_them(world):
    pending, elsewhere, pending_cir, member = (world["pending"], world["pending_elsewhere"], world["pending_cir"],
                                               world["member"])
    saitama = BLOCK_3 | {"chapter_officer"}
    aichi = {"executive", "other_block_rep"}
    check(world, [
        # The PSG coordinator is an officer with no members to manage.
        ("people.view_pending_members", None, saitama | aichi | {"cir_rep"}),
        ("people.confirm_member", pending, saitama),
        ("people.confirm_member", elsewhere, aichi),
        # A CIR in Aichi: Aichi's representative and the CIR representative.
        ("people.confirm_member", pending_cir, aichi | {"cir_rep"}),
        ("people.confirm_member", world["unverified"], set()),  # has not confirmed their address
        ("people.confirm_member", member, set()),  # already confirmed
        ("people.confirm_member", None, set()),
        # Rejecting a sign-up: the same officers, and only while it is pending.
        ("people.reject_member", pending, saitama),
        ("people.reject_member", elsewhere, aichi),
        ("people.reject_member", member, set()),
        ("people.reject_member", None, set()),
        ("people.view_member", pending, saitama | {"pending"}),
        ("people.view_member", pending_cir, aichi | {"cir_rep"}),
        ("people.view_member", member, saitama | {"member"}),
        ("people.view_member", None, set()),
        # Managers viewing themselves.
        ("people.view_member", world["bob"], saitama | {"block_rep"}),
        ("people.view_member", world["beth"], {"executive"}),
        ("people.view_jet_number", member, saitama),
        ("people.take_part", None, CURRENT),
    ])


def test_members_see_themselves_whatever_their_account_number(db):
    """Account numbers past the small integers Python shares: equality, never identity."""
    far = Member.objects.get(pk=MemberFactory(full_name="Far Away", user__id=100_000).pk)
    near = MemberFactory(full_name="Near By")
    far_user = User.objects.get(pk=100_000)
    assert far_user.has_perm("people.view_member", far)
    assert not far_user.has_perm("people.view_member", near)
    assert not near.user.has_perm("people.view_member", far)


def test_a_chapter_president_leads_only_their_own_chapter(world):
    """Carol leads Saitama AJET: she manages its officers and may grant its leading post. A city chapter inside
    Saitama is not hers to lead: its officers and its leading post stay with the block's representatives."""
    home = world["home"]
    city = ChapterFactory(name="Kawagoe AJET", slug="kawagoe", prefecture_codes=["11"])
    check(world, [
        ("organisation.manage_chapter_officers", city, BLOCK_3),
        ("organisation.grant_post", chapter_post(city), BLOCK_3),  # its President: leads the chapter
        ("organisation.grant_post", chapter_post(city, slug="treasurer", name="Treasurer"),
         BLOCK_3 | {"chapter_officer"}),  # within Saitama, which Carol manages (the page is not hers)
        ("organisation.grant_post", Post(name_en="Co-President", kind=Post.Kind.ELECTED, scope=Post.Scope.CHAPTER,
                                         chapter=home, leads_chapter=True), BLOCK_3 | {"chapter_officer"}),
    ])


def test_a_representative_who_also_presides_over_the_chapter_manages_its_officers(world):
    """Rita represents Block 3 and presides over Saitama AJET: both ways of being allowed at once still allow."""
    rita = MemberFactory(full_name="Rita Both")
    give_term(rita, block_post(3))
    give_term(rita, chapter_post(world["home"]))
    give_mfa(rita.user)
    user = User.objects.get(pk=rita.user_id)
    assert user.has_perm("organisation.manage_chapter_officers", world["home"])
    assert not user.has_perm("organisation.manage_chapter_officers", world["aichi"])
