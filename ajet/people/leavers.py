"""The end of a JET year: members who leave become alumni in bulk, from a roster file of leavers or by the
year they arrived. `preview_leavers` reads only; `services.mark_alumni` writes (all or nothing)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from ajet.people.models import Member


@dataclass
class LeaversPreview:
    leaving: list[Member]  # current members who become alumni
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (row, address, why): nothing happens
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, value, why): blocks the change

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)


def preview_from_rows(rows: list[dict]) -> LeaversPreview:
    """The current members named by the `email` cells of a leavers file; addresses that are not members, or
    members already gone, are skipped (and listed); a malformed address is an error."""
    emails = {}
    preview = LeaversPreview(leaving=[])
    for row in rows:
        email = row["values"].get("email", "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            preview.errors.append((row["line"], email[:80], _("not a valid e-mail address")))
            continue
        emails.setdefault(email, row["line"])
    members = {member.email_lower: member for member in Member.objects.annotate(email_lower=Lower("user__email"))
               .filter(email_lower__in=emails).select_related("user", "prefecture")}
    for email, line in emails.items():
        member = members.get(email)
        if member is None:
            preview.skipped.append((line, email, _("no member has this address")))
        elif member.status != Member.Status.CURRENT:
            preview.skipped.append((line, email, _("not a current member (%(status)s)") % {
                "status": member.get_status_display()}))
        else:
            preview.leaving.append(member)
    preview.leaving.sort(key=lambda member: (member.full_name, member.pk))
    return preview


def preview_by_arrival_year(year: int) -> LeaversPreview:
    """Every current member whose JET start date falls in `year`."""
    leaving = list(Member.objects.filter(status=Member.Status.CURRENT, jet_start_date__year=year)
                   .select_related("user", "prefecture").order_by("full_name", "pk"))
    return LeaversPreview(leaving=leaving)
