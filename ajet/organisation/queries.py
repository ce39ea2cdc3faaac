"""Reads about the organisation: blocks, chapters, council. Each returns in a constant number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from ajet.core.cache import current_or
from ajet.organisation.geography import block_map_on
from ajet.organisation.models import Block, BlockAssignment, Chapter, ChapterMembership, Post, Prefecture, Term
from ajet.organisation.powers import ORGANISATION_DATA, powers_of
from ajet.organisation.uploads import KINDS, extension_of


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


def chapter_key(slug: str) -> str:
    return f"ajet:chapter:{slug}"


def membership_key(member, slug: str) -> str:
    return f"ajet:chapter-membership:{member.pk}:{slug}"


def get_cached_chapter(slug: str) -> Chapter | None:
    """The chapter with this slug today (with its prefectures), or None; cached under the organisation's
    data version (chapters and their prefectures bump it: signals.py)."""
    # An unknown slug gives None, which is not kept: anyone can ask for any number of them.
    return current_or(ORGANISATION_DATA, chapter_key(slug),
                      lambda: Chapter.objects.prefetch_related("prefectures").filter(slug=slug).first())


def get_cached_open_chapter_membership(member, chapter: Chapter):
    """As get_open_chapter_membership, cached under the organisation's data version (memberships bump it)."""
    return current_or(ORGANISATION_DATA, membership_key(member, chapter.slug),
                      lambda: get_open_chapter_membership(member, chapter) or False) or None  # False: none


def get_member_chapters(member):
    return Chapter.objects.filter(memberships__member=member, memberships__left_at__isnull=True).distinct()


def suggest_chapters(member):
    """Chapters covering the member's prefecture that they have not joined."""
    joined = get_member_chapters(member).values_list("pk", flat=True)
    return Chapter.objects.filter(is_active=True, prefectures=member.prefecture_id).exclude(pk__in=joined)


def get_member_and_nearby_chapters(member) -> tuple[list[Chapter], list[Chapter]]:
    """The chapters the member has joined, and the active ones covering their prefecture that they have not
    (what `get_member_chapters` and `suggest_chapters` give), in one query: the dashboard asks on every visit.
    """
    open_membership = ChapterMembership.objects.filter(chapter=OuterRef("pk"), member=member, left_at__isnull=True)
    covering = Chapter.prefectures.through.objects.filter(prefecture_id=member.prefecture_id).values("chapter_id")
    chapters = Chapter.objects.annotate(joined=Exists(open_membership)).filter(
        Q(joined=True) | Q(is_active=True, pk__in=covering)
    )
    joined, nearby = [], []
    for chapter in chapters:
        (joined if chapter.joined else nearby).append(chapter)
    return joined, nearby


def get_block_and_representatives_of(prefecture_code: str, day: datetime.date | None = None):
    """The block a prefecture belongs to on `day` and that block's current representatives.

    One query when the block has a representative (the block comes with the terms), two when it is vacant.
    """
    day = day or timezone.localdate()
    block_on_day = (
        BlockAssignment.objects.filter(prefecture_id=prefecture_code, valid_from__lte=day)
        .order_by("-valid_from").values("block_id")[:1]
    )
    representatives = list(
        Term.objects.current(day).filter(post__scope=Post.Scope.BLOCK, post__block_id=Subquery(block_on_day))
        .select_related("post__block", "member")
    )
    if representatives:
        return representatives[0].post.block, representatives
    assignment = get_block_assignment_of(prefecture_code, day)
    return (assignment.block if assignment else None), []


def get_block_assignment_of(prefecture_code: str, day: datetime.date | None = None):
    """The block assignment of one prefecture on `day`, with the prefecture and block: one query."""
    return (
        BlockAssignment.objects.filter(prefecture_id=prefecture_code, valid_from__lte=day or timezone.localdate())
        .select_related("prefecture", "block").order_by("-valid_from").first()
    )


# --- Council history, structure management, initiatives and handbooks (added with the handover work) ---

def get_council_first_start() -> datetime.date | None:
    """The first day any national or block term started: where the council's history begins."""
    first = Term.objects.exclude(post__scope=Post.Scope.CHAPTER).order_by("start").values_list("start", flat=True)
    return first.first()


