"""Properties every count must have, on random elections (hypothesis)."""

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ajet.elections.count import Ballots, count_irv, count_stv

from .strategies import RON, continuing_tallies, elections, to_ballots

SETTINGS = settings(max_examples=150, deadline=None)


def comparable(result):
    data = result.as_dict()
    data.pop("count_seconds")
    return data


@SETTINGS
@given(elections(), st.integers(1, 3))
def test_a_majority_of_first_preferences_wins_in_round_one(election, seats):
    names, groups = election
    total = sum(count for count, _ in groups)
    groups = [*groups, (total + 1, [RON])]  # RON now has more than half of the first preferences
    ballots = to_ballots(names, groups)
    irv = count_irv(ballots)
    assert irv.winners == [RON]
    assert len(irv.rounds) == 1
    stv = count_stv(ballots, seats)
    assert stv.rounds[0].elected[0] == RON


@SETTINGS
@given(elections(), st.randoms(use_true_random=False), st.integers(1, 3), st.integers(0, 2**32))
def test_the_count_does_not_depend_on_the_order_of_ballots_or_candidates(election, rnd, seats, seed):
    names, groups = election
    one_per_ballot = [ranking for count, ranking in groups for _ in range(count)]
    shuffled = one_per_ballot[:]
    rnd.shuffle(shuffled)
    other_names = names[:]
    rnd.shuffle(other_names)
    first = Ballots.from_rankings(names, [r for _, r in groups], [c for c, _ in groups])
    second = Ballots.from_rankings(other_names, shuffled)
    assert comparable(count_irv(first, seed=seed)) == comparable(count_irv(second, seed=seed))
    assert comparable(count_stv(first, seats, seed=seed)) == comparable(count_stv(second, seats, seed=seed))


@SETTINGS
@given(elections(), st.integers(0, 2**32))
def test_irv_is_stv_for_one_seat(election, seed):
    ballots = to_ballots(*election)
    irv = count_irv(ballots, seed=seed)
    stv = count_stv(ballots, 1, seed=seed)
    assert irv.winners == stv.winners
    # STV goes on until the quota is reached (exhausted ballots make it harder); the rounds both
    # counts have are the same.
    assert len(stv.rounds) >= len(irv.rounds)
    assert [r.tallies for r in stv.rounds[: len(irv.rounds)]] == [r.tallies for r in irv.rounds]


@SETTINGS
@given(elections(), st.booleans())
def test_irv_conserves_votes_in_every_round(election, batch):
    result = count_irv(to_ballots(*election), batch_elimination=batch)
    for round_ in result.rounds:
        assert sum(round_.tallies.values()) + round_.exhausted == result.valid_votes
    assert [r.exhausted for r in result.rounds] == sorted(r.exhausted for r in result.rounds)


@SETTINGS
@given(elections(max_candidates=8), st.integers(1, 5))
def test_stv_conserves_votes_in_every_round_and_fills_the_seats(election, seats):
    names, _ = election
    result = count_stv(to_ballots(*election), seats)
    for round_ in result.rounds:
        total = sum(round_.tallies.values()) + round_.exhausted + round_.rounding_loss
        assert total == pytest.approx(result.valid_votes, abs=1e-6)
    assert len(result.winners) == len(set(result.winners)) == min(seats, len(names))
    for round_ in result.rounds[1:]:
        for name in set(result.winners) & set(round_.tallies):
            if any(name == r.surplus_of for r in result.rounds[: result.rounds.index(round_)]):
                assert round_.tallies[name] == result.quota  # an elected candidate keeps the quota
    assert continuing_tallies(result)[0] == result.rounds[0].tallies


@SETTINGS
@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.lists(st.integers(-1, n - 1), min_size=1, max_size=5), min_size=1, max_size=30),
        )
    )
)
def test_an_array_with_gaps_and_repeats_reads_like_the_same_rankings(case):
    n, rows = case
    names = [f"C{i}" for i in range(n)]
    width = max(len(row) for row in rows)
    array = np.array([row + [-1] * (width - len(row)) for row in rows])
    from_array = Ballots.from_array(names, array)
    from_names = Ballots.from_rankings(names, [[names[c] if c >= 0 else None for c in row] for row in rows])
    assert comparable(count_irv(from_array)) == comparable(count_irv(from_names))
    as_sets = {tuple(from_array.ranking_names(i)): int(c) for i, c in enumerate(from_array.counts)}
    assert as_sets == {tuple(from_names.ranking_names(i)): int(c) for i, c in enumerate(from_names.counts)}


def test_long_rankings_collapse_like_short_ones():
    # 30 candidates: rows no longer fit one packed integer and are compared word by word.
    rng = random.Random(3)
    names = [f"C{i}" for i in range(30)]
    rows = [rng.sample(range(30), 30) for _ in range(50)] * 3
    ballots = Ballots.from_array(names, np.array(rows))
    assert len(ballots.counts) == 50 and set(ballots.counts.tolist()) == {3}
    assert {tuple(r) for r in ballots.rankings.tolist()} == {tuple(r) for r in rows}


@pytest.mark.parametrize("n_candidates", [8, 70])
def test_from_array_ignores_repeats_and_gaps(n_candidates):
    # 70 candidates: more than one bit per candidate fits in a word; the repeat check sorts rows.
    names = [f"C{i}" for i in range(n_candidates)]
    array = np.array([[3, 5, 3, 1], [3, -1, 5, 1], [3, 5, 1, -1], [7, 7, 7, 7]])
    ballots = Ballots.from_array(names, array)
    assert {tuple(ballots.ranking_names(i)): int(c) for i, c in enumerate(ballots.counts)} == {
        ("C3", "C5", "C1"): 3,
        ("C7",): 1,
    }
