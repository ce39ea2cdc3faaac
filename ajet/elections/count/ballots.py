"""Ballots as numpy arrays, and the rules that turn the marks on a ballot into a ranking.

A `Ballots` holds every *distinct* ranking once, with the number of ballots that carry it: real
elections have few distinct rankings, so a million ballots usually shrink to a few thousand rows.

Each row lists codes in rank order, padded with -1:
- `0 … C-1` is a candidate (an index into `candidates`);
- `C + i` is the overvote `overvotes[i]` (several candidates marked at the same rank);
- `-1` is the end of the ranking.

Interpretation of a raw ranking (see README.md in this package for the full rule set):
- a skipped ranking (a blank or `-`) is passed over;
- a candidate ranked again is ignored at the later ranking;
- an overvote keeps its candidates that were not ranked earlier (one left: an ordinary ranking);
  how an overvote is counted is the count's `OvervoteRule`. An overvote whose candidates the
  ballot file does not name (`-=-`, as US ballot-image files record it) exhausts the ballot.
"""

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Self

import numpy as np

END = -1  # padding after the last ranking of a row
UNKNOWN = -1  # inside an overvote: a mark whose candidate the file does not name


class OvervoteRule(enum.StrEnum):
    """What a ballot does when it reaches an overvoted ranking (several candidates at one rank)."""

    # Burlington's official rule (ChoicePlus Pro, 2009): the ranking counts for its only continuing
    # candidate; it exhausts the ballot when two or more of its candidates are continuing, and is
    # passed over when none is.
    SOLE_CONTINUING = "sole-continuing"
    # The Scottish rules (2007 Order): a ballot is non-transferable from the point where
    # its next preference is not clear; an overvote at the first rank makes the ballot void.
    EXHAUST = "exhaust"


class BallotError(ValueError):
    """Ballots that cannot be counted (unknown candidate, bad weight, …)."""


