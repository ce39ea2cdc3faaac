"""The outcome of a count, as published (JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .ties import TieBreak


@dataclass
class Round:
    """One round (stage): the votes at its start and what was decided from them.

    `tallies` lists every candidate still in the count (continuing, or elected in STV);
    `eliminated` are excluded now and their ballots transferred before the next round;
    `surplus_of` is the elected candidate whose surplus is transferred before the next round (STV).
    """

    tallies: dict[str, int | float]
    exhausted: int | float
    elected: list[str] = field(default_factory=list)
    eliminated: list[str] = field(default_factory=list)
    surplus_of: str | None = None
    rounding_loss: int | float | None = None  # STV: votes lost so far to truncating transfer values

    def as_dict(self) -> dict:
        data: dict = {
            "tallies": self.tallies,
            "exhausted": self.exhausted,
            "elected": self.elected,
            "eliminated": self.eliminated,
        }
        if self.surplus_of is not None:
            data["surplus_of"] = self.surplus_of
        if self.rounding_loss is not None:
            data["rounding_loss"] = self.rounding_loss
        return data


@dataclass
class CountResult:
    method: str  # "irv", "stv" or "referendum"
    seats: int
    winners: list[str]
    rounds: list[Round]
    ballots: int  # ballots read
    valid_votes: int  # ballots counting for a candidate in the first round
    rules: str
    seed: int
    tie_breaks: list[TieBreak]
    quota: int | None = None
    count_seconds: float = 0.0
    threshold: str | None = None  # a referendum's: "simple" or "two-thirds"
    carried: bool | None = None  # a referendum's outcome

    def as_dict(self) -> dict:
        data: dict = {"method": self.method, "seats": self.seats}
        if self.quota is not None:
            data["quota"] = self.quota
        data |= {
            "winners": self.winners,
            "ballots": self.ballots,
            "valid_votes": self.valid_votes,
            "rounds": [r.as_dict() for r in self.rounds],
            "tie_breaks": [t.as_dict() for t in self.tie_breaks],
            "count_seconds": self.count_seconds,
            "rules": self.rules,
            "seed": self.seed,
        }
        if self.threshold is not None:
            data |= {"threshold": self.threshold, "carried": self.carried}
        return data
