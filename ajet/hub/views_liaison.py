"""The liaison desk of a block representative: their block at a glance, and forwarding national news to it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ajet.core.once import creates_once, protect
from ajet.hub import liaison, services
from ajet.hub.forms import ForwardForm
from ajet.hub.models import Announcement
from ajet.organisation.models import Block


def access_desk(user, number: int) -> Block:
    block = get_object_or_404(Block, number=number)
    # Blocks are public (their pages are), so a desk that is not the user's answers 403, not 404.
    if not user.has_perm("hub.view_liaison_desk", block):
        raise PermissionDenied
    return block


@require_safe
def my_desk(request):
    blocks = liaison.desk_blocks(request.user)
    if not blocks:
        raise PermissionDenied
    return redirect("hub:liaison_desk", blocks[0])


def _national_choices(desk: dict) -> list[Announcement]:
    return [announcement for announcement, _forwarded in desk["national"]]


@require_safe
def liaison_desk(request, number):
    block = access_desk(request.user, number)
    desk = liaison.get_liaison_desk(block.number)
    form = protect(ForwardForm(announcements=_national_choices(desk)))
    return render(request, "hub/liaison_desk.html", {
        **desk, "form": form, "other_blocks": [other for other in liaison.desk_blocks(request.user)
                                               if other != block.number]})


@require_POST
@creates_once
def forward(request, number):
    block = access_desk(request.user, number)
    desk = liaison.get_liaison_desk(block.number)
    form = protect(ForwardForm(request.POST, announcements=_national_choices(desk)))
    if form.is_valid():
        original = get_object_or_404(Announcement, pk=form.cleaned_data["announcement"])
        try:
            forward = services.forward_announcement(by=request.user, announcement=original, block=block.number,
                                                    note=form.cleaned_data["note"])
        except services.HubError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The announcement is on its way to your block."))
            return redirect("hub:announcement_status", forward.pk)
    return render(request, "hub/liaison_desk.html", {**desk, "form": form, "other_blocks": []}, status=200)
