"""The elections' part of the demo world (registered with ajet.core.demo, run by `seed_demo`).

- Last year's council election, certified, with a referendum question (simple majority): its results and
  bulletin board are public. Its winners are the
  holders of last year's terms that the organisation's demo already wrote, so certifying it here only
  records the phase (the terms exist).
- This year's election with voting open, with a referendum question (a constitutional amendment, two-thirds
  majority): its candidates stood through nominations that its committee
  reviewed (one was rejected with a reason, one withdrew); the demo member (Saitama, block 3) is on the roll
  for every contest but the CIR Representative and for the question, and a part of the membership has voted already.
- A Block 1 Representative by-election with nominations open, whose committee is the demo executive:
  two nominations await their review.

Everything random comes from `random.Random(seed)`, except the tracking codes, which are secret by design.
"""

import datetime
import random

from django.utils import timezone

from ajet.core.demo import DemoContext
from ajet.elections import electorate, services
from ajet.elections.models import Contest, Election
from ajet.organisation.models import Post, Term
from ajet.people.models import Member

POSTS = ["chair", "vice-chair", "treasurer", "cir-representative", "block-3-representative"]


def build_elections_demo(context: DemoContext) -> None:
    if Election.objects.exists():  # like seed_demo itself: only fills an empty database
        context.notes.append("Elections: there are elections already; no demo elections added.")
        return
    rng = random.Random(context.seed * 31 + 7)
    executive = context.accounts["executive"].user
    today = context.today
    last_year = _last_year_terms(today)
    past = _past_election(rng, executive, today, last_year)
    current = _current_election(rng, executive, context, today)
    by_election = _by_election(rng, context, today)
    closes = timezone.localtime(current.voting_close_at)
    context.notes.append(f"Elections: “{past.title}” (certified, with results and bulletin board), "
                         f"“{current.title}” (voting open until {closes:%Y-%m-%d %H:%M}) and "
                         f"“{by_election.title}” (nominations open; the demo executive reviews them).")


def _posts():
    posts = {post.slug: post for post in Post.objects.filter(chapter=None, slug__in=POSTS)}
    return [posts[slug] for slug in POSTS if slug in posts]


def _last_year_terms(today) -> dict[str, Term]:
    """The terms that ended most recently before today, by post slug."""
    terms = {}
    for term in Term.objects.filter(post__chapter=None, end__lt=today).select_related("post", "member").order_by(
            "end"):
        terms[term.post.slug] = term
    return terms


def _fields(title, slug, *, opens, closes, term_start, term_end) -> dict:
    return {
        "title": title, "slug": slug,
        "nominations_open_at": opens - datetime.timedelta(days=21),
        "nominations_close_at": opens - datetime.timedelta(days=7),
        "voting_open_at": opens, "voting_close_at": closes, "term_start": term_start, "term_end": term_end,
    }


def _pick_candidates(rng, contest: Contest, exclude: set[int], count: int) -> list[Member]:
    pool = electorate.eligible_members(contest).exclude(pk__in=exclude).order_by("pk")
    ids = list(pool.values_list("pk", flat=True))
    chosen = rng.sample(ids, min(count, len(ids)))
    exclude.update(chosen)
    return list(Member.objects.filter(pk__in=chosen).order_by("pk"))


ANSWER_WEIGHTS = {"Yes": 6, "No": 3, "Abstain": 1}
PAST_QUESTION = ("Do you approve moving the annual general meeting from June to September?",
                 "年次総会を6月から9月に移すことを承認しますか。", "simple")
CURRENT_QUESTION = ("Do you approve the amendment to Article 5 of the constitution (two-year terms for block "
                    "representatives)?", "憲法第5条の改正（ブロック代表の任期を2年とする）を承認しますか。",
                    "two-thirds")


def _ask(executive, election: Election, question: tuple[str, str, str]) -> None:
    english, japanese, threshold = question
    services.add_referendum_question(by=executive, election=election, question=english, question_ja=japanese,
                                     threshold=threshold)


