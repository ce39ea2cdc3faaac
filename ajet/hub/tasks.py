"""Background work of the hub (django-tasks): queueing scheduled announcements and sending their e-mails.

`deliver_announcement` sends the deliveries still queued, in batches of HUB_EMAIL_BATCH_SIZE over one SMTP
connection each, and marks each e-mail the server accepted as sent right after it, in its own commit (see
_mark_sent). A re-run therefore sends only what was not sent, even after the worker was killed outright (the
issue asks that a crash mid-send neither lose nor duplicate a message). A recipient the server refuses is tried
again by later runs until HUB_EMAIL_MAX_ATTEMPTS, then marked failed. `send_due_announcements` is
meant to run every few minutes: it queues scheduled announcements and resumes unfinished sendings. The one
acknowledgement reminder is a second kind of delivery and travels the same way.

Event e-mails: `send_promotion_email` (a place freed up for someone in line), `send_event_message` (an
organiser writes to the attendees) and `send_event_reminders`, meant to run every hour: each attendee of a
date starting before the end of tomorrow (Japan time) is reminded once.
"""

import contextlib
import datetime
import functools
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as database
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from ajet.hub import services
from ajet.hub.models import TOKYO, Announcement, Delivery, Event, Rsvp
from ajet.hub.prepared_mail import RECIPIENT_PLACEHOLDER, PreparedEmail, open_smtp_of
from ajet.organisation.markdown import render_markdown


@task()
def deliver_announcement(*, announcement_id: int) -> int:
    """Send the announcement's queued deliveries; return how many were sent by this run.

    Raises on a server or connection error (the delivery being sent stays queued, its attempt counted)."""
    announcement = Announcement.objects.prefetch_related("attachments").get(pk=announcement_id)
    batch_size = settings.HUB_EMAIL_BATCH_SIZE
    sent, last_pk = 0, 0
    mailer = _AnnouncementMailer(announcement)
    while True:
        batch = list(Delivery.objects.filter(announcement=announcement, status=Delivery.Status.QUEUED, pk__gt=last_pk,
                                             digest=False)
                     .select_related("member__user").only(*DELIVERY_FIELDS).order_by("pk")[:batch_size])
        if not batch:
            return sent
        last_pk = batch[-1].pk
        with get_connection() as connection, commits_without_disk_wait(), database.cursor() as cursor:
            for delivery in batch:
                try:
                    mailer.send(delivery, connection)
                except smtplib.SMTPRecipientsRefused as error:
                    _count_attempt(delivery, error)  # this address only: go on with the others
                    continue
                except (smtplib.SMTPException, OSError) as error:
                    _count_attempt(delivery, error)
                    raise
                sent += _mark_sent(cursor, delivery.pk)


# What the sending reads of a delivery, its member and their account.
DELIVERY_FIELDS = ("kind", "attempts", "member__preferred_language", "member__user__email")


# Each e-mail the server accepted is marked sent at once, in its own short commit, so a worker killed between
# two e-mails sends none of them twice. (Marking ten at a time halved the cost of the marks, but a worker killed
# between two marks would have sent up to nine e-mails twice: reverted.) One short UPDATE per e-mail, with no
# SELECT, no ORM compilation and a commit that does not wait for the disk (commits_without_disk_wait), costs
# far less than the e-mail. Only a crash of the database's own machine could lose the last marks.
def _mark_sent(cursor, delivery_id: int) -> int:
    """Mark one delivery sent (if still queued) in one UPDATE, committed at once in autocommit mode."""
    cursor.execute(_mark_sent_sql(database.vendor), [Delivery.Status.SENT, database.ops.adapt_datetimefield_value(
        timezone.now()), delivery_id, Delivery.Status.QUEUED])
    return cursor.rowcount


@functools.cache
def _mark_sent_sql(vendor: str) -> str:
    """UPDATE hub_delivery SET status, attempts + 1, sent_at, last_error = '' WHERE id AND status, once."""
    def column(name):
        return database.ops.quote_name(Delivery._meta.get_field(name).column)

    # Only the model's own table and column names, quoted, go into the text; every value is a parameter.
    return (f"UPDATE {database.ops.quote_name(Delivery._meta.db_table)} SET {column('status')} = %s, "  # noqa: S608
            f"{column('attempts')} = {column('attempts')} + 1, {column('sent_at')} = %s, {column('last_error')} = '' "
            f"WHERE {column('id')} = %s AND {column('status')} = %s")


