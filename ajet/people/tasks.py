"""Background work of the people app, run by the task queue (django-tasks)."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
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
