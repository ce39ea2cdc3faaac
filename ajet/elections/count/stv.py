"""Single transferable vote under the Scottish local government rules (2007).

The counting rules of the Scottish Local Government Elections Order 2007, as used for the
Glasgow City Council wards in 2007:
- Droop quota: floor(valid votes / (seats + 1)) + 1, from the first-stage votes.
- A candidate whose votes reach the quota is elected (several at one stage: most votes first).
- Surpluses are transferred one at a time, the largest first, before any exclusion. Every ballot
  the elected candidate holds moves to its next continuing preference with the value
  `value × surplus / candidate's votes`, truncated to 5 decimal places (the votes lost to the
  truncation are published per stage as `rounding_loss`).
- With no surplus to transfer, the continuing candidate with the fewest votes is excluded and all
  of their ballots move on at the value at which they were received.
- Elected and excluded candidates receive no further ballots; ballots with no continuing
  preference are non-transferable (`exhausted`).
- When the continuing candidates are no more than the seats still to fill, they are all elected.
All arithmetic is exact, in integer units of 0.00001 vote.
"""

from __future__ import annotations

import time

import numpy as np

from .ballots import BallotError, Ballots, OvervoteRule
from .irv import OVERVOTE_TEXT
from .papers import Papers
from .result import CountResult, Round
from .ties import DEFAULT_SEED, RULE_TEXT, TieBreaker

SCALE = 100_000  # votes are counted in units of 1/SCALE: five decimal places

STV_RULES = (
    "single transferable vote, Scottish local government rules 2007 (Scottish Local Government Elections Order 2007): "
    "Droop quota floor(valid votes / (seats + 1)) + 1; a candidate reaching the quota is elected; "
    "surpluses are transferred one at a time, largest first, before any exclusion, all of the elected "
    "candidate's ballots moving at value x surplus / votes, truncated to 5 decimal places; otherwise "
    "the candidate with the fewest votes is excluded and their ballots move at their current value; "
    "when the continuing candidates are no more than the vacancies left they are all elected; "
    "skipped rankings are passed over, a repeated candidate is ignored at its later ranking; "
    "overvotes: {overvote}; {ties}"
)


def count_stv(
    ballots: Ballots,
    seats: int,
    *,
    seed: int = DEFAULT_SEED,
    overvote: OvervoteRule = OvervoteRule.EXHAUST,
) -> CountResult:
    """Count `ballots` for `seats` seats by the Scottish STV rules. Pure: returns the result."""
    if seats < 1:
        raise BallotError("there must be at least one seat")
    started = time.perf_counter()
    names = ballots.candidates
    n = ballots.n_candidates
    continuing = np.ones(n, dtype=bool)
    continuing[list(ballots.withdrawn)] = False
    ties = TieBreaker(names, seed)
    papers = Papers(ballots, continuing, overvote)
    values = np.full(len(ballots.counts), SCALE, dtype=np.int64)  # each row's value per ballot
    settled = np.zeros(n, dtype=np.int64)  # votes kept by elected candidates after their surplus left
    in_count = continuing.copy()  # not excluded (nor withdrawn): shown in the tallies
    elected: list[int] = []
    pending: list[int] = []  # elected, surplus not transferred yet
    history: list[np.ndarray] = []
    rounds: list[Round] = []
    rounding_loss = 0
    votes, first_exhausted = papers.tallies(values)
    valid_units = int(votes.sum())
    quota = (valid_units // SCALE) // (seats + 1) + 1
    quota_units = quota * SCALE

    def as_number(units: int) -> int | float:
        return units // SCALE if units % SCALE == 0 else units / SCALE

    while True:
        if rounds:
            votes, exhausted = papers.tallies(values)
            votes += settled
        else:
            exhausted = first_exhausted
        round_ = Round(
            {names[c]: as_number(int(votes[c])) for c in np.flatnonzero(in_count)},
            as_number(exhausted - first_exhausted),
            rounding_loss=as_number(rounding_loss),
        )
        rounds.append(round_)
        stage = len(rounds)
        reached = [int(c) for c in np.flatnonzero(continuing & (votes >= quota_units))]
        if reached:
            # Never more than the seats left: seats + 1 quotas are more than all the valid votes.
            newly = ties.order(reached, votes, history, round_number=stage)
            for c in newly:
                continuing[c] = False
            elected += newly
            pending += newly
            round_.elected = [names[c] for c in newly]
        live = np.flatnonzero(continuing)
        if len(live) <= seats - len(elected):
            rest = ties.order([int(c) for c in live], votes, history, round_number=stage)
            elected += rest
            round_.elected += [names[c] for c in rest]
            continuing[:] = False
        # The tie-breaks below look back through this round too, harmlessly: the tied candidates are equal in it.
        history.append(votes)
        if len(elected) >= seats or not continuing.any():
            break
        pending = [c for c in pending if votes[c] > quota_units]
        if pending:
            biggest = max(votes[c] for c in pending)
            tied = [c for c in pending if votes[c] == biggest]
            source = ties.choose(tied, history, lowest=False, round_number=stage)
            pending.remove(source)
            surplus = int(votes[source]) - quota_units
            moving = papers.holder == source
            new_values = values[moving] * surplus // int(votes[source])
            rounding_loss += surplus - int((ballots.counts[moving] * new_values).sum())
            values[moving] = new_values
            settled[source] = quota_units
            papers.move_from([source], continuing)
            round_.surplus_of = names[source]
        else:
            lowest = votes[live].min()
            tied = [int(c) for c in live if votes[c] == lowest]
            out = ties.choose(tied, history, lowest=True, round_number=stage)
            continuing[out] = False
            in_count[out] = False
            papers.move_from([out], continuing)
            round_.eliminated = [names[out]]
    rules = STV_RULES.format(overvote=OVERVOTE_TEXT[overvote], ties=RULE_TEXT)
    return CountResult(
        method="stv",
        seats=seats,
        winners=[names[c] for c in elected],
        rounds=rounds,
        ballots=ballots.n_ballots,
        valid_votes=valid_units // SCALE,
        rules=rules,
        seed=seed,
        tie_breaks=ties.record,
        quota=quota,
        count_seconds=time.perf_counter() - started,
    )