@contextlib.contextmanager
def commits_without_disk_wait():
    """While sending, a commit returns once the database has it, without waiting for the disk (SQLite's WAL
    with synchronous=NORMAL, PostgreSQL's synchronous_commit=off): under load the wait cost more than the
    e-mails between two marks. A crash of the worker loses no mark; only a crash of the database's machine
    may forget the marks of its last moment, and those few e-mails would go out again."""
    # Inside a transaction (a test's) nothing commits per delivery, and SQLite refuses the change there.
    vendor = database.vendor if database.get_autocommit() else None
    with database.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("PRAGMA synchronous")
            before = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous = NORMAL")
        elif vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with database.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute(f"PRAGMA synchronous = {int(before)}")
            elif vendor == "postgresql":
                cursor.execute("RESET synchronous_commit")


# The same text for every recipient of an announcement (per language): rendered once, not once per e-mail.
_markdown = functools.lru_cache(maxsize=16)(render_markdown)


def _count_attempt(delivery: Delivery, error: Exception) -> None:
    failed = delivery.attempts + 1 >= settings.HUB_EMAIL_MAX_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=F("attempts") + 1, last_error=str(error)[:300],
        status=Delivery.Status.FAILED if failed else Delivery.Status.QUEUED)


@task()
def send_due_announcements() -> list[int]:
    """Queue the scheduled announcements that are due; resume every sending with deliveries still queued."""
    queued = services.queue_due_announcements()
    unfinished = (Delivery.objects.filter(status=Delivery.Status.QUEUED, digest=False)
                  .exclude(announcement_id__in=queued)
                  .values_list("announcement_id", flat=True).distinct())
    for announcement_id in unfinished:
        deliver_announcement.enqueue(announcement_id=announcement_id)
    return queued


@task()
def send_digests() -> int:
    """Meant to run once a day: one e-mail per member with every announcement waiting for their digest,
    over one connection per batch of members. Each member's rows are marked sent right after the server
    accepted their e-mail, so a re-run sends only the digests not yet sent. Returns how many were sent."""
    waiting = (Delivery.objects.filter(status=Delivery.Status.QUEUED, digest=True)
               .values_list("member_id", flat=True).distinct().order_by("member_id"))
    member_ids = list(waiting)
    sent = 0
    for start in range(0, len(member_ids), settings.HUB_EMAIL_BATCH_SIZE):
        chunk = member_ids[start:start + settings.HUB_EMAIL_BATCH_SIZE]
        rows = (Delivery.objects.filter(status=Delivery.Status.QUEUED, digest=True, member_id__in=chunk)
                .select_related("announcement", "member__user").order_by("member_id", "announcement__queued_at"))
        by_member: dict[int, list[Delivery]] = {}
        for row in rows:
            by_member.setdefault(row.member_id, []).append(row)
        with get_connection() as connection:
            for deliveries in by_member.values():
                _digest_message(deliveries, connection).send()
                Delivery.objects.filter(pk__in=[row.pk for row in deliveries], status=Delivery.Status.QUEUED).update(
                    status=Delivery.Status.SENT, attempts=F("attempts") + 1, sent_at=timezone.now())
                sent += 1
    return sent


def _digest_message(deliveries: list[Delivery], connection) -> EmailMultiAlternatives:
    member = deliveries[0].member
    items = []
    for delivery in deliveries:
        title, body = delivery.announcement.localised(member.preferred_language)
        items.append({"title": title, "body": body, "link": absolute(delivery.announcement.get_absolute_url())})
    preferences = absolute(reverse("hub:preferences"))
    unsubscribe = absolute(reverse("hub:unsubscribe", args=[services.unsubscribe_token(member, services.DIGESTS)]))
    context = {"items": items, "member": member, "preferences": preferences, "unsubscribe": unsubscribe}
    with translation.override(member.preferred_language):
        subject = render_to_string("hub/email/digest_subject.txt", context)
        text = render_to_string("hub/email/digest.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return EmailMultiAlternatives(
        prefix + " ".join(subject.split()), text, None, [member.user.email], connection=connection,
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# Stands for the recipient's own unsubscribe link in the text rendered once per language (plain letters:
# HTML escaping leaves it as it is).
UNSUBSCRIBE_PLACEHOLDER = "ajet-unsubscribe-link-placeholder"


def unsubscribe_link(member, scope_kind: str) -> str:
    """The member's signed one-click link (the same as reversing hub:unsubscribe, without a reverse per e-mail)."""
    return _unsubscribe_prefix(settings.SITE_URL, get_script_prefix()) + services.unsubscribe_token(
        member, scope_kind) + "/"


@functools.lru_cache(maxsize=4)
def _unsubscribe_prefix(site_url: str, script_prefix: str) -> str:
    return absolute(reverse("hub:unsubscribe", args=["token"])).removesuffix("token/")


def _render_announcement(announcement: Announcement, language: str,
                         reminder: bool = False) -> tuple[str, str, str]:
    """(subject, text, HTML) of the announcement's e-mail in `language`, the same for every recipient of that
    language: the templates get no member, only the language (nothing personal can leak from one to another)."""
    title, body = announcement.localised(language)
    context = {"announcement": announcement, "language": language, "title": title, "body": body,
               "body_html": _markdown(body), "unsubscribe": UNSUBSCRIBE_PLACEHOLDER, "reminder": reminder,
               "link": absolute(announcement.get_absolute_url()),
               "attachments": [(attachment.original_name, absolute(attachment.get_absolute_url()))
                               for attachment in announcement.attachments.all()],
               "preferences": absolute(reverse("hub:preferences"))}
    with translation.override(language):
        text = render_to_string("hub/email/announcement.txt", context)
        html = render_to_string("hub/email/announcement.html", context)
        subject = _("Reminder: please confirm — %(title)s") % {"title": title} if reminder else title
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return prefix + " ".join(subject.split()), text, html


def _email(rendered: tuple[str, str, str], address: str, unsubscribe: str, connection) -> EmailMultiAlternatives:
    subject, text, html = rendered
    message = EmailMultiAlternatives(
        subject, text.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe), None, [address], connection=connection,
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    message.attach_alternative(html.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe), "text/html")
    return message


