"""Writes of the PSG line. Coordinators' changes to other people's data are written to the audit log;
contact logs never are (an entry would tie a contact to the volunteer who took it)."""

import datetime
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ajet.core import audit
from ajet.support import hours
from ajet.support.models import (
    MIN_YEAR_ON_JET,
    REFRESHER_INTERVAL,
    ContactLog,
    NightException,
    OnCall,
    Resource,
    ShiftAssignment,
    Training,
    UrgentFlag,
    Volunteer,
)
from ajet.support.routers import SUPPORT_DB

VOLUNTEER_FIELDS = ["is_active", "is_coordinator", "refresher_due"]
RESOURCE_FIELDS = ["name", "category", "more_categories", "phone", "url", "hours", "languages", "always_open",
                   "weekly_hours", "closed_on_holidays"]

EMAIL_PATTERN = re.compile(r"[^\s@]+@[^\s@]+")
# Seven or more digits, allowing the spaces, dots, dashes, brackets and leading + of written phone numbers.
PHONE_PATTERN = re.compile(r"\+?\(?\d(?:[\s().\-]*\d){6,}")


class SupportError(Exception):
    """A request the line's rules refuse; the message is shown to the user."""


def scrub_note(note: str) -> tuple[str, bool]:
    """The note without e-mail addresses or phone numbers, and whether anything was removed."""
    scrubbed = PHONE_PATTERN.sub("[removed]", EMAIL_PATTERN.sub("[removed]", note))
    return scrubbed.strip(), scrubbed != note


# --- Hours ------------------------------------------------------------------------------------------

@transaction.atomic
def set_night_exception(*, by, night: datetime.date, closed: bool, opens: datetime.time | None,
                        closes: datetime.time | None, reason: str = "") -> NightException:
    """Create or replace the exception of `night`; audit-logged."""
    if not closed and opens is None and closes is None:
        raise SupportError(_("Say whether the line is closed that night, or give other opening times."))
    exception, _created = NightException.objects.update_or_create(night=night, defaults={
        "closed": closed, "opens": None if closed else opens, "closes": None if closed else closes,
        "reason": reason})
    audit.record(actor=by, action="support.night_exception", target=exception,
                 after=audit.snapshot(exception, ["night", "closed", "opens", "closes", "reason"]))
    return exception


@transaction.atomic
def remove_night_exception(*, by, exception: NightException) -> None:
    """Back to the default window for that night; audit-logged."""
    audit.record(actor=by, action="support.night_exception_remove", target=exception,
                 before=audit.snapshot(exception, ["night", "closed", "opens", "closes", "reason"]))
    exception.delete()


# --- Volunteers -------------------------------------------------------------------------------------

@transaction.atomic
def enrol_volunteer(*, by, member) -> Volunteer:
    """Make `member` a volunteer (not yet trained: they cannot be rostered until their initial training
    is recorded). Refused for members in their first year on JET, or not current; audit-logged."""
    if not member.is_current:
        raise SupportError(_("Only current members can volunteer on the line."))
    if member.year_on_jet < MIN_YEAR_ON_JET:
        raise SupportError(_("Volunteers serve from their second year on JET."))
    if Volunteer.objects.filter(member=member).exists():
        raise SupportError(_("This member is a volunteer already."))
    volunteer = Volunteer.objects.create(member=member)
    audit.record(actor=by, action="support.volunteer_add", target=volunteer)
    return volunteer


@transaction.atomic
def update_volunteer(*, by, volunteer: Volunteer, is_active: bool, is_coordinator: bool,
                     refresher_due: datetime.date | None) -> Volunteer:
    """Change the active flag, the coordinator role or the refresher date; audit-logged."""
    before = audit.snapshot(volunteer, VOLUNTEER_FIELDS)
    volunteer.is_active, volunteer.is_coordinator, volunteer.refresher_due = is_active, is_coordinator, refresher_due
    volunteer.save(update_fields=VOLUNTEER_FIELDS)
    audit.record(actor=by, action="support.volunteer_change", target=volunteer, before=before,
                 after=audit.snapshot(volunteer, VOLUNTEER_FIELDS))
    return volunteer


