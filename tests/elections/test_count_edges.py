"""The counter's edges, worked out by hand: exact majorities, batch elimination at its boundaries, a count with
no candidate or no vote left, the quota reached exactly, surpluses in order, ties, and what a published result
holds. No Django: `make mutate` runs this file (with test_counting.py) for every mutant of the counter.
"""

import json
import time

import pytest

from ajet.elections.count import (
    BallotError,
    Ballots,
    OvervoteRule,
    Threshold,
    count_irv,
    count_referendum,
    count_stv,
    parse_blt,
)
from tests.elections.test_counting import ballots


def _seed_choosing(election, loser, **options):
    """A seed whose lot eliminates `loser` first in `election` (the first tie is decided by lot)."""
    for seed in range(50):
        result = count_irv(election, seed=seed, **options)
        if result.tie_breaks and result.tie_breaks[0].chosen == loser:
            return seed
    raise AssertionError("no seed chooses " + loser)


# --- instant-runoff ----------------------------------------------------------------------------------


def test_irv_exactly_half_is_not_a_majority():
    # A has 3 of 6 votes: not more than half. C (1) goes, its ballot moves to A: 4 of 6.
    result = count_irv(ballots((3, "A"), (2, "B"), (1, "C", "A")))
    assert [r.tallies for r in result.rounds] == [{"A": 3, "B": 2, "C": 1}, {"A": 4, "B": 2}]
    assert result.winners == ["A"]


def test_irv_two_tied_candidates_the_lot_eliminates_one_and_the_other_wins():
    election = ballots((2, "A"), (2, "B"))
    seed = _seed_choosing(election, "A")
    result = count_irv(election, seed=seed)
    assert [r.eliminated for r in result.rounds] == [["A"], []]
    assert [r.tallies for r in result.rounds] == [{"A": 2, "B": 2}, {"B": 2}]
    assert result.winners == ["B"]
    assert [t.as_dict() for t in result.tie_breaks] == [{"round": 1, "candidates": ["A", "B"], "chosen": "A",
                                                          "by": "lot"}]


def test_irv_with_no_vote_left_the_last_candidate_standing_is_elected():
    # Every ballot ranks nobody: both candidates have 0 votes; the lot takes one out, the other is elected.
    election = Ballots.from_rankings(["A", "B"], [[]], [3])
    result = count_irv(election)
    assert result.valid_votes == 0 and result.ballots == 3
    assert len(result.rounds) == 2 and len(result.winners) == 1
    assert result.rounds[1].tallies == {result.winners[0]: 0}
    assert result.rounds[1].elected == result.winners


def test_irv_with_every_candidate_withdrawn_elects_nobody():
    election = Ballots.from_rankings(["A", "B"], [["A", "B"], ["B"]], [2, 1], withdrawn=["A", "B"])
    result = count_irv(election)
    assert result.winners == []
    assert len(result.rounds) == 1
    assert result.rounds[0].tallies == {} and result.rounds[0].elected == []
    assert result.valid_votes == 0


def test_irv_result_fills_one_seat_and_says_how_it_counted():
    result = count_irv(ballots((3, "A"), (2, "B")))
    assert result.seats == 1 and result.method == "irv"
    assert result.as_dict()["seats"] == 1
    assert "batch elimination" not in result.rules
    assert "batch elimination" in count_irv(ballots((3, "A"), (2, "B")), batch_elimination=True).rules
    assert "Burlington" in result.rules
    assert "Scottish" in count_irv(ballots((3, "A"), (2, "B")), overvote=OvervoteRule.EXHAUST).rules


def test_count_seconds_is_the_time_spent_counting():
    before = time.perf_counter()
    irv = count_irv(ballots((3, "A"), (2, "B")))
    stv = count_stv(ballots((3, "A"), (2, "B")), 1)
    referendum = count_referendum(Ballots.from_rankings(["Yes", "No"], [["Yes"]]))
    spent = time.perf_counter() - before
    for result in (irv, stv, referendum):
        assert 0 <= result.count_seconds <= spent


def test_batch_elimination_of_two_trailing_candidates():
    # D (2) and C (3) hold 5 together, fewer than B (8): both go at once.
    election = ballots((10, "A"), (8, "B"), (3, "C", "B"), (2, "D", "C"))
    batch = count_irv(election, batch_elimination=True)
    assert batch.rounds[0].eliminated == ["D", "C"]
    assert batch.rounds[1].tallies == {"A": 10, "B": 11}
    single = count_irv(election)  # the default: one candidate a round
    assert [r.eliminated for r in single.rounds] == [["D"], ["C"], []]


