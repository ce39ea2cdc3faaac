"""The same ballots counted by the peer libraries pyrankvote and votekit (for cross-checks)."""

from __future__ import annotations

import warnings

import pyrankvote
from pyrankvote import Ballot, Candidate

from ajet.elections.count import Ballots


def expanded(ballots: Ballots) -> list[list[str]]:
    """One ranking of names per ballot (no overvotes)."""
    return [ballots.ranking_names(row) for row, count in enumerate(ballots.counts) for _ in range(int(count))]


def pyrankvote_count(ballots: Ballots, seats: int = 1):
    """pyrankvote's winners and rounds ({name: votes} of the candidates still in the race)."""
    candidates = {name: Candidate(name) for name in ballots.candidates}
    papers = [Ballot([candidates[name] for name in ranking]) for ranking in expanded(ballots)]
    if seats == 1:
        result = pyrankvote.instant_runoff_voting(list(candidates.values()), papers)
    else:
        result = pyrankvote.single_transferable_vote(list(candidates.values()), papers, number_of_seats=seats)
    rounds = []
    out: set[str] = set()  # rejected in an earlier round (a round also lists those it rejects)
    for round_ in result.rounds:
        results = round_.candidate_results
        rounds.append({c.candidate.name: c.number_of_votes for c in results if c.candidate.name not in out})
        out |= {c.candidate.name for c in round_.candidate_results if c.status == "Rejected"}
    return [c.name for c in result.get_winners()], rounds


def votekit_profile(ballots: Ballots):
    from votekit.ballot import RankBallot
    from votekit.pref_profile import RankProfile

    papers = [
        RankBallot(ranking=[{name} for name in ballots.ranking_names(row)], weight=int(count))
        for row, count in enumerate(ballots.counts)
        if ballots.ranking_names(row)
    ]
    return RankProfile(ballots=papers, candidates=list(ballots.candidates))


def votekit_count(ballots: Ballots, seats: int = 1):
    """votekit's FastSTV (Droop quota, fractional transfers): winners and each round's scores."""
    from votekit.elections import FastSTV

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        election = FastSTV(votekit_profile(ballots), n_seats=seats)
    winners = [name for group in election.get_elected() for name in sorted(group)]
    rounds = [dict(state.scores) for state in election.election_states]
    return winners, rounds
