"""The end of a JET year: members who leave become alumni in bulk, from a roster file of leavers or by the
year they arrived. `preview_leavers` reads only; `services.mark_alumni` writes (all or nothing)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from ajet.people.models import JET_NUMBER_VALIDATOR, Member
from ajet.people.roster import normalise_jet_number


@dataclass
class LeaversPreview:
    leaving: list[Member]  # current members who become alumni
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (row, value, why): nothing happens
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, value, why): blocks the change
    notes: list[tuple[int, str, str]] = field(default_factory=list)  # (row, value, what): matched, worth a look

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)


def preview_from_rows(rows: list[dict]) -> LeaversPreview:
    """The current members named by a leavers file. With a `jet_number` column a row is matched by its JET
    number (by its `email` when the number cell is empty), and a row's e-mail address must not point to
    another member; without one, by the `email` cells. Rows that name no member, or a member already gone,
    are skipped (and listed); a malformed value, or a number and an address naming two different members, is
    an error. Reads only, in a constant number of queries."""
    preview = LeaversPreview(leaving=[])
    keys = [(normalise_jet_number(row["values"].get("jet_number", "")),
             row["values"].get("email", "").strip().lower()) for row in rows]
    by_number = {member.jet_number: member for member in Member.objects.filter(
        jet_number__in={number for number, _email in keys if number}).select_related("user", "prefecture")}
    by_email = {member.email_lower: member for member in Member.objects.annotate(email_lower=Lower("user__email"))
                .filter(email_lower__in={email for _number, email in keys if email})
                .select_related("user", "prefecture")}
    chosen: dict[int, int] = {}  # member → the first row that named them
    for row, (number, email) in zip(rows, keys, strict=True):
        line = row["line"]
        if email:
            try:
                validate_email(email)
            except ValidationError:
                preview.errors.append((line, email[:80], _("not a valid e-mail address")))
                continue
        if number:
            try:
                JET_NUMBER_VALIDATOR(number)
            except ValidationError:
                preview.errors.append((line, number[:30], _("not a JET number (11 digits starting with 20)")))
                continue
            member = _match_by_number(preview, line, number, email, by_number, by_email)
            value = number
        elif email:
            member, value = by_email.get(email), email
            if member is None:
                preview.skipped.append((line, email, _("no member has this address")))
        else:
            preview.errors.append((line, "", _("neither a JET number nor an e-mail address")))
            continue
        if member is None or chosen.setdefault(member.pk, line) != line:
            continue  # not a member, an error, or named again by a later row
        if member.status != Member.Status.CURRENT:
            preview.skipped.append((line, value, _("not a current member (%(status)s)") % {
                "status": member.get_status_display()}))
        else:
            preview.leaving.append(member)
    preview.leaving.sort(key=lambda member: (member.full_name, member.pk))
    return preview


def _match_by_number(preview: LeaversPreview, line: int, number: str, email: str, by_number: dict,
                     by_email: dict) -> Member | None:
    """The member a row with a (valid) JET number names, or None after saying why in `preview`."""
    member, addressee = by_number.get(number), by_email.get(email)
    if member is not None:
        if addressee is not None and addressee != member:
            preview.errors.append((line, number, _(
                "this JET number belongs to %(number_holder)s, but the e-mail address %(email)s to "
                "%(address_holder)s") % {"number_holder": member.full_name, "email": email,
                                         "address_holder": addressee.full_name}))
            return None
        if email and addressee is None:
            preview.notes.append((line, number, _(
                "matched by JET number to %(name)s, whose address is not %(email)s") % {
                "name": member.full_name, "email": email}))
        return member
    if addressee is None:
        preview.skipped.append((line, number, _("no member has this JET number") if not email else
                                _("no member has this JET number or this address")))
        return None
    if addressee.jet_number:
        preview.errors.append((line, number, _(
            "no member has this JET number, and the e-mail address %(email)s belongs to %(name)s, whose JET "
            "number is another") % {"email": email, "name": addressee.full_name}))
        return None
    preview.notes.append((line, number, _(
        "matched by e-mail address to %(name)s, who has not given a JET number") % {"name": addressee.full_name}))
    return addressee


def preview_by_arrival_year(year: int) -> LeaversPreview:
    """Every current member whose JET start date falls in `year`."""
    leaving = list(Member.objects.filter(status=Member.Status.CURRENT, jet_start_date__year=year)
                   .select_related("user", "prefecture").order_by("full_name", "pk"))
    return LeaversPreview(leaving=leaving)
