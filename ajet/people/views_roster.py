"""Roster import for national executives: upload → preview (writes nothing) → confirm (all or nothing).

Between preview and confirm the parsed rows wait in the member's session (shared by every worker),
under a random token that the confirm form must send back.
"""

import datetime
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ajet.core.spreadsheets import csv_response, xlsx_response
from ajet.people import leavers as turnover
from ajet.people import roster, services
from ajet.people.access import get_managed_members_for, get_terms_ending_for
from ajet.people.forms import LeaversForm, RosterUploadForm
from ajet.people.models import Member

# The roster's columns, in its order: an exported file imports again unchanged.
EXPORT_COLUMNS = (*roster.REQUIRED_COLUMNS, "contracting_organisation", "year_on_jet", "arrival_group", "jet_number",
                  "status", "preferred_language")

SESSION_KEY = "people.roster_import"


def check_may_import(user) -> None:
    if not user.has_perm("people.import_roster"):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def roster_import(request):
    check_may_import(request.user)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        roster_file = form.cleaned_data["file"]
        request.session[SESSION_KEY] = {
            "token": secrets.token_urlsafe(24), "file_name": roster_file.file_name, "rows": roster_file.rows}
        return redirect("people:roster_preview")
    return render(request, "people/roster_import.html", {"form": form, "columns": roster.describe_columns()})


@require_GET
def roster_preview(request):
    check_may_import(request.user)
    pending = request.session.get(SESSION_KEY)
    if not pending:
        messages.info(request, _("Upload a roster file to see what it would change."))
        return redirect("people:roster_import")
    return render(request, "people/roster_preview.html", {
        "preview": roster.preview_roster(pending["rows"]), "file_name": pending["file_name"],
        "token": pending["token"]})


@require_POST
def roster_confirm(request):
    check_may_import(request.user)
    pending = request.session.get(SESSION_KEY)
    if not pending or not constant_time_compare(request.POST.get("token", ""), pending["token"]):
        messages.error(request, _("That preview is no longer available. Upload the file again."))
        return redirect("people:roster_import")
    try:
        result = services.import_roster(rows=pending["rows"], file_name=pending["file_name"], by=request.user)
    except services.RosterImportError as error:
        messages.error(request, str(error))
        return redirect("people:roster_preview")
    del request.session[SESSION_KEY]
    invited = ngettext("%(count)s new member invited by e-mail", "%(count)s new members invited by e-mail",
                       result.created) % {"count": result.created}
    messages.success(request, _("Roster imported: %(invited)s, %(updated)s updated, %(unchanged)s unchanged.")
                     % {"invited": invited, "updated": result.updated, "unchanged": result.unchanged})
    return redirect("people:roster_import")


EXPORT_FORMATS = {"csv": csv_response, "xlsx": xlsx_response}


@require_GET
def members_export(request, kind):
    """The members the officer is responsible for, as CSV or XLSX in the roster's own columns (so a corrected
    file can be imported again). Cells are neutralised (ajet/core/spreadsheets.py)."""
    if not request.user.has_perm("people.export_members"):
        raise PermissionDenied
    if kind not in EXPORT_FORMATS:
        raise Http404
    members = get_managed_members_for(request.user)
    rows = ([member.user.email, member.full_name, member.prefecture_id, member.position,
             member.contracting_organisation, member.year_on_jet, member.arrival_group,
             member.given_jet_number or "", member.status, member.preferred_language]
            for member in members.iterator(chunk_size=1000))
    file_name = f"ajet-members-{timezone.localdate().isoformat()}.{kind}"
    if kind == "xlsx":
        return xlsx_response(file_name, list(EXPORT_COLUMNS), rows, title=_("Members"))
    return csv_response(file_name, list(EXPORT_COLUMNS), rows)


LEAVERS_KEY = "people.leavers"


@require_http_methods(["GET", "POST"])
def leavers(request):
    """Executives choose who leaves (a file of leavers, or an arrival year) and their last day."""
    if not request.user.has_perm("people.mark_alumni"):
        raise PermissionDenied
    form = LeaversForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["file"] is not None:
            source = _("file %(name)s") % {"name": data["file"].file_name}
            preview = turnover.preview_from_rows(data["file"].rows)
        else:
            source = _("arrived in %(year)s") % {"year": data["arrival_year"]}
            preview = turnover.preview_by_arrival_year(data["arrival_year"])
        request.session[LEAVERS_KEY] = {
            "token": secrets.token_urlsafe(24), "source": source, "last_day": data["last_day"].isoformat(),
            "member_ids": [member.pk for member in preview.leaving], "skipped": preview.skipped,
            "errors": preview.errors, "notes": preview.notes}
        return redirect("people:leavers_preview")
    return render(request, "people/leavers.html", {"form": form})


@require_GET
def leavers_preview(request):
    """What marking these leavers would do: who becomes alumni, which officer terms end. Writes nothing."""
    if not request.user.has_perm("people.mark_alumni"):
        raise PermissionDenied
    pending = request.session.get(LEAVERS_KEY)
    if not pending:
        return redirect("people:leavers")
    last_day = datetime.date.fromisoformat(pending["last_day"])
    leaving = list(Member.objects.filter(pk__in=pending["member_ids"]).select_related("user", "prefecture")
                   .order_by("full_name", "pk"))
    return render(request, "people/leavers_preview.html", {
        "pending": pending, "last_day": last_day, "leaving": leaving,
        "terms": get_terms_ending_for(leaving, last_day),
    })


@require_POST
def leavers_confirm(request):
    if not request.user.has_perm("people.mark_alumni"):
        raise PermissionDenied
    pending = request.session.get(LEAVERS_KEY)
    if (not pending or pending["errors"]
            or not constant_time_compare(request.POST.get("token", ""), pending["token"])):
        messages.error(request, _("That preview is no longer available. Choose the leavers again."))
        return redirect("people:leavers")
    result = services.mark_alumni(member_ids=pending["member_ids"], by=request.user, source=pending["source"],
                                  last_day=datetime.date.fromisoformat(pending["last_day"]))
    del request.session[LEAVERS_KEY]
    messages.success(request, ngettext("%(count)d member is now alumni.", "%(count)d members are now alumni.",
                                       result.marked) % {"count": result.marked})
    return redirect("people:leavers")
