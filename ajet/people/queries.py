"""Reads about members that more than one view needs."""

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, QuerySet

from ajet.people.models import Member


def pending_sign_ups() -> QuerySet[Member]:
    """Every pending sign-up, annotated with `email_verified`, oldest first."""
    verified = EmailAddress.objects.filter(user_id=OuterRef("user_id"), verified=True)
    return (Member.objects.filter(status=Member.Status.PENDING).annotate(email_verified=Exists(verified))
            .select_related("prefecture", "user").order_by("created_at", "pk"))


def awaiting_confirmation() -> QuerySet[Member]:
    """Pending sign-ups who have verified their e-mail address, oldest first: the officers' queue.
    A sign-up that never clicked the link may not even own the address, so officers do not see it."""
    return pending_sign_ups().filter(email_verified=True)
