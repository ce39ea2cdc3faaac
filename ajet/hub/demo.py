"""The hub's part of the demo world: announcements at every scope (one asking for confirmation, one for
the demo member's chapter) and upcoming events that some members answered: a national online town hall, a
block 3 conference (nearly full) and the demo member's chapter's monthly meetup (a series of six dates).

Written through the service as the demo executive, block representative and chapter officer, so the
e-mails go out as they would (the console backend prints them with `make run`)."""

import datetime
import random

from django.utils import timezone

from ajet.core.demo import DemoContext
from ajet.hub import services
from ajet.hub.models import Announcement
from ajet.organisation.models import Chapter
from ajet.organisation.scopes import Scope, members_in_scope
from ajet.people.models import Member


def build_hub_demo(context: DemoContext) -> None:
    if Announcement.objects.exists():
        context.notes.append("Hub: there are announcements already; no demo announcements added.")
        return
    executive = context.accounts["executive"].user
    member = context.accounts["member"]
    services.create_announcement(by=executive, scope=Scope(Scope.NATIONAL), fields={
        "title": "Welcome to AJET Nexus",
        "body": "National AJET now writes to you here.\n\n* announcements for your block and chapter\n"
                "* choose which ones reach you by e-mail",
        "title_ja": "AJET Nexusへようこそ", "body_ja": "National AJETからのお知らせはここに届きます。",
        "is_public": True})
    services.create_announcement(by=executive, scope=Scope(Scope.NATIONAL), fields={
        "title": "Election timetable",
        "body": "The council election is open. **Please confirm** that you have read the timetable.",
        "requires_acknowledgement": True})
    services.create_announcement(by=executive, scope=Scope(Scope.NATIONAL, positions=frozenset({"CIR"})), fields={
        "title": "CIR meetup online", "body": "An online meetup for CIRs next month."})
    services.create_announcement(by=executive, scope=Scope(Scope.BLOCK, block=3), fields={
        "title": "Block 3 news", "body": "Skills development conference in Tokyo: registration is open."})
    services.create_announcement(by=executive, scope=Scope(Scope.PREFECTURE, prefecture=member.prefecture_id),
                                 fields={"title": "Typhoon season", "body": "Check your school's evacuation plan."})
    chapter = _member_chapter(member)
    if chapter is not None:
        services.create_announcement(by=executive, scope=Scope(Scope.CHAPTER, chapter=chapter.pk), fields={
            "title": f"{chapter.name}: new officers wanted",
            "body": "Our chapter elects its officers next month. Ask us anything at the monthly meetup."})
    events = _events(context)
    context.notes.append(f"Hub: announcements at every scope (national, CIRs, block 3, the demo member's "
                         f"prefecture and chapter) and {events} upcoming events with answers, one a monthly "
                         f"meetup.")


def _member_chapter(member):
    return Chapter.objects.filter(prefectures=member.prefecture_id, is_active=True).order_by("pk").first()


def _events(context: DemoContext) -> int:
    """A national online event, a block 3 conference (nearly full) and a chapter meetup; some members answer."""
    executive = context.accounts["executive"].user
    member = context.accounts["member"]
    rng = random.Random(context.seed * 17 + 3)
    evening = datetime.datetime.combine(context.today, datetime.time(19), tzinfo=timezone.get_current_timezone())
    chapter = _member_chapter(member)
    plans = [
        (Scope(Scope.NATIONAL), {"title": "National AJET town hall (online)", "is_public": True,
                                 "online_url": "https://meet.example.org/ajet-town-hall",
                                 "description": "Questions to the council, in English and Japanese."}, 10, None),
        (Scope(Scope.BLOCK, block=3), {"title": "Block 3 skills conference", "place": "Saitama City",
                                       "address": "Saitama City Hall, 6-4-4 Tokiwa, Urawa-ku, Saitama",
                                       "cost": "¥1,000 (lunch included)",
                                       "rsvp_deadline": evening + datetime.timedelta(days=15),
                                       "description": "Workshops for teaching and life in Japan."}, 20, 12),
    ]
    if chapter is not None:
        plans.append((Scope(Scope.CHAPTER, chapter=chapter.pk), {
            "title": f"{chapter.name} monthly meetup", "place": "Izakaya near Omiya station",
            "address": "Omiya station, east exit, Saitama",
            "map_url": "https://www.openstreetmap.org/search?query=Omiya%20station",
            "cost": "About ¥3,000, pay on the night", "is_public": True, "recurrence": "monthly", "occurrences": 6,
            "description": "Dinner and a chat, every month; newcomers welcome."}, 6, 20))
    for scope, fields, days, capacity in plans:
        start = evening + datetime.timedelta(days=days)
        event = services.create_event(by=executive, scope=scope, fields={
            **fields, "start": start, "end": start + datetime.timedelta(hours=2), "capacity": capacity})
        audience = list(members_in_scope(scope).exclude(pk=member.pk).order_by("pk").values_list("pk", flat=True))
        for occurrence in event.occurrence_starts()[:2]:  # a series: answers for its next two dates
            for member_id in rng.sample(audience, min(len(audience), 15)):
                services.answer_rsvp(member=Member(pk=member_id), event=event, attending=rng.random() < 0.8,
                                     occurrence=occurrence)
    return len(plans)
