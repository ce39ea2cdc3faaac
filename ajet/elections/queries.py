"""Reads about elections: what a member may vote in, turnout, results for display."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch

from ajet.core.cache import current_or
from ajet.elections import electorate, services
from ajet.elections.models import Candidate, Contest, Election, Participation, RollEntry
from ajet.elections.signals import ELECTIONS_DATA

# Live turnout of a group smaller than this is not shown until voting closes (DESIGN.md invariant 4).
SUPPRESSION_THRESHOLD = 5


def get_elections_for(user) -> list[Election]:
    elections = Election.objects.all()
    if not user.has_perm("elections.manage_election"):
        elections = elections.exclude(phase=Election.Phase.DRAFT)
    return list(elections)


def _ballot_contests(election: Election):
    """The election's contests with their candidates on the ballot (`ballot_candidates`)."""
    ballot = services.on_ballot_filter()
    return (election.contests.select_related("post", "block")
            .prefetch_related(Prefetch("candidates", queryset=Candidate.objects.filter(ballot).select_related(
                "member").order_by("is_reopen_nominations", "name"), to_attr="ballot_candidates")))


def get_election(slug: str) -> Election | None:
    """The election `slug` with its contests and their candidates on the ballot (`ballot_contests()`), from
    the shared cache under the elections' data version (bumped by every write to them, see signals.py): the
    ballot and the cast do not read them again for every voter. Its phase is good for showing pages; casting
    reads the phase again, locked, in its transaction (services.cast_ballots)."""
    return current_or(ELECTIONS_DATA, f"ajet:elections:election:{slug}", lambda: _with_ballot(slug))


def _with_ballot(slug: str) -> Election | None:
    election = Election.objects.filter(slug=slug).first()
    if election is not None:
        election._ballot_contests = list(_ballot_contests(election))
    return election


def ballot_contests(election: Election) -> list[Contest]:
    """The election's contests with their candidates on the ballot (`ballot_candidates`), in ballot order."""
    contests = getattr(election, "_ballot_contests", None)
    if contests is None:
        contests = election._ballot_contests = list(_ballot_contests(election))
    for contest in contests:
        contest.election = election  # the services check the election's phase and dates on it
    return contests


def get_contests(election: Election):
    """As on the election's page: the contests, their candidates, and how many have voted in each."""
    return _ballot_contests(election).annotate(votes=Count("participations", distinct=True))


def contests_to_vote_in(member, election: Election) -> list[Contest]:
    """The contests of `election` whose frozen roll holds `member` and in which they have not voted yet.
    (No turnout count here: the ballot is asked for by every voter, and counting every participation each
    time would make casting slower the more members have voted.)"""
    if member is None:
        return []
    contests = ballot_contests(election)
    voted = Participation.objects.filter(member=member, contest_id=OuterRef("contest_id"))
    to_vote = set(RollEntry.objects.filter(member=member, contest_id__in=[contest.pk for contest in contests])
                  .exclude(Exists(voted)).values_list("contest_id", flat=True))  # one query
    return [contest for contest in contests if contest.pk in to_vote]


def roll_status(member, election: Election) -> list[tuple[Contest, bool, bool]]:
    """For each contest: (contest, on the roll — frozen, or by its rule before voting opens, has voted)."""
    if member is None:
        return []
    contests = list(election.contests.select_related("post", "block"))
    voted = set(Participation.objects.filter(member=member, contest__election=election)
                .values_list("contest_id", flat=True))
    rows = []
    for contest in contests:
        if contest.roll_size is not None:
            on_roll = RollEntry.objects.filter(contest=contest, member=member).exists()
        else:
            on_roll = electorate.is_eligible(member, contest)
        rows.append((contest, on_roll, contest.pk in voted))
    return rows


@dataclass
class Turnout:
    votes: int | None  # None: hidden (a small group while voting is open)
    roll: int | None

    @property
    def percent(self) -> float | None:
        if self.votes is None or not self.roll:
            return None
        return round(100 * self.votes / self.roll, 1)


