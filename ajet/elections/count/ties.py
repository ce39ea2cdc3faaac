"""Deterministic tie-breaking: earlier rounds first, then a lot drawn from a published seed.

When candidates are tied (for exclusion, or for the order in which surpluses are transferred), look
at the most recent earlier round at which the tied candidates did not all have the same votes and
keep those with the fewest (exclusion) or most (surplus) votes there; repeat further back with the
ones still tied (the Scottish rules, too, look back to earlier stages before drawing lots).
Candidates tied at every earlier round are separated by lot: the candidate names, sorted, are
shuffled with Python's `random.Random(seed).shuffle`, and the tied candidate named first in that
order is chosen (excluded first, or has its surplus transferred first). Anyone can repeat the draw
from the seed published with the result.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_SEED = 20260101  # the seed used when the officer does not publish another one

RULE_TEXT = (
    "ties: the most recent earlier round at which the tied candidates' votes differed decides "
    "(fewest votes excluded first, most votes' surplus transferred first); candidates tied in every "
    "earlier round are ordered by lot: sorted candidate names shuffled by Python's "
    "random.Random(seed).shuffle, the first-named tied candidate is chosen"
)


@dataclass(frozen=True)
class TieBreak:
    round: int  # 1-based round in which the tie was broken
    candidates: tuple[str, ...]
    chosen: str
    by: str  # "round N" (an earlier round) or "lot"

    def as_dict(self) -> dict:
        return {"round": self.round, "candidates": list(self.candidates), "chosen": self.chosen, "by": self.by}


class TieBreaker:
    """Chooses among tied candidates and remembers each choice it made."""

    def __init__(self, candidates: Sequence[str], seed: int):
        self.candidates = tuple(candidates)
        self.seed = seed
        lot = sorted(self.candidates)
        random.Random(seed).shuffle(lot)
        position = {name: i for i, name in enumerate(lot)}
        self.lot_position = [position[name] for name in self.candidates]
        self.record: list[TieBreak] = []

    def choose(self, tied: Sequence[int], history: Sequence[np.ndarray], *, lowest: bool, round_number: int) -> int:
        """One of `tied` (candidate indices): decided by `history` (earlier rounds' tallies), then lot."""
        remaining = list(tied)
        if len(remaining) == 1:
            return remaining[0]
        decided_by = "lot"
        for back in range(len(history) - 1, -1, -1):
            votes = history[back][remaining]  # a round where they are all equal keeps them all
            target = votes.min() if lowest else votes.max()
            remaining = [c for c, v in zip(remaining, votes, strict=True) if v == target]
            if len(remaining) == 1:
                decided_by = f"round {back + 1}"
                break
        chosen = min(remaining, key=self.lot_position.__getitem__)
        self.record.append(
            TieBreak(round_number, tuple(sorted(self.candidates[c] for c in tied)), self.candidates[chosen], decided_by)
        )
        return chosen

    def order(self, group: Sequence[int], tallies: np.ndarray, history: Sequence[np.ndarray], *, round_number: int):
        """`group` from most to fewest votes, ties broken as for surpluses."""
        left = list(group)
        ordered = []
        while left:
            top = max(tallies[c] for c in left)
            tied = [c for c in left if tallies[c] == top]
            chosen = self.choose(tied, history, lowest=False, round_number=round_number)
            ordered.append(chosen)
            left.remove(chosen)
        return ordered
