"""Reads of the PSG line: the status now, the roster's coverage, the published statistics, the directory."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from ajet.organisation.geography import block_map_on
from ajet.support import hours
from ajet.support.models import (
    HOUR_CHOICES,
    ContactLog,
    NightException,
    OnCall,
    Resource,
    ShiftAssignment,
    Volunteer,
)

# At least this many trained volunteers on every shift; fewer is a gap on the coverage view.
MIN_VOLUNTEERS_PER_SHIFT = 2
# How many nights ahead the coverage view, the volunteers' roster and the coordinators' digest of gaps show.
ROSTER_NIGHTS = 30
# Any published count under this is suppressed, as everywhere else (DESIGN.md invariant 4).
SUPPRESSION_THRESHOLD = 5
# The hours of the usual window (20:00–07:00), always shown in the figures by hour; others only when used.
NIGHT_HOURS = frozenset([*range(20, 24), *range(0, 7)])


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
    """Contacts per month by channel and by topic, the one table published to everyone (never by hour).
    A cell under SUPPRESSION_THRESHOLD is None (shown as "fewer than 5"), so no contact can be singled out;
    a month's total is suppressed the same way."""
    return [{key: row[key] for key in ("month", "total", "channels", "topics")} for row in contact_statistics()]


def contact_statistics() -> list[dict]:
    """The coordinators' monthly figures from the contact logs, newest month first: total, by channel, by
    topic, by hour of the night (the hour a contact started) and the high-risk contacts with their share.
    Every count under SUPPRESSION_THRESHOLD is None, and so is a share resting on one."""
    months: dict[str, dict[str, Counter]] = {}
    for night, hour, channel, topics, high_risk in ContactLog.objects.values_list(
            "night", "hour", "channel", "topics", "high_risk"):
        month = months.setdefault(f"{night:%Y-%m}", {key: Counter() for key in ("total", "channel", "topic", "hour")})
        month["total"]["all"] += 1
        month["total"]["high_risk"] += bool(high_risk)
        month["channel"][channel] += 1
        month["topic"].update(set(topics))
        if hour is not None:
            month["hour"][hour] += 1
    rows = []
    for key in sorted(months, reverse=True):
        month = months[key]
        total, high_risk = month["total"]["all"], month["total"]["high_risk"]
        shown_total, shown_high_risk = _suppressed(total), _suppressed(high_risk)
        rows.append({
            "month": key,
            "total": shown_total,
            "channels": _partition([(label, month["channel"][value]) for value, label in ContactLog.Channel.choices]),
            "topics": [(label, _suppressed(month["topic"][value])) for value, label in ContactLog.Topic.choices],
            "hours": _partition([(label, month["hour"][value]) for value, label in HOUR_CHOICES
                                 if value in NIGHT_HOURS or month["hour"][value]]),
            "high_risk": shown_high_risk,
            "high_risk_share": (round(100 * high_risk / total) if shown_total is not None and shown_high_risk
                                is not None else None),
        })
    return rows


def _partition(cells: list[tuple[str, int]]) -> list[tuple[str, int | None]]:
    """Suppress the cells of a breakdown that adds up to the total: those under the threshold, and when
    exactly one non-empty cell is hidden, the next smallest too (or it could be worked out from the total)."""
    shown = [(label, _suppressed(count)) for label, count in cells]
    hidden = [index for index, (label, count) in enumerate(cells) if count and shown[index][1] is None]
    if len(hidden) == 1:
        others = sorted((count, index) for index, (label, count) in enumerate(cells)
                        if count and shown[index][1] is not None)
        if others:
            index = others[0][1]
            shown[index] = (shown[index][0], None)
    return shown


def _suppressed(count: int) -> int | None:
    return count if count >= SUPPRESSION_THRESHOLD else None


# The directory filter's value for a block ("block-3"); a prefecture's is its JIS code ("11").
BLOCK_PREFIX = "block-"


def resources(emergency_first: bool = True):
    order = Case(When(category=Resource.Category.EMERGENCY, then=Value(0)), default=Value(1),
                 output_field=IntegerField())
    return Resource.objects.prefetch_related("prefectures", "blocks").order_by(order, "category", "name")


def with_open_state(found, moment: datetime.datetime | None = None) -> list[Resource]:
    """The resources, each with `open_now` set: open at `moment` (now by default), closed, or None (hours not
    known as data), and `closed_for_holiday` (closed only because of a public holiday), for the directory to
    show beside the hours people read."""
    moment = moment or timezone.now()
    found = list(found)
    for resource in found:
        resource.open_now = resource.is_open_at(moment)
        resource.closed_for_holiday = resource.open_now is False and resource.is_closed_for_holiday_at(moment)
    return found


def find_resources(*, q: str = "", category: str = "", language: str = "", region: str = "",
                   open_now: bool = False, moment: datetime.datetime | None = None) -> list[Resource]:
    """The directory filtered: words in the name, a category (main or further), a language (words of the
    languages field), a region, and open at `moment` (now by default; services whose hours are not known as
    data are left out). The region is "national" (national services only), a prefecture's code (the services
    serving it: its own, its block's today, and the national ones) or BLOCK_PREFIX and a block's number (the
    block's own, those of any prefecture in it today, and the national ones). Each comes with `open_now`
    (with_open_state)."""
    found = resources()
    if q:
        found = found.filter(name__icontains=q)
    if language:
        found = found.filter(languages__icontains=language)
    found = with_open_state(found, moment)
    found = [resource for resource in found
             if (not category or category in resource.categories) and (not open_now or resource.open_now)]
    if not region:
        return found
    if region == "national":
        return [resource for resource in found if resource.is_national]
    block_map = block_map_on()
    if region.startswith(BLOCK_PREFIX):
        block_number = int(region.removeprefix(BLOCK_PREFIX))
        return [resource for resource in found if resource.serves_block(block_number, block_map)]
    return [resource for resource in found if resource.serves(region, block_map)]


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


def gaps(start: datetime.date | None = None, count: int = ROSTER_NIGHTS) -> list[ShiftCoverage]:
    """Every shift ahead short of MIN_VOLUNTEERS_PER_SHIFT trained volunteers, in order."""
    return [shift for night in coverage(start, count) for shift in night.shifts if shift.missing]


def coordinators():
    """The members who coordinate the line today: the holders of the post supervising the PSG and the
    active volunteer coordinators (the candidates for "on call", the recipients of the digest of gaps)."""
    from ajet.organisation.models import Initiative, Term
    from ajet.people.models import Member
    from ajet.support.rules import PSG_INITIATIVE

    initiative = Initiative.objects.filter(slug=PSG_INITIATIVE).first()
    holders = (Term.objects.current().filter(post=initiative.supervising_post).values_list("member_id", flat=True)
               if initiative is not None else [])
    volunteer_coordinators = Volunteer.objects.filter(is_active=True, is_coordinator=True).values_list(
        "member_id", flat=True)
    return (Member.objects.filter(pk__in=[*holders, *volunteer_coordinators], status=Member.Status.CURRENT)
            .select_related("user").order_by("full_name"))


def on_call_between(first: datetime.date, last: datetime.date) -> dict:
    return {row.night: row for row in OnCall.objects.filter(night__range=(first, last)).select_related("coordinator")}
