"""The PSG line's part of the demo world (registered with ajet.core.demo, run by `seed_demo`).

- The PSG coordinator is a demo account (psg-coordinator@…, an officer with the shared demo code).
- A dozen volunteers in their second year or later, trained; one of them a volunteer coordinator (with the
  demo code too), one inactive and one whose refresher is overdue.
- The roster for the coming 30 nights, mostly two volunteers a shift, with some gaps; one closed night; one
  volunteer on every shift of the night the demo is built (so the chat can be answered under `make run`); the
  coordinator on call set for most nights (the PSG coordinator and the volunteer coordinator in turn).
- The referral directory (national services, and two example entries serving prefectures and blocks), and
  three months of contact logs (in the PSG's own database) for the statistics.

Everything random comes from `random.Random(seed)`.
"""

import datetime
import random

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt

from ajet.core.demo import DemoContext
from ajet.organisation.demo import DEMO_TOTP_SECRET
from ajet.people.models import Member
from ajet.support import hours, queries
from ajet.support.models import (
    ContactLog,
    NightException,
    OnCall,
    Resource,
    ShiftAssignment,
    Training,
    Volunteer,
)

VOLUNTEERS = 12

WEEKDAYS, EVERY_DAY = range(5), range(7)


def _weekly(days, *pairs: tuple[str, str]) -> list:
    """Weekly hours (ajet/support/opening_hours.py): the same pairs of times on each of `days` (0 is Monday)."""
    return [[list(pair) for pair in pairs] if day in days else [] for day in range(7)]


# Real, published numbers, none invented: 110/119; the JNTO Japan Visitor Hotline (050-3816-2787, 24 hours,
# as JNTO and the press publish it); TELL Lifeline (daily 9:00–23:00), AMDA's information centre and
# Houterasu's multilingual line as their own sites give them. The coordinator checks every entry again
# before the directory goes live. The two "Example:" entries show regional entries and richer hours: they
# have no number and are to be replaced by real local services. Per entry: name, category, further
# categories, phone, web address, hours as people read them, languages, (open 24 hours, weekly hours, closed on
# public holidays), (prefecture codes, block numbers) — none of either is national.
RESOURCES = [
    ("Police", Resource.Category.EMERGENCY, [], "110", "", "24 hours", "Japanese (English often available)",
     (True, [], False), ([], [])),
    ("Fire and ambulance", Resource.Category.EMERGENCY, [Resource.Category.MEDICAL], "119", "", "24 hours",
     "Japanese (English often available)", (True, [], False), ([], [])),
    ("TELL Lifeline", Resource.Category.COUNSELLING, [], "03-5774-0992", "https://telljp.com/lifeline/",
     "Daily 9:00–23:00", "English", (False, _weekly(EVERY_DAY, ("09:00", "23:00")), False), ([], [])),
    ("AMDA International Medical Information Center", Resource.Category.MEDICAL, [], "03-6233-9266",
     "https://www.amdamedicalcenter.com/", "Weekdays 10:00–15:00", "English, Chinese, Korean, Spanish and more",
     (False, _weekly(WEEKDAYS, ("10:00", "15:00")), False), ([], [])),
    ("Japan Legal Support Center (Houterasu), multilingual line", Resource.Category.LEGAL, [], "0570-078377",
     "https://www.houterasu.or.jp/", "Weekdays 9:00–17:00", "English and ten more languages",
     (False, _weekly(WEEKDAYS, ("09:00", "17:00")), False), ([], [])),
    ("Japan Visitor Hotline (JNTO)", Resource.Category.MEDICAL, [Resource.Category.EMERGENCY], "050-3816-2787",
     "https://www.japan.travel/", "24 hours", "English, Chinese, Korean", (True, [], False), ([], [])),
    ("Your embassy or consulate", Resource.Category.EMBASSY, [], "", "https://www.mofa.go.jp/about/emb_cons/protocol/",
     "Emergency lines 24 hours", "Your language", (False, [], False), ([], [])),
    ("Your Prefectural Advisor (PA)", Resource.Category.JET, [Resource.Category.COUNSELLING], "", "",
     "Office hours; ask your contracting organisation for their details", "English and Japanese",
     (False, [], False), ([], [])),
    ("Example: a prefectural international association's consultation desk", Resource.Category.COUNSELLING,
     [Resource.Category.LEGAL], "", "", "Weekdays 9:00–12:00 and 13:00–17:00, Saturday mornings", "Japanese, English",
     (False, [*_weekly(WEEKDAYS, ("09:00", "12:00"), ("13:00", "17:00"))[:5], [["09:00", "12:00"]], []], True),
     (["11", "23"], [])),
    ("Example: a block's evening peer listening line", Resource.Category.COUNSELLING, [], "", "",
     "Tuesday and Friday evenings until 1:00 at night", "English",
     (False, _weekly((1, 4), ("19:00", "01:00")), False), ([], [3, 5])),
]


