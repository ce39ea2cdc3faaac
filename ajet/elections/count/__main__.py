"""`python -m ajet.elections.count --method irv|stv|referendum [--seats N] [--threshold T] [--seed S] FILE`:
re-count a ballot file.

Prints the result as JSON on standard output; a file that cannot be read or counted gives a message
naming the line on standard error and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from .ballots import BallotError, OvervoteRule
from .formats import BallotFileError, read_ballot_file
from .irv import count_irv
from .referendum import Threshold, count_referendum
from .stv import count_stv
from .ties import DEFAULT_SEED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ajet.elections.count",
        description="Count a file of ranked ballots (.blt or .csv) and print the result as JSON.",
    )
    parser.add_argument("--method", choices=["irv", "stv", "referendum"], required=True,
                        help="instant-runoff, STV, or a referendum question (Yes / No / Abstain)")
    parser.add_argument(
        "--seats", type=int, default=None, help="seats to fill (STV; default: the BLT file's, or 1)"
    )
    parser.add_argument("--threshold", choices=[t.value for t in Threshold], default=Threshold.SIMPLE.value,
                        help="referendum: the majority of votes cast that carries it (default simple)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed of the lot (default {DEFAULT_SEED})")
    parser.add_argument(
        "--overvote",
        choices=[rule.value for rule in OvervoteRule],
        default=None,
        help="overvote rule (default: sole-continuing for IRV, exhaust for STV)",
    )
    parser.add_argument(
        "--batch-elimination", action="store_true", help="IRV: eliminate hopeless trailing candidates together"
    )
    parser.add_argument("--indent", type=int, default=None, help="indent the JSON")
    parser.add_argument("file", help="ballot file: .blt or .csv (or .blt.gz, .csv.gz)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        ballots, file_seats = read_ballot_file(args.file)
        started = time.perf_counter()
        if args.method == "irv":
            if args.seats not in (None, 1):
                raise BallotError("instant-runoff voting fills one seat; use --method stv for more")
            rule = OvervoteRule(args.overvote or OvervoteRule.SOLE_CONTINUING)
            result = count_irv(ballots, seed=args.seed, batch_elimination=args.batch_elimination, overvote=rule)
        elif args.method == "referendum":
            result = count_referendum(ballots, args.threshold, seed=args.seed)
        else:
            rule = OvervoteRule(args.overvote or OvervoteRule.EXHAUST)
            result = count_stv(ballots, args.seats or file_seats or 1, seed=args.seed, overvote=rule)
        result.count_seconds = time.perf_counter() - started
    except (BallotFileError, BallotError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    json.dump(result.as_dict(), sys.stdout, indent=args.indent, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
