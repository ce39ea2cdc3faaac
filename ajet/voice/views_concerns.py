"""Concerns: a member raises one and follows its status; the officers it is routed to update it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ajet.core.once import creates_once, protect
from ajet.voice import queries, services
from ajet.voice.access import access_concern
from ajet.voice.forms import ConcernForm, ConcernUpdateForm


@require_safe
def concern_list(request):
    member = getattr(request.user, "member", None)
    return render(request, "voice/concern_list.html", {
        "mine": member.concerns.all() if member else [],
        "routed": queries.concerns_routed_to(request.user),
        "can_raise": request.user.has_perm("voice.raise_concern"),
    })


@require_http_methods(["GET", "POST"])
@creates_once
def concern_create(request):
    if not request.user.has_perm("voice.raise_concern"):
        raise PermissionDenied
    form = protect(ConcernForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            concern = services.raise_concern(member=request.user.member, **form.cleaned_data)
        except services.ConcernError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your concern is sent. You can follow its status here."))
            return redirect(concern)
    return render(request, "voice/concern_form.html", {"form": form})


def _detail(request, concern, form=None, status=200):
    can_triage = request.user.has_perm("voice.triage_concern", concern)
    return render(request, "voice/concern_detail.html", {
        "concern": concern, "updates": concern.updates.select_related("by"),
        "is_raiser": concern.member.user_id == request.user.pk,
        "form": (form or ConcernUpdateForm(initial={"status": concern.status})) if can_triage else None,
    }, status=status)


@require_safe
def concern_detail(request, concern_id):
    return _detail(request, access_concern(request.user, concern_id))


@require_POST
def concern_update(request, concern_id):
    concern = access_concern(request.user, concern_id, "voice.triage_concern")
    form = ConcernUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.update_concern(by=request.user, concern=concern, **form.cleaned_data)
        except services.ConcernError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The concern is updated; its member sees the new status."))
            return redirect(concern)
    return _detail(request, concern, form, status=400)
