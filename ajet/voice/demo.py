"""The voice part of the demo world (registered with ajet.core.demo, run by `seed_demo`).

- A closed anonymous national survey on working conditions, answered by a sample of members weighted to a
  few blocks, so that its results page shows both figures and suppressed ("fewer than 5") cells.
- An open survey for every current member, which the demo member (Maya) has not answered yet.
- Open concerns raised by members in several blocks, with each visibility; the demo member's is public,
  supported by others, acknowledged, tagged and escalated by her block representative.
- A past sponsor meeting, published, whose agenda items rest on the closed survey and the concerns, with the
  sponsors' answers (some in Japanese too) and follow-ups (one done, one overdue, one due); the next meeting,
  being prepared.
"""

import datetime
import random

from django.utils import timezone

from ajet.core.demo import DemoContext
from ajet.organisation.geography import block_map_on
from ajet.people.models import Member
from ajet.voice import services
from ajet.voice.models import Question, Survey

WORKLOAD = ["Too few classes", "About right", "Too many classes"]
SUPPORT = ["My supervisor", "Other JETs", "My prefectural adviser", "AJET", "Nobody"]


def build_voice_demo(context: DemoContext) -> None:
    if Survey.objects.exists():  # like seed_demo itself: only fills an empty database
        context.notes.append("Voice: there are surveys already; no demo surveys added.")
        return
    rng = random.Random(context.seed * 17 + 3)
    executive = context.accounts["executive"].user
    now = timezone.now()
    closed = _working_conditions(rng, executive, context, now)
    opened = _open_survey(executive, now)
    concerns = _concerns(rng, context)
    meeting = _past_meeting(executive, closed, context.today)
    context.notes.append(f"Voice: “{closed.title_en}” (closed, {closed.responses.count()} anonymous responses, "
                         f"results with suppressed cells) and “{opened.title_en}” (open to every current member); "
                         f"{concerns} concerns in several blocks; "
                         f"“{meeting.title}” (published, with the sponsors' answers and follow-ups) and the "
                         f"next meeting in preparation.")


def _working_conditions(rng, executive, context: DemoContext, now) -> Survey:
    survey = services.create_survey(by=executive, fields={
        "title_en": "Working conditions 2026", "title_ja": "2026年 勤務条件アンケート",
        "intro_en": "Your answers go into AJET's report for the spring sponsor meeting.",
        "audience": Survey.Audience.NATIONAL, "opens_at": now - datetime.timedelta(days=40),
        "closes_at": now + datetime.timedelta(days=1), "is_anonymous": True})
    section = services.add_section(by=executive, survey=survey, title_en="Your work", title_ja="仕事について")
    workload = services.add_question(by=executive, survey=survey, section=section, kind=Question.Kind.SINGLE,
                                     text_en="How is your teaching load?", text_ja="授業数はどうですか。",
                                     options=[(text, "") for text in WORKLOAD])
    support = services.add_question(by=executive, survey=survey, section=section, kind=Question.Kind.MULTIPLE,
                                    text_en="Who do you turn to for help?", text_ja="困ったとき誰に相談しますか。",
                                    is_required=False, options=[(text, "") for text in SUPPORT])
    valued = services.add_question(by=executive, survey=survey, section=section, kind=Question.Kind.LIKERT,
                                   text_en="I feel valued at my workplace.", text_ja="職場で大切にされていると感じる。")
    hours = services.add_question(by=executive, survey=survey, section=section, kind=Question.Kind.NUMBER,
                                  text_en="Hours of overtime in a typical month", min_value=0, max_value=200)
    comment = services.add_question(by=executive, survey=survey, section=section, kind=Question.Kind.LONG_TEXT,
                                    text_en="Anything else AJET should raise?", is_required=False)
    workload_options = list(workload.options.values_list("pk", flat=True))
    support_options = list(support.options.values_list("pk", flat=True))
    blocks = block_map_on()
    # Many answers from blocks 3 and 5, a few from elsewhere: some breakdown cells fall under five.
    weights = {3: 0.9, 5: 0.8, 8: 0.5}
    demo_ids = {account.pk for account in context.accounts.values()}
    for member in Member.objects.filter(status=Member.Status.CURRENT).exclude(pk__in=demo_ids).order_by("pk"):
        if rng.random() > weights.get(blocks.get(member.prefecture_id), 0.04):
            continue
        values = {
            str(workload.pk): rng.choice(workload_options),
            str(support.pk): sorted(rng.sample(support_options, rng.randint(0, 2))),
            str(valued.pk): rng.choice([1, 2, 3, 3, 4, 4, 4, 5]),
            str(hours.pk): rng.choice([0, 0, 2, 5, 10, 20]),
            str(comment.pk): rng.choice(["", "", "More training on special needs classes, please.",
                                         "Contract renewal dates should be known earlier."]),
        }
        services.submit_response(member=member, survey=survey, values=values)
    Survey.objects.filter(pk=survey.pk).update(closes_at=now - datetime.timedelta(days=5))
    survey.refresh_from_db()
    return survey


