"""Counting ranked ballots: instant-runoff voting, single transferable vote (Scottish rules) and
referendum questions (yes / no / abstain with a simple or two-thirds majority).

No Django here: the counter reads ballot files, counts and returns a `CountResult`, so that anyone can
re-count a published ballot file with `python -m ajet.elections.count`. The rules it applies are
written out in README.md beside this file and in every result's `rules` text.
"""

from .ballots import BallotError, Ballots, OvervoteRule
from .formats import BallotFileError, parse_blt, parse_csv, read_ballot_file, write_blt, write_csv
from .irv import count_irv
from .referendum import ANSWERS, Threshold, count_referendum
from .result import CountResult, Round
from .stv import count_stv
from .ties import DEFAULT_SEED

__all__ = [
    "ANSWERS",
    "DEFAULT_SEED",
    "BallotError",
    "BallotFileError",
    "Ballots",
    "CountResult",
    "OvervoteRule",
    "Round",
    "Threshold",
    "count_irv",
    "count_referendum",
    "count_stv",
    "parse_blt",
    "parse_csv",
    "read_ballot_file",
    "write_blt",
    "write_csv",
]
