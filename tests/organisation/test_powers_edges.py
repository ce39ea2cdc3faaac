"""The edges of `powers_of`: a term's first and last day, midnight with a warm cache, an executive holding a
second post, incoming holders and password-only sessions, and what an anonymous visitor holds."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from ajet.organisation.powers import SESSION_MFA_ATTRIBUTE, powers_of
from ajet.people.models import User
from tests.factories import MemberFactory, block_post, give_mfa, give_term, national_post

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture
def clock(monkeypatch):
    """A frozen local date that the test moves by hand (powers_of and the predicates read localdate)."""

    class Clock:
        day = TODAY

        def set(self, day):
            self.day = day

    frozen = Clock()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: frozen.day)
    return frozen


def fresh_powers(user):
    """Powers as the next request sees them: a new user object, so only the shared cache can answer."""
    return powers_of(User.objects.get(pk=user.pk))


@pytest.fixture
def last_day_rep(db, clock):
    """Bob's Block 3 term ends today."""
    bob = MemberFactory(full_name="Bob Block")
    give_term(bob, block_post(3), start=TODAY - datetime.timedelta(days=364), days=365)
    give_mfa(bob.user)
    return bob


def test_a_term_holds_on_its_last_day_and_not_after(last_day_rep, clock, pending):
    powers = fresh_powers(last_day_rep.user)
    assert powers.represented_blocks == {3} and len(powers.current_terms) == 1 and powers.upcoming_terms == ()
    assert User.objects.get(pk=last_day_rep.user.pk).has_perm("people.confirm_member", pending)
    clock.set(TODAY + datetime.timedelta(days=1))
    powers = fresh_powers(last_day_rep.user)  # yesterday's answer is still in the cache
    assert powers.represented_blocks == frozenset() and not powers.holds_office
    assert not User.objects.get(pk=last_day_rep.user.pk).has_perm("people.confirm_member", pending)


def test_a_term_holds_from_its_first_day(clock, pending):
    nina = MemberFactory(full_name="Nina New")
    give_term(nina, block_post(3), start=TODAY + datetime.timedelta(days=1))
    give_mfa(nina.user)
    assert not fresh_powers(nina.user).holds_office
    clock.set(TODAY + datetime.timedelta(days=1))
    powers = fresh_powers(nina.user)
    assert powers.represented_blocks == {3} and powers.is_officer and powers.upcoming_terms == ()
    assert User.objects.get(pk=nina.user.pk).has_perm("people.confirm_member", pending)


def test_powers_on_a_given_day_ignore_what_today_has_cached(last_day_rep):
    user = User.objects.get(pk=last_day_rep.user.pk)
    assert powers_of(user).represented_blocks == {3}
    assert powers_of(user, day=TODAY + datetime.timedelta(days=1)).represented_blocks == frozenset()
    upcoming = powers_of(user, day=TODAY - datetime.timedelta(days=365))
    assert not upcoming.holds_office and len(upcoming.upcoming_terms) == 1


def test_an_executive_who_also_represents_a_block_keeps_both(executive, pending_elsewhere, pending):
    give_term(executive, block_post(5))
    powers = fresh_powers(executive.user)
    assert powers.is_executive and powers.represented_blocks == {5}
    assert powers.held_posts == {national_post("chair").pk, block_post(5).pk}
    user = User.objects.get(pk=executive.user.pk)
    assert user.has_perm("people.confirm_member", pending)  # Saitama: as an executive, not as Block 5's
    assert user.has_perm("core.view_audit_log")


def test_the_cir_representative_manages_cir_members_but_is_no_executive(cir_rep):
    powers = fresh_powers(cir_rep.user)
    assert powers.is_officer and not powers.is_executive
    assert powers.constituency_positions == {"CIR"} and powers.managed_prefectures == frozenset()


def test_an_incoming_holder_needs_mfa_and_a_session_that_proved_it(clock):
    ian = MemberFactory(full_name="Ian Incoming")
    give_term(ian, block_post(3), start=TODAY + datetime.timedelta(days=30))
    post = block_post(3)
    powers = fresh_powers(ian.user)
    assert powers.mfa_missing and not powers.holds_office and not powers.is_officer
    assert not User.objects.get(pk=ian.user.pk).has_perm("organisation.view_handbook", post)

    give_mfa(ian.user)
    password_only = User.objects.get(pk=ian.user.pk)
    setattr(password_only, SESSION_MFA_ATTRIBUTE, False)
    assert powers_of(password_only).mfa_missing
    assert not password_only.has_perm("organisation.view_handbook", post)

    proved = User.objects.get(pk=ian.user.pk)
    setattr(proved, SESSION_MFA_ATTRIBUTE, True)
    powers = powers_of(proved)
    assert not powers.mfa_missing and not powers.holds_office and len(powers.upcoming_terms) == 1
    assert proved.has_perm("organisation.view_handbook", post)


def test_a_password_only_session_of_an_officer_holds_nothing(block_rep, pending):
    user = User.objects.get(pk=block_rep.user.pk)
    setattr(user, SESSION_MFA_ATTRIBUTE, False)
    powers = powers_of(user)
    assert powers.mfa_missing and powers.holds_office and not powers.is_officer
    assert powers.represented_blocks == frozenset() and powers.managed_prefectures == frozenset()
    assert len(powers.current_terms) == 1
    assert not user.has_perm("people.confirm_member", pending)
    # Outside a request (services, tasks, the shell) the account's own MFA is what counts.
    assert fresh_powers(block_rep.user).is_officer


def test_members_without_terms_are_never_asked_for_a_second_factor(member, clock):
    user = User.objects.get(pk=member.user.pk)
    setattr(user, SESSION_MFA_ATTRIBUTE, False)
    assert not powers_of(user).mfa_missing
    past = MemberFactory(full_name="Paula Past")  # an officer whose term has ended, without MFA
    give_term(past, block_post(3), start=TODAY - datetime.timedelta(days=800))
    powers = fresh_powers(past.user)
    assert not powers.mfa_missing and not powers.holds_office


def test_anonymous_visitors_and_no_user_hold_nothing(pending):
    from django.contrib.auth.models import AnonymousUser

    for nobody in (None, AnonymousUser()):
        powers = powers_of(nobody)
        assert not powers.holds_office and not powers.mfa_missing and not powers.is_executive


def test_powers_cannot_be_changed_once_computed(block_rep):
    powers = fresh_powers(block_rep.user)  # shared by every request that reads the cache
    with pytest.raises(dataclasses.FrozenInstanceError):
        powers.is_executive = True


def test_a_constituency_counts_only_on_a_national_post(pending_elsewhere):
    """A block post that names a constituency (no form offers it; the data could) gives only the block."""
    from ajet.organisation.models import Post

    post = Post.objects.create(name_en="Block 5 CIR liaison", slug="block-5-cir", kind=Post.Kind.APPOINTED,
                               scope=Post.Scope.BLOCK, block_id=5, constituency_position="CIR")
    liaison = MemberFactory(full_name="Lia Liaison", prefecture_id="23")
    give_term(liaison, post)
    give_mfa(liaison.user)
    powers = fresh_powers(liaison.user)
    assert powers.represented_blocks == {5} and powers.constituency_positions == frozenset()
    assert not powers.is_executive