def _open_survey(executive, now) -> Survey:
    survey = services.create_survey(by=executive, fields={
        "title_en": "Orientation feedback", "title_ja": "オリエンテーションの感想",
        "audience": Survey.Audience.NATIONAL, "opens_at": now - datetime.timedelta(days=2),
        "closes_at": now + datetime.timedelta(days=28), "is_anonymous": True})
    section = services.add_section(by=executive, survey=survey, title_en="Orientation", title_ja="オリエンテーション")
    services.add_question(by=executive, survey=survey, section=section, kind=Question.Kind.LIKERT,
                          text_en="Orientation prepared me for my job.", text_ja="オリエンテーションは仕事に役立った。")
    services.add_question(by=executive, survey=survey, section=section, kind=Question.Kind.SINGLE,
                          text_en="Which session helped most?", text_ja="一番役に立ったセッションは？",
                          options=[("Team teaching", "ティームティーチング"), ("Living in Japan", "日本での生活"),
                                   ("Mental health", "メンタルヘルス")])
    services.add_question(by=executive, survey=survey, section=section, kind=Question.Kind.SHORT_TEXT,
                          text_en="One thing to change", text_ja="変えてほしいこと", is_required=False)
    return survey


CONCERNS = [  # title, category, text, visibility
    ("Contract renewal decided late", "contracts", "My school tells us in February whether we stay.", "named"),
    ("Mould in the teachers' flat", "housing", "The flat the board of education rents us has mould.", "anonymous"),
    ("No heating in the staff room", "health", "The staff room is 8 degrees in January.", "named"),
    ("Asked to work on holidays", "workplace", "I was told to come in on national holidays without pay.", "private"),
    ("No training before special needs classes", "training", "I teach special needs classes with no briefing.",
     "anonymous"),
]


def _concerns(rng, context: DemoContext) -> int:
    """Open concerns from members of different blocks, one of each visibility at least; the demo member's own
    is named (she follows it from her account) and other members support it; one is escalated and tagged."""
    from ajet.voice.models import Concern

    demo_ids = {account.pk for account in context.accounts.values()}
    blocks = block_map_on()
    by_block: dict[int, list] = {}
    for member in Member.objects.filter(status=Member.Status.CURRENT).exclude(pk__in=demo_ids).order_by("pk"):
        by_block.setdefault(blocks.get(member.prefecture_id), []).append(member)
    raisers = [rng.choice(members) for block, members in sorted(by_block.items(), key=lambda pair: str(pair[0]))
               if block is not None]
    rng.shuffle(raisers)
    raisers.insert(0, context.accounts["member"])
    raised = [services.raise_concern(member=member, title=title, text=text, category=category,
                                     level=Concern.Level.BLOCK, visibility=visibility)
              for (title, category, text, visibility), member in zip(CONCERNS, raisers, strict=False)]
    supporters = [member for members in by_block.values() for member in members][:12]
    for member in supporters:
        if member.pk != raised[0].member_id:
            services.support_concern(member=member, concern=raised[0])
    representative = context.accounts.get("block representative")
    first = raised[0]
    if representative is not None and representative.user.has_perm("voice.triage_concern", first):
        services.acknowledge_concern(by=representative.user, concern=first, note="Thank you, I am on it.")
        services.tag_concern(by=representative.user, concern=first, tags=["renewal", "contracts"])
        services.escalate_concern(by=representative.user, concern=first)
    return Concern.objects.count()


