"""The line's opening hours: the nightly window as data, and the one function that says open or closed.

A *night* is named by the day it starts: the night of 14 March runs from 20:00 on the 14th to 07:00 on the
15th, Asia/Tokyo (DESIGN.md invariant 6). Japan has no daylight saving time, so every night is 11 hours.
The coordinator's exceptions (a closed night, an extended or shortened one) replace the window of a night.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# The window of every night unless an exception says otherwise: the one place these values live.
LINE_TIMEZONE = ZoneInfo("Asia/Tokyo")
OPENS = datetime.time(20, 0)
CLOSES = datetime.time(7, 0)

# The shifts of a night, in order; together they cover OPENS … CLOSES exactly.
SHIFTS = (
    (datetime.time(20, 0), datetime.time(23, 30)),
    (datetime.time(23, 30), datetime.time(3, 0)),
    (datetime.time(3, 0), datetime.time(7, 0)),
)
# How far ahead the next opening is looked for (past a long run of closed nights the answer is "unknown").
LOOKAHEAD_NIGHTS = 60


@dataclass(frozen=True)
class Window:
    start: datetime.datetime  # aware
    end: datetime.datetime

    def __contains__(self, moment: datetime.datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class Status:
    open: bool
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None

    def as_json(self) -> dict:
        return {
            "open": self.open,
            "opens_at": self.opens_at.isoformat() if self.opens_at else None,
            "closes_at": self.closes_at.isoformat() if self.closes_at else None,
        }


def _at(day: datetime.date, clock: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, clock, tzinfo=LINE_TIMEZONE)


def span(night: datetime.date, opens: datetime.time, closes: datetime.time) -> tuple[datetime.datetime,
                                                                                       datetime.datetime]:
    """Start and end of a stretch of the night: a closing clock time at or before the opening one is on the
    next morning."""
    end_day = night + datetime.timedelta(days=1) if closes <= opens else night
    return _at(night, opens), _at(end_day, closes)


def window_of(night: datetime.date, exception=None) -> Window | None:
    """The window of `night`, or None when the night is closed. `exception` is the night's NightException."""
    if exception is not None:
        if exception.closed:
            return None
        return Window(*span(night, exception.opens or OPENS, exception.closes or CLOSES))
    return Window(*span(night, OPENS, CLOSES))


def night_of(moment: datetime.datetime) -> datetime.date:
    """The night a moment belongs to: before noon it is the night that began the day before."""
    local = moment.astimezone(LINE_TIMEZONE)
    return local.date() - datetime.timedelta(days=1) if local.hour < 12 else local.date()


def status_at(moment: datetime.datetime, exceptions: dict) -> Status:
    """Open or closed at `moment`, and when that changes. `exceptions` maps a night to its NightException;
    it must hold every exception from the night before `moment`'s to LOOKAHEAD_NIGHTS after."""
    night = night_of(moment)
    for day in (night - datetime.timedelta(days=1), night):
        window = window_of(day, exceptions.get(day))
        if window is not None and moment in window:
            return Status(open=True, opens_at=None, closes_at=window.end.astimezone(LINE_TIMEZONE))
    for offset in range(LOOKAHEAD_NIGHTS + 1):
        day = night + datetime.timedelta(days=offset)
        window = window_of(day, exceptions.get(day))
        if window is not None and window.start > moment:
            return Status(open=False, opens_at=window.start.astimezone(LINE_TIMEZONE), closes_at=None)
    return Status(open=False, opens_at=None, closes_at=None)


def nights_needed(moment: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    """The first and last night whose exceptions `status_at(moment, …)` may read."""
    night = night_of(moment)
    return night - datetime.timedelta(days=1), night + datetime.timedelta(days=LOOKAHEAD_NIGHTS)


def shift_span(night: datetime.date, index: int) -> tuple[datetime.datetime, datetime.datetime]:
    """Start and end of shift `index` of `night` (a shift starting after midnight is on the next day)."""
    opens, closes = SHIFTS[index]
    start_day = night + datetime.timedelta(days=1) if opens < OPENS else night
    end_day = night + datetime.timedelta(days=1) if closes <= OPENS else night
    return _at(start_day, opens), _at(end_day, closes)
