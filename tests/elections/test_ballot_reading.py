"""The counter's ballot reading against a plain reading of the same rules, on random ballots.

`Ballots` takes fast paths (numpy arrays, rows packed into 64-bit words, a bit per candidate to find a repeat,
a sort when there are more than 62 candidates); each is checked here against a few lines of plain Python that
read every ranking the way the package's README says, one ballot at a time. No Django: these run with
`-p no:django --noconftest` under `make mutate`, so the settings are spelt out here (no deadline, the same
examples every run).
"""

import io
from collections import Counter
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ajet.elections.count.ballots import END, UNKNOWN, BallotError, Ballots, collapse, unclean_rows
from ajet.elections.count.formats import parse_blt, parse_csv, write_blt, write_csv

SETTINGS = settings(deadline=None, derandomize=True, max_examples=150)


def plain_reading(marks) -> tuple:
    """One ranking read by the rules: a skip passed over, a candidate ranked again ignored, an overvote kept with
    its candidates not ranked before (just one left: an ordinary ranking; a lone unnamed mark: a skip)."""
    seen, ranking = set(), []
    for mark in marks:
        fresh = tuple(sorted(set(mark) - seen))
        seen |= set(mark)
        if not fresh or (len(mark) == 1 and fresh == (UNKNOWN,)):
            continue
        ranking.append(fresh[0] if len(fresh) == 1 and fresh != (UNKNOWN,) else ("overvote", fresh))
    return tuple(ranking)


def plainly_unclean(row) -> bool:
    """Whether an array row (END-padded codes) breaks the rules: END before a candidate, or a candidate twice."""
    ranked = [code for code in row if code != END]
    gap = any(code == END and later != END for code, later in pairwise(row))
    return gap or len(set(ranked)) < len(ranked)


def expected(rows, counts) -> Counter:
    tally = Counter()
    for marks, count in zip(rows, counts, strict=True):
        tally[plain_reading(marks)] += count
    return +tally  # rankings carried by no ballot are not kept


def read_back(ballots: Ballots) -> Counter:
    """What `ballots` holds, checked for its own promises: distinct rows, positive counts, END only as padding,
    no padding column that every row leaves empty (but the first)."""
    assert ballots.rankings.dtype == np.int32 and ballots.counts.dtype == np.int64
    assert len(ballots.rankings) == len(ballots.counts) and (ballots.counts > 0).all()
    n = ballots.n_candidates
    tally = Counter()
    for row, count in zip(ballots.rankings.tolist(), ballots.counts.tolist(), strict=True):
        length = row.index(END) if END in row else len(row)
        assert all(code == END for code in row[length:])
        ranking = tuple(code if code < n else ("overvote", ballots.overvotes[code - n]) for code in row[:length])
        assert ranking not in tally  # every row distinct
        tally[ranking] = count
    if tally:  # (with no ballot at all, the empty array keeps the width it was given)
        assert ballots.rankings.shape[1] == max(max(len(ranking) for ranking in tally), 1)
    return tally


marks = st.lists(st.integers(UNKNOWN, 6), max_size=3).map(tuple)  # (), a single candidate, an overvote


@SETTINGS
@given(st.lists(st.tuples(st.lists(marks, max_size=6), st.integers(0, 4)), max_size=12))
def test_rankings_with_skips_repeats_and_overvotes_read_as_the_rules_say(groups):
    candidates = [f"C{i}" for i in range(7)]
    rows, counts = [row for row, _ in groups], [count for _, count in groups]
    ballots = Ballots.from_marks(candidates, rows, counts)
    assert read_back(ballots) == expected(rows, counts)
    assert ballots.n_ballots == sum(counts)


@SETTINGS
@given(st.data(), st.sampled_from([3, 62, 63, 70]))
def test_an_array_of_ballots_reads_as_the_rules_say(data, n_candidates):
    depth = data.draw(st.integers(0, 7))
    values = st.integers(END, n_candidates - 1) | st.sampled_from([END, 0, n_candidates - 1])  # repeats likely
    listed = data.draw(st.lists(st.lists(values, min_size=depth, max_size=depth), max_size=12))
    array = np.array(listed, dtype=np.int64).reshape(len(listed), depth)
    counts = data.draw(st.none() | st.lists(st.integers(0, 5), min_size=len(array), max_size=len(array)))
    ballots = Ballots.from_array([f"C{i}" for i in range(n_candidates)], array, counts)
    weights = [1] * len(array) if counts is None else counts
    assert read_back(ballots) == expected([[(code,) if code != END else () for code in row] for row in array.tolist()],
                                          weights)


