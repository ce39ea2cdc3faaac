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


# --- Guides -----------------------------------------------------------------------------------------
# Short texts written for the demo: they show the shape of a guide, and are no advice to rely on.

GUIDE_CATEGORIES = [
    ("work", "Work and contracts", "仕事と契約"),
    ("money", "Money and taxes", "お金と税金"),
    ("moving", "Moving and daily life", "引っ越しと生活"),
    ("safety", "Safety", "安全"),
]
DEMO_GUIDES = [
    # slug, category, owner post, public, days since the last review, English (title, text), Japanese
    ("recontracting", "work", "vice-chair", True, 40,
     ("Recontracting: staying another year",
      "Your contracting organisation asks early in the year whether you wish to stay.\n\n"
      "* Talk with your supervisor **before** the deadline; ask what would change in your duties.\n"
      "* Answer in writing and keep a copy.\n"
      "* If you are unsure, ask your block representative: they have seen many cases.\n\n"
      "A decision not to recontract is yours to make; nobody may pressure you either way."),
     ("再任用：もう一年続けるには",
      "任用団体は年の初めごろに、来年度も続けたいかどうかを確認します。\n\n"
      "* 締め切りの**前に**担当者と話し、仕事の内容に変更があるか聞きましょう。\n"
      "* 回答は書面で出し、写しを保管しましょう。\n"
      "* 迷ったらブロック代表に相談してください。多くの例を知っています。")),
    ("tax-and-pension-refunds", "money", "treasurer", False, 400,
     ("Tax and pension refunds when you leave Japan",
      "Before you leave, name a tax representative if you expect a refund of income tax, and keep your "
      "last pay slips.\n\n"
      "After leaving, you may claim a lump-sum withdrawal payment of the pension contributions you paid. "
      "Apply within the period the pension service states, with a copy of your passport and your bank "
      "details.\n\n"
      "The Treasurer keeps this guide; tell them when something here is no longer right."),
     ("帰国するときの税金と年金の還付",
      "所得税の還付が見込まれる場合は、出国前に納税管理人を決め、最後の給与明細を保管しておきましょう。\n\n"
      "帰国後は、払った厚生年金保険料の脱退一時金を請求できます。年金機構が定める期間内に、パスポートの写しと"
      "口座情報を添えて申請してください。")),
    ("changing-prefecture", "moving", "chair", True, 120,
     ("Changing prefecture",
      "A transfer to another prefecture is rare and is agreed between both contracting organisations.\n\n"
      "1. Speak with your supervisor and your prefectural advisor first.\n"
      "2. Once it is agreed, register your move-out at your city office and your move-in at the new one "
      "within fourteen days.\n"
      "3. Update your address on AJET Nexus: your block and chapter follow your prefecture."),
     ("別の都道府県への異動",
      "別の都道府県への異動はまれで、双方の任用団体の合意が必要です。\n\n"
      "1. まず担当者とプリフェクチュラル・アドバイザーに相談しましょう。\n"
      "2. 決まったら、十四日以内に転出届と転入届を出しましょう。\n"
      "3. AJET Nexusの住所も更新してください。ブロックと支部は都道府県に合わせて変わります。")),
    ("disaster-preparedness", "safety", "vice-chair", True, 10,
     ("Disaster preparedness",
      "Earthquakes, typhoons and heavy rain happen everywhere in Japan.\n\n"
      "* Find your nearest evacuation site today, from home and from school.\n"
      "* Keep water, food and a torch for three days, and a charged battery for your phone.\n"
      "* Tell your supervisor how to reach you, and register with your embassy.\n\n"
      "When an alert sounds, follow the instructions of your town; check on your neighbours when it is safe."),
     ("防災の備え",
      "地震、台風、大雨は日本のどこでも起こります。\n\n"
      "* 自宅と学校から一番近い避難所を今日のうちに確認しましょう。\n"
      "* 三日分の水と食料、懐中電灯、充電したモバイルバッテリーを用意しましょう。\n"
      "* 担当者に連絡先を伝え、大使館にも登録しておきましょう。\n\n"
      "警報が鳴ったら市町村の指示に従い、安全になったら近所の人の様子を確かめましょう。")),
]


def build_guides_demo(context: DemoContext) -> None:
    """Four guides in English and Japanese (one members-only and one due for review), published by the demo
    executive through the service, as an officer would."""
    import datetime as dt

    from ajet.hub import guides
    from ajet.hub.models import Guide, GuideCategory
    from ajet.organisation.models import Post

    if Guide.objects.exists():
        context.notes.append("Hub: there are guides already; no demo guides added.")
        return
    categories = {}
    for order, (slug, name, name_ja) in enumerate(GUIDE_CATEGORIES):
        categories[slug], _created = GuideCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_ja": name_ja, "order": order})
    executive = context.accounts["executive"].user
    for slug, category, owner, public, age, (title, body), (title_ja, body_ja) in DEMO_GUIDES:
        guides.create_guide(by=executive, fields={
            "category": categories[category], "slug": slug, "title": title, "body": body, "title_ja": title_ja,
            "body_ja": body_ja, "owner_post": Post.objects.get(slug=owner, chapter=None), "is_public": public,
            "last_reviewed": context.today - dt.timedelta(days=age)})
    context.notes.append(f"Hub: {len(DEMO_GUIDES)} guides in English and Japanese (one members-only, one due "
                         f"for review).")
