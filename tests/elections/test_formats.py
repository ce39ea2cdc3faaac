"""Reading and writing BLT and CSV ballot files; malformed files name the bad line."""

import gzip
import io

import numpy as np
import pytest

from ajet.elections.count import (
    BallotError,
    BallotFileError,
    Ballots,
    OvervoteRule,
    count_irv,
    parse_blt,
    parse_csv,
    read_ballot_file,
    write_blt,
    write_csv,
)

BLT = """\
# a comment
3 2
-3
(b1) 2 1 2 0
1 2 - 1 0
1 1 1 2 0
1 2=3 1 0
0 3 0
0
"Alice"
"Bob"
"Carol"
"Test election"
"""


def rankings(ballots):
    return {tuple(ballots.ranking_names(i)): int(n) for i, n in enumerate(ballots.counts)}


def test_blt_reads_weights_skips_repeats_overvotes_and_withdrawals():
    ballots, seats = parse_blt(BLT)
    assert seats == 2
    assert ballots.candidates == ("Alice", "Bob", "Carol")
    assert ballots.title == "Test election"
    assert ballots.withdrawn == frozenset({2})
    assert rankings(ballots) == {
        ("Alice", "Bob"): 3,  # "2 1 2" and "1 1 1 2": the repeated Alice ignored
        ("Bob", "Alice"): 1,  # the skipped ranking passed over
        (("Bob", "Carol"), "Alice"): 1,
    }  # the weight-0 line adds nothing


def test_blt_round_trip():
    ballots, seats = parse_blt(BLT)
    out = io.StringIO()
    write_blt(ballots, out, seats)
    again, seats_again = parse_blt(out.getvalue())
    assert (rankings(again), again.candidates, again.withdrawn, again.title, seats_again) == (
        rankings(ballots),
        ballots.candidates,
        ballots.withdrawn,
        ballots.title,
        seats,
    )


def test_csv_reads_names_in_rank_order_and_round_trips():
    text = "Bob,Alice\nAlice\n\n Bob , ,Carol\n\"Smith, Jo\",Bob\nBob,Alice\n"
    ballots = parse_csv(text)
    assert ballots.candidates == ("Alice", "Bob", "Carol", "Smith, Jo")
    assert rankings(ballots) == {
        ("Bob", "Alice"): 2,
        ("Alice",): 1,
        ("Bob", "Carol"): 1,
        ("Smith, Jo", "Bob"): 1,
    }
    out = io.StringIO()
    write_csv(ballots, out)
    assert rankings(parse_csv(out.getvalue())) == rankings(ballots)


def test_csv_cannot_hold_overvotes():
    ballots = Ballots.from_rankings(["A", "B"], [[("A", "B")]])
    with pytest.raises(BallotError, match="overvotes"):
        write_csv(ballots, io.StringIO())


