"""Reads for the liaison desk of a block representative: their block's chapters with officers and activity,
recent events and announcements in the block, sign-ups waiting there, national announcements to forward."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils import timezone

from ajet.hub.models import Announcement, Event
from ajet.organisation.models import Chapter, Term
from ajet.organisation.powers import powers_of
from ajet.organisation.queries import get_block_overview
from ajet.organisation.scopes import Scope
from ajet.people.queries import awaiting_confirmation

QUIET_DAYS = 60  # a chapter with no announcement or event for this long is flagged to its representative
RECENT_LENGTH = 15


@dataclass
class ChapterRow:
    chapter: Chapter
    officers: list[Term] = field(default_factory=list)
    last_activity: datetime.datetime | None = None
    has_upcoming_event: bool = False

    @property
    def without_officer(self) -> bool:
        return not self.officers

    def quiet_since(self, moment: datetime.datetime) -> bool:
        return not self.has_upcoming_event and (self.last_activity is None or self.last_activity < moment)


def desk_blocks(user) -> list[int]:
    """The blocks whose desk `user` may open: those they represent (every block for an executive)."""
    from ajet.organisation.models import Block

    powers = powers_of(user)
    if not powers.is_officer:
        return []
    if powers.is_executive:
        return list(Block.objects.order_by("number").values_list("number", flat=True))
    return sorted(powers.represented_blocks)


def has_desk(user) -> bool:
    """Whether `user` may open some block's desk (`desk_blocks` is not empty), from their powers alone."""
    powers = powers_of(user)
    return powers.is_officer and (powers.is_executive or bool(powers.represented_blocks))


def _block_filter(number: int, prefecture_codes: list[str], chapter_ids: list[int]) -> Q:
    return (Q(scope_kind=Scope.BLOCK, scope_block_id=number)
            | Q(scope_kind=Scope.PREFECTURE, scope_prefecture_id__in=prefecture_codes)
            | Q(scope_kind=Scope.CHAPTER, scope_chapter_id__in=chapter_ids))


def get_liaison_desk(number: int, *, now: datetime.datetime | None = None) -> dict | None:
    """Everything on block `number`'s desk, in a constant number of queries; None for an unknown block."""
    now = now or timezone.now()
    overview = get_block_overview(number)
    if overview is None:
        return None
    quiet_since = now - datetime.timedelta(days=QUIET_DAYS)
    rows = {chapter.pk: ChapterRow(chapter) for chapter in overview.chapters}
    chapter_ids = list(rows)
    codes = [prefecture.code for prefecture in overview.prefectures]
    for term in (Term.objects.current(timezone.localdate()).filter(post__chapter_id__in=chapter_ids)
                 .select_related("post", "member").order_by("post__order", "pk")):
        rows[term.post.chapter_id].officers.append(term)
    sent = (Announcement.objects.filter(scope_kind=Scope.CHAPTER, scope_chapter_id__in=chapter_ids,
                                        queued_at__isnull=False)
            .values_list("scope_chapter_id").annotate(Max("queued_at")))
    held = (Event.objects.filter(scope_kind=Scope.CHAPTER, scope_chapter_id__in=chapter_ids)
            .values_list("scope_chapter_id").annotate(Max("created_at"), Max("start"), Max("series_end")))
    for chapter_id, last_sent in sent:
        rows[chapter_id].last_activity = last_sent
    for chapter_id, last_created, last_start, last_end in held:
        row = rows[chapter_id]
        # Publishing an event, and holding one, are both signs of life.
        moments = [moment for moment in (row.last_activity, last_created, min(last_start, now)) if moment]
        row.last_activity = max(moments)
        row.has_upcoming_event = last_end >= now
    scoped = _block_filter(number, codes, chapter_ids)
    national = list(Announcement.objects.filter(scope_kind=Scope.NATIONAL, queued_at__isnull=False)
                    .order_by("-queued_at", "-pk")[:RECENT_LENGTH])
    forwarded = set(Announcement.objects.filter(scope_kind=Scope.BLOCK, scope_block_id=number,
                                                forwarded_from__in=national)
                    .values_list("forwarded_from_id", flat=True))
    chapters = sorted(rows.values(), key=lambda row: row.chapter.name)
    return {
        "desk_block": overview.block,
        "prefectures": overview.prefectures,
        "representatives": overview.representatives,
        "chapters": chapters,
        "quiet_days": QUIET_DAYS,
        "without_officer": [row for row in chapters if row.without_officer],
        "quiet": [row for row in chapters if row.quiet_since(quiet_since)],
        "announcements": list(Announcement.objects.filter(scoped, queued_at__gte=quiet_since)
                              .select_related("scope_chapter", "scope_prefecture")
                              .order_by("-queued_at", "-pk")[:RECENT_LENGTH]),
        "events": list(Event.objects.filter(scoped, series_end__gte=quiet_since)
                       .select_related("scope_chapter", "scope_prefecture").order_by("start", "pk")[:RECENT_LENGTH]),
        "pending": list(awaiting_confirmation().filter(prefecture_id__in=codes)[:50]),
        "pending_count": awaiting_confirmation().filter(prefecture_id__in=codes).count(),
        "national": [(announcement, announcement.pk in forwarded) for announcement in national],
    }
