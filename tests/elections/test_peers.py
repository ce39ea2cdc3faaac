"""Cross-checks against the peer libraries pyrankvote and votekit, where their rules coincide.

Where they differ (so such cases are left out):
- ties: pyrankvote breaks them by second choices, votekit needs a tie-break method; we use earlier
  rounds and a seeded lot. Elections where our count broke a tie are skipped.
- pyrankvote's IRV elects at half of the votes (not more than half) and eliminates hopeless
  candidates in batches; its rounds are compared where both counts have the same candidates left.
- votekit does not know candidates that no ballot ranks: rounds are compared without candidates
  that have no votes.
- votekit's FastSTV transfers the surpluses of all candidates elected at one stage together, in
  floating point; the Scottish rules transfer one surplus at a time, truncated to 5 decimals, and a
  candidate reaching the quota through the first of them no longer receives from the second. The
  counts are compared (rounds to within the truncation) when no stage but the last elects two
  candidates at once.
"""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ajet.elections.count import Ballots, count_irv, count_stv

from .peers import pyrankvote_count, votekit_count
from .strategies import continuing_tallies, elections, to_ballots

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
VOTEKIT_SETTINGS = settings(SETTINGS, max_examples=30)  # votekit builds its profiles slowly
ELECTIONS = elections(min_candidates=2, max_groups=20, max_count=40)


def rounds_with_the_same_candidates(ours, theirs):
    """Pairs (our round, their round) that have the same candidates left. Candidates without votes
    are left out on both sides: votekit does not know candidates that no ballot ranks."""
    ours = [{name: votes for name, votes in r.items() if votes} for r in ours]
    by_set = {frozenset(name for name, votes in r.items() if votes): r for r in theirs}
    return [(r, {name: by_set[frozenset(r)][name] for name in r}) for r in ours if frozenset(r) in by_set]


@SETTINGS
@given(ELECTIONS)
def test_irv_agrees_with_pyrankvote(election):
    ballots = to_ballots(*election)
    ours = count_irv(ballots)
    assume(not ours.tie_breaks and ours.valid_votes > 0)
    total = [sum(r.tallies.values()) for r in ours.rounds]
    assume(all(2 * max(r.tallies.values()) != t for r, t in zip(ours.rounds, total, strict=True)))
    winners, rounds = pyrankvote_count(ballots)
    assert winners == ours.winners
    pairs = rounds_with_the_same_candidates([r.tallies for r in ours.rounds], rounds)
    assert pairs  # at least the first round
    for mine, theirs in pairs:
        assert mine == pytest.approx(theirs)


@VOTEKIT_SETTINGS
@given(ELECTIONS)
def test_irv_agrees_with_votekit(election):
    ballots = to_ballots(*election)
    ours = count_stv(ballots, 1)  # votekit's IRV runs to the quota like one-seat STV
    assume(not ours.tie_breaks and ours.valid_votes > 0)
    winners, rounds = votekit_count(ballots, 1)
    assert winners == ours.winners == count_irv(ballots).winners
    pairs = rounds_with_the_same_candidates(continuing_tallies(ours), rounds)
    assert len(pairs) >= len(count_irv(ballots).rounds)
    for mine, theirs in pairs:
        assert mine == pytest.approx(theirs)


@VOTEKIT_SETTINGS
@given(elections(min_candidates=3, max_groups=20, max_count=40), st.integers(2, 4))
def test_stv_agrees_with_votekit_fast_stv(election, seats):
    names, _ = election
    seats = min(seats, len(names) - 1)
    ballots = to_ballots(*election)
    ours = count_stv(ballots, seats)
    assume(not ours.tie_breaks and ours.valid_votes > 0)
    # A near-tie could go either way between truncated and floating-point transfers.
    for round_ in continuing_tallies(ours):
        votes = sorted(round_.values())
        assume(all(b - a > 0.01 for a, b in itertools.pairwise(votes)))
    # Two candidates elected at one stage (but the last) is where the rules part: see the docstring.
    assume(all(len(round_.elected) <= 1 for round_ in ours.rounds[:-1]))
    winners, rounds = votekit_count(ballots, seats)
    assert set(winners) == set(ours.winners)
    pairs = rounds_with_the_same_candidates(continuing_tallies(ours), rounds)
    assert pairs
    for mine, theirs in pairs:
        assert mine == pytest.approx(theirs, abs=0.01)


@pytest.mark.parametrize("seed", range(5))
def test_larger_random_elections_agree_with_both_peers(seed):
    # 2,000 ballots, 7 candidates and RON, preferences drawn with skewed popularity (seeded).
    rng = np.random.default_rng(seed)
    names = [f"C{i}" for i in range(7)] + ["Re-open nominations"]
    weights = rng.dirichlet(np.ones(8))
    rankings = []
    for _ in range(2000):
        order = rng.choice(8, size=8, replace=False, p=weights)
        rankings.append([names[c] for c in order[: rng.integers(1, 9)]])
    ballots = Ballots.from_rankings(names, rankings)
    irv = count_irv(ballots)
    assert not irv.tie_breaks
    winners, rounds = pyrankvote_count(ballots)
    assert winners == irv.winners
    for mine, theirs in rounds_with_the_same_candidates([r.tallies for r in irv.rounds], rounds):
        assert mine == pytest.approx(theirs)
    stv = count_stv(ballots, 3)
    winners, rounds = votekit_count(ballots, 3)
    assert set(winners) == set(stv.winners)
    assert continuing_tallies(stv)[0] == pytest.approx(rounds[0])