def build_support_demo(context: DemoContext) -> None:
    if Volunteer.objects.exists() or Resource.objects.exists():  # only fills an empty database
        context.notes.append("Support: there are PSG records already; no demo PSG data added.")
        return
    rng = random.Random(context.seed * 37 + 11)
    for (name, category, more, phone, url, open_hours, languages, (always, weekly, closed_on_holidays),
         (prefectures, blocks)) in RESOURCES:
        resource = Resource.objects.create(name=name, category=category, more_categories=more, phone=phone, url=url,
                                           hours=open_hours, languages=languages, always_open=always,
                                           weekly_hours=weekly, closed_on_holidays=closed_on_holidays)
        resource.prefectures.set(prefectures)
        resource.blocks.set(blocks)
    volunteers = _volunteers(rng, context)
    first_night = hours.night_of(datetime.datetime.combine(context.today, datetime.time(12),
                                                           tzinfo=hours.LINE_TIMEZONE))
    closed = first_night + datetime.timedelta(days=10)
    NightException.objects.create(night=closed, closed=True, reason="Volunteer training day")
    listener = volunteers[1] if len(volunteers) > 1 else None
    gaps = _roster(rng, [volunteer for volunteer in volunteers if volunteer is not listener], first_night, closed)
    if listener is not None:  # so that `make run` has someone to answer the chat tonight (and early tomorrow)
        shifts = [(first_night - datetime.timedelta(days=1), 1), (first_night - datetime.timedelta(days=1), 2),
                  *((first_night, index) for index in range(len(hours.SHIFTS)))]
        ShiftAssignment.objects.bulk_create(ShiftAssignment(volunteer=listener, night=night, shift=index)
                                            for night, index in shifts)
    _on_call(rng, [context.accounts.get("PSG coordinator"), volunteers[0].member if volunteers else None],
             first_night, closed)
    logs = _contact_logs(rng, context.today)
    coordinator = volunteers[0]
    context.notes.append(
        f"Support: {len(volunteers)} PSG volunteers ({coordinator.member.user.email} is a volunteer coordinator), "
        f"a {queries.ROSTER_NIGHTS}-night roster with {gaps} shifts short of volunteers, the night of "
        f"{closed:%Y-%m-%d} closed, {len(RESOURCES)} referral resources, {logs} contact logs."
        + (f" {listener.member.user.email} is on every shift of tonight: sign in as them and open the chat console "
           f"to answer /support/chat/ (20:00–07:00 Japan time)." if listener is not None else ""))


def _volunteers(rng, context) -> list[Volunteer]:
    taken = {member.pk for member in context.accounts.values()}
    candidates = [member for member in Member.objects.filter(status=Member.Status.CURRENT, year_on_jet__gte=2)
                  .select_related("user").order_by("pk") if member.pk not in taken]
    chosen = rng.sample(candidates, min(VOLUNTEERS, len(candidates)))
    volunteers = []
    for index, member in enumerate(chosen):
        trained_on = context.today - datetime.timedelta(days=rng.randint(30, 330))
        volunteer = Volunteer.objects.create(
            member=member, is_coordinator=index == 0, is_active=index != len(chosen) - 1,
            joined=trained_on - datetime.timedelta(days=14),
            refresher_due=context.today - datetime.timedelta(days=3) if index == len(chosen) - 2
            else trained_on + datetime.timedelta(days=365))
        Training.objects.create(volunteer=volunteer, kind=Training.Kind.INITIAL, completed_on=trained_on)
        volunteers.append(volunteer)
    if volunteers:  # the volunteer coordinator manages other people's records: second factor, the demo code
        Authenticator.objects.get_or_create(user=volunteers[0].member.user, type=Authenticator.Type.TOTP,
                                            defaults={"data": {"secret": encrypt(DEMO_TOTP_SECRET)}})
    return volunteers


def _roster(rng, volunteers, first_night, closed) -> int:
    serving = [volunteer for volunteer in volunteers if volunteer.may_serve()]
    rows, gaps = [], 0
    for offset in range(queries.ROSTER_NIGHTS):
        night = first_night + datetime.timedelta(days=offset)
        if night == closed:
            continue
        for shift in range(len(hours.SHIFTS)):
            wanted = queries.MIN_VOLUNTEERS_PER_SHIFT
            if rng.random() < 0.15:  # some shifts nobody has taken yet: the gaps the coverage view shows
                wanted = rng.choice([0, 1])
                gaps += 1
            for volunteer in rng.sample(serving, min(wanted, len(serving))):
                rows.append(ShiftAssignment(volunteer=volunteer, night=night, shift=shift))
    ShiftAssignment.objects.bulk_create(rows)
    return gaps


def _on_call(rng, coordinators, first_night, closed) -> None:
    coordinators = [member for member in coordinators if member is not None]
    if not coordinators:
        return
    OnCall.objects.bulk_create(
        OnCall(night=night, coordinator=coordinators[offset % len(coordinators)])
        for offset in range(queries.ROSTER_NIGHTS)
        if (night := first_night + datetime.timedelta(days=offset)) != closed and rng.random() < 0.9)


# Contacts by hour of the night: fewer at 20:00, most around midnight, few before dawn.
NIGHT_HOUR_WEIGHTS = {20: 2, 21: 4, 22: 6, 23: 7, 0: 7, 1: 6, 2: 5, 3: 3, 4: 2, 5: 1, 6: 1}


def _contact_logs(rng, today) -> int:
    topics = ContactLog.Topic.values
    logs = []
    for offset in range(1, 92):
        night = today - datetime.timedelta(days=offset)
        for _contact in range(rng.choice([0, 1, 1, 2, 2, 3])):
            logs.append(ContactLog(
                night=night, hour=rng.choices(list(NIGHT_HOUR_WEIGHTS), weights=list(NIGHT_HOUR_WEIGHTS.values()))[0],
                channel=rng.choice(ContactLog.Channel.values),
                duration=rng.choice(ContactLog.Duration.values), topics=sorted(rng.sample(topics, rng.randint(1, 2))),
                referral_given=rng.random() < 0.3, follow_up=rng.random() < 0.1, high_risk=rng.random() < 0.05))
    ContactLog.objects.bulk_create(logs)
    return len(logs)