@transaction.atomic
def record_training(*, by, volunteer: Volunteer, kind: str, completed_on: datetime.date) -> Training:
    """Record a completed course; the refresher falls due REFRESHER_INTERVAL after the latest course.
    Refused for a date in the future, or for a refresher before the initial training; audit-logged."""
    if completed_on > timezone.localdate():
        raise SupportError(_("A course can only be recorded once it has been completed."))
    if kind == Training.Kind.REFRESHER and not volunteer.trainings.filter(
            kind=Training.Kind.INITIAL, completed_on__lte=completed_on).exists():
        raise SupportError(_("Record the initial training before a refresher."))
    training = Training.objects.create(volunteer=volunteer, kind=kind, completed_on=completed_on)
    latest = volunteer.trainings.order_by("-completed_on").values_list("completed_on", flat=True).first()
    volunteer.refresher_due = latest + REFRESHER_INTERVAL
    volunteer.save(update_fields=["refresher_due"])
    audit.record(actor=by, action="support.training_add", target=volunteer,
                 after={"course": kind, "completed_on": completed_on.isoformat()})
    return training


# --- Roster -----------------------------------------------------------------------------------------

def _check_shift(volunteer: Volunteer, night: datetime.date, shift: int) -> None:
    if not 0 <= shift < len(hours.SHIFTS):
        raise SupportError(_("There is no such shift."))
    start, _end = hours.shift_span(night, shift)
    if start <= timezone.now():
        raise SupportError(_("This shift has already started."))
    exception = NightException.objects.filter(night=night).first()
    if hours.window_of(night, exception) is None:
        raise SupportError(_("The line is closed that night."))
    if not volunteer.may_serve(night):
        raise SupportError(_("Only trained, active volunteers can be put on a shift (check the training and "
                             "the refresher date)."))
    month = ShiftAssignment.objects.filter(volunteer=volunteer, night__year=night.year, night__month=night.month)
    if month.count() >= settings.SUPPORT_MAX_SHIFTS_PER_MONTH:
        raise SupportError(_("A volunteer takes at most %(count)d shifts a month, for their own wellbeing.")
                           % {"count": settings.SUPPORT_MAX_SHIFTS_PER_MONTH})


def _assign(volunteer: Volunteer, night: datetime.date, shift: int) -> ShiftAssignment:
    _check_shift(volunteer, night, shift)
    try:
        with transaction.atomic():
            return ShiftAssignment.objects.create(volunteer=volunteer, night=night, shift=shift)
    except IntegrityError:
        raise SupportError(_("This volunteer is on that shift already.")) from None


@transaction.atomic
def sign_up_for_shift(*, volunteer: Volunteer, night: datetime.date, shift: int) -> ShiftAssignment:
    """The volunteer puts themselves on a future shift of an open night."""
    return _assign(volunteer, night, shift)


def drop_notice() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.SUPPORT_DROP_NOTICE_HOURS)


def _own_assignment(volunteer: Volunteer, night: datetime.date, shift: int) -> ShiftAssignment:
    assignment = ShiftAssignment.objects.select_for_update().filter(volunteer=volunteer, night=night,
                                                                    shift=shift).first()
    if assignment is None:
        raise SupportError(_("You are not on that shift."))
    if assignment.span[0] <= timezone.now():
        raise SupportError(_("This shift has already started."))
    return assignment


@transaction.atomic
def drop_shift(*, volunteer: Volunteer, night: datetime.date, shift: int) -> None:
    """The volunteer leaves a shift that starts more than SUPPORT_DROP_NOTICE_HOURS from now; a nearer one
    can only be offered for a swap (or taken off by a coordinator), so a night is not left empty unawares."""
    assignment = _own_assignment(volunteer, night, shift)
    if assignment.span[0] - timezone.now() < drop_notice():
        raise SupportError(_("This shift starts in less than %(hours)d hours: offer it for a swap instead, or ask "
                             "a coordinator.") % {"hours": settings.SUPPORT_DROP_NOTICE_HOURS})
    assignment.delete()


