"""Writes about members. Each function is atomic and states its side effects."""

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ajet.core import audit
from ajet.people.models import Member, User

PROFILE_FIELDS = [
    "full_name", "preferred_language", "position", "prefecture", "contracting_organisation",
    "jet_start_date", "year_on_jet", "arrival_group", "jet_number", "bio",
    "bio_ja",
]


class MembershipError(Exception):
    """A membership change that is not allowed in the member's current state."""


def _jet_number_taken(number: str | None, *, by_other_than: Member) -> bool:
    return bool(number) and Member.objects.filter(jet_number=number).exclude(pk=by_other_than.pk).exists()


def _save_with_jet_number(member: Member, number: str | None, *, update_fields: list[str] | None = None) -> None:
    """Save `member` holding `number` if it is free; if another member holds it (even one who took it a
    moment ago, in a transaction that committed first), keep it as `jet_number_claimed` instead."""
    fields = None if update_fields is None else [*update_fields, "jet_number", "jet_number_claimed"]
    if not _jet_number_taken(number, by_other_than=member):
        member.jet_number, member.jet_number_claimed = number, ""
        try:
            with transaction.atomic():
                member.save(update_fields=fields)
            return
        except IntegrityError:
            if not _jet_number_taken(number, by_other_than=member):
                raise  # another unique value clashed, not the JET number
            if update_fields is None:
                member.pk = None  # the INSERT was rolled back: insert again
    member.jet_number, member.jet_number_claimed = None, number
    member.save(update_fields=fields)


@transaction.atomic
def create_member_profile(*, user: User, **fields) -> Member:
    """Create the pending profile of a new sign-up. A JET number that another member holds is kept aside
    (`jet_number_claimed`) for the confirming officer to check; the member is not told."""
    number = fields.pop("jet_number", None)
    member = Member(user=user, status=Member.Status.PENDING, **fields)
    _save_with_jet_number(member, number)
    return member


@transaction.atomic
def update_profile(*, member: Member, changes: dict) -> Member:
    """Save a member's own edits to their profile (moving prefecture re-homes their block). A JET number
    that another member holds is kept aside as at sign-up."""
    for name in changes:
        if name not in PROFILE_FIELDS:
            raise ValueError(f"{name} is not a profile field")
    changes = dict(changes)
    number_changed = "jet_number" in changes
    number = changes.pop("jet_number", None)
    for name, value in changes.items():
        setattr(member, name, value)
    if number_changed:
        _save_with_jet_number(member, number, update_fields=list(changes))
    elif changes:
        member.save(update_fields=list(changes))
    return member


