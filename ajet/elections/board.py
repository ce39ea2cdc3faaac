"""The bulletin board's hash chain, and a checker that needs only Python (no Django, no platform).

The board file (downloadable from every closed election's bulletin board) has comment lines starting
with `#` and one line per ballot, `post<TAB>tracking code<TAB>ranking` (or `post<TAB>code` when the
election publishes only codes), in board order: by contest, then by tracking code. The chain runs over
the ballot lines in that order, each UTF-8 encoded without its line end:

    head = "0" * 64
    for line in ballot_lines:
        head = sha256((head + "\\n" + line).encode("utf-8")).hexdigest()

The final `head` is the board hash published at close (and written on the file's last line as
`# chain head: ...`). Changing, adding, removing or reordering any ballot changes it.

Check a downloaded board:  python -m ajet.elections.board council-2026-board.txt [EXPECTED_HEAD]
"""

import hashlib
import sys
from collections.abc import Iterable

GENESIS = "0" * 64
HEAD_PREFIX = "# chain head: "


def chain_step(head: str, line: str) -> str:
    return hashlib.sha256((head + "\n" + line).encode("utf-8")).hexdigest()


def chain_head(ballot_lines: Iterable[str]) -> str:
    head = GENESIS
    for line in ballot_lines:
        head = chain_step(head, line)
    return head


def ballot_lines(text: str) -> list[str]:
    """The ballot lines of a board file: every non-empty line that is not a `#` comment."""
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def stated_head(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith(HEAD_PREFIX):
            return line[len(HEAD_PREFIX):].strip()
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) not in (1, 2):
        print("usage: python -m ajet.elections.board BOARD_FILE [EXPECTED_HEAD]", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as board_file:
        text = board_file.read()
    lines = ballot_lines(text)
    head = chain_head(lines)
    print(f"{len(lines)} ballots, chain head {head}")
    expected = argv[1] if len(argv) == 2 else stated_head(text)
    if expected is None:
        return 0
    if expected.lower() != head:
        print(f"MISMATCH: expected {expected}", file=sys.stderr)
        return 1
    print("OK: the chain head matches")
    return 0


if __name__ == "__main__":
    sys.exit(main())
