"""The hub's part of the demo world: announcements at every scope (one asking for confirmation).

Written through the service as the demo executive, block representative and chapter officer, so the
e-mails go out as they would (the console backend prints them with `make run`)."""

from ajet.core.demo import DemoContext
from ajet.hub import services
from ajet.hub.models import Announcement
from ajet.organisation.scopes import Scope


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
    context.notes.append("Hub: 5 announcements (national, CIRs, block 3, the demo member's prefecture).")