def _past_meeting(executive, survey: Survey, today):
    from ajet.organisation.models import Post
    from ajet.voice.models import Concern, SponsorMeeting

    meeting = services.create_meeting(by=executive, title="Autumn sponsor meeting", sponsors=["CLAIR", "MEXT"],
                                      held_on=today - datetime.timedelta(days=40))
    item = services.add_agenda_item(
        by=executive, meeting=meeting, title_en="Contract renewal dates", title_ja="契約更新の時期",
        recommendation_en="Contracting organisations should confirm renewals by December.",
        recommendation_ja="任用団体は12月までに契約更新を確定すること。", surveys=[survey],
        concerns=Concern.objects.filter(category="contracts").exclude(visibility="private"))
    housing = services.add_agenda_item(
        by=executive, meeting=meeting, title_en="Housing standards",
        recommendation_en="Inspect the flats rented to JETs before they arrive.",
        concerns=Concern.objects.filter(category="housing").exclude(visibility="private"))
    services.record_sponsor_answer(by=executive, item=item, sponsor=SponsorMeeting.Sponsor.CLAIR,
                                   answer_en="CLAIR will remind contracting organisations in its autumn circular.",
                                   answer_ja="CLAIRは秋の通知で任用団体に周知します。")
    services.record_sponsor_answer(by=executive, item=item, sponsor=SponsorMeeting.Sponsor.MEXT,
                                   answer_en="MEXT will raise it with the prefectural boards of education.")
    services.record_sponsor_answer(by=executive, item=housing, sponsor=SponsorMeeting.Sponsor.CLAIR,
                                   answer_en="CLAIR will collect examples of good practice.")
    chair = Post.objects.filter(slug="chair", chapter__isnull=True).first()
    follow_ups = []
    if chair is not None:
        follow_ups = [
            services.add_follow_up(by=executive, item=item, text_en="Check the autumn circular's wording",
                                   text_ja="秋の通知の文言を確認する", owner=chair,
                                   due_on=today - datetime.timedelta(days=25)),
            services.add_follow_up(by=executive, item=item, text_en="Ask members whether renewals came earlier",
                                   owner=chair, due_on=today - datetime.timedelta(days=5)),
            services.add_follow_up(by=executive, item=housing, text_en="Send CLAIR three anonymised housing cases",
                                   owner=chair, due_on=today + datetime.timedelta(days=20)),
        ]
    published = services.publish_meeting(by=executive, meeting=meeting,
                                         summary_en="AJET presented the working conditions survey; the sponsors agreed "
                                                    "to remind contracting organisations of renewal dates.",
                                         summary_ja="AJETは勤務条件アンケートの結果を報告し、スポンサーは契約更新の時期について"
                                                    "任用団体に周知することに同意しました。")
    if follow_ups:
        services.complete_follow_up(by=executive, follow_up=follow_ups[0])
    # The next meeting, being prepared: its page opens with the follow-ups still open (one overdue).
    services.create_meeting(by=executive, title="Spring sponsor meeting", sponsors=["CLAIR", "MEXT", "MIC", "MOFA"],
                            held_on=today + datetime.timedelta(days=75))
    return published