class _AnnouncementMailer:
    """Sends one announcement's e-mails. The text is rendered once per language (and kind: announcement or
    reminder), with only the unsubscribe link put in per recipient (bench/hub.py). Over Django's own SMTP
    backend the e-mail itself is built once per language too, and each recipient's bytes are that e-mail with
    their address and unsubscribe link put in (prepared_mail); with any other backend, or where the bytes
    cannot take a recipient as they are, each e-mail is built whole."""

    def __init__(self, announcement: Announcement):
        self.announcement = announcement
        self.rendered: dict[tuple[str, bool], tuple[str, str, str]] = {}
        self.prepared: dict[tuple[str, bool], PreparedEmail | None] = {}

    def send(self, delivery: Delivery, connection) -> None:
        """Send the delivery's e-mail on the open `connection`; raises what the SMTP server answered."""
        member, reminder = delivery.member, delivery.kind == Delivery.Kind.REMINDER
        smtp = open_smtp_of(connection)
        if smtp is not None:
            prepared = self._prepared(member.preferred_language, reminder)
            link = unsubscribe_link(member, self.announcement.scope_kind)
            data = prepared and prepared.for_recipient(member.user.email, {UNSUBSCRIBE_PLACEHOLDER: link})
            if data is not None:
                prepared.send(smtp, member.user.email, data)
                return
        self.message(member, connection, reminder=reminder).send()

    def message(self, member, connection, *, reminder: bool = False) -> EmailMultiAlternatives:
        """The announcement's e-mail to `member`, built whole."""
        return _email(self._rendered(member.preferred_language, reminder), member.user.email,
                      unsubscribe_link(member, self.announcement.scope_kind), connection)

    def _rendered(self, language: str, reminder: bool) -> tuple[str, str, str]:
        key = (language, reminder)
        if key not in self.rendered:
            self.rendered[key] = _render_announcement(self.announcement, language, reminder)
        return self.rendered[key]

    def _prepared(self, language: str, reminder: bool) -> PreparedEmail | None:
        key = (language, reminder)
        if key not in self.prepared:
            self.prepared[key] = PreparedEmail.of(
                _email(self._rendered(language, reminder), RECIPIENT_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER, None),
                personal=(UNSUBSCRIBE_PLACEHOLDER,))
        return self.prepared[key]


# --- Events -----------------------------------------------------------------------------------------

def _event_message(event: Event, member, *, template: str, subject: str, connection, occurrence=None,
                   extra: dict | None = None) -> EmailMultiAlternatives:
    with translation.override(member.preferred_language):
        moment = occurrence or event.start
        context = {"event": event, "member": member, "link": absolute(event.get_absolute_url()),
                   "when": formats.date_format(moment.astimezone(TOKYO), "DATETIME_FORMAT"),
                   "ics": absolute(reverse("hub:event_ics", args=[event.pk])), **(extra or {})}
        text = render_to_string(template, context)
        subject = str(subject)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return EmailMultiAlternatives(prefix + " ".join(subject.split()), text, None, [member.user.email],
                                  connection=connection, reply_to=(extra or {}).get("reply_to_list") or None)


