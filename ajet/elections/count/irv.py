"""Instant-runoff voting (one seat)."""

from __future__ import annotations

import time

import numpy as np

from .ballots import Ballots, OvervoteRule
from .papers import Papers
from .result import CountResult, Round
from .ties import DEFAULT_SEED, RULE_TEXT, TieBreaker

IRV_RULES = (
    "instant-runoff voting: each round every ballot counts for its highest-ranked continuing candidate; "
    "a candidate with more than half of the votes for continuing candidates wins; otherwise the "
    "candidate with the fewest votes is eliminated{batch}; skipped rankings are passed over, a repeated "
    "candidate is ignored at its later ranking, a ballot with no continuing candidate left is exhausted "
    "and stays so; overvotes: {overvote}; {ties}"
)
BATCH_TEXT = (
    " (with batch elimination: the largest group of last-placed candidates whose votes together are "
    "fewer than the next candidate's is eliminated at once)"
)
OVERVOTE_TEXT = {
    OvervoteRule.SOLE_CONTINUING: "an overvoted ranking counts for its only continuing candidate, is passed "
    "over if none of its candidates continues, and exhausts the ballot if two or more do (Burlington, VT)",
    OvervoteRule.EXHAUST: "a ballot is exhausted when it reaches an overvoted ranking (Scottish rules)",
}


def count_irv(
    ballots: Ballots,
    *,
    seed: int = DEFAULT_SEED,
    batch_elimination: bool = False,
    overvote: OvervoteRule = OvervoteRule.SOLE_CONTINUING,
) -> CountResult:
    """Count `ballots` by instant-runoff voting. Pure: reads `ballots`, returns the result."""
    started = time.perf_counter()
    names = ballots.candidates
    continuing = np.ones(ballots.n_candidates, dtype=bool)
    continuing[list(ballots.withdrawn)] = False
    ties = TieBreaker(names, seed)
    papers = Papers(ballots, continuing, overvote)
    history: list[np.ndarray] = []
    rounds: list[Round] = []
    winners: list[str] = []
    votes, exhausted = papers.tallies()
    valid_votes, first_exhausted = int(votes.sum()), exhausted
    while True:
        live = np.flatnonzero(continuing)
        round_ = Round({names[c]: int(votes[c]) for c in live}, exhausted - first_exhausted)
        rounds.append(round_)
        total = int(votes[live].sum())
        leader = live[np.argmax(votes[live])] if len(live) else None
        if leader is not None and (2 * votes[leader] > total or len(live) == 1):
            round_.elected = [names[leader]]
            winners = [names[leader]]
            break
        if len(live) == 0:
            break
        out = _batch(votes, live) if batch_elimination else []
        if not out:
            lowest = votes[live].min()
            tied = [int(c) for c in live if votes[c] == lowest]
            out = [ties.choose(tied, history, lowest=True, round_number=len(rounds))]
        history.append(votes)
        round_.eliminated = [names[c] for c in out]
        continuing[out] = False
        papers.move_from(out, continuing)
        votes, exhausted = papers.tallies()
    rules = IRV_RULES.format(
        batch=BATCH_TEXT if batch_elimination else "", overvote=OVERVOTE_TEXT[overvote], ties=RULE_TEXT
    )
    return CountResult(
        method="irv",
        seats=1,
        winners=winners,
        rounds=rounds,
        ballots=ballots.n_ballots,
        valid_votes=valid_votes,
        rules=rules,
        seed=seed,
        tie_breaks=ties.record,
        count_seconds=time.perf_counter() - started,
    )


def _batch(votes: np.ndarray, live: np.ndarray) -> list[int]:
    """The largest group (two or more) of trailing candidates whose votes together are fewer than
    the next candidate's: none of them can win, so they go together. Empty if there is none."""
    order = live[np.argsort(votes[live], kind="stable")]
    running = np.cumsum(votes[order])
    best = 0
    for k in range(2, len(order)):
        if running[k - 1] < votes[order[k]]:
            best = k
    return [int(c) for c in order[:best]]
