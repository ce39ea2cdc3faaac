"""Writes of the hub: announcements and their queue of deliveries, preferences, acknowledgements, feed tokens."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Value
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ajet.core import audit
from ajet.hub.models import (
    MAX_OCCURRENCES,
    TOKYO,
    Acknowledgement,
    Announcement,
    Attachment,
    Delivery,
    Event,
    FeedToken,
    Preference,
    Rsvp,
    new_feed_token,
)
from ajet.organisation.scopes import Scope, members_in_scope
from ajet.organisation.uploads import UploadRefused, check_handbook_upload, display_name

MAX_ATTACHMENTS = 5

UNSUBSCRIBE_SALT = "ajet.hub.unsubscribe"
DIGESTS = "digests"  # an unsubscribe link from a digest: stop every daily digest


class HubError(Exception):
    """A refused change, with a message for the user."""


def recipients_of(announcement_scope: Scope):
    """The members an announcement to `announcement_scope` e-mails now: reached, active, and not opted out."""
    # A subquery, not exclude() across the relation: that would drop anyone with *any* "none" preference.
    opted_out = Preference.objects.filter(scope_kind=announcement_scope.kind, mode=Preference.Mode.NONE)
    return (members_in_scope(announcement_scope).filter(user__is_active=True)
            .exclude(pk__in=opted_out.values("member_id")))


def check_attachment(upload) -> None:
    """Refuse (HubError, with the reason) a file that is too large or not of an accepted kind, by the checks
    of ajet/organisation/uploads.py (the extension and the file's first bytes must agree)."""
    if upload.size > settings.AJET_MAX_UPLOAD_BYTES:
        raise HubError(_("%(name)s is %(size)s; files may be at most %(limit)s.") % {
            "name": display_name(upload.name or ""), "size": filesizeformat(upload.size),
            "limit": filesizeformat(settings.AJET_MAX_UPLOAD_BYTES)})
    try:
        check_handbook_upload(upload)
    except UploadRefused as refused:
        raise HubError(f"{display_name(upload.name or '')}: {refused.message}") from None


@transaction.atomic
def create_announcement(*, by, scope: Scope, fields: dict, attachments=()) -> Announcement:
    """Write an announcement to `scope` (refused unless `by` may address it) with its attached files (each
    checked; one refused file refuses the whole announcement) and an audit entry; queue its deliveries now
    unless it is scheduled for later."""
    if not by.has_perm("hub.address_scope", scope):
        raise HubError(_("You may not address this audience."))
    if len(attachments) > MAX_ATTACHMENTS:
        raise HubError(_("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS})
    for upload in attachments:
        check_attachment(upload)
    send_at = fields.get("send_at")
    announcement = Announcement(**fields, created_by=by)
    announcement.set_scope(scope)
    announcement.save()
    for upload in attachments:
        Attachment.objects.create(announcement=announcement, file=upload, size=upload.size,
                                  original_name=display_name(upload.name or ""))
    audit.record(actor=by, action="announcement.create", target=announcement,
                 after=audit.snapshot(announcement, ["title", "scope_kind", "positions", "send_at"])
                 | {"attachments": [attachment.original_name for attachment in announcement.attachments.all()]})
    if send_at is None or send_at <= timezone.now():
        queue_deliveries(announcement=announcement)
    return announcement


@transaction.atomic
def queue_deliveries(*, announcement: Announcement) -> int:
    """Write one queued Delivery per recipient (once: a second call does nothing) and start the sending
    after commit. Returns the number queued."""
    from ajet.hub import tasks

    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if locked.queued_at is not None:
        return 0
    digest = Preference.objects.filter(member=OuterRef("pk"), scope_kind=locked.scope_kind,
                                       mode=Preference.Mode.DIGEST)
    queued = insert_deliveries(recipients_of(locked.scope), announcement=locked, digest=Exists(digest))
    locked.queued_at = announcement.queued_at = timezone.now()
    locked.save(update_fields=["queued_at"])
    transaction.on_commit(lambda: tasks.deliver_announcement.enqueue(announcement_id=locked.pk))
    return queued


def insert_deliveries(members: QuerySet, *, announcement: Announcement, **values) -> int:
    """One Delivery per member of `members`, written by the database in one INSERT … SELECT (building 5,800
    rows in Python took most of the time to queue an announcement to everyone; bench/hub.py). `values` give
    columns as expressions over the member (e.g. digest); every other column gets its field's default, so a
    field added to Delivery later is filled as bulk_create would. Returns how many rows were written."""
    columns = {}
    for field in Delivery._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.name == "announcement":
            columns[field] = Value(announcement.pk, output_field=models.BigIntegerField())
        elif field.name == "member":
            columns[field] = F("pk")
        elif field.name in values:
            columns[field] = values[field.name]
        else:
            columns[field] = Value(field.get_db_prep_save(field.get_default(), connection), output_field=field)
    aliases = {f"delivery_{field.column}": expression for field, expression in columns.items()}
    select = members.order_by().annotate(**aliases).values_list(*aliases)
    sql, params = select.query.sql_with_params()
    names = ", ".join(connection.ops.quote_name(field.column) for field in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {connection.ops.quote_name(Delivery._meta.db_table)} ({names}) {sql}", params)
        return cursor.rowcount


@transaction.atomic
def remind_unacknowledged(*, by, announcement: Announcement) -> int:
    """Queue the one reminder of an announcement that asks for confirmation, to the members it reaches by
    e-mail who have not confirmed yet; audit-logged. Refused for a second time. Returns how many are queued."""
    from ajet.hub import tasks

    if not by.has_perm("hub.follow_announcement", announcement):
        raise HubError(_("You may not follow this announcement."))
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if not locked.requires_acknowledgement or locked.queued_at is None:
        raise HubError(_("Only a sent announcement that asks for confirmation has a reminder."))
    if locked.reminder_queued_at is not None:
        raise HubError(_("The reminder was sent already, on %(date)s: it is sent only once.") % {
            "date": formats.date_format(timezone.localtime(locked.reminder_queued_at), "DATETIME_FORMAT")})
    confirmed = Acknowledgement.objects.filter(announcement=locked).values("member_id")
    member_ids = list(recipients_of(locked.scope).exclude(pk__in=confirmed).values_list("pk", flat=True))
    Delivery.objects.bulk_create([Delivery(announcement=locked, member_id=member_id, kind=Delivery.Kind.REMINDER)
                                  for member_id in member_ids], batch_size=1000, ignore_conflicts=True)
    locked.reminder_queued_at = announcement.reminder_queued_at = timezone.now()
    locked.save(update_fields=["reminder_queued_at"])
    audit.record(actor=by, action="announcement.remind", target=locked, after={"reminded": len(member_ids)})
    transaction.on_commit(lambda: tasks.deliver_announcement.enqueue(announcement_id=locked.pk))
    return len(member_ids)


@transaction.atomic
def forward_announcement(*, by, announcement: Announcement, block: int, note: str) -> Announcement:
    """Send a national announcement on to the members of `block`, with the representative's note above
    the original text (and the original's files linked from it). Refused unless `by` may address the block."""
    if announcement.scope_kind != Scope.NATIONAL or not announcement.is_sent:
        raise HubError(_("Only a sent national announcement can be forwarded."))
    separator = "\n\n---\n\n"
    site = settings.SITE_URL.rstrip("/")
    files = "".join(f"\n- [{attachment.original_name}]({site}{attachment.get_absolute_url()})"
                    for attachment in announcement.attachments.all())
    body = (note.strip() + separator if note.strip() else "") + announcement.body + (
        "\n\n" + _("Attached files:") + files if files else "")
    body_ja = (note.strip() + separator + announcement.body_ja) if announcement.body_ja and note.strip() \
        else announcement.body_ja
    forward = create_announcement(by=by, scope=Scope(Scope.BLOCK, block=block), fields={
        "title": announcement.title, "body": body[:20000], "title_ja": announcement.title_ja,
        "body_ja": body_ja[:20000], "is_public": False, "forwarded_from": announcement})
    audit.record(actor=by, action="announcement.forward", target=forward,
                 after={"original": announcement.pk, "block": block, "note": note})
    return forward


def queue_due_announcements(now: datetime.datetime | None = None) -> list[int]:
    """Queue every scheduled announcement whose time has come. Returns their ids."""
    due = Announcement.objects.filter(queued_at__isnull=True, send_at__lte=now or timezone.now())
    ids = []
    for announcement in due:
        queue_deliveries(announcement=announcement)
        ids.append(announcement.pk)
    return ids


@transaction.atomic
def acknowledge(*, member, announcement: Announcement) -> bool:
    """Record that `member` read `announcement` (once). Returns whether this call recorded it."""
    _row, created = Acknowledgement.objects.get_or_create(announcement=announcement, member=member)
    return created


@transaction.atomic
def set_preferences(*, member, modes: dict[str, str]) -> None:
    """Store the member's e-mail choice for each scope kind in `modes`."""
    for scope_kind, mode in modes.items():
        Preference.objects.update_or_create(member=member, scope_kind=scope_kind, defaults={"mode": mode})


def unsubscribe_token(member, scope_kind: str) -> str:
    return signing.dumps([member.pk, scope_kind], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(member id, scope kind) of a genuine token; None if forged or damaged."""
    try:
        member_id, scope_kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(member_id, int) or scope_kind not in (*Scope.KINDS, DIGESTS):
        return None
    return member_id, scope_kind


@transaction.atomic
def unsubscribe(*, member, scope_kind: str) -> None:
    """No more e-mail for announcements of this kind of scope, or (DIGESTS) no more daily digests; the
    announcements stay readable on the site. Digest e-mails not yet sent are dropped."""
    if scope_kind == DIGESTS:
        kinds = list(Preference.objects.filter(member=member, mode=Preference.Mode.DIGEST)
                     .values_list("scope_kind", flat=True))
    else:
        kinds = [scope_kind]
    set_preferences(member=member, modes=dict.fromkeys(kinds, Preference.Mode.NONE))
    Delivery.objects.filter(member=member, status=Delivery.Status.QUEUED, digest=True,
                            announcement__scope_kind__in=kinds).delete()


def feed_token_of(member) -> str:
    token, _created = FeedToken.objects.get_or_create(member=member)
    return token.token


@transaction.atomic
def reset_feed_token(*, member) -> str:
    """Give the member a new private feed address; the old one stops working at once."""
    token, _created = FeedToken.objects.update_or_create(member=member, defaults={"token": new_feed_token()})
    return token.token


# --- Events -----------------------------------------------------------------------------------------

def _check_event(fields: dict) -> None:
    if fields["end"] <= fields["start"]:
        raise HubError(_("The event must end after it starts."))
    deadline = fields.get("rsvp_deadline")
    if deadline is not None and deadline > fields["start"]:
        raise HubError(_("Answers must close before the event starts."))
    occurrences = fields.get("occurrences") or 1
    if not 1 <= occurrences <= MAX_OCCURRENCES:
        raise HubError(_("A series has between 1 and %(count)d dates.") % {"count": MAX_OCCURRENCES})
    if not fields.get("recurrence") and occurrences != 1:
        raise HubError(_("Choose how the event repeats, or give one date."))


@transaction.atomic
def create_event(*, by, scope: Scope, fields: dict) -> Event:
    """Publish an event (or a series of dates) for `scope` (refused unless `by` may address it), with an
    audit entry."""
    if not by.has_perm("hub.address_scope", scope):
        raise HubError(_("You may not address this audience."))
    _check_event(fields)
    if not fields.get("recurrence"):
        fields = fields | {"occurrences": 1}
    event = Event(**fields, created_by=by)
    event.set_scope(scope)
    event.save()
    audit.record(actor=by, action="event.create", target=event,
                 after=audit.snapshot(event, ["title", "scope_kind", "start", "end", "capacity", "rsvp_deadline",
                                              "recurrence", "occurrences"]))
    return event


def _japan_time(moment: datetime.datetime) -> str:
    return formats.date_format(moment.astimezone(TOKYO), "DATETIME_FORMAT")


@transaction.atomic
def answer_rsvp(*, member, event: Event, attending: bool, occurrence: datetime.datetime | None = None) -> Rsvp:
    """Record the member's yes or no for one date of the event (by default its next one). A yes when that
    date is full waits in line; a no from someone with a place gives it to the first in line, who is
    e-mailed. Refused once the date has started; after the RSVP deadline only a no is accepted."""
    from ajet.hub import tasks

    event = Event.objects.select_for_update().get(pk=event.pk)  # one answer at a time per event
    now = timezone.now()
    if occurrence is None:
        upcoming = [moment for moment in event.occurrence_starts() if moment > now]
        occurrence = upcoming[0] if upcoming else event.occurrence_starts()[-1]
    elif occurrence not in event.occurrence_starts():
        raise HubError(_("This is not one of the event's dates."))
    if occurrence <= now:
        raise HubError(_("This event has started: answers are closed."))
    rsvp = Rsvp.objects.filter(event=event, member=member, occurrence=occurrence).first()
    had_place = rsvp is not None and rsvp.attending and not rsvp.waitlisted
    if rsvp is not None and rsvp.attending == attending:
        return rsvp  # the same answer again changes nothing (and keeps the place in line)
    if attending and now > event.deadline_for(occurrence):
        raise HubError(_("Answers closed on %(deadline)s (Japan time).") % {
            "deadline": _japan_time(event.deadline_for(occurrence))})
    taken = Rsvp.objects.filter(event=event, occurrence=occurrence, attending=True, waitlisted=False).count()
    waits = attending and event.capacity is not None and taken >= event.capacity
    if rsvp is None:
        rsvp = Rsvp.objects.create(event=event, member=member, occurrence=occurrence, attending=attending,
                                   waitlisted=waits)
    else:
        rsvp.attending, rsvp.waitlisted, rsvp.answered_at = attending, waits, now
        rsvp.save(update_fields=["attending", "waitlisted", "answered_at"])
    if had_place and not attending:
        first = (Rsvp.objects.filter(event=event, occurrence=occurrence, attending=True, waitlisted=True)
                 .order_by("answered_at", "pk").first())
        if first is not None:
            first.waitlisted = False
            first.save(update_fields=["waitlisted"])
            transaction.on_commit(lambda: tasks.send_promotion_email.enqueue(rsvp_id=first.pk))
    return rsvp


def attendees_of(event: Event, occurrence: datetime.datetime | None = None):
    """The answers with a place or in line (for one date, or every date), in the order they were given."""
    rows = Rsvp.objects.filter(event=event, attending=True).select_related("member__user", "member__prefecture")
    if occurrence is not None:
        rows = rows.filter(occurrence=occurrence)
    return rows.order_by("occurrence", "waitlisted", "answered_at", "pk")


@transaction.atomic
def message_attendees(*, by, event: Event, subject: str, body: str,
                      occurrence: datetime.datetime | None = None) -> int:
    """E-mail the members with a place at the event (one date, or every date still to come) in the
    background; audit-logged with the text. Returns how many members it goes to."""
    from ajet.hub import tasks

    if not by.has_perm("hub.manage_event", event):
        raise HubError(_("You may not write to this event's attendees."))
    rows = attendees_of(event, occurrence).filter(waitlisted=False)
    if occurrence is None:
        rows = rows.filter(occurrence__gte=timezone.now() - event.duration)
    member_ids = sorted(set(rows.values_list("member_id", flat=True)))
    if not member_ids:
        raise HubError(_("Nobody has a place yet: there is no one to write to."))
    audit.record(actor=by, action="event.message", target=event, after={
        "subject": subject, "body": body, "recipients": len(member_ids),
        "date": occurrence.isoformat() if occurrence else None})
    reply_to = getattr(by, "email", "") or ""
    transaction.on_commit(lambda: tasks.send_event_message.enqueue(
        event_id=event.pk, subject=subject, body=body, member_ids=member_ids, reply_to=reply_to))
    return len(member_ids)
