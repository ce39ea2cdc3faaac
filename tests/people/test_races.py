"""Sign-ups racing each other get clean answers: no 500, no account without a member profile."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ajet.people.models import Member, User
from ajet.people.services import update_profile
from tests.concurrency import needs_postgresql, run_together
from tests.factories import MemberFactory
from tests.people.test_signup import signup_data

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SIGN_UPS = 8


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def sign_up(**overrides):
    def work(index):
        data = signup_data(**{name: value.format(index=index) for name, value in overrides.items()})
        return Client(raise_request_exception=False).post(reverse("account_signup"), data).status_code
    return work


def test_sign_ups_with_the_same_new_jet_number_all_succeed_and_the_clash_is_flagged():
    statuses = run_together(SIGN_UPS, sign_up(email="racer{index}@example.org", jet_number="20555555555"))
    assert statuses == [302] * SIGN_UPS
    assert User.objects.count() == Member.objects.count() == SIGN_UPS  # every account has its profile
    assert Member.objects.filter(jet_number="20555555555").count() == 1
    assert Member.objects.filter(jet_number_claimed="20555555555").count() == SIGN_UPS - 1


def test_sign_ups_with_the_same_new_address_make_one_account_and_no_error():
    statuses = run_together(SIGN_UPS, sign_up(email="same@example.org", full_name="Racer {index}"))
    assert statuses == [302] * SIGN_UPS
    assert User.objects.filter(email="same@example.org").count() == 1
    assert Member.objects.filter(user__email="same@example.org").count() == 1


def test_the_same_member_moving_prefecture_twice_at_once_ends_in_one_of_them():
    member = MemberFactory(full_name="Mo Mover", user__email="mo@example.org")
    targets = ["23", "13"]

    def work(index):
        fresh = Member.objects.get(pk=member.pk)
        update_profile(member=fresh, changes={"prefecture": fresh.prefecture.__class__.objects.get(pk=targets[index])})
        return "moved"

    assert run_together(2, work) == ["moved", "moved"]
    member.refresh_from_db()
    assert member.prefecture_id in targets
