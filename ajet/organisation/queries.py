"""Reads about the organisation: blocks, chapters, council. Each returns in a constant number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from ajet.organisation.geography import block_map_on
from ajet.organisation.models import Block, Chapter, Post, Prefecture, Term


@dataclass
class BlockOverview:
    block: Block
    prefectures: list[Prefecture] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    representatives: list[Term] = field(default_factory=list)


def get_blocks_overview(day: datetime.date | None = None) -> list[BlockOverview]:
    """Every block with its prefectures, chapters and current representative(s)."""
    day = day or timezone.localdate()
    mapping = block_map_on(day)
    overviews = {block.number: BlockOverview(block) for block in Block.objects.all()}
    for prefecture in Prefecture.objects.all():
        number = mapping.get(prefecture.code)
        if number in overviews:
            overviews[number].prefectures.append(prefecture)
    for chapter in get_active_chapters():
        for number in sorted({mapping.get(p.code) for p in chapter.prefectures.all()} - {None}):
            overviews[number].chapters.append(chapter)
    for term in current_block_terms(day):
        overviews[term.post.block_id].representatives.append(term)
    return list(overviews.values())


def get_block_overview(number: int, day: datetime.date | None = None) -> BlockOverview | None:
    return next((overview for overview in get_blocks_overview(day) if overview.block.number == number), None)


def get_active_chapters():
    return Chapter.objects.filter(is_active=True).prefetch_related(
        Prefetch("prefectures", queryset=Prefecture.objects.order_by("code"))
    )


def current_block_terms(day: datetime.date):
    return Term.objects.current(day).filter(post__scope=Post.Scope.BLOCK).select_related("post", "member")


def current_block_terms_for(block_number: int, day: datetime.date | None = None):
    return current_block_terms(day or timezone.localdate()).filter(post__block_id=block_number)


def get_council(day: datetime.date | None = None) -> list[dict]:
    """National and block posts that exist on `day`, each with the terms current then."""
    day = day or timezone.localdate()
    posts = [
        post for post in Post.objects.exclude(scope=Post.Scope.CHAPTER).select_related("block")
        if post.exists_on(day)
    ]
    terms = defaultdict(list)
    for term in Term.objects.current(day).filter(post__in=posts).select_related("member"):
        terms[term.post_id].append(term)
    return [{"post": post, "terms": terms[post.pk]} for post in posts]


def get_chapter_officers(chapter: Chapter, day: datetime.date | None = None):
    return Term.objects.current(day).filter(post__chapter=chapter).select_related("post", "member")


def get_open_chapter_membership(member, chapter: Chapter):
    return chapter.memberships.filter(member=member, left_at__isnull=True).first()


def get_member_chapters(member):
    return Chapter.objects.filter(memberships__member=member, memberships__left_at__isnull=True).distinct()


def suggest_chapters(member):
    """Chapters covering the member's prefecture that they have not joined."""
    joined = get_member_chapters(member).values_list("pk", flat=True)
    return Chapter.objects.filter(is_active=True, prefectures=member.prefecture_id).exclude(pk__in=joined)
