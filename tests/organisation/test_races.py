"""Simultaneous joins and block moves get clean answers instead of IntegrityError."""

import datetime

import pytest

from ajet.organisation.models import Block, BlockAssignment, ChapterMembership, Prefecture
from ajet.organisation.services import OrganisationError, join_chapter, move_prefecture
from tests.concurrency import needs_postgresql, run_together
from tests.factories import ChapterFactory, MemberFactory, give_mfa, give_term, national_post

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_joining_a_chapter_twice_at_once_makes_one_membership():
    chapter = ChapterFactory(name="Saitama AJET", slug="saitama", prefecture_codes=["11"])
    member = MemberFactory(full_name="Jo Joiner", user__email="jo@example.org")
    results = run_together(4, lambda index: join_chapter(member=member, chapter=chapter))
    assert all(isinstance(result, ChapterMembership) for result in results), results
    assert len({result.pk for result in results}) == 1
    assert ChapterMembership.objects.filter(member=member, left_at__isnull=True).count() == 1


def test_two_executives_moving_a_prefecture_for_the_same_day_get_one_move_and_one_clear_error():
    erin = MemberFactory(full_name="Erin Executive", user__email="erin@example.org")
    give_term(erin, national_post("chair"))
    give_mfa(erin.user)
    executive = erin.user
    saitama = Prefecture.objects.get(code="11")
    blocks = [Block.objects.get(number=4), Block.objects.get(number=6)]
    day = datetime.date(2031, 4, 1)

    results = run_together(2, lambda index: move_prefecture(by=executive, prefecture=saitama, block=blocks[index],
                                                            valid_from=day))
    assert sorted(type(result).__name__ for result in results) == ["BlockAssignment", "OrganisationError"], results
    assert any(isinstance(result, OrganisationError) and "already holds from that day" in str(result)
               for result in results)
    assert BlockAssignment.objects.filter(prefecture=saitama, valid_from=day).count() == 1
