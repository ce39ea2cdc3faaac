"""Scopes: who is reached by a scoped thing (a post's constituency, an audience, an electorate).

A scope is national, a block, a prefecture or a chapter, optionally narrowed to positions (e.g. CIRs).
`members_in_scope` is the one place that turns a scope into members; every app asks it rather than
re-deriving "the members of block 3".

- A block holds the members whose prefecture lies in it on `day` (the dated block map: a prefecture moved
  to another block from a date belongs to the new block from that date on).
- A chapter holds the members living in its prefectures, plus the members who joined it (an open
  ChapterMembership) from elsewhere: chapters are local, and joining is how someone nearby opts in.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from ajet.organisation.geography import block_map_on
from ajet.organisation.models import Chapter, ChapterMembership


@dataclass(frozen=True)
class Scope:
    NATIONAL = "national"
    BLOCK = "block"
    PREFECTURE = "prefecture"
    CHAPTER = "chapter"
    KINDS = (NATIONAL, BLOCK, PREFECTURE, CHAPTER)

    kind: str
    block: int | None = None  # block number
    prefecture: str | None = None  # JIS code
    chapter: int | None = None  # chapter id
    positions: frozenset[str] = field(default_factory=frozenset)  # empty: every position

    def __post_init__(self):
        needs = {self.NATIONAL: None, self.BLOCK: "block", self.PREFECTURE: "prefecture", self.CHAPTER: "chapter"}
        if self.kind not in needs:
            raise ValueError(f"unknown scope kind {self.kind!r}")
        for name in ("block", "prefecture", "chapter"):
            given = getattr(self, name) is not None
            if given != (needs[self.kind] == name):
                raise ValueError(f"a {self.kind} scope {'needs' if not given else 'takes no'} {name}")
        object.__setattr__(self, "positions", frozenset(self.positions))


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def members_in_scope(
    scope: Scope,
    *,
    day: datetime.date | None = None,
    statuses: tuple[str, ...] | None = None,
    joined_before: datetime.date | None = None,
) -> QuerySet:
    """The members `scope` reaches on `day` (today by default): with one of `statuses` (current members
    by default), and, if `joined_before` is given, only those who signed up before that day (Japan time).
    Reads only; the result is a lazy queryset of Member."""
    from ajet.people.models import Member

    day = day or timezone.localdate()
    members = Member.objects.filter(status__in=statuses or (Member.Status.CURRENT,))
    if scope.kind == Scope.BLOCK:
        codes = [code for code, number in block_map_on(day).items() if number == scope.block]
        members = members.filter(prefecture_id__in=codes)
    elif scope.kind == Scope.PREFECTURE:
        members = members.filter(prefecture_id=scope.prefecture)
    elif scope.kind == Scope.CHAPTER:
        codes = Chapter.prefectures.through.objects.filter(chapter_id=scope.chapter).values("prefecture_id")
        joined = ChapterMembership.objects.filter(chapter_id=scope.chapter, left_at__isnull=True).values("member_id")
        members = members.filter(Q(prefecture_id__in=codes) | Q(pk__in=joined))
    if scope.positions:
        members = members.filter(position__in=sorted(scope.positions))
    if joined_before is not None:
        members = members.filter(created_at__lt=_start_of(joined_before))
    return members
