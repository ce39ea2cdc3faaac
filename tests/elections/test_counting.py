"""Instant-runoff and STV counts on small elections worked out by hand."""

import pytest

from ajet.elections.count import BallotError, Ballots, OvervoteRule, count_irv, count_stv

RON = "Re-open nominations"


def ballots(*groups, candidates=None):
    """`ballots((3, "A", "B"), (2, "B"))`: three ballots A > B, two ballots B."""
    names = candidates or sorted({name for _, *ranking in groups for mark in ranking for name in _names(mark)})
    return Ballots.from_rankings(names, [ranking for _, *ranking in groups], [count for count, *_ in groups])


def _names(mark):
    return [mark] if isinstance(mark, str) else list(mark or ())


def test_irv_majority_in_the_first_round_wins_at_once():
    result = count_irv(ballots((6, "A"), (3, "B", "A"), (2, "C", "B")))
    assert result.winners == ["A"]
    assert len(result.rounds) == 1
    assert result.rounds[0].elected == ["A"]


def test_irv_transfers_and_exhausts():
    result = count_irv(ballots((5, "A"), (4, "B", "C"), (3, "C", "B"), (1, "D", "C"), (1, "D")))
    assert [r.tallies for r in result.rounds] == [
        {"A": 5, "B": 4, "C": 3, "D": 2},
        {"A": 5, "B": 4, "C": 4},
        {"A": 5, "B": 7},
    ]
    assert [r.exhausted for r in result.rounds] == [0, 1, 2]
    assert [r.eliminated for r in result.rounds] == [["D"], ["C"], []]
    assert result.winners == ["B"]
    # B and C tied on 4 in round 2: C had fewer in round 1.
    assert [t.by for t in result.tie_breaks] == ["round 1"]


def test_irv_tie_for_last_place_is_broken_by_the_most_recent_earlier_round():
    # Round 1: E (1) out. Round 2: C and D tied on 3; in round 1 C had 2, D had 3: C goes.
    result = count_irv(ballots((5, "A"), (4, "B"), (2, "C"), (3, "D"), (1, "E", "C")))
    assert result.rounds[0].eliminated == ["E"]
    assert result.rounds[1].tallies == {"A": 5, "B": 4, "C": 3, "D": 3}
    assert result.rounds[1].eliminated == ["C"]
    assert [t.as_dict() for t in result.tie_breaks] == [
        {"round": 2, "candidates": ["C", "D"], "chosen": "C", "by": "round 1"}
    ]


def test_irv_tie_in_every_round_is_broken_by_the_published_seed():
    election = ballots((4, "A"), (2, "B"), (2, "C"))
    chosen = {}
    for seed in range(20):
        result = count_irv(election, seed=seed)
        assert result.seed == seed
        assert result.tie_breaks[0].by == "lot"
        chosen[seed] = result.tie_breaks[0].chosen
        assert count_irv(election, seed=seed).tie_breaks[0].chosen == chosen[seed]  # repeatable
    assert set(chosen.values()) == {"B", "C"}  # the seed matters
    assert "random.Random(seed)" in count_irv(election).rules


def test_ron_is_an_ordinary_candidate_and_can_win():
    result = count_irv(ballots((4, RON), (3, "A", RON), (2, "B", RON)))
    assert result.winners == [RON]


def test_irv_overvote_rules():
    # "A=B" then C: while A and B both continue the ballot is exhausted under either rule; once B is
    # out, Burlington's rule gives it to A, the Scottish rule keeps it exhausted.
    election = ballots((1, ("A", "B"), "C"), (3, "A"), (2, "B"), (1, "C", "B"), (3, "D"))
    sole = count_irv(election, overvote=OvervoteRule.SOLE_CONTINUING)
    exhaust = count_irv(election, overvote=OvervoteRule.EXHAUST)
    assert sole.rounds[0].tallies == exhaust.rounds[0].tallies == {"A": 3, "B": 2, "C": 1, "D": 3}
    assert sole.rounds[0].exhausted == 0  # counted against the first round: the ballot never counted
    assert sole.valid_votes == exhaust.valid_votes == 9