def test_batch_elimination_needs_fewer_votes_than_the_next_candidate_not_as_many():
    # D (2) and C (3) hold 5, exactly B's 5: C and D together could still tie B, so only D goes.
    election = ballots((10, "A"), (5, "B"), (3, "C", "B"), (2, "D", "C"))
    batch = count_irv(election, batch_elimination=True)
    assert batch.rounds[0].eliminated == ["D"]
    assert batch.rounds[1].tallies == {"A": 10, "B": 5, "C": 5}


def test_batch_elimination_without_a_hopeless_group_breaks_a_tie_for_last_place_as_usual():
    # B and C (2 each) hold 4 together, as many as A: no group; the two tied for last are separated by lot.
    election = ballots((4, "A"), (2, "B", "A"), (2, "C", "A"), (5, "D"))
    for loser in ("B", "C"):
        seed = _seed_choosing(election, loser, batch_elimination=True)
        result = count_irv(election, seed=seed, batch_elimination=True)
        assert result.rounds[0].eliminated == [loser]
        assert [t.by for t in result.tie_breaks] == ["lot"]


def test_batch_elimination_when_no_group_and_no_tie_takes_out_the_last_one():
    election = ballots((5, "A"), (4, "B"), (3, "C", "B"))
    result = count_irv(election, batch_elimination=True)
    assert [r.eliminated for r in result.rounds] == [["C"], []]
    assert result.winners == ["B"]
    assert result.tie_breaks == []


# --- single transferable vote ------------------------------------------------------------------------


def test_stv_reaching_the_quota_exactly_elects_with_no_surplus_to_transfer():
    # 9 ballots, 2 seats: quota floor(9 / 3) + 1 = 4. A has exactly 4: elected, nothing to transfer, so the
    # last candidate (C, 2) is excluded in the same round; C's ballots give B 5.
    result = count_stv(ballots((4, "A", "C"), (3, "B"), (2, "C", "B")), 2)
    assert result.quota == 4
    assert [r.as_dict() for r in result.rounds] == [
        {"tallies": {"A": 4, "B": 3, "C": 2}, "exhausted": 0, "elected": ["A"], "eliminated": ["C"],
         "rounding_loss": 0},
        {"tallies": {"A": 4, "B": 5}, "exhausted": 0, "elected": ["B"], "eliminated": [], "rounding_loss": 0},
    ]
    assert result.winners == ["A", "B"]


def test_stv_publishes_whole_votes_as_whole_numbers():
    result = count_stv(ballots((4, "A", "B"), (3, "A", "C"), (2, "B"), (1, "C"), (3, "D")), 3)
    first = result.rounds[0]
    assert all(type(votes) is int for votes in first.tallies.values())
    assert type(first.exhausted) is int and type(first.rounding_loss) is int
    assert type(result.rounds[1].tallies["B"]) is float
    assert type(result.quota) is int and type(result.valid_votes) is int
    assert '"A": 7, ' in json.dumps(result.as_dict())


def test_stv_for_one_seat():
    result = count_stv(ballots((4, "A"), (3, "B"), (2, "C", "B")), 1)
    assert result.quota == 5 and result.seats == 1
    assert result.winners == ["B"]
    assert len(result.rounds) == 2  # B fills the seat in round 2: A, still continuing, is not counted on
    assert result.as_dict()["method"] == "stv"


def test_stv_transfers_the_largest_surplus_first_each_at_its_own_value():
    # 25 ballots, 3 seats: quota 7. A (10) and B (8) are elected at once, A first (more votes). A's surplus
    # (3) goes first: ten ballots at 3/10 give C 3. Then B's (1): eight at 1/8 give D 1.
    election = ballots((10, "A", "C"), (8, "B", "D"), (2, "C"), (2, "D"), (3, "E"))
    result = count_stv(election, 3)
    assert result.quota == 7
    assert result.rounds[0].elected == ["A", "B"]
    assert [r.surplus_of for r in result.rounds[:2]] == ["A", "B"]
    assert result.rounds[1].tallies == {"A": 7, "B": 8, "C": 5, "D": 2, "E": 3}
    assert result.rounds[2].tallies == {"A": 7, "B": 7, "C": 5, "D": 3, "E": 3}
    # D and E tied on 3: in round 2 D had 2, E 3; D goes, and its ballots have nowhere to go.
    assert result.rounds[2].eliminated == ["D"]
    assert [t.as_dict() for t in result.tie_breaks] == [
        {"round": 3, "candidates": ["D", "E"], "chosen": "D", "by": "round 2"}]
    assert result.rounds[3].tallies == {"A": 7, "B": 7, "C": 5, "E": 3}
    assert result.rounds[3].exhausted == 3
    assert result.winners == ["A", "B", "C"]


