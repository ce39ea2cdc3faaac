"""Published real elections, re-counted from their ballot files (sources in data/README.md)."""

from pathlib import Path

import pytest

from ajet.elections.count import OvervoteRule, count_irv, count_stv, read_ballot_file

DATA = Path(__file__).parent / "data"

BURLINGTON_ROUNDS = [  # the City of Burlington's official detail report, every round
    {"Kurt Wright": 2951, "Bob Kiss": 2585, "Andy Montroll": 2063, "Dan Smith": 1306, "Write-in": 36,
     "James Simpson": 35},
    {"Kurt Wright": 3294, "Bob Kiss": 2981, "Andy Montroll": 2554},
    {"Bob Kiss": 4313, "Kurt Wright": 4061},
]  # fmt: skip


def test_burlington_2009_every_round_with_batch_elimination():
    ballots, _ = read_ballot_file(DATA / "2009-Burlington-Mayor.blt")
    result = count_irv(ballots, batch_elimination=True)
    assert result.winners == ["Bob Kiss"]
    assert [r.tallies for r in result.rounds] == BURLINGTON_ROUNDS
    assert result.rounds[0].eliminated == ["James Simpson", "Write-in", "Dan Smith"]


def test_burlington_2009_one_elimination_a_round_has_the_same_first_and_final_rounds():
    ballots, _ = read_ballot_file(DATA / "2009-Burlington-Mayor.blt")
    result = count_irv(ballots)
    assert result.winners == ["Bob Kiss"]
    assert len(result.rounds) == 5
    assert result.rounds[0].tallies == BURLINGTON_ROUNDS[0]
    assert result.rounds[3].tallies == BURLINGTON_ROUNDS[1]
    assert result.rounds[-1].tallies == BURLINGTON_ROUNDS[-1]


def test_burlington_2009_exhausting_every_overvote_is_one_vote_off():
    # The documented difference between the two overvote rules: the official count gives Wright the
    # ballot whose overvote has one continuing candidate left.
    ballots, _ = read_ballot_file(DATA / "2009-Burlington-Mayor.blt")
    result = count_irv(ballots, batch_elimination=True, overvote=OvervoteRule.EXHAUST)
    assert result.rounds[-1].tallies == {"Bob Kiss": 4313, "Kurt Wright": 4060}


@pytest.mark.parametrize(
    ("file", "winner", "first_round", "final_round"),
    [
        (
            "2010-Oakland-Mayor.blt",
            "JEAN QUAN",
            {"DON PERATA": 40342, "JEAN QUAN": 29266, "JOE TUMAN": 14347},
            {"JEAN QUAN": 53897, "DON PERATA": 51872},
        ),
        (
            "2011-San_Francisco-Mayor.blt",
            "ED LEE",
            {"ED LEE": 59775, "JOHN AVALOS": 37445},
            {"ED LEE": 84457, "JOHN AVALOS": 57160},
        ),
    ],
)
@pytest.mark.parametrize("batch", [False, True])
def test_certified_first_and_final_rounds(file, winner, first_round, final_round, batch):
    ballots, _ = read_ballot_file(DATA / file)
    result = count_irv(ballots, batch_elimination=batch)
    assert result.winners == [winner]
    first = result.rounds[0].tallies
    assert {name: first[name] for name in first_round} == first_round  # the certified report lists these
    assert result.rounds[-1].tallies == final_round


GLASGOW = {
    "glasgow-2007-Govan.blt": (
        4,
        {"Allison Hunter", "John Flanagan", "Shaukat Butt", "Stephen Dornan"},
        {"Shaukat Butt": 1371, "Michael Cobley": 394, "Stephen Dornan": 1590, "John Flanagan": 1657,
         "Alan L Hughes": 138, "Allison Hunter": 2694, "Will Jess": 377, "Irene Lang": 398,
         "Patricia McIntyre": 450, "George Douglas McNee": 377, "Carolina Perez": 114},
    ),
    "glasgow-2007-Calton.blt": (
        3,
        {"Alison E Thewliss", "George Redmond", "Ruth Simpson"},
        {"Gary Barton": 128, "Alasdair Duke - Wardrop": 219, "Fiacra Fullerton": 302, "Scott Gillespie": 245,
         "Paul Graham": 231, "Danny Houston": 195, "Kenny Murray": 126, "George Redmond": 1982,
         "Ruth Simpson": 628, "Alison E Thewliss": 1143},
    ),
    "glasgow-2007-Anderston-City.blt": (
        4,
        {"Craig MacKay", "Gordon Matheson", "Nina Baker", "Philip Braat"},
        {"Nina Baker": 880, "Erin Boyle": 486, "Philip Braat": 1291, "Dave Holladay": 145, "Akhtar Khan": 285,
         "Ann Laird": 806, "Craig MacKay": 1632, "Gordon Matheson": 1177, "Peter Murray": 198},
    ),
}  # fmt: skip


@pytest.mark.parametrize("file", sorted(GLASGOW))
def test_glasgow_2007_wards_scottish_stv(file):
    seats, winners, first_stage = GLASGOW[file]
    ballots, file_seats = read_ballot_file(DATA / file)
    assert file_seats == seats
    result = count_stv(ballots, seats)
    assert set(result.winners) == winners
    assert result.rounds[0].tallies == first_stage
    valid = sum(first_stage.values())
    assert result.quota == valid // (seats + 1) + 1
    assert not result.tie_breaks


def test_glasgow_govan_transfer_values_are_truncated_to_five_decimals():
    ballots, _ = read_ballot_file(DATA / "glasgow-2007-Govan.blt")
    result = count_stv(ballots, 4)
    for round_ in result.rounds:
        for votes in round_.tallies.values():
            assert round(votes, 5) == votes
    # Hunter's surplus of 781 (2694 - 1913) leaves her with the quota; truncation loses a little.
    assert result.rounds[0].surplus_of == "Allison Hunter"
    assert result.rounds[1].tallies["Allison Hunter"] == 1913
    assert 0 < result.rounds[1].rounding_loss < 0.1
