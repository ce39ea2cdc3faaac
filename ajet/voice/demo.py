"""The voice part of the demo world (registered with ajet.core.demo, run by `seed_demo`).

- A closed anonymous national survey on working conditions, answered by a sample of members weighted to a
  few blocks, so that its results page shows both figures and suppressed ("fewer than 5") cells.
- An open survey for every current member, which the demo member (Maya) has not answered yet.
- Concerns raised by members in several blocks.
- A past sponsor meeting, published, whose agenda item rests on the closed survey, with two answers.
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
                         f"“{meeting.title}” (published, with the sponsors' answers).")


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


CONCERNS = [
    ("Contract renewal decided late", "contracts", "My school tells us in February whether we stay."),
    ("Mould in the teachers' flat", "housing", "The flat the board of education rents us has mould."),
    ("No heating in the staff room", "health", "The staff room is 8 degrees in January."),
    ("Asked to work on holidays", "workplace", "I was told to come in on national holidays without pay."),
]


def _concerns(rng, context: DemoContext) -> int:
    from ajet.voice.models import Concern

    demo_ids = {account.pk for account in context.accounts.values()}
    members = list(Member.objects.filter(status=Member.Status.CURRENT).exclude(pk__in=demo_ids).order_by("pk"))
    raisers = rng.sample(members, min(len(CONCERNS), len(members))) if members else []
    raisers.insert(0, context.accounts["member"])
    for (title, category, text), member in zip(CONCERNS, raisers, strict=False):
        services.raise_concern(member=member, title=title, text=text, category=category,
                               level=Concern.Level.BLOCK, visibility=rng.choice(list(Concern.Visibility.values)))
    return Concern.objects.count()


def _past_meeting(executive, survey: Survey, today):
    from ajet.voice.models import SponsorMeeting

    meeting = services.create_meeting(by=executive, title="Autumn sponsor meeting", sponsors=["CLAIR", "MEXT"],
                                      held_on=today - datetime.timedelta(days=3))
    item = services.add_agenda_item(
        by=executive, meeting=meeting, title_en="Contract renewal dates", title_ja="契約更新の時期",
        recommendation_en="Contracting organisations should confirm renewals by December.", surveys=[survey])
    services.record_sponsor_answer(by=executive, item=item, sponsor=SponsorMeeting.Sponsor.CLAIR,
                                   answer_en="CLAIR will remind contracting organisations in its autumn circular.")
    services.record_sponsor_answer(by=executive, item=item, sponsor=SponsorMeeting.Sponsor.MEXT,
                                   answer_en="MEXT will raise it with the prefectural boards of education.")
    return services.publish_meeting(by=executive, meeting=meeting,
                                    summary_en="AJET presented the working conditions survey; the sponsors agreed "
                                               "to remind contracting organisations of renewal dates.")
