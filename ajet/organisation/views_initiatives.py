"""National initiatives: public pages; executives create and edit them, the supervisor edits the description."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ajet.core.once import creates_once, protect
from ajet.organisation import queries, services
from ajet.organisation.access import access_initiative
from ajet.organisation.forms import InitiativeDescriptionForm, InitiativeForm


@login_not_required
@require_safe
def initiative_list(request):
    return render(request, "organisation/initiative_list.html", {
        "initiatives": queries.get_initiatives(),
        "can_add": request.user.has_perm("organisation.add_initiative"),
    })


@login_not_required
@require_safe
def initiative_detail(request, slug):
    initiative = next((item for item in queries.get_initiatives() if item.slug == slug), None)
    if initiative is None:
        raise Http404
    return render(request, "organisation/initiative_detail.html", {
        "initiative": initiative,
        "can_change": request.user.has_perm("organisation.change_initiative", initiative),
    })


@require_http_methods(["GET", "POST"])
@creates_once
def initiative_create(request):
    if not request.user.has_perm("organisation.add_initiative"):
        raise PermissionDenied
    form = protect(InitiativeForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.create_initiative(by=request.user, fields=form.cleaned_data)
        except services.OrganisationError as error:
            form.add_error("supervising_post", str(error))
        else:
            messages.success(request, _("The initiative has been created."))
            return redirect("organisation:initiative", slug=initiative.slug)
    return render(request, "organisation/initiative_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def initiative_edit(request, slug):
    """Executives edit everything; the supervising officer edits the description."""
    initiative = access_initiative(request.user, slug, "organisation.change_initiative")
    form_class = InitiativeForm if request.user.has_perm("organisation.add_initiative") else InitiativeDescriptionForm
    form = form_class(request.POST or None, instance=initiative)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            initiative = services.update_initiative(by=request.user, initiative=initiative, changes=changes)
        except services.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The initiative has been saved."))
            return redirect("organisation:initiative", slug=initiative.slug)
    return render(request, "organisation/initiative_form.html", {"form": form, "initiative": initiative})