def _vote(rng, contest: Contest, share: float, favourite: str | None = None, skip: set[int] = frozenset()) -> int:
    """A share of the contest's roll votes, ranking candidates at random (weighted towards `favourite`)."""
    candidates = list(contest.candidates.filter(services.on_ballot_filter()).order_by("pk"))
    voters = list(Member.objects.filter(roll_entries__contest=contest).exclude(pk__in=skip).order_by("pk"))
    cast = 0
    for voter in voters:
        if rng.random() > share:
            continue
        if contest.is_referendum:  # one answer, most often yes
            answer = rng.choices(candidates, weights=[ANSWER_WEIGHTS[c.answer] for c in candidates])[0]
            services.cast_ballot(voter=voter, contest=contest, ranking=[answer.pk])
            cast += 1
            continue
        weights = [5 if candidate.name == favourite else (0.4 if candidate.is_reopen_nominations else 2)
                   for candidate in candidates]
        ranking = []
        pool = list(zip(candidates, weights, strict=True))
        for _ in range(rng.randint(1, len(candidates))):
            choice = rng.choices(range(len(pool)), weights=[weight for _c, weight in pool])[0]
            ranking.append(pool.pop(choice)[0].pk)
        services.cast_ballot(voter=voter, contest=contest, ranking=ranking)
        cast += 1
    return cast


def _past_election(rng, executive, today, last_year: dict[str, Term]) -> Election:
    chair_term = last_year.get("chair")
    start = chair_term.start if chair_term else today.replace(year=today.year - 1)
    end = chair_term.end if chair_term else today - datetime.timedelta(days=1)
    now = timezone.now()
    fields = _fields(f"{start.year} National AJET Council Election", f"council-{start.year}",
                     opens=now - datetime.timedelta(hours=1), closes=now + datetime.timedelta(hours=1),
                     term_start=start, term_end=end)
    election = services.create_election(by=executive, fields=fields, posts=_posts())
    _ask(executive, election, PAST_QUESTION)
    taken: set[int] = set()
    for contest in election.contests.filter(post__isnull=False).select_related("post"):
        holder = last_year.get(contest.post.slug)
        if holder is not None and holder.member is not None:
            services.add_candidate(by=executive, contest=contest, member=holder.member,
                                   platform_en=holder.bio or "Continuity and care for every member.")
            taken.add(holder.member.pk)
        for member in _pick_candidates(rng, contest, taken, 2):
            services.add_candidate(by=executive, contest=contest, member=member, platform_en=_platform(rng))
    for _ in range(3):
        election = services.advance_phase(by=executive, election=election)  # → voting open
    for contest in election.contests.select_related("post"):
        holder = last_year.get(contest.post.slug) if contest.post else None
        _vote(rng, contest, 0.45, favourite=holder.holder if holder else None)
    # The past election's dates: voting in the two weeks before last year's terms began.
    opens = timezone.make_aware(datetime.datetime.combine(start - datetime.timedelta(days=60), datetime.time(9)))
    Election.objects.filter(pk=election.pk).update(**{
        name: value for name, value in _fields(election.title, election.slug, opens=opens,
                                               closes=opens + datetime.timedelta(days=14), term_start=start,
                                               term_end=end).items() if name.endswith("_at")})
    election.refresh_from_db()
    for _ in range(2):
        election = services.advance_phase(by=executive, election=election)  # → closed (sealed), counted
    # Its winners already hold last year's terms (written by the organisation's demo): record the phase only.
    Election.objects.filter(pk=election.pk).update(phase=Election.Phase.CERTIFIED)
    election.refresh_from_db()
    services.build_result_package(by=executive, election=election)
    return election


