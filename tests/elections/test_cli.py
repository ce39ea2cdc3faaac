"""`python -m ajet.elections.count`: anyone can re-count a published ballot file."""

import json
import subprocess
import sys
from pathlib import Path

from ajet.elections.count.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"


def run(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_irv_on_a_csv_prints_the_result_as_json(capsys, tmp_path):
    ballots = tmp_path / "ballots.csv"
    ballots.write_text("A,B\nA\nB,A\nC,B\nC,B\n")
    status, out, err = run(capsys, "--method", "irv", str(ballots))
    assert status == 0 and err == ""
    result = json.loads(out)
    assert result["winners"] == ["A"]
    assert result["rounds"][0]["tallies"] == {"A": 2, "B": 1, "C": 2}
    assert result["count_seconds"] >= 0
    assert result["seed"] == 20260101 and "random.Random(seed)" in result["rules"]


def test_stv_takes_the_seats_from_the_blt_file_or_the_option(capsys):
    status, out, _ = run(capsys, "--method", "stv", str(DATA / "glasgow-2007-Calton.blt"))
    assert status == 0
    result = json.loads(out)
    assert result["seats"] == 3 and len(result["winners"]) == 3 and result["quota"] == 1300
    calton = str(DATA / "glasgow-2007-Calton.blt")
    status, out, _ = run(capsys, "--method", "stv", "--seats", "1", "--seed", "5", calton)
    result = json.loads(out)
    assert result["seats"] == 1 and result["seed"] == 5 and result["winners"] == ["George Redmond"]


def test_malformed_file_prints_the_line_and_exits_non_zero(capsys, tmp_path):
    bad = tmp_path / "bad.blt"
    bad.write_text("2 1\n1 1 2 0\n1 1 7 0\n0\n\"A\"\n\"B\"\n")
    status, out, err = run(capsys, "--method", "irv", str(bad))
    assert status == 2 and out == ""
    assert err == f"error: {bad}: line 3: '7' is not a candidate number from 1 to 2\n"


def test_missing_file_and_irv_with_seats_are_errors(capsys, tmp_path):
    status, _, err = run(capsys, "--method", "irv", str(tmp_path / "none.csv"))
    assert status == 2 and "cannot read the file" in err
    (tmp_path / "e.csv").write_text("A\n")
    status, _, err = run(capsys, "--method", "irv", "--seats", "2", str(tmp_path / "e.csv"))
    assert status == 2 and "one seat" in err


def test_runs_as_a_module():
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "ajet.elections.count", "--method", "irv", "--batch-elimination",
         str(DATA / "2009-Burlington-Mayor.blt")],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    result = json.loads(completed.stdout)
    assert result["winners"] == ["Bob Kiss"]
    assert result["rounds"][-1]["tallies"] == {"Bob Kiss": 4313, "Kurt Wright": 4061}
