import datetime

import pytest
from django.utils import timezone

from ajet.organisation.powers import forget_powers, powers_of
from tests.factories import MemberFactory, block_post, give_mfa, give_term

pytestmark = pytest.mark.django_db


def test_block_representative_manages_the_prefectures_of_their_block(block_rep):
    powers = powers_of(block_rep.user)
    assert powers.represented_blocks == {3}
    assert powers.managed_prefectures == {"08", "09", "10", "11", "20"}
    assert not powers.is_executive


def test_officer_without_mfa_has_no_powers(officer_without_mfa):
    powers = powers_of(officer_without_mfa.user)
    assert powers.holds_office and powers.mfa_missing
    assert not powers.is_officer
    assert not officer_without_mfa.user.has_perm("people.view_pending_members")
    give_mfa(officer_without_mfa.user)
    forget_powers(officer_without_mfa.user)
    assert officer_without_mfa.user.has_perm("people.view_pending_members")


def test_ended_and_future_terms_give_no_power():
    today = timezone.localdate()
    past = MemberFactory()
    give_term(past, block_post(3), start=today - datetime.timedelta(days=800))
    future = MemberFactory()
    give_term(future, block_post(3), start=today + datetime.timedelta(days=10))
    for person in (past, future):
        give_mfa(person.user)
        assert powers_of(person.user).represented_blocks == frozenset()


def test_executive_and_cir_rep(executive, cir_rep):
    assert powers_of(executive.user).is_executive
    assert powers_of(cir_rep.user).constituency_positions == {"CIR"}