def _confirm(member: Member, *, by: User) -> Member:
    """Confirm one pending, verified sign-up (locked by the caller's transaction); audit-logged."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if not member.is_pending:
        raise MembershipError(_("%(name)s is not waiting for confirmation.") % {"name": member.full_name})
    if not member.has_verified_email:
        raise MembershipError(_("%(name)s has not verified their e-mail address yet.") % {"name": member.full_name})
    before = audit.snapshot(member, ["status"])
    member.status = Member.Status.CURRENT
    member.confirmed_at = timezone.now()
    member.confirmed_by = by
    member.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    audit.record(actor=by, action="member.confirm", target=member, before=before,
                 after=audit.snapshot(member, ["status"]))
    return member


@transaction.atomic
def confirm_membership(*, member: Member, by: User) -> Member:
    """Confirm a pending sign-up (whose e-mail address is verified) as a current participant; audit-logged.
    After commit, the member is told by e-mail (in their language)."""
    member = _confirm(member, by=by)
    transaction.on_commit(partial(_enqueue_decisions, [member.pk], "confirmed"))
    return member


def _check_in_area(members: list[Member], *, by: User) -> None:
    """Every member must be one `by` manages: a forged id outside their area refuses the whole batch, without
    naming who it was (PermissionDenied)."""
    if by is None or not all(by.has_perm("people.view_member", member) and member.user_id != by.pk
                             for member in members):
        raise PermissionDenied


@transaction.atomic
def confirm_members(*, members: list[Member], by: User) -> list[Member]:
    """Confirm several pending sign-ups at once: all of them or none (MembershipError names who cannot be
    confirmed; PermissionDenied if any is outside `by`'s area). Audit-logged one by one; after commit, one
    task e-mails every confirmed member."""
    if not members:
        raise MembershipError(_("Choose at least one sign-up."))
    _check_in_area(members, by=by)
    confirmed = [_confirm(member, by=by) for member in members]
    transaction.on_commit(partial(_enqueue_decisions, [member.pk for member in confirmed], "confirmed"))
    return confirmed


@transaction.atomic
def reject_members(*, members: list[Member], by: User, reason: str, note: str = "") -> list[Member]:
    """Turn down pending sign-ups (verified or not): all of them or none. Their status becomes `rejected`;
    each is audit-logged with the reason; after commit, each person is told the reason by e-mail."""
    if not members:
        raise MembershipError(_("Choose at least one sign-up."))
    if reason not in Member.RejectionReason.values:
        raise MembershipError(_("Choose a reason."))
    _check_in_area(members, by=by)
    rejected = []
    for member in members:
        member = Member.objects.select_for_update().get(pk=member.pk)
        if not member.is_pending:
            raise MembershipError(_("%(name)s is not waiting for confirmation.") % {"name": member.full_name})
        before = audit.snapshot(member, ["status"])
        member.status = Member.Status.REJECTED
        member.save(update_fields=["status"])
        audit.record(actor=by, action="member.reject", target=member, before=before,
                     after={**audit.snapshot(member, ["status"]), "reason": reason, "note": note})
        rejected.append(member)
    transaction.on_commit(partial(_enqueue_decisions, [member.pk for member in rejected], "rejected",
                                  reason=reason, note=note))
    return rejected


def _enqueue_decisions(member_ids: list[int], decision: str, **details) -> None:
    from ajet.people.tasks import send_membership_decisions

    send_membership_decisions.enqueue(member_ids=member_ids, decision=decision, **details)


@transaction.atomic
def set_language(*, user: User, language: str) -> None:
    member = getattr(user, "member", None)
    if member is not None and member.preferred_language != language:
        member.preferred_language = language
        member.save(update_fields=["preferred_language"])


# What else ends when members leave JET (their officer terms): registered by the apps that know it
# (AppConfig.ready), called inside mark_alumni's transaction as handler(members=..., last_day=..., by=...).
_leaving_handlers: list = []


def register_leaving_handler(handler) -> None:
    _leaving_handlers.append(handler)


@dataclass(frozen=True)
class AlumniResult:
    marked: int
    skipped: int  # no longer current when confirmed (someone changed them meanwhile)


@transaction.atomic
def mark_alumni(*, member_ids: list[int], last_day, by: User, source: str) -> AlumniResult:
    """Members who leave JET on `last_day` become alumni; whatever they held ends that day (registered
    leaving handlers: officer terms). Executives only (PermissionDenied). Members no longer current are
    skipped. Audit-logged: one entry per member and one for the whole change (`source` says how they were
    chosen)."""
    if by is None or not by.has_perm("people.mark_alumni"):
        raise PermissionDenied
    members = list(Member.objects.select_for_update().filter(pk__in=member_ids, status=Member.Status.CURRENT)
                   .order_by("pk"))
    for member in members:
        member.status = Member.Status.ALUMNI
    Member.objects.bulk_update(members, ["status"], batch_size=500)
    audit.record_many(actor=by, entries=[
        {"action": "member.alumni", "target": member, "before": {"status": Member.Status.CURRENT},
         "after": {"status": Member.Status.ALUMNI, "last_day": str(last_day)}} for member in members])
    for handler in _leaving_handlers:
        handler(members=members, last_day=last_day, by=by)
    audit.record(actor=by, action="roster.alumni", target_label=source, after={
        "source": source, "last_day": str(last_day), "alumni": len(members),
        "skipped": len(set(member_ids)) - len(members)})
    return AlumniResult(marked=len(members), skipped=len(set(member_ids)) - len(members))


# Invitations go out in batches: one task (and one SMTP connection) per batch, not one per member.
INVITATIONS_PER_TASK = 100


class RosterImportError(Exception):
    """A roster that cannot be imported as it stands; nothing was written."""


@dataclass(frozen=True)
class RosterImportResult:
    created: int
    updated: int
    unchanged: int


def import_roster(*, rows: list[dict], file_name: str, by: User) -> RosterImportResult:
    """Import the rows of a roster file (as read by `roster.read_roster`): all of them or none.

    The rows are checked again inside the transaction; if any is wrong, RosterImportError is raised and
    nothing is written. Side effects: creates a User (unusable password, verified e-mail address) and a
    Member (status from the file, current by default, confirmed by `by`) for each new address; updates
    the filled-in fields of existing members; writes an audit entry for the import and one for each
    member created or changed (with the changed fields before and after); after commit, enqueues the
    invitation e-mails (a link to choose a password) of the new members, in batches of INVITATIONS_PER_TASK.
    """
    from ajet.people import roster

    try:
        with transaction.atomic():
            preview = roster.preview_roster(rows)
            if preview.has_errors:
                raise RosterImportError(ngettext(
                    "%(count)s row of the roster has errors; nothing was imported.",
                    "%(count)s rows of the roster have errors; nothing was imported.", preview.errors,
                ) % {"count": preview.errors})
            now = timezone.now()
            invited, member_entries = _create_roster_members(
                [row for row in preview.rows if row.action == roster.CREATE], by=by, now=now)
            for row in preview.rows:
                if row.action == roster.UPDATE and row.changes:
                    member_entries.append(_apply_roster_changes(row.member, row.values, by=by, now=now))
            audit.record_many(actor=by, entries=member_entries)
            audit.record(actor=by, action="roster.import", target_label=file_name, after={
                "file_name": file_name, "created": preview.created, "updated": preview.updated,
                "unchanged": preview.unchanged,
            })
            for start in range(0, len(invited), INVITATIONS_PER_TASK):
                transaction.on_commit(partial(_enqueue_invitations, invited[start:start + INVITATIONS_PER_TASK]))
    except IntegrityError as error:  # someone else took an address or JET number meanwhile
        raise RosterImportError(
            _("Members changed while the roster was being imported; nothing was imported. Upload it again.")
        ) from error
    return RosterImportResult(created=preview.created, updated=preview.updated, unchanged=preview.unchanged)


def _create_roster_members(rows: list, *, by: User, now) -> tuple[list[int], list[dict]]:
    """New users (no usable password yet), their verified addresses and members, in a few bulk queries.
    Returns the new users' ids and an audit entry for each new member."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    User.objects.bulk_create([User(email=row.email, password=make_password(None)) for row in rows], batch_size=500)
    users = User.objects.in_bulk([row.email for row in rows], field_name="email")
    EmailAddress.objects.bulk_create([
        EmailAddress(user=users[row.email], email=row.email, verified=True, primary=True) for row in rows
    ], batch_size=500)
    members = []
    for row in rows:
        fields = {"status": Member.Status.CURRENT, **row.values}
        if fields["status"] != Member.Status.PENDING:
            fields.update(confirmed_at=now, confirmed_by=by)
        members.append(Member(user=users[row.email], **fields))
    Member.objects.bulk_create(members, batch_size=500)
    from ajet.people.roster import MEMBER_FIELDS

    entries = [
        {"action": "roster.member_create", "target": member, "target_label": member.full_name,
         "after": {"email": row.email, **audit.snapshot(
             member, [name for name in MEMBER_FIELDS if name in row.values or name == "status"])}}
        for row, member in zip(rows, members, strict=True)
    ]
    return [users[row.email].pk for row in rows], entries


def _apply_roster_changes(member: Member, values: dict, *, by: User, now) -> dict:
    """Save the roster's changes to one member; return the audit entry that records them."""
    from ajet.people.roster import MEMBER_FIELDS

    changed = [name for name in MEMBER_FIELDS if name in values and getattr(member, name) != values[name]]
    before = audit.snapshot(member, changed)
    for name in changed:
        setattr(member, name, values[name])
    entry = {"action": "roster.member_update", "target": member, "target_label": member.full_name,
             "before": before, "after": audit.snapshot(member, changed)}
    if "status" in changed and member.status == Member.Status.CURRENT and member.confirmed_at is None:
        member.confirmed_at, member.confirmed_by = now, by
        changed += ["confirmed_at", "confirmed_by"]
    member.save(update_fields=changed)
    return entry


def _enqueue_invitations(user_ids: list[int]) -> None:
    from ajet.people.tasks import send_invitations

    send_invitations.enqueue(user_ids=user_ids)
