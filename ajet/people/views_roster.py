"""Roster import for national executives: upload → preview (writes nothing) → confirm (all or nothing).

Between preview and confirm the parsed rows wait in the member's session (shared by every worker),
under a random token that the confirm form must send back.
"""

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ajet.people import roster, services
from ajet.people.forms import RosterUploadForm

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
