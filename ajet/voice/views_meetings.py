"""Sponsor meetings: executives prepare the agenda, record the sponsors' answers and publish; members read."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ajet.core.once import creates_once, protect
from ajet.voice import cycle, queries, services
from ajet.voice.access import access_meeting
from ajet.voice.forms import AgendaItemForm, FollowUpForm, MeetingForm, PublishForm, SponsorAnswerForm
from ajet.voice.models import Concern, FollowUp, SponsorMeeting, SummarySubscription, Survey


@require_safe
def meeting_list(request):
    can_add = request.user.has_perm("voice.add_meeting")
    meetings = SponsorMeeting.objects.all() if can_add else SponsorMeeting.objects.filter(published_at__isnull=False)
    return render(request, "voice/meeting_list.html", {
        "meetings": meetings, "can_add": can_add, "can_subscribe": request.user.has_perm("voice.subscribe_summaries"),
        "can_translate": request.user.has_perm("voice.translate"),
        "can_manage_translators": request.user.has_perm("voice.manage_translators")})


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
    return AgendaItemForm(data, prefix="item", concerns=queries.concerns_routed_to(request.user).exclude(
                              visibility=Concern.Visibility.PRIVATE).exclude(status=Concern.Status.MERGED),
                          surveys=Survey.objects.all())


def _detail(request, meeting, *, item_form=None, answer_form=None, follow_up_form=None, publish_form=None,
            status=200):
    is_executive = request.user.has_perm("voice.manage_meeting", meeting)
    can_manage = is_executive and meeting.published_at is None
    items = (meeting.items.prefetch_related("answers", "concerns", "surveys", "follow_ups__owner")
             .annotate(support_count=Count("concerns__supports")))

    owner_choices = list(FollowUpForm().fields["owner"].choices) if can_manage else []

    def form_for(item, bound, form_class, prefix):
        # One form per item and kind, each with its own prefix (ids stay unique on the page).
        if bound is not None and bound.prefix == prefix:
            return bound
        return form_class(prefix=prefix, **({"owner_choices": owner_choices} if form_class is FollowUpForm else {}))

    previous = queries.previous_meeting(meeting) if can_manage else None
    return render(request, "voice/meeting_detail.html", {
        "meeting": meeting, "today": timezone.localdate(),
        "items": [(item, form_for(item, answer_form, SponsorAnswerForm, _answer_prefix(item)),
                   form_for(item, follow_up_form, FollowUpForm, _follow_up_prefix(item))) for item in items],
        "can_manage": can_manage, "is_executive": is_executive,
        "can_report": request.user.has_perm("voice.view_report", meeting),
        # The preparation page starts with what the last meeting left open.
        "previous": previous, "open_follow_ups": queries.open_follow_ups(previous),
        "item_form": (item_form or _agenda_form(request, meeting)) if can_manage else None,
        "publish_form": publish_form or PublishForm(prefix="publish", instance=meeting),
    }, status=status)


def _answer_prefix(item) -> str:
    return f"answer-{item.pk}"


def _follow_up_prefix(item) -> str:
    return f"follow-up-{item.pk}"


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
def follow_up_add(request, meeting_id, item_id):
    meeting = access_meeting(request.user, meeting_id, "voice.manage_meeting")
    item = get_object_or_404(meeting.items, pk=item_id)
    form = FollowUpForm(request.POST, prefix=_follow_up_prefix(item))
    if form.is_valid():
        try:
            services.add_follow_up(by=request.user, item=item, **form.cleaned_data)
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The follow-up is recorded."))
            return redirect(meeting)
    return _detail(request, meeting, follow_up_form=form, status=400)


@require_POST
def follow_up_done(request, follow_up_id):
    follow_up = get_object_or_404(FollowUp.objects.select_related("item__meeting"), pk=follow_up_id)
    meeting = access_meeting(request.user, follow_up.item.meeting_id, "voice.manage_meeting")
    try:
        services.complete_follow_up(by=request.user, follow_up=follow_up)
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The follow-up is marked done."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
def meeting_subscription(request):
    if not request.user.has_perm("voice.subscribe_summaries"):
        raise PermissionDenied
    member = request.user.member
    if request.method == "POST":
        subscribed = request.POST.get("subscribe") == "1"
        services.set_summary_subscription(member=member, subscribed=subscribed)
        messages.success(request, _("You will be e-mailed when a meeting summary is published.") if subscribed
                         else _("You will no longer be e-mailed about meeting summaries."))
        return redirect("voice:meeting_subscription")
    return render(request, "voice/meeting_subscription.html", {
        "subscribed": SummarySubscription.objects.filter(member=member).exists()})


@require_safe
def meeting_cycle(request):
    if not request.user.has_perm("voice.view_cycle"):
        raise PermissionDenied
    found = cycle.next_cycle()
    return render(request, "voice/meeting_cycle.html", {
        "cycle": found, "schedule": cycle.SCHEDULE_LABELS[settings.VOICE_MEETING_SCHEDULE],
        "can_see_meeting": found.meeting is not None and request.user.has_perm("voice.view_meeting", found.meeting),
        "today": timezone.localdate()})


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
