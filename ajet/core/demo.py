"""The demo world is built in parts that each app contributes (core knows no domain).

`seed_demo` (in organisation) builds the people, chapters and councils first, then calls every registered
part in order. An app registers its part in its AppConfig.ready():

    register_demo(order=50, build=demo.build_elections_demo)

`build(context)` receives a `DemoContext`: the day the world was built for, the seed, the demo accounts
by role (Member objects) and a `notes` list the part appends one-line summaries to, which `seed_demo`
prints. Every part must be deterministic for the same seed and day.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class DemoContext:
    today: datetime.date
    seed: int
    accounts: dict  # role → Member (e.g. "member", "executive")
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoPart:
    order: int
    build: Callable[[DemoContext], None]


_parts: list[DemoPart] = []


def register_demo(*, order: int, build: Callable[[DemoContext], None]) -> None:
    if any(part.build is build for part in _parts):
        return
    _parts.append(DemoPart(order, build))
    _parts.sort(key=lambda part: part.order)


def build_demo_parts(context: DemoContext) -> DemoContext:
    """Call every registered part in order; return the context with their notes."""
    for part in _parts:
        part.build(context)
    return context
