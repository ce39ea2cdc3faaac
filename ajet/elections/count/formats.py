"""Ballot files: BLT (as used by OpenSTV and Droop) and CSV of ranked ballots.

BLT: first line `CANDIDATES SEATS`; an optional line of negative numbers (withdrawn candidates);
one line per ballot group `WEIGHT c1 c2 … 0` (candidates numbered from 1, `-` a skipped ranking,
`a=b` an overvote, an optional leading `(id)`); a line `0`; one quoted name per candidate; the quoted
title. Lines starting with `#` are comments.

CSV: one ballot per line, candidate names in rank order, comma-separated (quoted as CSV when a name
holds a comma); an empty field is a skipped ranking; blank lines are ignored. The candidates are
the names that appear, in alphabetical order. CSV has no overvote notation.

Both readers collapse identical lines before parsing them, so a million ballots with a few
thousand distinct rankings read quickly. A malformed file raises `BallotFileError` naming the line.
"""

import csv
import gzip
import io
from collections import Counter
from pathlib import Path
from typing import TextIO

import numpy as np

from .ballots import UNKNOWN, BallotError, Ballots


class BallotFileError(ValueError):
    """A ballot file that cannot be read; `line` is the 1-based line number (None: the whole file)."""

    def __init__(self, message: str, line: int | None = None, path: str | None = None):
        self.message = message
        self.line = line
        self.path = path
        where = ": ".join(part for part in (path, f"line {line}" if line is not None else None) if part)
        super().__init__(f"{where}: {message}" if where else message)


def read_ballot_file(path: str | Path) -> tuple[Ballots, int | None]:
    """Ballots from a .blt, .csv (or the same gzip-compressed, .gz) file, and the seats a BLT names."""
    path = Path(path)
    suffixes = [s.lower() for s in path.suffixes]
    compressed = suffixes[-1:] == [".gz"]
    kind = suffixes[-2] if compressed and len(suffixes) >= 2 else (suffixes[-1] if suffixes else "")
    if kind not in (".blt", ".csv"):
        raise BallotFileError("the file name must end in .blt or .csv (optionally .gz)", path=str(path))
    try:
        data = gzip.decompress(path.read_bytes()) if compressed else path.read_bytes()
    except OSError as error:
        raise BallotFileError(f"cannot read the file ({error.strerror or error})", path=str(path)) from None
    try:
        if kind == ".blt":
            return parse_blt(_decode(data))
        return parse_csv(data), None  # decoded line by line: only the distinct lines
    except BallotFileError as error:
        raise BallotFileError(error.message, error.line, str(path)) from None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BallotFileError("the line is not valid UTF-8 text", line) from None


# --- BLT ---------------------------------------------------------------------------------------


def parse_blt(text: str) -> tuple[Ballots, int]:
    """Ballots and the number of seats from the text of a BLT file."""
    lines = text.splitlines()
    position = 0

    def next_content_line() -> tuple[int, str] | None:
        nonlocal position
        while position < len(lines):
            position += 1
            stripped = lines[position - 1].strip()
            if stripped and not stripped.startswith("#"):
                return position, stripped
        return None

    header = next_content_line()
    if header is None:
        raise BallotFileError("the file is empty", 1)
    number, content = header
    fields = content.split()
    if len(fields) != 2 or not all(f.isdigit() for f in fields):
        raise BallotFileError("the first line must be two whole numbers: candidates and seats", number)
    n_candidates, seats = int(fields[0]), int(fields[1])
    if n_candidates < 1 or seats < 1:
        raise BallotFileError("there must be at least one candidate and one seat", number)

    withdrawn: set[int] = set()
    parsed: dict[str, tuple[int, tuple[tuple[int, ...], ...]]] = {}
    counts: Counter[tuple[tuple[int, ...], ...]] = Counter()
    ended = False
    first = True
    while (found := next_content_line()) is not None:
        number, content = found
        if content == "0":
            ended = True
            break
        if first and content.startswith("-"):
            withdrawn = _parse_withdrawn(content, n_candidates, number)
            first = False
            continue
        first = False
        entry = parsed.get(content)
        if entry is None:
            entry = parsed[content] = _parse_ballot_line(content, n_candidates, number)
        weight, marks = entry
        if weight:
            counts[marks] += weight
    if not ended:
        raise BallotFileError("the ballots must end with a line '0'", len(lines))

    names: list[str] = []
    title = ""
    while (found := next_content_line()) is not None:
        number, content = found
        if len(content) < 2 or not (content.startswith('"') and content.endswith('"')):
            raise BallotFileError('a candidate name or the title must be in double quotes ("…")', number)
        if len(names) < n_candidates:
            names.append(content[1:-1])
        elif not title:
            title = content[1:-1]
        else:
            raise BallotFileError("unexpected text after the title", number)
    if len(names) < n_candidates:
        raise BallotFileError(f"{n_candidates} candidate names expected, found {len(names)}", len(lines))
    try:
        ballots = Ballots.from_marks(
            names, list(counts), list(counts.values()), withdrawn=frozenset(withdrawn), title=title
        )
    except BallotError as error:
        raise BallotFileError(str(error)) from None
    return ballots, seats


def _parse_withdrawn(content: str, n_candidates: int, number: int) -> set[int]:
    withdrawn = set()
    for field in content.split():
        if not (field.startswith("-") and field[1:].isdigit()):
            raise BallotFileError(f"withdrawn candidates must be negative numbers, not {field!r}", number)
        withdrawn.add(_candidate_number(field[1:], n_candidates, number))
    return withdrawn


