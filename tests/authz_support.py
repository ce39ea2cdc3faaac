"""The URL × role authorization matrix: shared vocabulary for every app's rows.

Each app lists its rows in `tests/<app>/authz.py` as `ROWS = [Row(...), ...]`. The matrix test
(tests/test_authorization_matrix.py) walks every URL pattern of the project and fails when one has no row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

ROLES = (
    "anonymous",
    "pending",
    "member",
    "chapter_officer",
    "other_block_rep",
    "block_rep",
    "executive",
    "officer_without_mfa",
    "attacker",
)
# The attacker (Mallory) represents Block 3 beside Bob and is an officer of the home chapter: a determined
# insider. Unless a row says otherwise she gets what the Block 3 representative gets; the rows that try to
# widen her powers say what she gets, and check afterwards that nobody gained any.
ATTACKER_LIKE = "block_rep"

LOGIN = "login"  # redirected to the sign-in page
MFA = "mfa"  # redirected to set up two-factor authentication
REDIRECT = "redirect"  # any redirect (the action happened, or a form sent the user on)

World = SimpleNamespace  # the personas and their chapters, see tests/conftest.py


def _no_kwargs(world: World) -> dict:
    return {}


@dataclass(frozen=True)
class Row:
    """One URL pattern (by its name) and what each role gets from it."""

    name: str
    expect: dict[str, int | str]
    kwargs: Callable[[World], dict] = _no_kwargs
    method: str = "get"
    data: Callable[[World], dict] = field(default=_no_kwargs)
    # Asserts, after the request, that the role's attempt changed nothing it may not (e.g. nobody's powers).
    verify: Callable[[World, str], None] | None = None

    def __post_init__(self):
        if "attacker" not in self.expect and ATTACKER_LIKE in self.expect:
            object.__setattr__(self, "expect", {**self.expect, "attacker": self.expect[ATTACKER_LIKE]})
        missing = set(ROLES) - set(self.expect)
        if missing:
            raise ValueError(f"row {self.name} has no expectation for {sorted(missing)}")


def everyone(status: int | str = 200, **overrides) -> dict:
    """The same answer for every role, with per-role exceptions (the attacker: see ATTACKER_LIKE)."""
    expect = {role: overrides.get(role, status) for role in ROLES if role != "attacker"}
    return expect | ({"attacker": overrides["attacker"]} if "attacker" in overrides else {})


def signed_in(status: int | str = 200, **overrides) -> dict:
    """Anonymous visitors are sent to sign in; everyone else gets `status` unless overridden.

    The officer without MFA is sent to set it up, like on every page that needs sign-in.
    """
    return everyone(status, anonymous=LOGIN, officer_without_mfa=MFA) | overrides


def officers_only(allowed: tuple[str, ...], status: int | str = 200, denied: int = 403, **overrides) -> dict:
    """Signed-in page where only the `allowed` roles get `status`, the others `denied`."""
    expect = signed_in(denied)
    for role in allowed:
        expect[role] = status
    return expect | overrides