@dataclass(frozen=True, eq=False)
class Ballots:
    """Distinct rankings with their ballot counts. Build with `from_rankings` or `from_array`."""

    candidates: tuple[str, ...]
    rankings: np.ndarray  # (rows, depth) int32 codes, END-padded, every row distinct
    counts: np.ndarray  # (rows,) int64, ballots per row, all > 0
    overvotes: tuple[tuple[int, ...], ...] = ()
    withdrawn: frozenset[int] = field(default_factory=frozenset)
    title: str = ""

    @property
    def n_ballots(self) -> int:
        return int(self.counts.sum())

    @property
    def n_candidates(self) -> int:
        return len(self.candidates)

    def ranking_names(self, row: int) -> list[str | tuple[str, ...]]:
        """Row `row` as candidate names (an overvote as a tuple of names)."""
        names: list[str | tuple[str, ...]] = []
        for code in self.rankings[row]:
            if code == END:
                break
            if code < self.n_candidates:
                names.append(self.candidates[code])
            else:
                group = self.overvotes[code - self.n_candidates]
                names.append(tuple(self.candidates[c] if c != UNKNOWN else "?" for c in group))
        return names

    @classmethod
    def from_rankings(
        cls,
        candidates: Sequence[str],
        rankings: Iterable[Sequence[str | Sequence[str] | None]],
        counts: Iterable[int] | None = None,
        *,
        withdrawn: Iterable[str] = (),
        title: str = "",
    ) -> Self:
        """Ballots from rankings of candidate names.

        A ranking is a sequence whose items are a name, None (a skipped ranking) or a collection of
        names (an overvote). `counts` gives how many ballots carry each ranking (default 1 each).
        """
        candidates = tuple(candidates)
        index = _candidate_index(candidates)
        coded: list[list[tuple[int, ...]]] = []
        for ranking in rankings:
            marks = []
            for mark in ranking:
                if mark is None:
                    marks.append(())
                elif isinstance(mark, str):
                    marks.append((_lookup(index, mark),))
                else:
                    marks.append(tuple(_lookup(index, name) for name in mark))
            coded.append(marks)
        counts_list = [1] * len(coded) if counts is None else [int(n) for n in counts]
        if len(counts_list) != len(coded):
            raise BallotError("there must be one count per ranking")
        withdrawn_codes = frozenset(_lookup(index, name) for name in withdrawn)
        return cls.from_marks(candidates, coded, counts_list, withdrawn=withdrawn_codes, title=title)

    @classmethod
    def from_marks(
        cls,
        candidates: Sequence[str],
        marks: Sequence[Sequence[tuple[int, ...]]],
        counts: Sequence[int],
        *,
        withdrawn: frozenset[int] = frozenset(),
        title: str = "",
    ) -> Self:
        """Ballots from rankings given as candidate-index tuples per rank (`()` skipped, 2+ overvote)."""
        overvote_codes: dict[tuple[int, ...], int] = {}
        rows = [interpret(ranking, len(candidates), overvote_codes) for ranking in marks]
        overvotes = tuple(sorted(overvote_codes, key=overvote_codes.__getitem__))
        return cls.from_codes(candidates, rows, counts, overvotes=overvotes, withdrawn=withdrawn, title=title)

    @classmethod
    def from_codes(
        cls,
        candidates: Sequence[str],
        rows: Sequence[Sequence[int]],
        counts: Sequence[int],
        *,
        overvotes: tuple[tuple[int, ...], ...] = (),
        withdrawn: frozenset[int] = frozenset(),
        title: str = "",
    ) -> Self:
        """Ballots from rows of codes that already follow the interpretation rules (see `interpret`)."""
        candidates = tuple(candidates)
        _candidate_index(candidates)
        depth = max(max((len(row) for row in rows), default=0), 1)
        padding = [(END,) * k for k in range(depth + 1)]
        array = np.array([(*row, *padding[depth - len(row)]) for row in rows], dtype=np.int32).reshape(-1, depth)
        weights = np.asarray(counts, dtype=np.int64).reshape(len(rows))
        if (weights < 0).any():
            raise BallotError("a ballot count cannot be negative")
        return cls._collapsed(candidates, array, weights, overvotes, withdrawn, title)

    @classmethod
    def from_array(
        cls,
        candidates: Sequence[str],
        array: np.ndarray,
        counts: np.ndarray | None = None,
        *,
        title: str = "",
    ) -> Self:
        """Ballots from an (n, depth) array of candidate indices in rank order, padded with -1.

        Rows may repeat (they are collapsed) and may break the interpretation rules (a gap, a
        repeated candidate): such rows are interpreted like any other ranking.
        """
        candidates = tuple(candidates)
        _candidate_index(candidates)
        array = np.asarray(array)
        if array.ndim != 2:
            raise BallotError("the ballot array must have two dimensions")
        if array.size and (array.min() < END or array.max() >= len(candidates)):
            raise BallotError("the ballot array holds a number that is no candidate")
        weights = np.ones(len(array), dtype=np.int64) if counts is None else np.asarray(counts, dtype=np.int64)
        if weights.shape != (len(array),) or (weights < 0).any():
            raise BallotError("there must be one non-negative count per ballot row")
        if array.shape[1] == 0:
            array = np.full((len(array), 1), END, dtype=np.int32)
        collapsed = cls._collapsed(candidates, array.astype(np.int32, copy=False), weights, (), frozenset(), title)
        # Interpret only the distinct rows, and only redo the work if one of them was not clean.
        rows = collapsed.rankings
        if not unclean_rows(rows, len(candidates)).any():
            return collapsed
        marks = [[(int(c),) if c != END else () for c in row] for row in rows]
        return cls.from_marks(candidates, marks, collapsed.counts.tolist(), title=title)

    @classmethod
    def _collapsed(
        cls,
        candidates: tuple[str, ...],
        array: np.ndarray,
        counts: np.ndarray,
        overvotes: tuple[tuple[int, ...], ...],
        withdrawn: frozenset[int],
        title: str,
    ) -> Self:
        keep = counts > 0
        if not keep.all():
            array, counts = array[keep], counts[keep]
        rows, row_counts = collapse(array, counts, len(candidates) + len(overvotes))
        return cls(candidates, rows, row_counts, overvotes, withdrawn, title)