def get_council_between(first_day: datetime.date, last_day: datetime.date) -> list[dict]:
    """National and block posts that existed in [first_day, last_day], each with the terms overlapping it.

    Terms keep pointing at the post they were held in, so a renamed or retired post shows as it was.
    """
    posts = list(
        Post.objects.exclude(scope=Post.Scope.CHAPTER)
        .filter(valid_from__lte=last_day)
        .exclude(valid_until__lt=first_day)
        .select_related("block")
    )
    terms = defaultdict(list)
    overlapping = Term.objects.filter(post__in=posts, start__lte=last_day, end__gte=first_day)
    for term in overlapping.select_related("member").order_by("start"):
        terms[term.post_id].append(term)
    return [{"post": post, "terms": terms[post.pk]} for post in posts if terms[post.pk] or post.exists_on(last_day)]


def get_council_posts_to_manage() -> list[Post]:
    """Every national and block post, retired ones too, with their terms (for the executives' page)."""
    return list(
        Post.objects.exclude(scope=Post.Scope.CHAPTER).select_related("block")
        .prefetch_related(Prefetch("terms", queryset=Term.objects.select_related("member").order_by("-start")))
    )


def get_post_terms(post: Post):
    return post.terms.select_related("member").order_by("-start")


def get_prefectures_with_blocks(day: datetime.date | None = None) -> list[tuple[Prefecture, int | None]]:
    mapping = block_map_on(day)
    return [(prefecture, mapping.get(prefecture.code)) for prefecture in Prefecture.objects.all()]


def get_block_history(prefecture: Prefecture):
    """Every block assignment of the prefecture, most recent first."""
    return prefecture.block_assignments.select_related("block").order_by("-valid_from")


def get_chapter_member_count(chapter: Chapter) -> int:
    return chapter.memberships.filter(left_at__isnull=True).count()


def get_chapter_posts(chapter: Chapter):
    """The chapter's officer posts with all their terms (newest first)."""
    return chapter.posts.prefetch_related(
        Prefetch("terms", queryset=Term.objects.select_related("member").order_by("-start"))
    )


def get_initiatives(day: datetime.date | None = None) -> list:
    """Initiatives with their supervising post; each gets `.supervisors`, the terms current on `day`."""
    from ajet.organisation.models import Initiative

    initiatives = list(Initiative.objects.select_related("supervising_post"))
    current = defaultdict(list)
    post_ids = {initiative.supervising_post_id for initiative in initiatives}
    for term in Term.objects.current(day).filter(post_id__in=post_ids).select_related("member"):
        current[term.post_id].append(term)
    for initiative in initiatives:
        initiative.supervisors = current[initiative.supervising_post_id]
    return initiatives


def get_upcoming_terms(user, day: datetime.date | None = None):
    """Terms of `user` that have not started yet: the posts they are about to take over."""
    day = day or timezone.localdate()
    return Term.objects.filter(member__user=user, start__gt=day).select_related("post").order_by("start")


def get_handbook_posts_for(user) -> list[Post]:
    """Posts whose handbook the user may read: their own current and upcoming ones, all of them for executives."""
    today = timezone.localdate()
    candidates = Post.objects.filter(terms__member__user=user, terms__end__gte=today).distinct()
    if user.has_perm("organisation.view_handbook", None):
        candidates = Post.objects.exclude(scope=Post.Scope.CHAPTER).exclude(valid_until__lt=today)
    return [post for post in candidates.select_related("block", "chapter")
            if user.has_perm("organisation.view_handbook", post)]


def get_handbook(post: Post) -> dict:
    """A post's handbook: its pages, files, open and done handover items."""
    items = list(post.handover_items.select_related("created_by__member"))
    files = list(post.handbook_files.select_related("uploaded_by__member"))
    for handbook_file in files:
        handbook_file.kind_label, handbook_file.size_bytes = file_facts(handbook_file)
    return {
        "pages": list(post.handbook_pages.all()),
        "files": files,
        "open_items": [item for item in items if item.done_at is None],
        "done_items": [item for item in items if item.done_at is not None],
    }


def file_facts(handbook_file) -> tuple[str, int | None]:
    """A handbook file's kind ("PDF", "Excel (XLSX)" …) and size in bytes (None when the stored file is
    missing), for the handbook page: read from its safe extension and from the storage."""
    kind = KINDS.get(extension_of(handbook_file.file.name))
    try:
        size = handbook_file.file.size
    except (FileNotFoundError, OSError):
        size = None
    return (str(kind.label) if kind else "—"), size


def managed_members_filter(user) -> Q:
    """The members `user` manages, as a filter: what the `manages_member` predicate allows (executives: all;
    officers: their prefectures and constituency), so lists need not load every member to ask has_perm."""
    powers = powers_of(user)
    if not powers.is_officer:
        return Q(pk__in=[])
    if powers.is_executive:
        return Q()
    return Q(prefecture_id__in=powers.managed_prefectures) | Q(position__in=powers.constituency_positions)
