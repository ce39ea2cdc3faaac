"""Reads of the PSG line: the status now, the roster's coverage, the published statistics, the directory."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from ajet.support import hours
from ajet.support.models import ContactLog, NightException, Resource, ShiftAssignment, Volunteer

# At least this many trained volunteers on every shift; fewer is a gap on the coverage view.
MIN_VOLUNTEERS_PER_SHIFT = 2
# How many nights ahead the coverage view and the volunteers' roster show.
ROSTER_NIGHTS = 28
# Any published count under this is suppressed, as everywhere else (DESIGN.md invariant 4).
SUPPRESSION_THRESHOLD = 5


def exceptions_between(first: datetime.date, last: datetime.date) -> dict:
    return {row.night: row for row in NightException.objects.filter(night__range=(first, last))}


def line_status(moment: datetime.datetime | None = None) -> hours.Status:
    """Open or closed now (or at `moment`), and when that changes."""
    moment = moment or timezone.now()
    return hours.status_at(moment, exceptions_between(*hours.nights_needed(moment)))


def upcoming_nights(start: datetime.date | None = None, count: int = ROSTER_NIGHTS) -> list[datetime.date]:
    start = start or hours.night_of(timezone.now())
    return [start + datetime.timedelta(days=offset) for offset in range(count)]


@dataclass
class ShiftCoverage:
    night: datetime.date
    shift: int
    start: datetime.datetime
    end: datetime.datetime
    assignments: list

    @property
    def trained(self) -> int:
        return sum(1 for assignment in self.assignments if assignment.volunteer.may_serve(self.night))

    @property
    def missing(self) -> int:
        return max(0, MIN_VOLUNTEERS_PER_SHIFT - self.trained)


@dataclass
class NightCoverage:
    night: datetime.date
    closed: bool
    shifts: list[ShiftCoverage]

    @property
    def has_gap(self) -> bool:
        return any(shift.missing for shift in self.shifts)


def coverage(start: datetime.date | None = None, count: int = ROSTER_NIGHTS) -> list[NightCoverage]:
    """Every night ahead with its shifts and who is on them; closed nights have no shifts to fill.
    A volunteer counts only while trained and active on that night (an overdue refresher is a gap)."""
    nights = upcoming_nights(start, count)
    exceptions = exceptions_between(nights[0], nights[-1])
    assignments = ShiftAssignment.objects.filter(night__range=(nights[0], nights[-1])).select_related(
        "volunteer__member").prefetch_related("volunteer__trainings")
    by_shift: dict[tuple, list] = {}
    for assignment in assignments:
        by_shift.setdefault((assignment.night, assignment.shift), []).append(assignment)
    result = []
    for night in nights:
        if hours.window_of(night, exceptions.get(night)) is None:
            result.append(NightCoverage(night, True, []))
            continue
        shifts = [ShiftCoverage(night, index, *hours.shift_span(night, index), by_shift.get((night, index), []))
                  for index in range(len(hours.SHIFTS))]
        result.append(NightCoverage(night, False, shifts))
    return result


def shifts_of(volunteer: Volunteer, start: datetime.date | None = None) -> set[tuple[datetime.date, int]]:
    start = start or hours.night_of(timezone.now())
    return set(volunteer.shifts.filter(night__gte=start).values_list("night", "shift"))


def published_statistics() -> list[dict]:
    """Contacts per month and topic, the one table published to everyone. A cell under
    SUPPRESSION_THRESHOLD is None (shown as "fewer than 5"), so no contact can be singled out;
    a month's total is suppressed the same way."""
    months: dict[str, Counter] = {}
    totals: Counter = Counter()
    for night, topics in ContactLog.objects.values_list("night", "topics"):
        month = f"{night:%Y-%m}"
        totals[month] += 1
        months.setdefault(month, Counter()).update(set(topics))
    rows = []
    for month in sorted(totals, reverse=True):
        rows.append({
            "month": month,
            "total": _suppressed(totals[month]),
            "topics": [(label, _suppressed(months[month][value])) for value, label in ContactLog.Topic.choices],
        })
    return rows


def _suppressed(count: int) -> int | None:
    return count if count >= SUPPRESSION_THRESHOLD else None


def resources(emergency_first: bool = True):
    order = Case(When(category=Resource.Category.EMERGENCY, then=Value(0)), default=Value(1),
                 output_field=IntegerField())
    return Resource.objects.order_by(order, "category", "name")


def current_shift(moment: datetime.datetime | None = None) -> tuple[datetime.date, int] | None:
    """The night and index of the shift running at `moment` (now by default), or None outside the shifts."""
    moment = moment or timezone.now()
    night = hours.night_of(moment)
    for index in range(len(hours.SHIFTS)):
        start, end = hours.shift_span(night, index)
        if start <= moment < end:
            return night, index
    return None


def may_take_contacts_now(user) -> bool:
    """A trained, active volunteer on the shift running now (and the line open)."""
    if user is None or not user.is_authenticated or not user.has_perm("support.log_contact"):
        return False
    shift = current_shift()
    if shift is None or not line_status().open:
        return False
    from ajet.support.rules import volunteer_of

    return ShiftAssignment.objects.filter(volunteer=volunteer_of(user), night=shift[0], shift=shift[1]).exists()
