"""Coordinators enrol volunteers, record their training and set their active flag and role."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ajet.support import services
from ajet.support.access import access_volunteer, require
from ajet.support.forms import EnrolVolunteerForm, TrainingForm, VolunteerForm
from ajet.support.models import Volunteer


@require_http_methods(["GET", "POST"])
def volunteers(request):
    require(request.user, "support.manage_volunteers")
    form = EnrolVolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.enrol_volunteer(by=request.user, member=form.cleaned_data["email"])
        except services.SupportError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("The volunteer has been enrolled; record their training next."))
            return redirect("support:volunteer", volunteer_id=volunteer.pk)
    listed = Volunteer.objects.select_related("member").prefetch_related("trainings")
    return render(request, "support/volunteers.html", {"form": form, "volunteers": listed})


@require_http_methods(["GET", "POST"])
def volunteer(request, volunteer_id):
    volunteer = access_volunteer(request.user, volunteer_id)
    form = VolunteerForm(request.POST or None, instance=volunteer)
    if request.method == "POST" and form.is_valid():
        services.update_volunteer(by=request.user, volunteer=Volunteer.objects.get(pk=volunteer.pk),
                                  **form.cleaned_data)
        messages.success(request, _("The volunteer has been saved."))
        return redirect("support:volunteer", volunteer_id=volunteer.pk)
    return render(request, "support/volunteer.html", {
        "volunteer": volunteer, "form": form, "training_form": TrainingForm()})


@require_POST
def training_add(request, volunteer_id):
    volunteer = access_volunteer(request.user, volunteer_id)
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            services.record_training(by=request.user, volunteer=volunteer, **form.cleaned_data)
        except services.SupportError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The training has been recorded."))
    else:
        messages.error(request, _("Choose a course and the date it was completed."))
    return redirect("support:volunteer", volunteer_id=volunteer.pk)
