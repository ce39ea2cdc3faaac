"""Background work of the hub (django-tasks): queueing scheduled announcements and sending their e-mails.

`deliver_announcement` sends the deliveries still queued, in batches of HUB_EMAIL_BATCH_SIZE over one SMTP
connection each, and marks what the server accepted as sent every MARK_SENT_EVERY e-mails and whenever it
stops (a server or connection error included). A re-run therefore sends only what was not sent; only a worker
killed outright could send again the few e-mails accepted since its last mark. A recipient the server refuses is
tried again by later runs until HUB_EMAIL_MAX_ATTEMPTS, then marked failed. `send_due_announcements` is
meant to run every few minutes: it queues scheduled announcements and resumes unfinished sendings.
"""

import functools
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from ajet.hub import services
from ajet.hub.models import Announcement, Delivery
from ajet.organisation.markdown import render_markdown


@task()
def deliver_announcement(*, announcement_id: int) -> int:
    """Send the announcement's queued deliveries; return how many were sent by this run.

    Raises on a server or connection error (the delivery being sent stays queued, its attempt counted)."""
    announcement = Announcement.objects.get(pk=announcement_id)
    batch_size = settings.HUB_EMAIL_BATCH_SIZE
    sent, last_pk = 0, 0
    rendered: dict[str, tuple[str, str, str]] = {}  # the e-mail's text per language, rendered once
    while True:
        batch = list(Delivery.objects.filter(announcement=announcement, status=Delivery.Status.QUEUED, pk__gt=last_pk,
                                             digest=False)
                     .select_related("member__user").order_by("pk")[:batch_size])
        if not batch:
            return sent
        last_pk = batch[-1].pk
        with get_connection() as connection:
            accepted: list[int] = []
            try:
                for delivery in batch:
                    message = _message(announcement, delivery.member, connection, rendered)
                    try:
                        message.send()
                    except smtplib.SMTPRecipientsRefused as error:
                        _count_attempt(delivery, error)  # this address only: go on with the others
                        continue
                    except (smtplib.SMTPException, OSError) as error:
                        _count_attempt(delivery, error)
                        raise
                    accepted.append(delivery.pk)
                    if len(accepted) >= MARK_SENT_EVERY:
                        sent += _mark_sent(accepted)
                        accepted = []
            finally:  # also when the server fails: what it accepted is marked before the error goes up
                sent += _mark_sent(accepted)


# A commit per e-mail (to mark it sent) cost about as much as sending it to a local server (bench/hub.py):
# the marks are written ten at a time instead, and at once when the sending stops for any reason.
MARK_SENT_EVERY = 10


def _mark_sent(delivery_ids: list[int]) -> int:
    if not delivery_ids:
        return 0
    return Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SENT, attempts=F("attempts") + 1, sent_at=timezone.now(), last_error="")


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


def _render_announcement(announcement: Announcement, language: str) -> tuple[str, str, str]:
    """(subject, text, HTML) of the announcement's e-mail in `language`, the same for every recipient of that
    language: the templates get no member, only the language (nothing personal can leak from one to another)."""
    title, body = announcement.localised(language)
    context = {"announcement": announcement, "language": language, "title": title, "body": body,
               "body_html": _markdown(body), "unsubscribe": UNSUBSCRIBE_PLACEHOLDER,
               "link": absolute(announcement.get_absolute_url()),
               "preferences": absolute(reverse("hub:preferences"))}
    with translation.override(language):
        text = render_to_string("hub/email/announcement.txt", context)
        html = render_to_string("hub/email/announcement.html", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return prefix + " ".join(title.split()), text, html


def _message(announcement: Announcement, member, connection, rendered: dict | None = None) -> EmailMultiAlternatives:
    """The announcement's e-mail to `member`. `rendered` keeps the text per language across the recipients
    of one sending: only the unsubscribe link is rendered per recipient (bench/hub.py)."""
    rendered = {} if rendered is None else rendered
    language = member.preferred_language
    if language not in rendered:
        rendered[language] = _render_announcement(announcement, language)
    subject, text, html = rendered[language]
    unsubscribe = absolute(reverse("hub:unsubscribe", args=[services.unsubscribe_token(member,
                                                                                       announcement.scope_kind)]))
    message = EmailMultiAlternatives(
        subject, text.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe), None, [member.user.email],
        connection=connection,
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    message.attach_alternative(html.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe), "text/html")
    return message


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
