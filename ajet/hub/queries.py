"""Reads of the hub: which scopes an officer may address, and which announcements reach a member."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ajet.hub.models import Acknowledgement, Announcement, Delivery
from ajet.organisation.geography import block_map_on
from ajet.organisation.models import Block, Chapter, ChapterMembership, Prefecture
from ajet.organisation.powers import powers_of
from ajet.organisation.scopes import Scope


def may_address(user, scope: Scope) -> bool:
    """Executives address anyone; a block representative their blocks and the prefectures and chapters
    wholly inside them; a chapter officer their chapters."""
    powers = powers_of(user)
    if not powers.is_officer:
        return False
    if powers.is_executive:
        return True
    if scope.kind == Scope.BLOCK:
        return scope.block in powers.represented_blocks
    if scope.kind == Scope.PREFECTURE:
        return block_map_on().get(scope.prefecture) in powers.represented_blocks
    if scope.kind == Scope.CHAPTER:
        if scope.chapter in powers.officer_chapters:
            return True
        blocks = block_map_on()
        codes = Chapter.prefectures.through.objects.filter(chapter_id=scope.chapter).values_list(
            "prefecture_id", flat=True)
        return bool(codes) and all(blocks.get(code) in powers.represented_blocks for code in codes)
    return False


def audience_choices(user) -> list[tuple[str, str]]:
    """The audiences `user` may address, as (value, label) for a form: "national", "block:3", …"""
    powers = powers_of(user)
    if not powers.is_officer:
        return []
    choices = []
    blocks = block_map_on()
    if powers.is_executive:
        choices.append((Scope.NATIONAL, _("Everyone (National AJET)")))
    for block in Block.objects.order_by("number"):
        if powers.is_executive or block.number in powers.represented_blocks:
            choices.append((f"block:{block.number}", str(block)))
    for prefecture in Prefecture.objects.order_by("code"):
        if powers.is_executive or blocks.get(prefecture.code) in powers.represented_blocks:
            choices.append((f"prefecture:{prefecture.code}", _("Prefecture: %(name)s") % {"name": prefecture.name}))
    for chapter in Chapter.objects.filter(is_active=True).prefetch_related("prefectures"):
        codes = [prefecture.code for prefecture in chapter.prefectures.all()]
        if (powers.is_executive or chapter.pk in powers.officer_chapters
                or (codes and all(blocks.get(code) in powers.represented_blocks for code in codes))):
            choices.append((f"chapter:{chapter.pk}", _("Chapter: %(name)s") % {"name": chapter.name}))
    return choices


def parse_audience(value: str, positions=()) -> Scope:
    """"block:3" → Scope(block=3). Raises ValueError on anything else."""
    kind, _sep, key = value.partition(":")
    if kind == Scope.NATIONAL:
        return Scope(Scope.NATIONAL, positions=frozenset(positions))
    if kind == Scope.BLOCK:
        return Scope(Scope.BLOCK, block=int(key), positions=frozenset(positions))
    if kind == Scope.PREFECTURE:
        return Scope(Scope.PREFECTURE, prefecture=key, positions=frozenset(positions))
    if kind == Scope.CHAPTER:
        return Scope(Scope.CHAPTER, chapter=int(key), positions=frozenset(positions))
    raise ValueError(value)


def reaching_member_filter(member) -> Q:
    """Announcements whose scope reaches `member` today (the same rules as `members_in_scope`)."""
    block = block_map_on().get(member.prefecture_id)
    chapters = set(Chapter.prefectures.through.objects.filter(prefecture_id=member.prefecture_id)
                   .values_list("chapter_id", flat=True))
    chapters |= set(ChapterMembership.objects.filter(member=member, left_at__isnull=True)
                    .values_list("chapter_id", flat=True))
    where = (Q(scope_kind=Scope.NATIONAL) | Q(scope_kind=Scope.BLOCK, scope_block_id=block)
             | Q(scope_kind=Scope.PREFECTURE, scope_prefecture_id=member.prefecture_id)
             | Q(scope_kind=Scope.CHAPTER, scope_chapter_id__in=chapters))
    return where & (Q(positions="") | Q(positions__contains=f",{member.position},"))


def announcements_for(member, *, kind: str | None = None, unread_only: bool = False) -> QuerySet:
    """Sent announcements that reach `member`, newest first; optionally of one scope kind, or only those
    waiting for the member's acknowledgement."""
    announcements = Announcement.objects.filter(queued_at__isnull=False).filter(reaching_member_filter(member))
    if kind:
        announcements = announcements.filter(scope_kind=kind)
    if unread_only:
        announcements = announcements.filter(requires_acknowledgement=True).exclude(
            acknowledgements__member=member)
    return announcements.order_by("-queued_at", "-pk")