def test_stv_equal_surpluses_are_taken_in_the_order_of_the_lot():
    election = ballots((9, "A", "C"), (9, "B", "D"), (2, "C"), (1, "D"), (4, "E"))  # 25 ballots, quota 7
    firsts = set()
    for seed in range(12):
        result = count_stv(election, 3, seed=seed)
        first = result.rounds[0]
        assert sorted(first.elected) == ["A", "B"]
        assert first.surplus_of == first.elected[0]  # the same lot orders the election and the surpluses
        assert result.rounds[1].surplus_of == first.elected[1]
        assert all(t.by == "lot" for t in result.tie_breaks[:2])
        firsts.add(first.surplus_of)
    assert firsts == {"A", "B"}


def test_stv_equal_surpluses_go_in_the_order_of_the_earlier_round_where_they_differed():
    # 40 ballots, 3 seats: quota 11. Round 1: A 10, B 9, C 8, D 7, E 6; nobody has the quota and E goes:
    # two of E's ballots to A, three to B, one to C. Round 2: A 12 and B 12 are both elected with equal
    # surpluses (1 each). The Scottish rules (and README "Ties": most votes first for surpluses) look back to
    # the stage where their votes differed: A had 10 to B's 9 in round 1, so A's surplus is transferred first.
    election = ballots((10, "A"), (9, "B"), (8, "C"), (7, "D"), (2, "E", "A"), (3, "E", "B"), (1, "E", "C"))
    result = count_stv(election, 3)
    assert result.quota == 11
    assert result.rounds[0].eliminated == ["E"]
    assert result.rounds[1].tallies == {"A": 12, "B": 12, "C": 9, "D": 7}
    assert result.rounds[1].elected == ["A", "B"]
    assert [r.surplus_of for r in result.rounds[1:3]] == ["A", "B"]
    assert [t.as_dict() for t in result.tie_breaks] == [
        {"round": 2, "candidates": ["A", "B"], "chosen": "A", "by": "round 1"},  # the order of election
        {"round": 2, "candidates": ["A", "B"], "chosen": "A", "by": "round 1"},  # the order of the surpluses
    ]
    assert result.winners == ["A", "B", "C"]


# --- referendum --------------------------------------------------------------------------------------


def _question(yes=0, no=0, abstain=0, blank=0):
    answers = [["Yes"], ["No"], ["Abstain"], []]
    return Ballots.from_rankings(["Yes", "No", "Abstain"], answers, [yes, no, abstain, blank])


@pytest.mark.parametrize(("yes", "no", "threshold", "carried"), [
    (3, 2, "simple", True),
    (2, 2, "simple", False),  # a tie is not a majority
    (0, 0, "simple", False),
    (2, 1, "two-thirds", True),  # exactly two thirds is enough
    (3, 2, "two-thirds", False),
    (1, 0, "two-thirds", True),
    (0, 1, "two-thirds", False),
    (0, 0, "two-thirds", False),  # no votes cast: not carried
])
def test_referendum_thresholds_at_their_boundaries(yes, no, threshold, carried):
    result = count_referendum(_question(yes, no, abstain=4, blank=1), threshold)
    answer = "Yes" if carried else "No"
    assert (result.carried, result.winners, result.rounds[0].elected) == (carried, [answer], [answer])
    assert result.rounds[0].tallies == {"Yes": yes, "No": no, "Abstain": 4}
    assert result.rounds[0].exhausted == 1  # the blank ballot
    assert result.valid_votes == yes + no and result.ballots == yes + no + 5
    assert result.threshold == threshold and result.seats == 1 and result.method == "referendum"
    data = result.as_dict()
    assert (data["threshold"], data["carried"]) == (threshold, carried)
    assert ("at least two thirds" in result.rules) == (threshold == "two-thirds")
    assert ("more than half" in result.rules) == (threshold == "simple")