def test_read_ballot_file_by_extension_including_gzip(tmp_path):
    (tmp_path / "e.blt").write_text(BLT)
    (tmp_path / "e.blt.gz").write_bytes(gzip.compress(BLT.encode()))
    (tmp_path / "e.csv").write_text("A,B\nB\n")
    plain, seats = read_ballot_file(tmp_path / "e.blt")
    packed, _ = read_ballot_file(tmp_path / "e.blt.gz")
    assert seats == 2 and rankings(plain) == rankings(packed)
    csv_ballots, csv_seats = read_ballot_file(tmp_path / "e.csv")
    assert csv_seats is None and csv_ballots.n_ballots == 2
    (tmp_path / "e.txt").write_text("A\n")
    with pytest.raises(BallotFileError, match=r"\.blt or \.csv"):
        read_ballot_file(tmp_path / "e.txt")
    # Only the last suffix (or the two last, for .gz) tells the kind: a name may hold other dots.
    (tmp_path / "ward.2007.blt").write_text(BLT)
    (tmp_path / "ward.2007.blt.gz").write_bytes(gzip.compress(BLT.encode()))
    assert rankings(read_ballot_file(tmp_path / "ward.2007.blt")[0]) == rankings(plain)
    assert rankings(read_ballot_file(tmp_path / "ward.2007.blt.gz")[0]) == rankings(plain)
    (tmp_path / "e.gz").write_bytes(gzip.compress(BLT.encode()))
    with pytest.raises(BallotFileError, match=r"\.blt or \.csv"):
        read_ballot_file(tmp_path / "e.gz")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "empty"),
        ("3\n", 1, "two whole numbers"),
        ("2 1\n1 1 2\n0\n", 2, "must end with 0"),
        ("2 1\n1 1 3 0\n0\n", 2, "'3' is not a candidate number from 1 to 2"),
        ("2 1\n1 1 0\nx 1 0\n0\n", 3, "weight"),
        ("2 1\n1 1 x=2 0\n0\n", 2, "'x' is not a candidate number"),
        ("2 1\n-1 -9\n1 1 0\n0\n", 2, "'9' is not a candidate number"),
        ("2 1\n1 1 0\n", 2, "end with a line '0'"),
        ('2 1\n1 1 0\n0\n"A"\nB\n', 5, "double quotes"),
        ('2 1\n1 1 0\n0\n"A"\n', 4, "2 candidate names expected, found 1"),
        ('2 1\n1 1 0\n0\n"A"\n"B"\n"T"\n"extra"\n', 7, "after the title"),
        ('2 0\n1 1 0\n0\n"A"\n"B"\n', 1, "at least one candidate and one seat"),
        ('0 1\n0\n', 1, "at least one candidate and one seat"),
        ("2 1 5\n1 1 0\n0\n", 1, "two whole numbers"),
        ("2 1\n1 1 -\n0\n", 2, "must end with 0"),
        ("2 1\n(b1) 0\n0\n", 2, "must end with 0"),
        ("2 1\n(b1 1 1 0\n0\n", 2, "one word in parentheses"),
        ("2 1\n1 1 0\n-1\n0\n", 3, "weight"),  # withdrawals come first or not at all
        ("2 1\n-1\n-2\n1 1 0\n0\n", 3, "weight"),  # and on one line
        ("2 1\n1 1 + 0\n0\n", 2, "'\\+' is not a candidate number"),
        ("2 1\n-0\n1 1 0\n0\n", 2, "'0' is not a candidate number"),
        ("2 1\n-x\n1 1 0\n0\n", 2, "withdrawn candidates must be negative numbers, not '-x'"),
        ("2 1\n1 1==2 0\n0\n", 2, "'' is not a candidate number"),
        ('2 1\n1 1 0\n0\n"A"\n"\n', 5, "double quotes"),
        ('2 1\n1 1 0\n0\n"A"\n"B\n', 5, "double quotes"),
        ('2 1\n1 1 0\n0\n"A"\nB"\n', 5, "double quotes"),
    ],
)
def test_malformed_blt_names_the_line(text, line, message):
    with pytest.raises(BallotFileError, match=message) as caught:
        parse_blt(text)
    assert caught.value.line == line
    assert f"line {line}" in str(caught.value)


def test_malformed_csv_names_the_line():
    with pytest.raises(BallotFileError, match="not a valid CSV line") as caught:
        parse_csv('A,B\nB,A\nA,"B\nB\n')
    assert caught.value.line == 3


def test_csv_without_candidates_is_an_error():
    with pytest.raises(BallotFileError, match="no ballots"):
        parse_csv("\n , \n")


@pytest.mark.parametrize("bad_line", [b"\xff\xfe,A", b'"\xff\xfe",A', b"A,B,\xc3"])
def test_file_that_is_not_utf8_names_the_line(tmp_path, bad_line):
    (tmp_path / "bad.csv").write_bytes(b"A,B\nB,A\n" + bad_line + b"\n")
    with pytest.raises(BallotFileError, match="UTF-8") as caught:
        read_ballot_file(tmp_path / "bad.csv")
    assert caught.value.line == 3
    assert str(caught.value).startswith(str(tmp_path / "bad.csv") + ": line 3:")
    (tmp_path / "bad.blt").write_bytes(b'1 1\n1 1 0\n0\n"\xff"\n')
    with pytest.raises(BallotFileError, match="UTF-8") as caught:
        read_ballot_file(tmp_path / "bad.blt")
    assert caught.value.line == 4


def test_unknown_overvote_marks_exhaust_the_ballot():
    # US ballot images record an overvote without its candidates: "-=-".
    ballots, _ = parse_blt('2 1\n1 -=- 1 0\n2 2 0\n1 1 0\n0\n"A"\n"B"\n')
    for rule in OvervoteRule:
        result = count_irv(ballots, overvote=rule)
        assert result.rounds[0].tallies == {"A": 1, "B": 2}
        assert result.rounds[0].exhausted == 0 and result.valid_votes == 3
    rankings = [ballots.ranking_names(row) for row in range(len(ballots.counts))]
    assert sorted(map(str, rankings)) == ["['A']", "['B']", "[('?',), 'A']"]  # the unnamed marks shown as "?"


def test_an_array_of_rankings_names_only_candidates():
    # Two candidates are numbers 0 and 1; 2 (one past the last), 3 and -2 (below the padding) are no candidate.
    for row in ([0, 2], [0, 3], [1, -2]):
        with pytest.raises(BallotError, match="no candidate"):
            Ballots.from_array(["A", "B"], np.array([row]))
    assert Ballots.from_array(["A", "B"], np.array([[1, 0], [0, -1]])).n_ballots == 2


def test_rankings_nobody_cast_are_left_out():
    ballots = Ballots.from_rankings(["A", "B"], [["A"], ["B", "A"], ["B"]], [0, 2, 0])
    assert ballots.counts.tolist() == [2] and ballots.ranking_names(0) == ["B", "A"]
    out = io.StringIO()
    write_blt(ballots, out, 1)
    assert [line.split()[0] for line in out.getvalue().splitlines()[1:2]] == ["2"]  # the one ballot line


