"""Opening hours of the referral directory's services, as data: what each weekday is open, in Japan time.

A service's `weekly_hours` is `[]` when its hours are not known as data, or seven lists (Monday … Sunday)
of `[opens, closes]` pairs written "HH:MM". A pair that closes at or before it opens runs past midnight into
the next morning (`["22:00", "06:00"]` on Friday is Friday night until Saturday 06:00; `["09:00", "09:00"]`
is 24 hours from 09:00), and "24:00" closes at midnight. A day without pairs is closed. The free text of
the entry is shown beside what these hours say.

A service closed on Japan's public holidays (substitute and citizens' holidays included, from the `holidays`
library) does not open on a holiday: neither that day's pairs nor the night that starts on it. A pair runs on
the day it opens, so a Friday night that runs into a Saturday holiday morning stays open until it closes.
"""

import datetime
import functools
import re

import holidays
from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _

DAYS = 7
# "9:00-17:00", "09:00 – 17:00", "9.00~17.00", "９：００〜１７：００" (full-width digits are made plain first).
_RANGE = re.compile(r"^(\d{1,2})[:.](\d{2})\s*[-–—~〜]\s*(\d{1,2})[:.](\d{2})$")
_SEPARATORS = re.compile(r"\s*[,;、，]\s*")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９：．～－", "0123456789:.~-")


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def parse_day(text: str) -> list[list[str]]:
    """The pairs of one day written as people write them ("9:00–12:00, 13:00–17:00"; empty: closed), sorted
    and written "HH:MM". Raises ValidationError saying what is wrong."""
    text = (text or "").translate(_FULL_WIDTH).strip()
    if not text:
        return []
    pairs = []
    for part in _SEPARATORS.split(text):
        found = _RANGE.match(part)
        if found is None:
            raise ValidationError(_("“%(value)s” is not a time range like 09:00–17:00.") % {"value": part[:40]})
        open_hour, open_minute, close_hour, close_minute = (int(number) for number in found.groups())
        if open_hour > 23 or open_minute > 59 or close_minute > 59 or close_hour > 24 or (
                close_hour == 24 and close_minute):
            raise ValidationError(_("“%(value)s” is not a time of day.") % {"value": part[:40]})
        pairs.append([f"{open_hour:02}:{open_minute:02}", f"{close_hour:02}:{close_minute:02}"])
    return sorted(pairs)


def format_day(pairs: list[list[str]]) -> str:
    return ", ".join(f"{opens}–{closes}" for opens, closes in pairs)


def validate_weekly_hours(value) -> None:
    """A model validator: [] or seven lists of valid pairs."""
    if value == []:
        return
    if not isinstance(value, list) or len(value) != DAYS or not all(isinstance(day, list) for day in value):
        raise ValidationError(_("Opening hours need one entry for each day of the week."))
    for day in value:
        if not all(isinstance(pair, list) and len(pair) == 2 and all(isinstance(clock, str) for clock in pair)
                   for pair in day):
            raise ValidationError(_("Opening hours must be pairs of times."))
        if parse_day(format_day(day)) != sorted(day):
            raise ValidationError(_("Opening hours must be pairs of times."))


@functools.lru_cache(maxsize=16)
def _public_holidays_of(year: int) -> frozenset[datetime.date]:
    # Computed once per year and process: the calendar is fixed by law, not data anyone edits.
    return frozenset(holidays.country_holidays("JP", years=year))


def is_public_holiday(day: datetime.date) -> bool:
    """Whether `day` is a national holiday in Japan, substitute (振替休日) and citizens' (国民の休日) holidays
    included. Years the library does not cover (before 1949, after 2099) have none."""
    return day in _public_holidays_of(day.year)


def is_open(weekly: list, local: datetime.datetime, *, closed_on_holidays: bool = False) -> bool | None:
    """Whether a service with these hours is open at `local` (a time in Japan); None when not known. Closed on
    holidays: a holiday opens no pair, not even one past midnight, and a service whose hours are not known is
    known to be closed on the holiday itself."""
    today = local.date()

    def opens_on(day: datetime.date) -> bool:
        return not (closed_on_holidays and is_public_holiday(day))

    if not weekly:
        return None if opens_on(today) else False
    minute = local.hour * 60 + local.minute
    if opens_on(today):
        for opens, closes in weekly[local.weekday()]:
            start, end = _minutes(opens), _minutes(closes)
            if start <= minute and (minute < end or end <= start):  # today's pair, or tonight's past midnight
                return True
    if opens_on(today - datetime.timedelta(days=1)):
        for opens, closes in weekly[(local.weekday() - 1) % DAYS]:
            start, end = _minutes(opens), _minutes(closes)
            if end <= start and minute < end:  # last night's pair, still running this morning
                return True
    return False


def summary(weekly: list) -> list[tuple[str, str]]:
    """The hours as people read them, consecutive days alike grouped: [("Mon–Fri", "09:00–17:00"),
    ("Sat", "10:00–12:00"), ("Sun", "closed")]. Empty when not known."""
    if not weekly:
        return []
    groups: list[list[int]] = []
    for day in range(DAYS):
        if groups and weekly[groups[-1][-1]] == weekly[day]:
            groups[-1].append(day)
        else:
            groups.append([day])
    if len(groups) == 1:
        return [(_("Every day"), format_day(weekly[0]) or _("closed"))]
    return [(str(WEEKDAYS_ABBR[days[0]]) if len(days) == 1 else f"{WEEKDAYS_ABBR[days[0]]}–{WEEKDAYS_ABBR[days[-1]]}",
             format_day(weekly[days[0]]) or _("closed")) for days in groups]


def day_names() -> list[str]:
    """Monday … Sunday, in the active language (for the form's seven fields)."""
    return [str(WEEKDAYS[day]) for day in range(DAYS)]
