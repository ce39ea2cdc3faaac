"""Background work of the people app, run by the task queue (django-tasks)."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from ajet.people.models import User


def invitation_link(user: User) -> str:
    """An absolute link to allauth's set-password page, valid like a password-reset link."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse("account_reset_password_from_key", kwargs={
        "uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)})
    return settings.SITE_URL.rstrip("/") + path


@task()
def send_invitations(*, user_ids: list[int]) -> int:
    """E-mail each member added by a roster import a link to choose their password; return how many were sent.

    Skips accounts that are gone, inactive or already have a password. One SMTP connection per batch.
    """
    users = User.objects.select_related("member").filter(pk__in=user_ids, is_active=True).order_by("pk")
    messages = [_invitation(user) for user in users if not user.has_usable_password()]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def _invitation(user: User) -> EmailMessage:
    member = getattr(user, "member", None)
    context = {
        "name": member.full_name if member else user.email,
        "email": user.email,
        "link": invitation_link(user),
        "login_url": settings.SITE_URL.rstrip("/") + reverse("account_login"),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    with translation.override(member.preferred_language if member else settings.LANGUAGE_CODE):
        subject = render_to_string("people/email/invitation_subject.txt", context)
        body = render_to_string("people/email/invitation_message.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return EmailMessage(prefix + " ".join(subject.split()), body, None, [user.email])


@task()
def send_membership_decisions(*, member_ids: list[int], decision: str, reason: str = "", note: str = "") -> int:
    """E-mail each member the officers' decision on their sign-up ("confirmed" or "rejected", with the
    reason), in the member's language, over one SMTP connection. Returns how many were sent."""
    from ajet.people.models import Member

    members = Member.objects.select_related("user").filter(pk__in=member_ids).order_by("pk")
    messages = [_decision(member, decision, reason, note) for member in members]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def _decision(member, decision: str, reason: str, note: str) -> EmailMessage:
    from ajet.people.models import Member

    site = settings.SITE_URL.rstrip("/")
    with translation.override(member.preferred_language):
        context = {
            "name": member.full_name, "decision": decision, "note": note,
            "reason": Member.RejectionReason(reason).label if reason in Member.RejectionReason.values else "",
            "dashboard_url": site + reverse("core:dashboard"),
        }
        subject = render_to_string("people/email/decision_subject.txt", context)
        body = render_to_string("people/email/decision_message.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return EmailMessage(prefix + " ".join(subject.split()), body, None, [member.user.email])


# The digest tells officers about sign-ups of the last day; older ones are counted in "waiting".
DIGEST_PERIOD = datetime.timedelta(days=1)


@task()
def send_pending_digest() -> int:
    """Meant to run once a day: one e-mail to each officer responsible for prefectures (block representatives,
    chapter officers) where sign-ups arrived in the last day and wait for confirmation, listing them and how
    many wait in all. Not one e-mail per sign-up. Returns how many digests were sent."""
    from ajet.organisation.models import Post, Term
    from ajet.organisation.powers import powers_of
    from ajet.people.queries import awaiting_confirmation

    waiting = list(awaiting_confirmation())
    if not waiting:
        return 0
    since = timezone.now() - DIGEST_PERIOD
    officers = {term.member.user for term in Term.objects.current()
                .filter(post__scope__in=[Post.Scope.BLOCK, Post.Scope.CHAPTER], member__isnull=False,
                        member__user__is_active=True).select_related("member__user")}
    messages = []
    for user in sorted(officers, key=lambda user: user.pk):
        area = powers_of(user, timezone.localdate()).managed_prefectures
        theirs = [member for member in waiting if member.prefecture_id in area]
        new = [member for member in theirs if member.created_at >= since]
        if new:
            messages.append(_digest(user, new=new, waiting=len(theirs)))
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def _digest(user: User, *, new: list, waiting: int) -> EmailMessage:
    context = {"name": user.member.full_name, "new": new, "waiting": waiting,
               "queue_url": settings.SITE_URL.rstrip("/") + reverse("people:pending")}
    with translation.override(user.member.preferred_language):
        subject = render_to_string("people/email/pending_digest_subject.txt", context)
        body = render_to_string("people/email/pending_digest_message.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return EmailMessage(prefix + " ".join(subject.split()), body, None, [user.email])
