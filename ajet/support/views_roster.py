"""The roster: volunteers take and drop shifts; coordinators see the coverage weeks ahead and fill gaps."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ajet.support import queries, services
from ajet.support.access import access_assignment, require
from ajet.support.forms import AssignShiftForm, ShiftForm
from ajet.support.rules import volunteer_of


@require_safe
def roster(request):
    require(request.user, "support.view_roster")
    volunteer = volunteer_of(request.user)
    return render(request, "support/roster.html", {
        "volunteer": volunteer, "nights": queries.coverage(),
        "mine": queries.shifts_of(volunteer) if volunteer else set(),
        "may_take": request.user.has_perm("support.take_shift"),
        "minimum": queries.MIN_VOLUNTEERS_PER_SHIFT,
    })


def _own_shift(request, action, success):
    require(request.user, "support.take_shift")
    form = ShiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That shift does not exist."))
        return redirect("support:roster")
    try:
        action(volunteer=volunteer_of(request.user), **form.cleaned_data)
    except services.SupportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("support:roster")


@require_POST
def shift_sign_up(request):
    return _own_shift(request, services.sign_up_for_shift, _("You are on that shift. Thank you."))


@require_POST
def shift_drop(request):
    return _own_shift(request, services.drop_shift, _("You have left that shift."))


@require_http_methods(["GET", "POST"])
def coverage(request):
    require(request.user, "support.manage_roster")
    form = AssignShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_shift(by=request.user, **form.cleaned_data)
        except services.SupportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The volunteer is on that shift."))
            return redirect("support:coverage")
    nights = queries.coverage()
    return render(request, "support/coverage.html", {
        "form": form, "nights": nights, "minimum": queries.MIN_VOLUNTEERS_PER_SHIFT,
        "gaps": sum(1 for night in nights for shift in night.shifts if shift.missing)})


@require_POST
def shift_unassign(request, assignment_id):
    assignment = access_assignment(request.user, assignment_id)
    services.unassign_shift(by=request.user, assignment=assignment)
    messages.success(request, _("The volunteer is off that shift."))
    return redirect("support:coverage")