def turnout(contest: Contest, election: Election) -> Turnout:
    votes = getattr(contest, "votes", None)
    if votes is None:
        votes = contest.participations.count()
    small = votes < SUPPRESSION_THRESHOLD or (contest.roll_size or 0) < SUPPRESSION_THRESHOLD
    if small and not election.ballots_closed:
        return Turnout(None, contest.roll_size)
    return Turnout(votes, contest.roll_size)


@dataclass
class RoundRow:
    name: str
    votes: list  # per round: (votes, percent of the largest tally for the bar) or None once out
    outcome: str


def result_table(contest: Contest) -> tuple[list[int], list[RoundRow], list]:
    """The round-by-round table of a counted contest: round numbers, a row per candidate, exhausted per round."""
    result = contest.result or {}
    rounds = result.get("rounds", [])
    names = []
    for count_round in rounds:
        names += [name for name in count_round["tallies"] if name not in names]
    top = max([max(r["tallies"].values(), default=0) for r in rounds] + [1])
    rows = []
    for name in names:
        cells = [(r["tallies"][name], round(100 * r["tallies"][name] / top)) if name in r["tallies"] else None
                 for r in rounds]
        outcome = "elected" if name in result.get("winners", []) else "eliminated"
        rows.append(RoundRow(name, cells, outcome))
    rows.sort(key=lambda row: (row.outcome != "elected", -max((c[0] for c in row.votes if c), default=0)))
    return list(range(1, len(rounds) + 1)), rows, [r.get("exhausted", 0) for r in rounds]


@dataclass
class ReferendumResult:
    answers: list  # (answer label, votes, percent of the largest tally for the bar), Yes, No, Abstain
    blank: int
    votes_cast: int  # yes + no
    yes_percent: float | None  # of the votes cast
    carried: bool


def referendum_result(contest: Contest) -> ReferendumResult:
    """A counted referendum question's answers, share of yes among the votes cast, and outcome."""
    result = contest.result or {}
    tallies = (result.get("rounds") or [{}])[0].get("tallies", {})
    top = max([*tallies.values(), 1])
    answers = [(Candidate.Answer(answer).label, tallies.get(answer, 0), round(100 * tallies.get(answer, 0) / top))
               for answer in Candidate.Answer.values]
    cast = tallies.get("Yes", 0) + tallies.get("No", 0)
    return ReferendumResult(answers, (result.get("rounds") or [{}])[0].get("exhausted", 0), cast,
                            round(100 * tallies.get("Yes", 0) / cast, 1) if cast else None,
                            bool(result.get("carried")))


def find_ballot(election: Election, code: str) -> list[tuple[Contest, list[str]]]:
    """The ballot(s) with tracking code `code` (codes are unique across contests), as published."""
    code = code.strip().upper().replace(" ", "")
    if len(code) == 12 and "-" not in code:
        code = "-".join(code[i:i + 4] for i in (0, 4, 8))
    found = []
    for contest in election.contests.select_related("post").filter(ballots__tracking_code=code):
        names = services.candidate_names(contest)
        ranking = contest.ballots.get(tracking_code=code).ranking
        found.append((contest, [names[pk] for pk in ranking if pk in names]))
    return found




def contests_to_stand_in(member, election: Election):
    """The contests of `election` that `member` may stand in now (on its electorate, not on the committee,
    not nominated already)."""
    if member is None or election.committee.filter(pk=member.pk).exists():
        return Contest.objects.none()
    allowed = [contest.pk for contest in election.contests.select_related("election")
               if electorate.can_stand_in(member, contest)]
    return (election.contests.filter(pk__in=allowed).exclude(candidates__member=member)
            .select_related("post").order_by("order", "pk"))


def get_nominations(election: Election) -> list[Candidate]:
    """Every nomination of the election, the ones awaiting review first."""
    candidates = Candidate.objects.filter(contest__election=election, is_reopen_nominations=False,
                                          answer="").select_related("contest__post", "member")
    return sorted(candidates, key=lambda c: (c.status != Candidate.Status.NOMINATED, c.contest.order, c.name))


def candidacies_of(member, election: Election) -> list[Candidate]:
    if member is None:
        return []
    return list(Candidate.objects.filter(contest__election=election, member=member).select_related("contest__post"))


def has_voted(member, contest: Contest) -> bool:
    return member is not None and Participation.objects.filter(member=member, contest=contest).exists()