@transaction.atomic
def offer_shift(*, volunteer: Volunteer, night: datetime.date, shift: int, offered: bool = True) -> ShiftAssignment:
    """Put one's own future shift up for a swap (or take the offer back). The volunteer stays on it until
    someone takes it over."""
    assignment = _own_assignment(volunteer, night, shift)
    assignment.offered = offered
    assignment.save(update_fields=["offered"])
    return assignment


@transaction.atomic
def take_offered_shift(*, volunteer: Volunteer, assignment_id: int,
                       give: tuple[datetime.date, int] | None = None) -> ShiftAssignment:
    """Take over a shift another volunteer offered; with `give` (one of the taker's own future shifts) the
    two volunteers swap, the giver's shift going to the one who offered. Every rule of signing up holds for
    both sides (trained, active, the monthly maximum, not on that shift already). Both or neither change."""
    offered = ShiftAssignment.objects.select_for_update().select_related("volunteer").filter(
        pk=assignment_id, offered=True).first()
    if offered is None or offered.span[0] <= timezone.now():
        raise SupportError(_("That shift is no longer offered."))
    if offered.volunteer_id == volunteer.pk:
        raise SupportError(_("That is your own shift."))
    other = offered.volunteer
    night, shift = offered.night, offered.shift
    offered.delete()
    mine = None
    if give is not None:
        mine = _own_assignment(volunteer, *give)
        mine.delete()
    taken = _assign(volunteer, night, shift)
    if mine is not None:
        _assign(other, mine.night, mine.shift)
    return taken


@transaction.atomic
def assign_shift(*, by, volunteer: Volunteer, night: datetime.date, shift: int) -> ShiftAssignment:
    """A coordinator puts a volunteer on a shift; audit-logged."""
    assignment = _assign(volunteer, night, shift)
    audit.record(actor=by, action="support.shift_assign", target=volunteer,
                 after={"night": night.isoformat(), "shift": shift + 1})
    return assignment


@transaction.atomic
def unassign_shift(*, by, assignment: ShiftAssignment) -> None:
    """A coordinator takes a volunteer off a shift; audit-logged."""
    audit.record(actor=by, action="support.shift_unassign", target=assignment.volunteer,
                 before={"night": assignment.night.isoformat(), "shift": assignment.shift + 1})
    assignment.delete()


@transaction.atomic
def set_on_call(*, by, night: datetime.date, coordinator) -> OnCall | None:
    """Name the coordinator on call for `night` (a Member: the PSG coordinator or a volunteer coordinator),
    or clear it with None; audit-logged."""
    if coordinator is None:
        OnCall.objects.filter(night=night).delete()
        audit.record(actor=by, action="support.on_call", target_label=f"{night:%Y-%m-%d}", after={"coordinator": None})
        return None
    on_call, _created = OnCall.objects.update_or_create(night=night, defaults={"coordinator": coordinator})
    audit.record(actor=by, action="support.on_call", target=on_call, after={"coordinator": str(coordinator)})
    return on_call


def on_call_for(moment: datetime.datetime | None = None) -> OnCall | None:
    """The coordinator on call for the night of `moment` (now by default), or None."""
    night = hours.night_of(moment or timezone.now())
    return OnCall.objects.select_related("coordinator__user").filter(night=night).first()


# --- Pseudonyms and the urgent flag ---------------------------------------------------------------

def pseudonym_of(volunteer: Volunteer) -> str:
    """How a volunteer appears in the PSG database: a keyed hash of their record's id, the same every time,
    that nobody without the server's secret key can turn back into the volunteer."""
    key = hashlib.sha256(b"psg-pseudonym:" + settings.SECRET_KEY.encode()).digest()
    return "v-" + hmac.new(key, str(volunteer.pk).encode(), hashlib.sha256).hexdigest()[:16]


