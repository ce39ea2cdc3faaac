"""Elections for the tests, built through the services as an executive would (real rows, real phases)."""

import datetime

from django.utils import timezone

from ajet.elections import services
from ajet.elections.models import Election
from tests.factories import block_post, national_post


def election_fields(slug="council-2026", **overrides) -> dict:
    now = timezone.now()
    day = datetime.timedelta(days=1)
    fields = {
        "title": "2026 National AJET Council Election", "slug": slug,
        "nominations_open_at": now - 10 * day, "nominations_close_at": now - 5 * day,
        "voting_open_at": now - day, "voting_close_at": now + 5 * day,
        "term_start": timezone.localdate() + 30 * day, "term_end": timezone.localdate() + 394 * day,
    }
    return fields | overrides


def make_election(executive, *, posts=None, candidates=None, phase=Election.Phase.NOMINATIONS_CLOSED,
                  committee=(), **overrides) -> Election:
    """A council election (Chair; Block 3 Representative) moved through the services up to `phase`.

    `candidates` maps a post slug to members put on the ballot while nominations are open."""
    posts = posts or [national_post("chair"), block_post(3)]
    election = services.create_election(by=executive.user, fields=election_fields(**overrides), posts=posts,
                                        committee=committee)
    contests = {contest.post.slug: contest for contest in election.contests.select_related("post")}
    for slug, members in (candidates or {}).items():
        for member in members:
            services.add_candidate(by=executive.user, contest=contests[slug], member=member)
    while election.phase != phase:
        election = services.advance_phase(by=executive.user, election=election)
    return election


def contest_of(election, slug):
    return election.contests.select_related("post", "election").get(post__slug=slug)


def candidate(contest, name):
    return contest.candidates.get(name=name)
