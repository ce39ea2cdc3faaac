"""Audience resolution, both ways: for every kind of scope alone and with positions, the members an
announcement e-mails (organisation's members_in_scope, through services.recipients_of) are exactly the
members who find it on their page (queries.announcements_for)."""

import itertools

import pytest
from django.utils import timezone

from ajet.hub import queries, services
from ajet.hub.models import Announcement
from ajet.organisation.scopes import Scope
from tests.factories import ChapterFactory, MemberFactory, join

pytestmark = pytest.mark.django_db

POSITION_SETS = [frozenset(), frozenset({"ALT"}), frozenset({"CIR"}), frozenset({"SEA"}), frozenset({"ALT", "CIR"})]


def test_every_scope_kind_and_position_set_reaches_exactly_the_same_members_both_ways():
    chapter = ChapterFactory(prefecture_codes=["10"])  # Gunma
    people = [MemberFactory(prefecture_id=code, position=position)
              for code, position in itertools.product(["11", "10", "23", "13"], ["ALT", "CIR", "SEA"])]
    joined = MemberFactory(prefecture_id="23", position="CIR")  # lives in Aichi, joined the Gunma chapter
    join(joined, chapter)
    MemberFactory(prefecture_id="11", status="pending")  # never reached
    people.append(joined)
    places = [Scope(Scope.NATIONAL), Scope(Scope.BLOCK, block=3), Scope(Scope.BLOCK, block=5),
              Scope(Scope.PREFECTURE, prefecture="11"), Scope(Scope.CHAPTER, chapter=chapter.pk)]
    now = timezone.now()
    for place in places:
        for positions in POSITION_SETS:
            scope = Scope(place.kind, block=place.block, prefecture=place.prefecture, chapter=place.chapter,
                          positions=positions)
            announcement = Announcement(title="A", body="B", queued_at=now)
            announcement.set_scope(scope)
            announcement.save()
            emailed = set(services.recipients_of(scope).values_list("pk", flat=True))
            readers = {member.pk for member in people if queries.reaches(announcement, member)}
            assert emailed == readers, (scope, emailed ^ readers)
            assert all(not positions or member.position in positions
                       for member in people if member.pk in emailed), scope
    national_cirs = Scope(Scope.NATIONAL, positions=frozenset({"CIR"}))
    assert set(services.recipients_of(national_cirs)) == {member for member in people if member.position == "CIR"}
    gunma_chapter = set(services.recipients_of(Scope(Scope.CHAPTER, chapter=chapter.pk)))
    assert gunma_chapter == {member for member in people if member.prefecture_id == "10"} | {joined}


def test_queueing_writes_one_queued_row_per_recipient_with_their_digest_choice(executive):
    from ajet.hub.models import Delivery, Preference
    from tests.hub.hub_factories import announce

    daily = MemberFactory(prefecture_id="11")
    Preference.objects.create(member=daily, scope_kind=Scope.NATIONAL, mode=Preference.Mode.DIGEST)
    Preference.objects.create(member=daily, scope_kind=Scope.BLOCK, mode=Preference.Mode.NONE)  # other kind
    silent = MemberFactory(prefecture_id="23")
    Preference.objects.create(member=silent, scope_kind=Scope.NATIONAL, mode=Preference.Mode.NONE)
    others = [MemberFactory(prefecture_id="13") for _ in range(3)]
    announcement = announce(executive, Scope(Scope.NATIONAL))
    rows = {row.member_id: row for row in Delivery.objects.filter(announcement=announcement)}
    assert set(rows) == {daily.pk, executive.pk, *(member.pk for member in others)}  # not the silent one
    assert {(row.status, row.attempts, row.last_error, row.sent_at) for row in rows.values()} == {
        (Delivery.Status.QUEUED, 0, "", None)}
    assert {member_id for member_id, row in rows.items() if row.digest} == {daily.pk}