def raise_urgent_flag(*, volunteer: Volunteer) -> UrgentFlag:
    """Record an imminent-risk flag (when, and the volunteer's pseudonym: nothing of the conversation) and
    queue the alert to the coordinator on call."""
    from ajet.support import tasks

    on_call = on_call_for()
    flag = UrgentFlag.objects.using(SUPPORT_DB).create(volunteer=pseudonym_of(volunteer),
                                                       coordinator_alerted=on_call is not None)
    if on_call is not None:
        tasks.alert_on_call.enqueue(volunteer_id=volunteer.pk, on_call_id=on_call.pk)
    return flag


def request_debrief(*, volunteer: Volunteer) -> OnCall | None:
    """The volunteer asks the coordinator on call for a debrief (after a high-risk contact): an e-mail
    that names the volunteer and nothing of the contact. None when nobody is on call tonight."""
    from ajet.support import tasks

    on_call = on_call_for()
    if on_call is not None:
        tasks.send_debrief_request.enqueue(volunteer_id=volunteer.pk, on_call_id=on_call.pk)
    return on_call


# --- Calendar --------------------------------------------------------------------------------------

def calendar_token_of(volunteer: Volunteer) -> str:
    """The secret of the volunteer's shift calendar address, made on first use."""
    if not volunteer.calendar_token:
        reset_calendar_token(volunteer=volunteer)
    return volunteer.calendar_token


def reset_calendar_token(*, volunteer: Volunteer) -> str:
    """A new secret address for the volunteer's shift calendar; the old one stops working."""
    volunteer.calendar_token = secrets.token_urlsafe(24)
    volunteer.save(update_fields=["calendar_token"])
    return volunteer.calendar_token


# --- Contact logs -----------------------------------------------------------------------------------

@transaction.atomic(using=SUPPORT_DB)
def file_contact_log(*, volunteer: Volunteer, channel: str, duration: str, topics: list[str],
                     referral_given: bool, follow_up: bool, high_risk: bool, note: str = "",
                     hour: int | None = None, moment: datetime.datetime | None = None) -> tuple[ContactLog, bool]:
    """Store a contact log for the night of `moment` (now by default), started at `hour` (rounded down,
    Japan time; the hour of `moment` by default), with the note scrubbed of e-mail addresses and phone
    numbers; return it and whether anything was scrubbed. Nothing links it to the
    volunteer: not a key, not an audit entry."""
    if not volunteer.may_serve():
        raise SupportError(_("Only trained, active volunteers can take contacts."))
    valid = set(ContactLog.Topic.values)
    if not topics or not set(topics) <= valid:
        raise SupportError(_("Choose at least one topic from the list."))
    note, scrubbed = scrub_note(note)
    moment = moment or timezone.now()
    if hour is None:
        hour = moment.astimezone(hours.LINE_TIMEZONE).hour
    if not 0 <= hour < 24:
        raise SupportError(_("Choose the hour the contact started."))
    log = ContactLog.objects.create(
        night=hours.night_of(moment), hour=hour, channel=channel, duration=duration,
        topics=sorted(set(topics)), referral_given=referral_given, follow_up=follow_up, high_risk=high_risk,
        note=note)
    return log, scrubbed


# --- Referral directory -----------------------------------------------------------------------------

def _resource_snapshot(resource: Resource) -> dict:
    return {**audit.snapshot(resource, RESOURCE_FIELDS),
            "prefectures": sorted(prefecture.pk for prefecture in resource.prefectures.all()),
            "blocks": sorted(block.pk for block in resource.blocks.all())}


@transaction.atomic
def save_resource(*, by, resource: Resource, prefectures=None, blocks=None) -> Resource:
    """Create or change a directory entry (already validated by its form) and, when given, the prefectures
    and blocks it serves (none of either: national); audit-logged."""
    resource.save()
    if prefectures is not None:
        resource.prefectures.set(prefectures)
    if blocks is not None:
        resource.blocks.set(blocks)
    audit.record(actor=by, action="support.resource_save", target=resource, after=_resource_snapshot(resource))
    return resource


@transaction.atomic
def delete_resource(*, by, resource: Resource) -> None:
    audit.record(actor=by, action="support.resource_delete", target=resource, before=_resource_snapshot(resource))
    resource.delete()
