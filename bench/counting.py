"""`python -m bench.counting`: how fast the election counter counts, beside the peer libraries.

On the same generated ballots in the same run (8 candidates for IRV; 20 candidates, 5 seats for STV;
preferences drawn with skewed candidate popularity, each ballot ranking a random number of them):
- IRV, 10k / 100k / 1M ballots: our count (collapsing the ballot array, then counting) against
  pyrankvote (building its Ballot objects, then counting) and votekit's FastSTV with one seat
  (counting only: its profile is built beforehand from the distinct rankings, which favours it);
- STV, 100k ballots: our Scottish STV count against pyrankvote (construction + count) and votekit's
  FastSTV (counting only);
- the whole command line on a 1M-ballot CSV file (a fresh process: start-up, reading, counting,
  printing), and that process's peak memory.

`run()` returns rows {name, value, unit, baseline, baseline_value, ratio, target}: `ratio` is how many
times better than the baseline (higher is better), `target` the ratio the issue asks for (or None).
Our timings are the best of several runs; each peer runs once per size (pyrankvote takes seconds).
It is a measurement, not a test: nothing fails on time.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from ajet.elections.count import Ballots, count_irv, count_stv

ROOT = Path(__file__).resolve().parent.parent
IRV_SIZES = (10_000, 100_000, 1_000_000)
IRV_CANDIDATES = 8
STV_BALLOTS, STV_CANDIDATES, STV_SEATS = 100_000, 20, 5
CLI_BALLOTS = 1_000_000
REPEATS = 5
TARGET_PYRANKVOTE = 30.0  # at 1M ballots: at least 30 times faster than pyrankvote
BUDGET_COUNT_SECONDS = 0.15  # 1M IRV ballots counted in under 0.15 s
BUDGET_CLI_SECONDS = 3.0  # the whole command line on a 1M-ballot CSV
BUDGET_MEMORY_MB = 500.0


def generate_ballots(n: int, n_candidates: int, seed: int) -> np.ndarray:
    """(n, n_candidates) candidate indices in rank order, padded with -1 (Plackett–Luce draws)."""
    rng = np.random.default_rng(seed)
    popularity = rng.dirichlet(np.full(n_candidates, 2.0))
    keys = np.log(popularity)[None, :] + rng.gumbel(size=(n, n_candidates))
    order = np.argsort(-keys, axis=1).astype(np.int32)
    lengths = rng.integers(1, n_candidates + 1, size=n)
    order[np.arange(n_candidates)[None, :] >= lengths[:, None]] = -1
    return order


def best_time(function, repeats: int = REPEATS):
    best, value = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - started)
    return best, value


def once(function):
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def ours_irv(names, array):
    return count_irv(Ballots.from_array(names, array))


def pyrankvote_irv(names, array):
    import pyrankvote
    from pyrankvote import Ballot, Candidate

    candidates = [Candidate(name) for name in names]
    ballots = [Ballot([candidates[c] for c in row if c >= 0]) for row in array.tolist()]
    return pyrankvote.instant_runoff_voting(candidates, ballots)


def pyrankvote_stv(names, array, seats):
    import pyrankvote
    from pyrankvote import Ballot, Candidate

    candidates = [Candidate(name) for name in names]
    ballots = [Ballot([candidates[c] for c in row if c >= 0]) for row in array.tolist()]
    return pyrankvote.single_transferable_vote(candidates, ballots, number_of_seats=seats)


def votekit_profile(ballots: Ballots):
    from votekit.ballot import RankBallot
    from votekit.pref_profile import RankProfile

    papers = [
        RankBallot(ranking=[{name} for name in ballots.ranking_names(row)], weight=int(count))
        for row, count in enumerate(ballots.counts)
    ]
    return RankProfile(ballots=papers, candidates=list(ballots.candidates))


def votekit_fast_stv(profile, seats: int):
    from votekit.elections import FastSTV

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return FastSTV(profile, n_seats=seats)


def row(name, value, unit, baseline, baseline_value, ratio, target):
    return {
        "name": name,
        "value": round(value, 6),
        "unit": unit,
        "baseline": baseline,
        "baseline_value": round(baseline_value, 6),
        "ratio": round(ratio, 2),
        "target": target,
    }


def irv_rows() -> list[dict]:
    rows = []
    names = [f"Candidate {i + 1}" for i in range(IRV_CANDIDATES)]
    for n in IRV_SIZES:
        array = generate_ballots(n, IRV_CANDIDATES, seed=n)
        ours_seconds, ours = best_time(lambda array=array: ours_irv(names, array))
        label = f"{n:,}".replace(",000,000", "M").replace(",000", "k")
        theirs_seconds, theirs = once(lambda array=array: pyrankvote_irv(names, array))
        assert [c.name for c in theirs.get_winners()] == ours.winners, "pyrankvote disagrees"
        rows.append(
            row(
                f"IRV count, {label} ballots × {IRV_CANDIDATES} candidates (collapse + count) vs pyrankvote",
                ours_seconds,
                "s",
                "pyrankvote 2.0.6 (ballot construction + count, same ballots)",
                theirs_seconds,
                theirs_seconds / ours_seconds,
                TARGET_PYRANKVOTE if n == 1_000_000 else None,
            )
        )
        profile = votekit_profile(Ballots.from_array(names, array))
        votekit_fast_stv(profile, 1)  # warm-up
        theirs_seconds, election = once(lambda profile=profile: votekit_fast_stv(profile, 1))
        assert [c for group in election.get_elected() for c in group] == ours.winners, "votekit disagrees"
        rows.append(
            row(
                f"IRV count, {label} ballots × {IRV_CANDIDATES} candidates (collapse + count) vs votekit",
                ours_seconds,
                "s",
                "votekit 3.5.0 FastSTV, 1 seat (count only; profile built beforehand)",
                theirs_seconds,
                theirs_seconds / ours_seconds,
                None,
            )
        )
        if n == 1_000_000:
            rows.append(
                row(
                    f"IRV count, 1M ballots × {IRV_CANDIDATES} candidates, against its time budget",
                    ours_seconds,
                    "s",
                    f"budget {BUDGET_COUNT_SECONDS} s",
                    BUDGET_COUNT_SECONDS,
                    BUDGET_COUNT_SECONDS / ours_seconds,
                    1.0,
                )
            )
    return rows


def stv_rows() -> list[dict]:
    names = [f"Candidate {i + 1}" for i in range(STV_CANDIDATES)]
    array = generate_ballots(STV_BALLOTS, STV_CANDIDATES, seed=7)
    ours_seconds, ours = best_time(lambda: count_stv(Ballots.from_array(names, array), STV_SEATS))
    profile = votekit_profile(Ballots.from_array(names, array))
    votekit_fast_stv(profile, STV_SEATS)  # warm-up
    theirs_seconds, election = once(lambda: votekit_fast_stv(profile, STV_SEATS))
    theirs = {c for group in election.get_elected() for c in group}
    agree = "same winners" if theirs == set(ours.winners) else "winners differ (rules differ)"
    pyrankvote_seconds, result = once(lambda: pyrankvote_stv(names, array, STV_SEATS))
    pyrankvote_agree = {c.name for c in result.get_winners()} == set(ours.winners)
    return [
        row(
            f"STV count, 100k ballots × {STV_CANDIDATES} candidates, {STV_SEATS} seats vs pyrankvote"
            f" ({'same winners' if pyrankvote_agree else 'winners differ: its quota and transfers differ'})",
            ours_seconds,
            "s",
            "pyrankvote 2.0.6 STV (ballot construction + count, same ballots)",
            pyrankvote_seconds,
            pyrankvote_seconds / ours_seconds,
            None,
        ),
        row(
            f"STV count, 100k ballots × {STV_CANDIDATES} candidates, {STV_SEATS} seats (collapse + count; {agree})",
            ours_seconds,
            "s",
            "votekit 3.5.0 FastSTV (count only; profile built beforehand)",
            theirs_seconds,
            theirs_seconds / ours_seconds,
            1.0,
        )
    ]


def cli_rows() -> list[dict]:
    names = [f"Candidate {chr(ord('A') + i)}" for i in range(IRV_CANDIDATES)]
    array = generate_ballots(CLI_BALLOTS, IRV_CANDIDATES, seed=11)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ballots.csv"
        lines = (",".join(names[c] for c in ranking if c >= 0) for ranking in array.tolist())
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        command = [sys.executable, "-m", "ajet.elections.count", "--method", "irv", str(path)]
        seconds, _ = best_time(
            lambda: subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL), repeats=3
        )
        # Peak resident memory of the largest finished child: only these command-line runs.
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        size_mb = path.stat().st_size / 1e6
    return [
        row(
            f"Command line, IRV on a 1M-ballot CSV ({size_mb:.0f} MB, {IRV_CANDIDATES} candidates), whole process",
            seconds,
            "s",
            f"budget {BUDGET_CLI_SECONDS} s",
            BUDGET_CLI_SECONDS,
            BUDGET_CLI_SECONDS / seconds,
            1.0,
        ),
        row(
            "Peak memory (RSS), command line on the 1M-ballot CSV",
            peak_mb,
            "MB",
            f"budget {BUDGET_MEMORY_MB:.0f} MB",
            BUDGET_MEMORY_MB,
            BUDGET_MEMORY_MB / peak_mb,
            1.0,
        ),
    ]


def run() -> list[dict]:
    return [*cli_rows(), *irv_rows(), *stv_rows()]


def print_table(rows: list[dict]) -> None:
    for r in rows:
        target = r["target"]
        verdict = "" if target is None else ("  meets target" if r["ratio"] >= target else "  MISSES target")
        print(r["name"])
        print(
            f"    {r['value']:.4f} {r['unit']}  vs {r['baseline']}: {r['baseline_value']:.4f} {r['unit']}"
            f"  → ratio {r['ratio']:.2f}" + (f" (target ≥ {target})" if target is not None else "") + verdict
        )


if __name__ == "__main__":
    print_table(run())