def test_an_array_of_rankings_checks_its_counts():
    with pytest.raises(BallotError, match="one non-negative count per ballot row"):
        Ballots.from_array(["A", "B"], np.array([[0], [1]]), counts=[1])
    with pytest.raises(BallotError, match="one non-negative count per ballot row"):
        Ballots.from_array(["A", "B"], np.array([[0], [1]]), counts=[-1, 2])
    blank = Ballots.from_array(["A", "B"], np.empty((3, 0), dtype=np.int32))  # three ballots ranking nobody
    assert blank.n_ballots == 3 and blank.ranking_names(0) == []
    assert count_irv(blank).rounds[0].exhausted == 0 and count_irv(blank).valid_votes == 0


def test_many_ballots_rows_and_candidates():
    # More rows than Python's shared small integers: lengths compared by equality.
    assert Ballots.from_rankings(["A", "B"], [["A", "B"]] * 150 + [["B"]] * 150, [1] * 300).n_ballots == 300
    # Rankings longer than one packed word (8 ranks), twice each: collapsed to one row with count 2.
    names = [f"C{i}" for i in range(12)]
    long = Ballots.from_rankings(names, [names, names[::-1], names, names[::-1]], [1, 1, 1, 1])
    assert sorted(long.counts.tolist()) == [2, 2]
    assert sorted(long.ranking_names(row)[0] for row in range(2)) == ["C0", "C11"]
    # More than 62 candidates (no bit per candidate): a candidate ranked twice still counts once.
    names = [f"C{i}" for i in range(70)]
    many = Ballots.from_array(names, np.array([[69, 5, 69, 7, -1], [3, 4, -1, -1, -1]]))
    assert sorted(many.ranking_names(row) for row in range(2)) == [["C3", "C4"], ["C69", "C5", "C7"]]
    # More candidates than 16-bit codes hold.
    names = [f"C{i}" for i in range(33_000)]
    huge = Ballots.from_array(names, np.array([[32_999, 0], [32_768, 1]]))
    assert sorted(huge.ranking_names(row) for row in range(2)) == [["C32768", "C1"], ["C32999", "C0"]]


def test_a_skipped_ranking_between_single_marks_is_passed_over():
    ballots, _ = parse_blt('2 1\n1 1 - 2 0\n0\n"A"\n"B"\n')
    assert ballots.ranking_names(0) == ["A", "B"]
    # The same given as marks, the skipped one as an unnamed mark (-1), and the first repeated.
    marked = Ballots.from_marks(["A", "B"], [[(0,), (-1,), (0,), (1,)]], [1])
    assert marked.ranking_names(0) == ["A", "B"]


def test_blt_edges_one_candidate_a_blank_ballot_and_many_candidates():
    ballots, seats = parse_blt('1 1\n2 1 0\n1 0\n0\n"Alone"\n')
    assert (ballots.candidates, seats, ballots.n_ballots) == (("Alone",), 1, 3)
    assert count_irv(ballots).winners == ["Alone"]
    # More candidates than Python's shared small integers, then the title.
    names = "".join(f'"C{i}"\n' for i in range(300))
    many, _ = parse_blt(f'300 1\n1 300 0\n0\n{names}"The title"\n')
    assert len(many.candidates) == 300 and many.candidates[-1] == "C299" and many.title == "The title"


def test_a_blt_title_may_be_empty_and_names_must_differ():
    ballots, seats = parse_blt('2 1\n1 1 0\n0\n"A"\n"B"\n""\n')
    assert (ballots.candidates, ballots.title, seats) == (("A", "B"), "", 1)
    with pytest.raises(BallotFileError, match="same name") as caught:
        parse_blt('2 1\n1 1 0\n0\n"A"\n"A"\n')
    assert caught.value.line is None  # the whole file


def test_write_blt_names_one_seat_unless_told():
    out = io.StringIO()
    write_blt(Ballots.from_rankings(["A"], [["A"]]), out)
    assert out.getvalue().splitlines()[0] == "1 1"


def test_a_ballot_file_that_cannot_be_read_or_is_not_ballots(tmp_path):
    with pytest.raises(BallotFileError, match=r"cannot read the file \(No such file or directory\)"):
        read_ballot_file(tmp_path / "missing.blt")
    (tmp_path / "e.blt.zip").write_bytes(gzip.compress(BLT.encode()))
    with pytest.raises(BallotFileError, match=r"\.blt or \.csv"):
        read_ballot_file(tmp_path / "e.blt.zip")


def test_a_csv_of_blank_names_only_is_refused_at_its_first_line():
    with pytest.raises(BallotFileError, match="no ballots") as caught:
        parse_csv(b" , \n,\n")
    assert caught.value.line == 1