@task()
def send_promotion_email(*, rsvp_id: int) -> bool:
    """Tell a member who waited in line that a place is now theirs. Returns whether an e-mail went out."""
    rsvp = Rsvp.objects.select_related("event", "member__user").filter(pk=rsvp_id, attending=True,
                                                                       waitlisted=False).first()
    if rsvp is None or not rsvp.member.user.is_active:
        return False
    with translation.override(rsvp.member.preferred_language):
        subject = _("A place is yours: %(title)s") % {"title": rsvp.event.title}
    with get_connection() as connection:
        _event_message(rsvp.event, rsvp.member, template="hub/email/event_promoted.txt", subject=subject,
                       connection=connection, occurrence=rsvp.occurrence).send()
    return True


@task()
def send_event_message(*, event_id: int, subject: str, body: str, member_ids: list[int], reply_to: str = "") -> int:
    """An organiser's message to the attendees, over one connection per batch. Returns how many were sent."""
    from ajet.people.models import Member

    event = Event.objects.get(pk=event_id)
    members = list(Member.objects.filter(pk__in=member_ids, user__is_active=True).select_related("user")
                   .order_by("pk"))
    sent = 0
    for start in range(0, len(members), settings.HUB_EMAIL_BATCH_SIZE):
        with get_connection() as connection:
            for member in members[start:start + settings.HUB_EMAIL_BATCH_SIZE]:
                _event_message(event, member, template="hub/email/event_message.txt", subject=subject,
                               connection=connection, extra={
                                   "body": body, "reply_to_list": [reply_to] if reply_to else None}).send()
                sent += 1
    return sent


def reminder_window_end(now: datetime.datetime) -> datetime.datetime:
    """The end of tomorrow in Japan time: dates starting before it are reminded of."""
    today = now.astimezone(TOKYO).date()
    return datetime.datetime.combine(today + datetime.timedelta(days=2), datetime.time(), tzinfo=TOKYO)


@task()
def send_event_reminders(now: str | None = None) -> int:
    """E-mail everyone with a place at a date that starts before the end of tomorrow (Japan time), once
    (each answer is marked right after its e-mail was accepted). Returns how many were sent."""
    moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
    due = (Rsvp.objects.filter(attending=True, waitlisted=False, reminded_at__isnull=True,
                               occurrence__gt=moment, occurrence__lt=reminder_window_end(moment),
                               member__user__is_active=True)
           .select_related("event", "member__user").order_by("pk"))
    rows = list(due)
    sent = 0
    for start in range(0, len(rows), settings.HUB_EMAIL_BATCH_SIZE):
        with get_connection() as connection:
            for rsvp in rows[start:start + settings.HUB_EMAIL_BATCH_SIZE]:
                with translation.override(rsvp.member.preferred_language):
                    subject = _("Reminder: %(title)s") % {"title": rsvp.event.title}
                _event_message(rsvp.event, rsvp.member, template="hub/email/event_reminder.txt", subject=subject,
                               connection=connection, occurrence=rsvp.occurrence).send()
                Rsvp.objects.filter(pk=rsvp.pk, reminded_at__isnull=True).update(reminded_at=timezone.now())
                sent += 1
    return sent


@task()
def remind_guide_reviews() -> int:
    """Meant to run once a day: e-mail the owners of each guide whose last review is a year old (its owner
    post's holders, or the executives when nobody holds it), once per review cycle, each owner one e-mail
    listing their guides. The guides are marked reminded once every e-mail was accepted: a later run reminds
    nobody again (a run that failed half-way is repeated whole). Returns how many e-mails were sent."""
    from ajet.hub.guides import editors_to_remind, stale_guides
    from ajet.hub.models import Guide

    due = list(stale_guides().exclude(reminded_for=F("last_reviewed")).select_related("owner_post")
               .order_by("pk"))
    by_member: dict[int, tuple] = {}
    for guide in due:
        for member in editors_to_remind(guide):
            by_member.setdefault(member.pk, (member, []))[1].append(guide)
    sent = 0
    with get_connection() as connection:
        for member, guides in by_member.values():
            _guide_review_message(member, guides, connection).send()
            sent += 1
    for guide in due:
        Guide.objects.filter(pk=guide.pk, last_reviewed=guide.last_reviewed).update(reminded_for=guide.last_reviewed)
    return sent


def _guide_review_message(member, guides, connection) -> EmailMultiAlternatives:
    items = [{"title": guide.title, "reviewed": guide.last_reviewed, "link": absolute(guide.get_absolute_url())}
             for guide in guides]
    context = {"member": member, "items": items}
    with translation.override(member.preferred_language):
        subject = render_to_string("hub/email/guide_review_subject.txt", context)
        text = render_to_string("hub/email/guide_review.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return EmailMultiAlternatives(prefix + " ".join(subject.split()), text, None, [member.user.email],
                                  connection=connection)
