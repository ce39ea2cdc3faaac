"""Writes of the hub: announcements and their queue of deliveries, preferences, acknowledgements, feed tokens."""

import datetime

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ajet.core import audit
from ajet.hub.models import (
    Acknowledgement,
    Announcement,
    Delivery,
    Event,
    FeedToken,
    Preference,
    Rsvp,
    new_feed_token,
)
from ajet.organisation.scopes import Scope, members_in_scope

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


@transaction.atomic
def create_announcement(*, by, scope: Scope, fields: dict) -> Announcement:
    """Write an announcement to `scope` (refused unless `by` may address it) and an audit entry; queue its
    deliveries now unless it is scheduled for later."""
    if not by.has_perm("hub.address_scope", scope):
        raise HubError(_("You may not address this audience."))
    send_at = fields.get("send_at")
    announcement = Announcement(**fields, created_by=by)
    announcement.set_scope(scope)
    announcement.save()
    audit.record(actor=by, action="announcement.create", target=announcement,
                 after=audit.snapshot(announcement, ["title", "scope_kind", "positions", "send_at"]))
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
    member_ids = list(recipients_of(locked.scope).values_list("pk", flat=True))
    digest_ids = set(Preference.objects.filter(scope_kind=locked.scope_kind, mode=Preference.Mode.DIGEST,
                                               member_id__in=member_ids).values_list("member_id", flat=True))
    Delivery.objects.bulk_create([Delivery(announcement=locked, member_id=member_id, digest=member_id in digest_ids)
                                  for member_id in member_ids], batch_size=1000, ignore_conflicts=True)
    locked.queued_at = announcement.queued_at = timezone.now()
    locked.save(update_fields=["queued_at"])
    transaction.on_commit(lambda: tasks.deliver_announcement.enqueue(announcement_id=locked.pk))
    return len(member_ids)


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

@transaction.atomic
def create_event(*, by, scope: Scope, fields: dict) -> Event:
    """Publish an event for `scope` (refused unless `by` may address it), with an audit entry."""
    if not by.has_perm("hub.address_scope", scope):
        raise HubError(_("You may not address this audience."))
    if fields["end"] <= fields["start"]:
        raise HubError(_("The event must end after it starts."))
    event = Event(**fields, created_by=by)
    event.set_scope(scope)
    event.save()
    audit.record(actor=by, action="event.create", target=event,
                 after=audit.snapshot(event, ["title", "scope_kind", "start", "end", "capacity"]))
    return event


@transaction.atomic
def answer_rsvp(*, member, event: Event, attending: bool) -> Rsvp:
    """Record the member's yes or no. A yes when the event is full waits in line; a no from someone
    with a place gives it to the first in line. Refused once the event has started."""
    event = Event.objects.select_for_update().get(pk=event.pk)  # one answer at a time per event
    if event.start <= timezone.now():
        raise HubError(_("This event has started: answers are closed."))
    rsvp = Rsvp.objects.filter(event=event, member=member).first()
    had_place = rsvp is not None and rsvp.attending and not rsvp.waitlisted
    if rsvp is not None and rsvp.attending == attending:
        return rsvp  # the same answer again changes nothing (and keeps the place in line)
    taken = Rsvp.objects.filter(event=event, attending=True, waitlisted=False).count()
    waits = attending and event.capacity is not None and taken >= event.capacity
    if rsvp is None:
        rsvp = Rsvp.objects.create(event=event, member=member, attending=attending, waitlisted=waits)
    else:
        rsvp.attending, rsvp.waitlisted, rsvp.answered_at = attending, waits, timezone.now()
        rsvp.save(update_fields=["attending", "waitlisted", "answered_at"])
    if had_place and not attending:
        first = Rsvp.objects.filter(event=event, attending=True, waitlisted=True).order_by("answered_at", "pk").first()
        if first is not None:
            first.waitlisted = False
            first.save(update_fields=["waitlisted"])
    return rsvp