def unclean_rows(rows: np.ndarray, n_candidates: int) -> np.ndarray:
    """For each row of candidate codes (END-padded), whether it breaks the interpretation rules: a gap (END
    before a later candidate) or a candidate ranked again. Only these rows need `interpret`."""
    present = rows != END
    gap = (~present[:, :-1] & present[:, 1:]).any(axis=1)
    if n_candidates <= 62:  # one bit per candidate: a repeat finds its bit already set
        seen = np.zeros(len(rows), dtype=np.int64)
        repeat = np.zeros(len(rows), dtype=bool)
        for column in rows.T:
            bit = np.where(column >= 0, np.left_shift(1, column.clip(0), dtype=np.int64), 0)
            repeat |= (seen & bit) != 0
            seen |= bit
    else:  # a repeat shows as equal neighbours once each row is sorted (END made distinct)
        marked = np.where(present, rows, -2 - np.arange(rows.shape[1], dtype=np.int32))
        marked.sort(axis=1)
        repeat = (marked[:, 1:] == marked[:, :-1]).any(axis=1)
    return gap | repeat


def interpret(
    ranking: Sequence[tuple[int, ...]], n_candidates: int, overvote_codes: dict[tuple[int, ...], int]
) -> tuple[int, ...]:
    """Codes for one raw ranking: skips passed over, repeats ignored, overvotes given a code."""
    if all(len(mark) == 1 for mark in ranking):  # the common case: one candidate at each rank
        return single_marks([mark[0] for mark in ranking])
    seen: set[int] = set()
    row: list[int] = []
    for mark in ranking:
        fresh = tuple(sorted({c for c in mark if c not in seen}))
        seen.update(mark)
        if not fresh or (len(mark) == 1 and fresh == (UNKNOWN,)):
            continue
        if len(fresh) == 1 and fresh[0] != UNKNOWN:
            row.append(fresh[0])
        else:
            code = overvote_codes.setdefault(fresh, n_candidates + len(overvote_codes))
            row.append(code)
    return tuple(row)


def single_marks(row: list[int]) -> tuple[int, ...]:
    """Codes for a ranking of single candidates: a candidate ranked again is ignored."""
    if len(set(row)) == len(row) and UNKNOWN not in row:
        return tuple(row)
    seen: set[int] = set()
    return tuple(c for c in row if c != UNKNOWN and not (c in seen or seen.add(c)))


def collapse(array: np.ndarray, counts: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of `array` and the summed counts of each.

    Each row is stored in the smallest integer type that holds its codes and read back as 64-bit
    words (8 ranks of int8 make one word): sorting n words is far cheaper than sorting rows.
    """
    n, depth = array.shape
    if n == 0:
        return array.astype(np.int32), counts.astype(np.int64)
    dtype = np.int8 if n_codes < 2**7 else np.int16 if n_codes < 2**15 else np.int32
    per_word = 8 // np.dtype(dtype).itemsize
    width = -(-depth // per_word) * per_word
    packed = np.full((n, width), END, dtype=dtype)
    packed[:, :depth] = array
    words = packed.view(np.int64)  # (n, width // per_word)
    if words.shape[1] == 1:
        keys = words[:, 0]
        if bool((counts == 1).all()):
            unique_keys, row_counts = np.unique(keys, return_counts=True)
        else:
            unique_keys, inverse = np.unique(keys, return_inverse=True)
            row_counts = np.bincount(inverse.reshape(-1), weights=counts, minlength=len(unique_keys))
        rows = unique_keys.view(dtype).reshape(-1, width)[:, :depth].astype(np.int32)
    else:
        # Compared word by word (lexsort: the last key is the primary one).
        columns = [np.ascontiguousarray(words[:, k]) for k in range(words.shape[1])]
        order = np.lexsort(columns[::-1])
        change = np.zeros(n, dtype=bool)
        change[0] = True
        for column in columns:
            ordered = column[order]
            change[1:] |= ordered[1:] != ordered[:-1]
        starts = np.flatnonzero(change)
        rows = array[order[starts]].astype(np.int32)
        row_counts = np.add.reduceat(counts[order], starts)
    # Drop the padding columns that no row uses any more.
    used = (rows != END).any(axis=0)
    depth_used = int(used.nonzero()[0].max()) + 1 if used.any() else 1
    return np.ascontiguousarray(rows[:, :depth_used]), row_counts.astype(np.int64)


def _candidate_index(candidates: tuple[str, ...]) -> dict[str, int]:
    if not candidates:
        raise BallotError("an election needs at least one candidate")
    index = {name: i for i, name in enumerate(candidates)}
    if len(index) != len(candidates):
        raise BallotError("two candidates have the same name")
    return index


def _lookup(index: dict[str, int], name: str) -> int:
    try:
        return index[name]
    except KeyError:
        raise BallotError(f"unknown candidate {name!r}") from None