def test_referendum_threshold_is_simple_unless_named():
    result = count_referendum(_question(yes=3, no=2))
    assert result.threshold == Threshold.SIMPLE and result.carried
    assert count_referendum(_question(yes=3, no=2), Threshold.TWO_THIRDS).carried is False


def test_referendum_counts_the_first_ranking_only_and_an_overvote_there_as_blank():
    election = Ballots.from_rankings(["Yes", "No", "Abstain"], [["No", "Yes"], [("Yes", "No"), "Yes"], ["Yes"]],
                                     [2, 3, 1])
    result = count_referendum(election)
    assert result.rounds[0].tallies == {"Yes": 1, "No": 2, "Abstain": 0}
    assert result.rounds[0].exhausted == 3
    assert result.winners == ["No"]


def test_referendum_ballots_may_leave_out_an_answer_but_not_name_another():
    result = count_referendum(Ballots.from_rankings(["No", "Yes"], [["Yes"], ["No"]], [3, 1]))
    assert result.rounds[0].tallies == {"Yes": 3, "No": 1, "Abstain": 0}
    assert result.carried
    with pytest.raises(BallotError, match="Maybe"):
        count_referendum(Ballots.from_rankings(["Yes", "No", "Maybe"], [["Maybe"]]))


def test_stv_with_no_more_candidates_than_seats_elects_them_all_at_once():
    election = Ballots.from_rankings(["A", "B", "C"], [["A"], ["B"], ["C"]], [5, 1, 2], withdrawn=["C"])
    result = count_stv(election, 3)
    assert result.winners == ["A", "B"]
    assert len(result.rounds) == 1 and result.rounds[0].elected == ["A", "B"]
    assert result.rounds[0].tallies == {"A": 5, "B": 1}


def test_stv_counts_exhausted_votes_from_the_first_round_on():
    # 3 blank ballots never count: valid votes 9, quota 4; exhausted counts only votes that counted once.
    election = Ballots.from_rankings(["A", "B", "C"], [["A", "B"], ["B"], ["C"], []], [5, 2, 2, 3])
    result = count_stv(election, 2)
    assert result.ballots == 12 and result.valid_votes == 9 and result.quota == 4
    assert [r.exhausted for r in result.rounds] == [0, 0, 2]
    assert result.rounds[1].tallies == {"A": 4, "B": 3, "C": 2}
    assert result.winners == ["A", "B"]


def test_stv_a_surplus_moves_only_the_elected_candidates_ballots():
    # B (index 1) is elected with 8 of 17 (quota 6); its surplus, 2, moves its eight ballots at 0.25 to C.
    # A's two ballots (index 0) keep their full value.
    election = ballots((2, "A"), (8, "B", "C"), (3, "C"), (4, "D"))
    result = count_stv(election, 2)
    assert result.quota == 6
    assert result.rounds[1].tallies == {"A": 2, "B": 6, "C": 5, "D": 4}
    assert result.rounds[1].eliminated == ["A"]
    assert result.rounds[2].exhausted == 2


def test_stv_excludes_the_candidate_with_fewest_votes_now_whatever_the_earlier_rounds():
    # 18 ballots, 2 seats, quota 7. A's surplus (3) gives D 3 at 0.3 a ballot: in round 2 C (3) has fewest,
    # though in round 1 D had fewer. C goes and B reaches the quota.
    result = count_stv(ballots((10, "A", "D"), (4, "B"), (3, "C", "B"), (1, "D")), 2)
    assert result.rounds[1].tallies == {"A": 7, "B": 4, "C": 3, "D": 4}
    assert result.rounds[1].eliminated == ["C"]
    assert result.winners == ["A", "B"]
    assert result.tie_breaks == []


def test_stv_a_tie_for_exclusion_is_decided_by_the_latest_round_that_tells_them_apart():
    election = ballots((3, "C"), (4, "E", "A"), (7, "C", "D"), (3, "E", "A", "C"), (5, "A"), (2, "B", "A"))
    result = count_stv(election, 2)
    assert [r.tallies for r in result.rounds][2:4] == [{"A": 5, "B": 2, "C": 9, "E": 7}, {"A": 7, "C": 9, "E": 7}]
    assert [t.as_dict() for t in result.tie_breaks] == [
        {"round": 4, "candidates": ["A", "E"], "chosen": "A", "by": "round 3"}]
    assert result.winners == ["C", "E"]


