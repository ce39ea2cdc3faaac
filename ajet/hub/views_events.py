"""Event pages: the list and page of an event, RSVP, the organiser's form, .ics files and calendar feeds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ajet.core.once import creates_once, protect
from ajet.hub import queries, services
from ajet.hub.access import access_event
from ajet.hub.calendars import calendar_of
from ajet.hub.forms import EventForm
from ajet.hub.models import FeedToken, Rsvp


@require_safe
def event_list(request):
    if not request.user.has_perm("hub.read_announcements"):
        raise PermissionDenied
    member = request.user.member
    return render(request, "hub/event_list.html", {
        "events": queries.events_for(member).select_related("scope_chapter"),
        "can_add": request.user.has_perm("hub.add_event"),
        "calendar_token": services.feed_token_of(member),
    })


@login_not_required  # public events are for anyone
@require_safe
def event_detail(request, event_id):
    try:
        event = access_event(request.user, event_id)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    member = getattr(request.user, "member", None)
    return render(request, "hub/event_detail.html", {
        "event": event,
        "counts": queries.rsvp_counts(event),
        "rsvp": Rsvp.objects.filter(event=event, member=member).first() if member else None,
        "can_rsvp": request.user.has_perm("hub.rsvp_event", event),
    })


@require_POST
def rsvp(request, event_id):
    event = access_event(request.user, event_id, "hub.rsvp_event")
    attending = request.POST.get("attending") == "yes"
    try:
        answer = services.answer_rsvp(member=request.user.member, event=event, attending=attending)
    except services.HubError as error:
        messages.error(request, str(error))
    else:
        if not answer.attending:
            messages.success(request, _("Your answer is recorded: not attending."))
        elif answer.waitlisted:
            messages.success(request, _("The event is full: you are on the waiting list."))
        else:
            messages.success(request, _("See you there: your place is booked."))
    return redirect(event)


@require_http_methods(["GET", "POST"])
@creates_once
def event_create(request):
    if not request.user.has_perm("hub.add_event"):
        raise PermissionDenied
    form = protect(EventForm(request.POST or None, user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(by=request.user, scope=form.scope(), fields=form.event_fields())
        except services.HubError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The event is published."))
            return redirect(event)
    return render(request, "hub/event_form.html", {"form": form})


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@require_safe
def event_ics(request, event_id):
    try:
        event = access_event(request.user, event_id)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    return _ics(calendar_of([event], name=event.title), f"ajet-event-{event.pk}.ics")


@login_not_required  # calendar apps fetch it without a session: the secret token is the key
@require_safe
def member_calendar(request, token):
    found = FeedToken.objects.select_related("member").filter(token=token).first()
    if found is None:
        raise Http404
    events = queries.calendar_events_for(found.member)
    return _ics(calendar_of(events, name=_("My AJET events")), "ajet-events.ics")