@SETTINGS
@given(st.data(), st.sampled_from([3, 62, 63, 70]))
def test_exactly_the_rows_with_a_gap_or_a_repeat_are_interpreted_again(data, n_candidates):
    """A clean row (candidates, then END) is taken as it is; only a row with a gap or a candidate ranked twice
    needs `interpret`. Too many rows found unclean would only cost time, too few would count a ballot wrongly:
    the screen must find exactly these rows, with a bit per candidate up to 62 and by sorting above."""
    depth = data.draw(st.integers(1, 8))
    values = st.integers(END, n_candidates - 1) | st.sampled_from([END, 0, n_candidates - 1])
    listed = data.draw(st.lists(st.lists(values, min_size=depth, max_size=depth), min_size=1, max_size=12))
    found = unclean_rows(np.array(listed, dtype=np.int32), n_candidates)
    assert found.dtype == bool and found.tolist() == [plainly_unclean(row) for row in listed]


@pytest.mark.parametrize("n_candidates", [3, 62, 63, 70])
def test_neighbouring_candidates_and_the_padding_are_told_apart(n_candidates):
    """The same, on rows chosen rather than drawn: the first and last candidates beside their neighbours (a bit
    or a sort key shared by two of them would find a repeat), the padding after, between and before them."""
    last = n_candidates - 1
    clean = [[0, 1, END, END], [1, 0, 2, END], [2, 1, 0, END], [last, last - 1, END, END], [last, 0, 1, END],
             [0, END, END, END], [END, END, END, END]]
    unclean = [[0, 0, END, END], [1, END, 1, END], [END, 0, END, END], [last, 0, last, END], [0, 1, 2, 2]]
    listed = clean + unclean
    found = unclean_rows(np.array(listed, dtype=np.int32), n_candidates)
    assert found.tolist() == [plainly_unclean(row) for row in listed]
    assert found.tolist() == [False] * len(clean) + [True] * len(unclean)


@SETTINGS
@given(st.data(), st.sampled_from([5, 127, 128, 200, 40_000]))
def test_collapsing_finds_each_distinct_row_and_sums_its_counts(data, n_codes):
    depth = data.draw(st.integers(1, 20))  # one 64-bit word per row, or several
    values = st.integers(END, n_codes - 1) | st.sampled_from([END, n_codes - 1])
    rows = data.draw(st.lists(st.lists(values, min_size=depth, max_size=depth), min_size=1, max_size=10))
    rows += data.draw(st.lists(st.sampled_from(rows), max_size=5))  # some rows again
    counts = data.draw(st.just([1] * len(rows)) | st.lists(st.integers(1, 9), min_size=len(rows),
                                                            max_size=len(rows)))
    collapsed, row_counts = collapse(np.array(rows, dtype=np.int32), np.array(counts, dtype=np.int64), n_codes)

    def trimmed(row):
        row = list(row)
        while row and row[-1] == END:
            row.pop()
        return tuple(row)

    want = Counter()
    for row, count in zip(rows, counts, strict=True):
        want[trimmed(row)] += count
    got = Counter()
    for row, count in zip(collapsed.tolist(), row_counts.tolist(), strict=True):
        assert trimmed(row) not in got
        got[trimmed(row)] = count
    assert got == want
    assert collapsed.shape[1] == max(1, max(len(row) for row in want))
    assert collapsed.dtype == np.int32 and row_counts.dtype == np.int64


def test_collapsing_nothing_gives_nothing():
    rows, counts = collapse(np.empty((0, 3), dtype=np.int64), np.empty(0, dtype=np.int64), 4)
    assert rows.shape == (0, 3) and rows.dtype == np.int32 and counts.dtype == np.int64 and len(counts) == 0


def test_rows_that_rank_nobody_collapse_to_one_row_one_rank_wide():
    rows, counts = collapse(np.full((3, 4), END, dtype=np.int32), np.array([1, 2, 3], dtype=np.int64), 5)
    assert rows.tolist() == [[END]] and counts.tolist() == [6]
    blank = Ballots.from_array(["A", "B"], np.full((2, 3), END))
    assert blank.rankings.tolist() == [[END]] and blank.counts.tolist() == [2]


def test_overvotes_are_codes_too_when_they_take_the_codes_past_a_byte():
    """126 candidates and four overvotes: codes 126 to 129, more than a signed byte holds."""
    candidates = [f"C{i}" for i in range(126)]
    rows = [[(0, 1)], [(2, 3)], [(4, 5)], [(6, 7), (125,)], [(125,)]]
    ballots = Ballots.from_marks(candidates, rows, [1, 2, 3, 4, 5])
    assert read_back(ballots) == expected(rows, [1, 2, 3, 4, 5])
    assert sorted(ballots.rankings.max(axis=1).tolist()) == [125, 126, 127, 128, 129]