def acknowledged_ids(member, announcement_ids: list[int]) -> set[int]:
    return set(Acknowledgement.objects.filter(member=member, announcement_id__in=announcement_ids)
               .values_list("announcement_id", flat=True))


def reaches(announcement: Announcement, member) -> bool:
    return announcements_for(member).filter(pk=announcement.pk).exists()


def public_announcements() -> QuerySet:
    return Announcement.objects.filter(queued_at__isnull=False, is_public=True).order_by("-queued_at", "-pk")


def written_by_or_for(user) -> list[Announcement]:
    """The announcements this officer may follow (those whose audience they may address), newest first."""
    recent = Announcement.objects.select_related("scope_chapter").order_by("-created_at")[:200]
    return [announcement for announcement in recent if may_address(user, announcement.scope)]


def delivery_counts(announcement: Announcement, kind: str = Delivery.Kind.ANNOUNCEMENT) -> dict[str, int]:
    counts = dict.fromkeys(Delivery.Status.values, 0)
    for row in announcement.deliveries.filter(kind=kind).values("status").annotate(count=Count("pk")):
        counts[row["status"]] = row["count"]
    return counts


def acknowledgement_by_block(announcement: Announcement) -> list[dict]:
    """Per block: how many members the announcement reaches today and how many confirmed reading it."""
    from ajet.organisation.scopes import members_in_scope

    blocks = block_map_on()
    reached: dict[int | None, int] = {}
    for prefecture_code, count in (members_in_scope(announcement.scope).order_by()
                                   .values_list("prefecture_id").annotate(Count("pk"))):
        reached[blocks.get(prefecture_code)] = reached.get(blocks.get(prefecture_code), 0) + count
    confirmed: dict[int | None, int] = {}
    for prefecture_code, count in (Acknowledgement.objects.filter(announcement=announcement)
                                   .values_list("member__prefecture_id").annotate(Count("pk"))):
        confirmed[blocks.get(prefecture_code)] = confirmed.get(blocks.get(prefecture_code), 0) + count
    rows = []
    for block in sorted(set(reached) | set(confirmed), key=lambda number: number or 0):
        total, done = reached.get(block, 0), confirmed.get(block, 0)
        rows.append({"block": block, "reached": total, "confirmed": done,
                     "rate": round(100 * done / total) if total else None})
    return rows


# --- Events -----------------------------------------------------------------------------------------

def events_for(member, *, upcoming: bool = True) -> QuerySet:
    """Events whose audience reaches `member`, and public ones; by default those not yet over."""
    from ajet.hub.models import Event

    events = Event.objects.filter(reaching_member_filter(member) | Q(is_public=True))
    if upcoming:
        events = events.filter(series_end__gte=timezone.now())
    return events.order_by("start", "pk")


def event_reaches(event, member) -> bool:
    return events_for(member, upcoming=False).filter(pk=event.pk).exists()


