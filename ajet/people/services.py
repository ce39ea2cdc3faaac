"""Writes about members. Each function is atomic and states its side effects."""

from django.db import transaction
from django.utils import timezone

from ajet.core import audit
from ajet.people.models import Member, User

PROFILE_FIELDS = [
    "full_name", "preferred_language", "position", "prefecture", "contracting_organisation",
    "jet_start_date", "year_on_jet", "arrival_group", "jet_number", "bio",
]


class MembershipError(Exception):
    """A membership change that is not allowed in the member's current state."""


@transaction.atomic
def create_member_profile(*, user: User, **fields) -> Member:
    """Create the pending profile of a new sign-up."""
    return Member.objects.create(user=user, status=Member.Status.PENDING, **fields)


@transaction.atomic
def update_profile(*, member: Member, changes: dict) -> Member:
    """Save a member's own edits to their profile (moving prefecture re-homes their block)."""
    for name, value in changes.items():
        if name not in PROFILE_FIELDS:
            raise ValueError(f"{name} is not a profile field")
        setattr(member, name, value)
    member.save(update_fields=list(changes))
    return member


@transaction.atomic
def confirm_membership(*, member: Member, by: User) -> Member:
    """Confirm a pending sign-up as a current participant; audit-logged."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if not member.is_pending:
        raise MembershipError("This member is not waiting for confirmation.")
    before = audit.snapshot(member, ["status"])
    member.status = Member.Status.CURRENT
    member.confirmed_at = timezone.now()
    member.confirmed_by = by
    member.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    audit.record(actor=by, action="member.confirm", target=member, before=before,
                 after=audit.snapshot(member, ["status"]))
    return member


@transaction.atomic
def set_language(*, user: User, language: str) -> None:
    member = getattr(user, "member", None)
    if member is not None and member.preferred_language != language:
        member.preferred_language = language
        member.save(update_fields=["preferred_language"])
