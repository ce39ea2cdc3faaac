"""Coordinators maintain the referral directory."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ajet.support import services
from ajet.support.access import access_resource, require
from ajet.support.forms import ResourceForm


@require_http_methods(["GET", "POST"])
def resource_create(request):
    require(request.user, "support.manage_resources")
    return _edit(request, ResourceForm(request.POST or None))


@require_http_methods(["GET", "POST"])
def resource_edit(request, resource_id):
    resource = access_resource(request.user, resource_id)
    return _edit(request, ResourceForm(request.POST or None, instance=resource))


def _edit(request, form):
    if request.method == "POST" and form.is_valid():
        services.save_resource(by=request.user, resource=form.save(commit=False),
                               prefectures=form.cleaned_data["prefectures"], blocks=form.cleaned_data["blocks"])
        messages.success(request, _("The resource has been saved."))
        return redirect("support:resources")
    return render(request, "support/resource_form.html", {"form": form})


@require_POST
def resource_delete(request, resource_id):
    resource = access_resource(request.user, resource_id)
    services.delete_resource(by=request.user, resource=resource)
    messages.success(request, _("The resource has been deleted."))
    return redirect("support:resources")