def _current_election(rng, executive, context: DemoContext, today) -> Election:
    now = timezone.now()
    start = next((term.end for term in Term.objects.filter(post__slug="chair", post__chapter=None,
                                                           start__lte=today, end__gte=today)), None)
    term_start = (start + datetime.timedelta(days=1)) if start else today + datetime.timedelta(days=90)
    fields = _fields(f"{term_start.year} National AJET Council Election", f"council-{term_start.year}",
                     opens=now - datetime.timedelta(days=2), closes=now + datetime.timedelta(days=7),
                     term_start=term_start, term_end=term_start.replace(year=term_start.year + 1)
                     - datetime.timedelta(days=1))
    demo_ids = {member.pk for member in context.accounts.values()}
    committee_pool = list(Member.objects.filter(status=Member.Status.CURRENT).exclude(pk__in=demo_ids)
                          .order_by("pk").values_list("pk", flat=True))
    committee = rng.sample(committee_pool, min(3, len(committee_pool)))
    election = services.create_election(by=executive, fields=fields, posts=_posts(), committee=committee)
    _ask(executive, election, CURRENT_QUESTION)
    taken = set(demo_ids) | set(committee)
    election = services.advance_phase(by=executive, election=election)  # → nominations open
    reviewer = Member.objects.get(pk=committee[0]).user if committee else None
    for contest in election.contests.filter(post__isnull=False).select_related("post", "election"):
        standing = _pick_candidates(rng, contest, taken, 1 if contest.post.slug == "treasurer" else 3)
        for member in standing:
            candidate = services.nominate(member=member, contest=contest, platform_en=_platform(rng))
            if reviewer is not None:
                services.review_nomination(by=reviewer, candidate=candidate, approve=True)
        extra = _pick_candidates(rng, contest, taken, 1) if contest.post.slug == "vice-chair" else []
        for member in extra:  # one nomination the committee turned down, one candidate who withdrew
            candidate = services.nominate(member=member, contest=contest, platform_en=_platform(rng))
            if reviewer is not None:
                services.review_nomination(by=reviewer, candidate=candidate, approve=False,
                                           reason="Nominated after the deadline the committee had announced.")
        if contest.post.slug == "chair" and standing:
            services.withdraw(by=standing[-1].user, candidate=contest.candidates.get(member=standing[-1]))
    for _ in range(2):
        election = services.advance_phase(by=executive, election=election)  # → voting open, rolls frozen
    for contest in election.contests.all():
        _vote(rng, contest, 0.3, skip=demo_ids)  # the demo accounts have not voted yet
    return election


def _by_election(rng, context: DemoContext, today) -> Election:
    """A Block 1 Representative by-election in nominations, the demo executive on its committee."""
    executive = context.accounts["executive"]
    now = timezone.now()
    post = Post.objects.get(slug="block-1-representative", chapter=None)
    fields = _fields(f"{today.year} Block 1 Representative By-election", f"block-1-by-election-{today.year}",
                     opens=now + datetime.timedelta(days=10), closes=now + datetime.timedelta(days=17),
                     term_start=today + datetime.timedelta(days=20), term_end=today + datetime.timedelta(days=200))
    fields["nominations_open_at"] = now - datetime.timedelta(days=2)
    election = services.create_election(by=executive.user, fields=fields, posts=[post], committee=[executive.pk])
    election = services.advance_phase(by=executive.user, election=election)  # → nominations open
    contest = election.contests.select_related("post", "election").get()
    demo_ids = {member.pk for member in context.accounts.values()}
    for number, member in enumerate(_pick_candidates(rng, contest, set(demo_ids), 3)):
        candidate = services.nominate(member=member, contest=contest, platform_en=_platform(rng))
        if number == 0:
            services.review_nomination(by=executive.user, candidate=candidate, approve=True)
    return election


PLATFORM_LINES = [
    "More peer support for first-year members in rural placements.",
    "Clear, bilingual reports after every meeting with the sponsors.",
    "A budget every member can read, published each quarter.",
    "Stronger links between the blocks and the local chapters.",
    "Better guidance on contract renewal and recontracting.",
    "Regular online town halls in English and Japanese.",
]


def _platform(rng) -> str:
    return "\n\n".join(rng.sample(PLATFORM_LINES, 3))


