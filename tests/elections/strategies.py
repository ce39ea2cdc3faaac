"""Hypothesis strategies: random elections as lists of (count, ranking of names)."""

from __future__ import annotations

from hypothesis import strategies as st

from ajet.elections.count import Ballots

RON = "Re-open nominations"


@st.composite
def elections(draw, min_candidates=1, max_candidates=6, max_groups=25, max_count=30):
    """(candidates, [(count, ranking)]): a ranking is a list of distinct names, possibly empty."""
    n = draw(st.integers(min_candidates, max_candidates))
    names = [f"C{i}" for i in range(n - 1)] + [RON]
    groups = draw(
        st.lists(
            st.tuples(
                st.integers(1, max_count),
                st.permutations(names).flatmap(lambda order: st.integers(0, len(order)).map(lambda k: order[:k])),
            ),
            min_size=1,
            max_size=max_groups,
        )
    )
    return names, groups


def to_ballots(names, groups) -> Ballots:
    return Ballots.from_rankings(names, [ranking for _, ranking in groups], [count for count, _ in groups])


def continuing_tallies(result):
    """Each round's tallies without the candidates elected in earlier rounds (STV keeps them)."""
    elected: set[str] = set()
    rounds = []
    for round_ in result.rounds:
        rounds.append({name: votes for name, votes in round_.tallies.items() if name not in elected})
        elected |= set(round_.elected)
    return rounds