def _parse_ballot_line(content: str, n_candidates: int, number: int) -> tuple[int, tuple[tuple[int, ...], ...]]:
    fields = content.split()
    if fields[0].startswith("("):
        if not fields[0].endswith(")"):
            raise BallotFileError("a ballot id must be one word in parentheses", number)
        fields = fields[1:]
    if not fields or not fields[0].isdigit():
        raise BallotFileError("a ballot line must start with its weight, a whole number", number)
    if fields[-1] != "0" or len(fields) < 2:
        raise BallotFileError("a ballot line must end with 0", number)
    weight = int(fields[0])
    marks: list[tuple[int, ...]] = []
    for field in fields[1:-1]:
        if field == "-":
            marks.append(())
        elif "=" in field:  # an overvote; "-" in it: a candidate the file does not name
            parts = field.split("=")
            marks.append(tuple(UNKNOWN if p == "-" else _candidate_number(p, n_candidates, number) for p in parts))
        else:
            marks.append((_candidate_number(field, n_candidates, number),))
    return weight, tuple(marks)


def _candidate_number(field: str, n_candidates: int, number: int) -> int:
    if not field.isdigit() or not 1 <= int(field) <= n_candidates:
        raise BallotFileError(f"{field!r} is not a candidate number from 1 to {n_candidates}", number)
    return int(field) - 1


def write_blt(ballots: Ballots, out: TextIO, seats: int = 1) -> None:
    """Write `ballots` as BLT (one line per distinct ranking, with its count as the weight)."""
    n = ballots.n_candidates
    out.write(f"{n} {seats}\n")
    if ballots.withdrawn:
        out.write(" ".join(f"-{c + 1}" for c in sorted(ballots.withdrawn)) + "\n")
    for row, count in zip(ballots.rankings, ballots.counts, strict=True):
        marks = []
        for code in row:
            if code < 0:
                break
            if code < n:
                marks.append(str(code + 1))
                continue
            group = ballots.overvotes[code - n]
            # Only unnamed marks left (the rest ranked earlier): "-=-", as a lone "-" would be a skipped ranking.
            marks.append("=".join(str(c + 1) if c != UNKNOWN else "-" for c in group) if len(group) > 1 else "-=-")
        out.write(" ".join([str(int(count)), *marks, "0"]) + "\n")
    out.write("0\n")
    for name in ballots.candidates:
        out.write(f'"{name}"\n')
    out.write(f'"{ballots.title}"\n')


# --- CSV ---------------------------------------------------------------------------------------


def parse_csv(text: str | bytes) -> Ballots:
    """Ballots from the text (or UTF-8 bytes) of a CSV file (one ballot per line, names in rank order)."""
    binary = isinstance(text, bytes)
    if binary:
        text = text.removeprefix(b"\xef\xbb\xbf")
    newline, comma, quote, carriage = (b"\n", b",", b'"', b"\r") if binary else ("\n", ",", '"', "\r")
    lines = text.split(newline)
    distinct = Counter(lines)  # identical ballots are common: parse each distinct line once
    for blank in (newline[:0], carriage):
        distinct.pop(blank, None)
    # Each distinct field is decoded and stripped once, and numbered in order of first appearance.
    code_of: dict = {}
    names: dict[str, int] = {}
    rows = []
    for line in distinct:
        fields = _csv_fields(line, lines) if quote in line else line.split(comma)
        try:
            rows.append([code_of[field] for field in fields])
        except KeyError:
            for field in fields:
                if field not in code_of:
                    name = _field_name(field, lines)
                    code_of[field] = names.setdefault(name, len(names)) if name else UNKNOWN
            rows.append([code_of[field] for field in fields])
    if not names:
        raise BallotFileError("the file holds no ballots with a candidate on them", 1)
    candidates = sorted(names)
    # Renumber in alphabetical order; UNKNOWN (-1, a skipped ranking) stays -1 (the table's last entry).
    renumber = np.empty(len(names) + 1, dtype=np.int32)
    renumber[list(names.values())] = [candidates.index(name) for name in names]
    renumber[-1] = UNKNOWN
    depth = max(len(row) for row in rows)
    padding = [[UNKNOWN] * k for k in range(depth + 1)]
    array = np.array([row + padding[depth - len(row)] for row in rows], dtype=np.int32)
    # from_array collapses the rows and interprets the few that skip or repeat a ranking.
    return Ballots.from_array(candidates, renumber[array], np.fromiter(distinct.values(), np.int64, len(rows)))


def _csv_fields(line: str | bytes, lines: list) -> list[str]:
    """The fields of a line with quotes, by the csv module."""
    try:
        text = line.decode("utf-8") if isinstance(line, bytes) else line
        return next(csv.reader([text], strict=True))
    except UnicodeDecodeError:
        raise BallotFileError("the line is not valid UTF-8 text", lines.index(line) + 1) from None
    except csv.Error as error:
        raise BallotFileError(f"not a valid CSV line ({error})", lines.index(line) + 1) from None


def _field_name(field: str | bytes, lines: list) -> str:
    if isinstance(field, bytes):
        try:
            field = field.decode("utf-8")
        except UnicodeDecodeError:
            line = next(i for i, line in enumerate(lines) if field in line.split(b","))
            raise BallotFileError("the line is not valid UTF-8 text", line + 1) from None
    return field.strip()


def write_csv(ballots: Ballots, out: TextIO) -> None:
    """Write `ballots` as CSV, one line per ballot. Overvotes cannot be written as CSV."""
    if ballots.overvotes:
        raise BallotError("CSV has no notation for overvotes; write BLT instead")
    for row, count in zip(ballots.rankings, ballots.counts, strict=True):
        line = io.StringIO()
        csv.writer(line, lineterminator="\n").writerow([ballots.candidates[c] for c in row if c >= 0])
        out.write(line.getvalue() * int(count))
