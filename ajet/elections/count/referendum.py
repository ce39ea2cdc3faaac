"""Referendum questions: yes / no / abstain, carried by a simple or a two-thirds majority of votes cast."""

from __future__ import annotations

import enum
import time

from .ballots import BallotError, Ballots
from .result import CountResult, Round
from .ties import DEFAULT_SEED

YES, NO, ABSTAIN = "Yes", "No", "Abstain"
ANSWERS = (YES, NO, ABSTAIN)  # the answers' names in ballot files and results (shown translated)


class Threshold(enum.StrEnum):
    """How many of the votes cast (yes + no) must be yes for the question to be carried."""

    SIMPLE = "simple"  # more than half
    TWO_THIRDS = "two-thirds"  # at least two thirds


REFERENDUM_RULES = (
    "referendum: each ballot counts for its first ranking only (Yes, No or Abstain); a ballot with no "
    "ranking, or an overvote at its first ranking, is blank. Votes cast are the Yes and No votes: "
    "abstentions and blank ballots are counted and published but are not votes cast (Robert's Rules of "
    "Order Newly Revised, 12th ed., 44:1-44:3). The question is carried when Yes has {threshold} of the "
    "votes cast; with no votes cast it is not carried."
)
THRESHOLD_TEXT = {Threshold.SIMPLE: "more than half", Threshold.TWO_THIRDS: "at least two thirds"}


def is_carried(yes: int, no: int, threshold: Threshold) -> bool:
    """Exact integer arithmetic: no rounding decides a close question."""
    if threshold == Threshold.TWO_THIRDS:
        return yes + no > 0 and 3 * yes >= 2 * (yes + no)
    return yes > no


def count_referendum(ballots: Ballots, threshold: Threshold | str = Threshold.SIMPLE, *,
                     seed: int = DEFAULT_SEED) -> CountResult:
    """Count a referendum question's ballots. `winners` is ["Yes"] when it is carried, else ["No"];
    the single round's `tallies` has every answer and `exhausted` the blank ballots."""
    started = time.perf_counter()
    threshold = Threshold(threshold)
    unknown = sorted(set(ballots.candidates) - set(ANSWERS))
    if unknown:
        raise BallotError(f"a referendum's answers are {', '.join(ANSWERS)}; the ballots name {', '.join(unknown)}")
    first = ballots.rankings[:, 0]  # every row has at least one column (END when nothing is ranked)
    tallies: dict[str, int] = {}
    for answer in ANSWERS:
        code = ballots.candidates.index(answer) if answer in ballots.candidates else None
        tallies[answer] = 0 if code is None else int(ballots.counts[first == code].sum())
    blank = ballots.n_ballots - sum(tallies.values())
    carried = is_carried(tallies[YES], tallies[NO], threshold)
    result = CountResult(
        method="referendum", seats=1, winners=[YES if carried else NO],
        rounds=[Round(tallies=tallies, exhausted=blank, elected=[YES if carried else NO])],
        ballots=ballots.n_ballots, valid_votes=tallies[YES] + tallies[NO],
        rules=REFERENDUM_RULES.format(threshold=THRESHOLD_TEXT[threshold]), seed=seed, tie_breaks=[],
        threshold=threshold.value, carried=carried)
    result.count_seconds = time.perf_counter() - started
    return result
