"""Sponsor meetings: executives prepare the agenda, record the sponsors' answers and publish; members read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ajet.core.once import creates_once, protect
from ajet.voice import queries, services
from ajet.voice.access import access_meeting
from ajet.voice.forms import AgendaItemForm, MeetingForm, PublishForm, SponsorAnswerForm
from ajet.voice.models import SponsorMeeting, Survey


@require_safe
def meeting_list(request):
    can_add = request.user.has_perm("voice.add_meeting")
    meetings = SponsorMeeting.objects.all() if can_add else SponsorMeeting.objects.filter(published_at__isnull=False)
    return render(request, "voice/meeting_list.html", {"meetings": meetings, "can_add": can_add})


@require_http_methods(["GET", "POST"])
@creates_once
def meeting_create(request):
    if not request.user.has_perm("voice.add_meeting"):
        raise PermissionDenied
    form = protect(MeetingForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(by=request.user, **form.cleaned_data)
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The meeting is recorded. Prepare its agenda."))
            return redirect(meeting)
    return render(request, "voice/meeting_form.html", {"form": form})


def _agenda_form(request, meeting, data=None):
    return AgendaItemForm(data, prefix="item", concerns=queries.concerns_routed_to(request.user),
                          surveys=Survey.objects.all())


def _detail(request, meeting, *, item_form=None, answer_form=None, publish_form=None, status=200):
    can_manage = request.user.has_perm("voice.manage_meeting", meeting) and meeting.published_at is None
    items = meeting.items.prefetch_related("answers", "concerns", "surveys")
    return render(request, "voice/meeting_detail.html", {
        "meeting": meeting,
        # One answer form per item, each with its own prefix (ids stay unique on the page).
        "items": [(item, answer_form if answer_form is not None and answer_form.prefix == _answer_prefix(item)
                   else SponsorAnswerForm(prefix=_answer_prefix(item))) for item in items],
        "can_manage": can_manage,
        "item_form": (item_form or _agenda_form(request, meeting)) if can_manage else None,
        "publish_form": publish_form or PublishForm(prefix="publish", instance=meeting),
    }, status=status)


def _answer_prefix(item) -> str:
    return f"answer-{item.pk}"


@require_safe
def meeting_detail(request, meeting_id):
    return _detail(request, access_meeting(request.user, meeting_id))


@require_POST
def agenda_item_add(request, meeting_id):
    meeting = access_meeting(request.user, meeting_id, "voice.manage_meeting")
    form = _agenda_form(request, meeting, request.POST)
    if form.is_valid():
        try:
            services.add_agenda_item(by=request.user, meeting=meeting, **form.cleaned_data)
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Agenda item added."))
            return redirect(meeting)
    return _detail(request, meeting, item_form=form, status=400)


@require_POST
def sponsor_answer_add(request, meeting_id, item_id):
    meeting = access_meeting(request.user, meeting_id, "voice.manage_meeting")
    item = get_object_or_404(meeting.items, pk=item_id)
    form = SponsorAnswerForm(request.POST, prefix=_answer_prefix(item))
    if form.is_valid():
        try:
            services.record_sponsor_answer(by=request.user, item=item, **form.cleaned_data)
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The sponsor's answer is recorded."))
            return redirect(meeting)
    return _detail(request, meeting, answer_form=form, status=400)


@require_POST
def meeting_publish(request, meeting_id):
    meeting = access_meeting(request.user, meeting_id, "voice.manage_meeting")
    form = PublishForm(request.POST, prefix="publish")
    if form.is_valid():
        try:
            services.publish_meeting(by=request.user, meeting=meeting, **form.cleaned_data)
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The meeting's summary is published to members."))
            return redirect(meeting)
    return _detail(request, meeting, publish_form=form, status=400)
