"""Where each ballot sits during a count: its next continuing candidate, found for all rows at once."""

from __future__ import annotations

import numpy as np

from .ballots import UNKNOWN, Ballots, OvervoteRule

EXHAUSTED = -2  # the ballot counts for nobody any more
_PASS = -1  # the ranking is passed over (a candidate no longer continuing)


def resolution_table(ballots: Ballots, continuing: np.ndarray, rule: OvervoteRule) -> np.ndarray:
    """For every code (and, last, for the END padding): the continuing candidate it counts for,
    `_PASS` if the ballot passes over it, or `EXHAUSTED` if the ballot stops there."""
    n = ballots.n_candidates
    table = np.empty(n + len(ballots.overvotes) + 1, dtype=np.int32)
    table[:n] = np.where(continuing, np.arange(n, dtype=np.int32), _PASS)
    for i, group in enumerate(ballots.overvotes):
        live = [c for c in group if c != UNKNOWN and continuing[c]]
        if rule == OvervoteRule.EXHAUST or len(live) >= 2 or UNKNOWN in group:
            table[n + i] = EXHAUSTED
        else:
            table[n + i] = live[0] if live else _PASS
    table[-1] = _PASS  # END: nothing more on the ballot (index -1 of the table)
    return table


def next_choices(rankings: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Each row's first ranking that is not passed over, as a candidate index or EXHAUSTED."""
    resolved = table[rankings]
    stops = resolved != _PASS
    first = stops.argmax(axis=1)
    choice = resolved[np.arange(len(rankings)), first]
    # A row with nothing but passes has argmax 0 and a pass there: nothing left for it.
    choice[choice == _PASS] = EXHAUSTED
    return choice


class Papers:
    """The rows of `ballots` and the candidate each currently counts for (`holder`)."""

    def __init__(self, ballots: Ballots, continuing: np.ndarray, rule: OvervoteRule):
        self.ballots = ballots
        self.rule = rule
        self.holder = next_choices(ballots.rankings, resolution_table(ballots, continuing, rule))

    def move_from(self, candidates: list[int], continuing: np.ndarray) -> None:
        """Move the rows held by `candidates` (no longer continuing) on.

        A row is never moved back: earlier rankings only name candidates that stopped continuing.
        """
        moving = np.isin(self.holder, candidates)
        if moving.any():
            table = resolution_table(self.ballots, continuing, self.rule)
            self.holder[moving] = next_choices(self.ballots.rankings[moving], table)

    def tallies(self, values: np.ndarray | None = None) -> tuple[np.ndarray, int]:
        """Votes per candidate and exhausted votes, as exact integers (weighted by `values` if given)."""
        weights = self.ballots.counts if values is None else self.ballots.counts * values
        n = self.ballots.n_candidates
        held = self.holder >= 0
        # float64 sums of integers are exact below 2**53 (a million ballots at 1e-5 precision: 1e11)
        votes = np.bincount(self.holder[held], weights=weights[held], minlength=n)
        exhausted = int(weights[~held].sum())
        return np.rint(votes).astype(np.int64), exhausted
