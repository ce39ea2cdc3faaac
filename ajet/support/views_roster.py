"""The roster: volunteers take and drop shifts; coordinators see the coverage weeks ahead and fill gaps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ajet.support import calendars, queries, services
from ajet.support.access import access_assignment, require
from ajet.support.forms import AssignShiftForm, OfferedShiftForm, OnCallForm, ShiftForm
from ajet.support.models import ShiftAssignment, Volunteer
from ajet.support.rules import volunteer_of


@require_safe
def roster(request):
    require(request.user, "support.view_roster")
    volunteer = volunteer_of(request.user)
    may_take = request.user.has_perm("support.take_shift")
    mine = queries.shifts_of(volunteer) if volunteer else set()
    calendar_url = (request.build_absolute_uri(reverse("support:calendar", args=[
        services.calendar_token_of(volunteer)])) if volunteer else None)
    return render(request, "support/roster.html", {
        "volunteer": volunteer, "nights": queries.coverage(), "mine": mine, "may_take": may_take,
        "minimum": queries.MIN_VOLUNTEERS_PER_SHIFT, "calendar_url": calendar_url,
        "my_shifts": sorted(mine), "notice_hours": services.drop_notice().total_seconds() // 3600,
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


@require_POST
def shift_offer(request):
    offered = request.POST.get("offered") != "0"
    return _own_shift(request, lambda **shift: services.offer_shift(offered=offered, **shift),
                      _("Your shift is offered for a swap; you stay on it until someone takes it.") if offered
                      else _("Your shift is no longer offered."))


@require_POST
def shift_take(request):
    require(request.user, "support.take_shift")
    form = OfferedShiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That shift does not exist."))
        return redirect("support:roster")
    try:
        services.take_offered_shift(volunteer=volunteer_of(request.user), assignment_id=form.cleaned_data["assignment"],
                                    give=form.cleaned_data["give"])
    except services.SupportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The shift is yours now. Thank you."))
    return redirect("support:roster")


@login_not_required
@require_safe
def calendar(request, token):
    """The volunteer's shifts as an iCalendar feed, at an address with a secret (calendar apps do not sign in)."""
    volunteer = Volunteer.objects.select_related("member").filter(calendar_token=token).first() if token else None
    if volunteer is None:
        raise Http404
    shifts = ShiftAssignment.objects.filter(volunteer=volunteer).order_by("night", "shift")
    response = HttpResponse(calendars.shifts_calendar(shifts, name=_("My PSG shifts")),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="psg-shifts.ics"'
    return response


@require_POST
def calendar_reset(request):
    require(request.user, "support.view_roster")
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        raise Http404
    services.reset_calendar_token(volunteer=volunteer)
    messages.success(request, _("Your shift calendar has a new address; the old one no longer works."))
    return redirect("support:roster")


@require_POST
def on_call(request):
    require(request.user, "support.manage_roster")
    form = OnCallForm(request.POST, prefix="oncall")
    if form.is_valid():
        services.set_on_call(by=request.user, **form.cleaned_data)
        messages.success(request, _("The coordinator on call has been saved."))
    else:
        messages.error(request, _("Choose a night and a coordinator."))
    return redirect("support:coverage")


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
        "gaps": sum(1 for night in nights for shift in night.shifts if shift.missing),
        "on_call": queries.on_call_between(nights[0].night, nights[-1].night),
        "on_call_form": OnCallForm(prefix="oncall")})


@require_POST
def shift_unassign(request, assignment_id):
    assignment = access_assignment(request.user, assignment_id)
    services.unassign_shift(by=request.user, assignment=assignment)
    messages.success(request, _("The volunteer is off that shift."))
    return redirect("support:coverage")