# --- ties and ballots --------------------------------------------------------------------------------


def test_candidates_elected_together_with_equal_votes_are_ordered_by_the_latest_round_that_tells_them_apart():
    # Round 4: B and D reach the quota (8) together with 8 each; in round 3 they were equal too, in round 2
    # D had more (8 to 7): D is elected first.
    election = ballots((9, "E"), (8, "D"), (1, "C", "E", "B"), (6, "A"), (3, "E"), (7, "B"),
                       candidates=["A", "B", "C", "D", "E"])
    result = count_stv(election, 3)
    assert [r.tallies for r in result.rounds][1:3] == [{"A": 6, "B": 7, "C": 1, "D": 8, "E": 9},
                                                       {"A": 6, "B": 8, "D": 8, "E": 9}]
    assert [t.as_dict() for t in result.tie_breaks] == [
        {"round": 4, "candidates": ["B", "D"], "chosen": "D", "by": "round 2"}]
    assert result.rounds[3].elected == ["D", "B"]


def test_the_lot_is_drawn_from_the_published_default_seed_and_its_record_is_fixed():
    result = count_irv(ballots((4, "A"), (2, "B"), (2, "C")))
    assert result.seed == 20260101  # published in README.md: a recount must use the same
    tie = result.tie_breaks[0]
    with pytest.raises(AttributeError):
        tie.chosen = "A"


def test_an_overvote_of_candidates_the_file_does_not_name_exhausts_the_ballot_under_either_rule():
    # BLT "1=-": A and a mark the file does not name. Under Burlington's rule the ballot is still exhausted.
    election, _seats = parse_blt('3 1\n2 1=- 2 0\n3 2 0\n1 3 1 0\n0\n"A"\n"B"\n"C"\n"t"\n')
    for rule in OvervoteRule:
        result = count_irv(election, overvote=rule)
        assert result.rounds[0].tallies == {"A": 0, "B": 3, "C": 1}
        assert result.valid_votes == 4


def test_an_election_with_no_ballots_elects_by_lot_and_counts_nothing():
    election = Ballots.from_rankings(["A", "B"], [])
    result = count_irv(election)
    assert result.ballots == 0 and result.valid_votes == 0
    assert len(result.winners) == 1 and [t.by for t in result.tie_breaks] == ["lot"]
    assert count_stv(election, 1).winners != []


def test_each_overvote_of_an_election_is_read_by_its_own_rule():
    # Two different overvotes, A=B and C=D, each with both candidates continuing: exhausted under Burlington's
    # rule. Once D is out, C=D would count for C alone; but that ballot is exhausted for good, and E's
    # ballots, which rank nobody after E, are exhausted when E goes: C keeps 3, A wins.
    election = ballots((1, ("A", "B")), (1, ("C", "D")), (4, "A"), (1, "D"), (3, "C"), (2, "E"))
    result = count_irv(election)
    assert [r.tallies for r in result.rounds] == [
        {"A": 4, "B": 0, "C": 3, "D": 1, "E": 2}, {"A": 4, "C": 3, "D": 1, "E": 2}, {"A": 4, "C": 3, "E": 2},
        {"A": 4, "C": 3}]
    assert result.valid_votes == 10 and result.rounds[-1].exhausted == 3
    assert result.winners == ["A"]


def test_an_overvote_of_three_continuing_candidates_exhausts_the_ballot():
    election = ballots((1, ("A", "B", "C"), "A"), (3, "A"), (2, "B"), (2, "C"))
    for rule in OvervoteRule:
        assert count_irv(election, overvote=rule).rounds[0].tallies == {"A": 3, "B": 2, "C": 2}


def test_the_overvote_rule_may_be_named_by_its_value():
    # OvervoteRule is a StrEnum: "exhaust" given as a plain string is the Scottish rule, not Burlington's.
    election = ballots((5, "A"), (4, "B"), (1, "C"), (2, "D", ("B", "C")), (3, "E"))
    assert count_irv(election, overvote="exhaust").rounds == count_irv(election, overvote=OvervoteRule.EXHAUST).rounds
    assert count_irv(election, overvote="exhaust").rounds != count_irv(election).rounds