def test_sole_continuing_overvote_counts_for_the_one_left():
    # Once C (the other candidate of the overvote) is out, "B=C" counts for B under Burlington's rule.
    election = ballots((5, "A"), (4, "B"), (1, "C"), (2, "D", ("B", "C")), (3, "E"))
    sole = count_irv(election)
    assert [r.eliminated for r in sole.rounds] == [["C"], ["D"], ["E"], []]
    assert sole.rounds[2].tallies == {"A": 5, "B": 6, "E": 3}
    assert sole.rounds[2].exhausted == 1
    exhaust = count_irv(election, overvote=OvervoteRule.EXHAUST)
    assert exhaust.rounds[2].tallies == {"A": 5, "B": 4, "E": 3}
    assert exhaust.rounds[2].exhausted == 3


def test_batch_elimination_removes_hopeless_candidates_together():
    election = ballots((10, "A"), (9, "B"), (4, "C", "B"), (2, "D", "A"), (1, "E", "B"))
    batch = count_irv(election, batch_elimination=True)
    assert batch.rounds[0].eliminated == ["E", "D", "C"]  # 1 + 2 + 4 < 9, but 1 + 2 + 4 + 9 is not < 10
    assert batch.rounds[1].tallies == {"A": 12, "B": 14}
    single = count_irv(election)
    assert batch.winners == single.winners
    assert batch.rounds[-1].tallies == single.rounds[-1].tallies


def test_withdrawn_candidates_are_passed_over():
    election = Ballots.from_rankings(["A", "B", "C"], [["C", "B"], ["A"], ["B"]], [3, 2, 1], withdrawn=["C"])
    result = count_irv(election)
    assert result.rounds[0].tallies == {"A": 2, "B": 4}
    assert result.winners == ["B"]


def test_stv_hand_count_with_truncated_transfer_value():
    # 3 seats among A, B, C, D; 13 ballots; quota floor(13 / 4) + 1 = 4.
    # A has 7: surplus 3, every A ballot moves at 3/7 = 0.42857 (truncated).
    election = ballots((4, "A", "B"), (3, "A", "C"), (2, "B"), (1, "C"), (3, "D"))
    result = count_stv(election, 3)
    assert result.quota == 4
    assert result.rounds[0].tallies == {"A": 7, "B": 2, "C": 1, "D": 3}
    assert result.rounds[0].elected == ["A"]
    assert result.rounds[0].surplus_of == "A"
    assert result.rounds[1].tallies == {"A": 4, "B": 2 + 4 * 0.42857, "C": 1 + 3 * 0.42857, "D": 3}
    assert result.rounds[1].rounding_loss == pytest.approx(3 - 7 * 0.42857)
    assert result.rounds[1].eliminated == ["C"]
    # C's ballots (1 at full value, 3 at 0.42857) have no further preference: non-transferable.
    assert result.rounds[2].exhausted == pytest.approx(1 + 3 * 0.42857)
    # B (3.71428) and D (3) are the only continuing candidates for the two seats left: both elected.
    assert result.rounds[2].elected == ["B", "D"]
    assert result.winners == ["A", "B", "D"]


def test_stv_elects_the_remaining_candidates_when_they_fit_the_vacancies():
    result = count_stv(ballots((3, "A"), (2, "B"), (1, "C")), 3)
    assert result.winners == ["A", "B", "C"]
    assert len(result.rounds) == 1


def test_stv_needs_a_seat():
    with pytest.raises(BallotError):
        count_stv(ballots((1, "A")), 0)


def test_result_json_has_the_published_fields():
    data = count_stv(ballots((4, "A", "B"), (3, "B"), (2, "C", "A")), 2, seed=7).as_dict()
    assert {"method", "seats", "quota", "winners", "rounds", "count_seconds", "rules", "seed"} <= set(data)
    assert data["seed"] == 7 and data["method"] == "stv"
    assert {"tallies", "exhausted", "elected", "eliminated"} <= set(data["rounds"][0])
