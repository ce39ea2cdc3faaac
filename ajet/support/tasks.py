"""Background work of the PSG line (django-tasks).

Run periodically (cron or a systemd timer, like the hub's tasks):
- `send_shift_reminders` every 15 minutes: one e-mail per shift starting within SUPPORT_REMINDER_HOURS,
  marked sent right after the SMTP server accepted it (a re-run sends only what was not sent);
- `send_gap_digest` once a day: the coordinators get the shifts of the next 30 nights short of volunteers;
- `purge_conversations` every few minutes: deletes what a crashed chat server left behind (queue and
  conversation rows older than a night; messages are never stored at all).
`alert_on_call` and `send_debrief_request` are queued by the urgent flag and the debrief request.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from ajet.support import hours, queries
from ajet.support.models import Conversation, OnCall, ShiftAssignment, Volunteer

# A conversation row older than this cannot belong to a live chat (no night lasts so long).
CONVERSATION_MAX_AGE = datetime.timedelta(hours=12)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(moment.astimezone(hours.LINE_TIMEZONE), "D Y-m-d H:i")


def _email(member, subject: str, body: str, connection=None) -> EmailMessage:
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return EmailMessage(prefix + subject, body, None, [member.user.email], connection=connection)


@task()
def send_shift_reminders() -> int:
    """E-mail every volunteer whose shift starts within SUPPORT_REMINDER_HOURS (and has not started);
    return how many were sent."""
    now = timezone.now()
    ahead = now + datetime.timedelta(hours=settings.SUPPORT_REMINDER_HOURS)
    candidates = (ShiftAssignment.objects.filter(reminded=False, night__range=(hours.night_of(now) - datetime
                                                                               .timedelta(days=1),
                                                                               hours.night_of(ahead)))
                  .select_related("volunteer__member__user"))
    sent = 0
    with get_connection() as connection:
        for assignment in candidates:
            start, end = assignment.span
            if not now < start <= ahead:
                continue
            member = assignment.volunteer.member
            with translation.override(member.preferred_language):
                body = _("Hello %(name)s,\n\nA reminder: you are on the PSG line from %(start)s to %(end)s "
                         "(Japan time). The chat console: %(console)s\n\nIf you cannot make it, offer the shift "
                         "for a swap on the roster (%(roster)s) or tell a coordinator.\n\nThank you.") % {
                    "name": member.full_name, "start": _when(start), "end": _when(end),
                    "console": _absolute(reverse("support:console")), "roster": _absolute(reverse("support:roster"))}
                message = _email(member, _("Your PSG shift starts at %(start)s") % {"start": _when(start)}, body,
                                 connection)
            message.send()
            ShiftAssignment.objects.filter(pk=assignment.pk).update(reminded=True)
            sent += 1
    return sent


@task()
def send_gap_digest() -> int:
    """One e-mail to each coordinator listing the shifts of the next nights short of trained volunteers
    (nothing is sent when there is none); return how many e-mails were sent."""
    short = queries.gaps()
    if not short:
        return 0
    sent = 0
    with get_connection() as connection:
        for member in queries.coordinators():
            with translation.override(member.preferred_language):
                lines = [_("%(start)s – %(end)s: %(trained)d of %(minimum)d volunteers") % {
                    "start": _when(shift.start), "end": _when(shift.end), "trained": shift.trained,
                    "minimum": queries.MIN_VOLUNTEERS_PER_SHIFT} for shift in short]
                body = _("Shifts of the next %(nights)d nights short of volunteers:\n\n%(lines)s\n\nCoverage: "
                         "%(link)s") % {"nights": queries.ROSTER_NIGHTS, "lines": "\n".join(lines),
                                        "link": _absolute(reverse("support:coverage"))}
                message = _email(member, _("PSG roster: %(count)d shifts need volunteers") % {"count": len(short)},
                                 body, connection)
            message.send()
            sent += 1
    return sent


def _tell_on_call(volunteer_id: int, on_call_id: int, subject, body) -> None:
    """E-mail the coordinator on call about a volunteer (name and address, to get in touch), in the
    coordinator's language; `subject` and `body` are lazy texts, `body` with %(name)s and %(email)s."""
    member = Volunteer.objects.select_related("member__user").get(pk=volunteer_id).member
    coordinator = OnCall.objects.select_related("coordinator__user").get(pk=on_call_id).coordinator
    with translation.override(coordinator.preferred_language):
        _email(coordinator, str(subject), str(body) % {"name": member.full_name, "email": member.user.email}).send()


@task()
def alert_on_call(*, volunteer_id: int, on_call_id: int) -> None:
    """Tell the coordinator on call that a volunteer raised the imminent-risk flag: who, to call them back;
    nothing of the conversation (the flag carries none)."""
    _tell_on_call(volunteer_id, on_call_id, gettext_lazy("URGENT: PSG imminent-risk flag"), gettext_lazy(
        "%(name)s (%(email)s), on the PSG line now, has raised the urgent flag: someone's safety may be in "
        "immediate danger. Contact them at once and follow the escalation checklist."))


@task()
def send_debrief_request(*, volunteer_id: int, on_call_id: int) -> None:
    """Ask the coordinator on call to debrief a volunteer after a high-risk contact."""
    _tell_on_call(volunteer_id, on_call_id, gettext_lazy("PSG: a volunteer asks for a debrief"), gettext_lazy(
        "%(name)s (%(email)s) took a high-risk contact on the PSG line and would like a debrief. Please get in "
        "touch with them."))


@task()
def purge_conversations() -> int:
    """Delete the queue and conversation rows a crashed chat server left behind; return how many."""
    deleted, _by_model = Conversation.objects.filter(waiting_since__lt=timezone.now() - CONVERSATION_MAX_AGE).delete()
    return deleted