def test_ranking_names_shows_an_overvote_and_its_unnamed_marks():
    ballots = Ballots.from_marks(["Ann", "Ben", "Cy"], [[(2,), (0, 1), (UNKNOWN, 2)], [(UNKNOWN, UNKNOWN)]], [2, 1])
    names = {tuple(ballots.ranking_names(row)) for row in range(len(ballots.rankings))}
    assert names == {("Cy", ("Ann", "Ben"), ("?",)), (("?",),)}  # Cy again beside an unnamed mark: still overvoted


@pytest.mark.parametrize(("array", "counts", "message"), [
    (np.zeros(3, dtype=np.int64), None, "two dimensions"),
    (np.zeros((2, 2, 2), dtype=np.int64), None, "two dimensions"),
    (np.array([[0, 3]]), None, "no candidate"),
    (np.array([[0, -2]]), None, "no candidate"),
    (np.array([[0], [1]]), [1], "one non-negative count per ballot row"),
    (np.array([[0], [1]]), [1, -1], "one non-negative count per ballot row"),
    (np.array([[0], [1]]), [1, 1, 1], "one non-negative count per ballot row"),
    (np.array([[0], [1]]), [[1], [1]], "one non-negative count per ballot row"),
])
def test_an_array_that_cannot_be_ballots_is_refused(array, counts, message):
    with pytest.raises(BallotError, match=message):
        Ballots.from_array(["A", "B", "C"], array, counts)


def test_counts_must_match_the_rankings_and_not_be_negative():
    with pytest.raises(BallotError, match="one count per ranking"):
        Ballots.from_rankings(["A", "B"], [["A"], ["B"]], [1])
    with pytest.raises(BallotError, match="one count per ranking"):
        Ballots.from_rankings(["A", "B"], [["A"]], [1, 2])
    with pytest.raises(BallotError, match="cannot be negative"):
        Ballots.from_rankings(["A", "B"], [["A"], ["B"]], [1, -1])
    assert Ballots.from_rankings(["A", "B"], [["A"], ["B"]]).n_ballots == 2  # one ballot each by default


def test_a_name_that_is_no_candidate_is_refused_by_name():
    with pytest.raises(BallotError, match="unknown candidate 'Bob'"):
        Ballots.from_rankings(["Ann", "Ben"], [["Ann", "Bob"]])
    with pytest.raises(BallotError, match="unknown candidate 'Bob'"):
        Ballots.from_rankings(["Ann", "Ben"], [["Ann"]], withdrawn=["Bob"])


def test_ballots_once_read_cannot_be_changed_and_are_told_apart_by_identity():
    """A count and its report hold the same `Ballots`: nothing may change it in between. Two readings of the
    same rankings are two objects (their arrays are not compared), and either can key a cache."""
    first = Ballots.from_rankings(["Ann", "Ben"], [["Ann", "Ben"]])
    second = Ballots.from_rankings(["Ann", "Ben"], [["Ann", "Ben"]])
    with pytest.raises(AttributeError):
        first.title = "changed"
    assert first == first and first != second
    assert len({first, second, first}) == 2


NAMES = ["Ann", "Doe, Jane", "Émile", "O'Brien", "Yuki 由紀"]


def by_names(ballots: Ballots) -> Counter:
    return Counter({tuple(ballots.ranking_names(row)): int(count) for row, count in enumerate(ballots.counts)})


@SETTINGS
@given(st.lists(st.tuples(st.lists(st.lists(st.integers(UNKNOWN, len(NAMES) - 1), max_size=3).map(tuple),
                                   max_size=5), st.integers(1, 3)), max_size=10),
       st.sets(st.integers(0, len(NAMES) - 1)), st.text(st.characters(blacklist_categories=["Cc", "Cs"]), max_size=8),
       st.integers(1, 3))
def test_blt_written_reads_back_the_same(groups, withdrawn, title, seats):
    ballots = Ballots.from_marks(NAMES, [row for row, _ in groups], [count for _, count in groups],
                                 withdrawn=frozenset(withdrawn), title=title.strip().replace('"', ""))
    out = io.StringIO()
    write_blt(ballots, out, seats)
    again, seats_again = parse_blt(out.getvalue())
    assert by_names(again) == by_names(ballots) and seats_again == seats
    assert (again.candidates, again.withdrawn, again.title) == (ballots.candidates, ballots.withdrawn, ballots.title)


@SETTINGS
@given(st.lists(st.tuples(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5), st.integers(1, 3)),
                min_size=1, max_size=10), st.booleans())
def test_csv_written_reads_back_the_same(groups, as_bytes):
    ballots = Ballots.from_rankings(NAMES, [row for row, _ in groups], [count for _, count in groups])
    out = io.StringIO()
    write_csv(ballots, out)
    text = out.getvalue()
    again = parse_csv(text.encode() if as_bytes else text)
    assert by_names(again) == by_names(ballots)
    assert list(again.candidates) == sorted({name for row, _ in groups for name in row})  # those named, A to Z