# The calendar feeds cover a horizon, what a calendar app needs (the recent past and the coming year), not every
# event ever published: with 10,000 events a feed took seconds to build (bench/hub.py). A repeating event is in
# a feed, whole with its RRULE, when one of its dates falls within (see within_calendar_horizon).
CALENDAR_DAYS_PAST = 60
CALENDAR_DAYS_AHEAD = 365


def within_calendar_horizon() -> Q:
    """Events with a date in the horizon, from CALENDAR_DAYS_PAST days ago to CALENDAR_DAYS_AHEAD days ahead.
    A series has one exactly when it starts before the horizon's end and its last date ends after its
    beginning: its dates are at most two months apart (a monthly series on the 31st skips the shorter months),
    far less than the horizon is long."""
    now = timezone.now()
    return Q(series_end__gte=now - datetime.timedelta(days=CALENDAR_DAYS_PAST),
             start__lte=now + datetime.timedelta(days=CALENDAR_DAYS_AHEAD))


def calendar_events_for(member) -> QuerySet:
    """A member's calendar: within the horizon, the events for them and every event they said yes to."""
    from ajet.hub.models import Event

    return (Event.objects.filter(within_calendar_horizon())
            .filter(reaching_member_filter(member) | Q(rsvps__member=member, rsvps__attending=True))
            .distinct().order_by("start", "pk"))


def rsvp_counts(event, occurrence=None) -> dict[str, int]:
    from ajet.hub.models import Rsvp

    rows = Rsvp.objects.filter(event=event, attending=True)
    if occurrence is not None:
        rows = rows.filter(occurrence=occurrence)
    counts = {"going": 0, "waiting": 0}
    for row in rows.values("waitlisted").annotate(count=Count("pk")):
        counts["waiting" if row["waitlisted"] else "going"] = row["count"]
    return counts


def event_dates(event, member=None, *, now=None) -> list[dict]:
    """The event's dates not yet over, each with its places taken and waiting, whether answers are still
    open, and `member`'s answer. Two queries, however many dates."""
    from ajet.hub.models import Rsvp

    now = now or timezone.now()
    counts: dict = {}
    for occurrence, waitlisted, count in (Rsvp.objects.filter(event=event, attending=True)
                                          .values_list("occurrence", "waitlisted").annotate(Count("pk"))):
        counts.setdefault(occurrence, {"going": 0, "waiting": 0})["waiting" if waitlisted else "going"] = count
    answers = {}
    if member is not None:
        answers = {row.occurrence: row for row in Rsvp.objects.filter(event=event, member=member)}
    rows = []
    for occurrence in event.upcoming_occurrences(now):
        deadline = event.deadline_for(occurrence)
        rows.append({"start": occurrence, "end": occurrence + event.duration,
                     "counts": counts.get(occurrence, {"going": 0, "waiting": 0}),
                     "rsvp": answers.get(occurrence), "deadline": deadline,
                     "started": occurrence <= now, "closed": now > deadline})
    return rows


def public_events_of(*, chapter=None) -> QuerySet:
    """Public events of one chapter, or (no chapter) of National AJET, within the calendar horizon."""
    from ajet.hub.models import Event

    events = Event.objects.filter(within_calendar_horizon(), is_public=True)
    if chapter is None:
        return events.filter(scope_kind=Scope.NATIONAL).order_by("start", "pk")
    return events.filter(scope_kind=Scope.CHAPTER, scope_chapter=chapter).order_by("start", "pk")


# --- The public site --------------------------------------------------------------------------------

def upcoming_public_events() -> QuerySet:
    """Public events not yet over (a series until its last date), soonest first, with the chapter that holds
    them (for its page's link)."""
    from ajet.hub.models import Event

    return (Event.objects.filter(is_public=True, series_end__gte=timezone.now()).select_related("scope_chapter")
            .order_by("start", "pk"))


def public_guides() -> QuerySet:
    from ajet.hub.models import Guide

    return Guide.objects.filter(is_public=True).select_related("category")
