"""One function resolves a scope to members: national, block (dated), prefecture, chapter, positions."""

import datetime

import pytest
from django.utils import timezone

from ajet.organisation.models import BlockAssignment
from ajet.organisation.scopes import Scope, members_in_scope
from tests.factories import ChapterFactory, MemberFactory, join

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "saitama": MemberFactory(full_name="Sai", prefecture_id="11"),  # block 3
        "gunma": MemberFactory(full_name="Gun", prefecture_id="10"),  # block 3
        "aichi": MemberFactory(full_name="Ai", prefecture_id="23"),  # block 5
        "aichi_cir": MemberFactory(full_name="Cira", prefecture_id="23", position="CIR"),
        "niigata": MemberFactory(full_name="Nii", prefecture_id="15"),  # block 2
        "pending": MemberFactory(full_name="Pen", prefecture_id="11", status="pending"),
        "alumnus": MemberFactory(full_name="Alu", prefecture_id="11", status="alumni"),
    }


def names(queryset):
    return sorted(queryset.values_list("full_name", flat=True))


def test_national_scope_is_every_current_member(people):
    assert names(members_in_scope(Scope(Scope.NATIONAL))) == ["Ai", "Cira", "Gun", "Nii", "Sai"]


def test_statuses_widen_the_audience(people):
    reached = members_in_scope(Scope(Scope.NATIONAL), statuses=("current", "alumni"))
    assert "Alu" in names(reached) and "Pen" not in names(reached)


def test_block_scope_follows_the_block_map(people):
    assert names(members_in_scope(Scope(Scope.BLOCK, block=3))) == ["Gun", "Sai"]
    assert names(members_in_scope(Scope(Scope.BLOCK, block=5))) == ["Ai", "Cira"]


def test_a_prefecture_moved_to_another_block_counts_there_from_its_date(people):
    move_on = timezone.localdate() + datetime.timedelta(days=10)
    BlockAssignment.objects.create(prefecture_id="15", block_id=3, valid_from=move_on)  # Niigata → block 3
    assert "Nii" not in names(members_in_scope(Scope(Scope.BLOCK, block=3)))
    assert "Nii" in names(members_in_scope(Scope(Scope.BLOCK, block=2)))
    assert "Nii" in names(members_in_scope(Scope(Scope.BLOCK, block=3), day=move_on))
    assert "Nii" not in names(members_in_scope(Scope(Scope.BLOCK, block=2), day=move_on))


def test_prefecture_scope(people):
    assert names(members_in_scope(Scope(Scope.PREFECTURE, prefecture="23"))) == ["Ai", "Cira"]


def test_chapter_scope_is_its_prefectures_and_its_joined_members(people):
    chapter = ChapterFactory(prefecture_codes=["10"])
    join(people["aichi"], chapter)
    left = join(people["niigata"], chapter)
    left.left_at = timezone.now()
    left.save(update_fields=["left_at"])
    assert names(members_in_scope(Scope(Scope.CHAPTER, chapter=chapter.pk))) == ["Ai", "Gun"]


def test_positions_narrow_any_scope(people):
    cirs = Scope(Scope.NATIONAL, positions=frozenset({"CIR"}))
    assert names(members_in_scope(cirs)) == ["Cira"]
    assert names(members_in_scope(Scope(Scope.BLOCK, block=3, positions=frozenset({"CIR"})))) == []


def test_joined_before_leaves_out_later_sign_ups(people):
    early = people["saitama"]
    early.created_at = timezone.now() - datetime.timedelta(days=40)
    early.save(update_fields=["created_at"])
    cutoff = timezone.localdate() - datetime.timedelta(days=20)
    assert names(members_in_scope(Scope(Scope.NATIONAL), joined_before=cutoff)) == ["Sai"]


def test_a_scope_names_exactly_the_place_its_kind_needs():
    with pytest.raises(ValueError):
        Scope(Scope.BLOCK)
    with pytest.raises(ValueError):
        Scope(Scope.NATIONAL, block=3)
    with pytest.raises(ValueError):
        Scope("galaxy")


def test_a_member_living_in_the_chapter_area_who_also_joined_it_is_reached_once(people):
    chapter = ChapterFactory(prefecture_codes=["11"])
    join(people["saitama"], chapter)
    assert names(members_in_scope(Scope(Scope.CHAPTER, chapter=chapter.pk))) == ["Sai"]


def test_a_wrong_scope_says_what_it_lacks_or_has_too_many():
    with pytest.raises(ValueError, match="a block scope needs block"):
        Scope(Scope.BLOCK)
    with pytest.raises(ValueError, match="a national scope takes no block"):
        Scope(Scope.NATIONAL, block=3)


def test_a_scope_is_a_value_that_cannot_be_changed():
    scope = Scope(Scope.BLOCK, block=3, positions={"CIR"})
    assert scope == Scope(Scope.BLOCK, block=3, positions=frozenset({"CIR"}))
    assert len({scope, Scope(Scope.BLOCK, block=3, positions={"CIR"})}) == 1
    with pytest.raises(AttributeError):
        scope.block = 4
