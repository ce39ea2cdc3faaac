"""Event pages: the list and page of an event, RSVP, the organiser's form, attendee list (CSV) and message,
.ics files and calendar feeds."""

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ajet.core.once import creates_once, protect
from ajet.hub import queries, services
from ajet.hub.access import access_event, signs_in_when_hidden
from ajet.hub.calendars import calendar_of
from ajet.hub.exports import csv_cell
from ajet.hub.forms import EventForm, MessageAttendeesForm
from ajet.hub.models import TOKYO, FeedToken
from ajet.organisation.models import Chapter
from ajet.organisation.queries import get_member_chapters


@require_safe
def event_list(request):
    if not request.user.has_perm("hub.read_announcements"):
        raise PermissionDenied
    member = request.user.member
    return render(request, "hub/event_list.html", {
        "events": queries.events_for(member).select_related("scope_chapter"),
        "can_add": request.user.has_perm("hub.add_event"),
        "calendar_token": services.feed_token_of(member),
        "chapters": get_member_chapters(member),
        "calendar_horizon": calendar_horizon_note(),
    })


@login_not_required  # public events are for anyone
@require_safe
@signs_in_when_hidden
def event_detail(request, event_id):
    event = access_event(request.user, event_id)
    member = getattr(request.user, "member", None)
    return render(request, "hub/event_detail.html", {
        "event": event,
        "dates": queries.event_dates(event, member),
        "can_rsvp": request.user.has_perm("hub.rsvp_event", event),
        "can_manage": request.user.has_perm("hub.manage_event", event),
    })


def _occurrence_from(value: str | None):
    """The date a form names (its start, ISO 8601), or None for the event's next date."""
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise services.HubError(_("This is not one of the event's dates.")) from None
    if moment.tzinfo is None:
        raise services.HubError(_("This is not one of the event's dates."))
    return moment


@require_POST
def rsvp(request, event_id):
    event = access_event(request.user, event_id, "hub.rsvp_event")
    attending = request.POST.get("attending") == "yes"
    try:
        answer = services.answer_rsvp(member=request.user.member, event=event, attending=attending,
                                      occurrence=_occurrence_from(request.POST.get("date")))
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
@signs_in_when_hidden
def event_ics(request, event_id):
    event = access_event(request.user, event_id)
    return _ics(calendar_of([event], name=event.title), f"ajet-event-{event.pk}.ics")


def _date_label(moment) -> str:
    return formats.date_format(moment.astimezone(TOKYO), "DATETIME_FORMAT")


def _event_dates_choices(event) -> list:
    return [(moment, _date_label(moment)) for moment in event.upcoming_occurrences()]


@require_http_methods(["GET", "POST"])
def event_attendees(request, event_id):
    """The organisers' list of who comes (and who waits), by date, and their message to the attendees."""
    event = access_event(request.user, event_id, "hub.manage_event")
    form = MessageAttendeesForm(request.POST or None, dates=_event_dates_choices(event))
    if request.method == "POST" and form.is_valid():
        try:
            count = services.message_attendees(by=request.user, event=event, subject=form.cleaned_data["subject"],
                                               body=form.cleaned_data["body"], occurrence=form.occurrence())
        except services.HubError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, ngettext("Your message is going to %(count)d attendee.",
                                               "Your message is going to %(count)d attendees.", count)
                             % {"count": count})
            return redirect("hub:event_attendees", event.pk)
    rows = list(services.attendees_of(event))
    return render(request, "hub/event_attendees.html", {"event": event, "rows": rows, "form": form})


CSV_HEADER = ["date", "name", "email", "prefecture", "position", "status", "answered_at"]


@require_safe
def event_attendees_csv(request, event_id):
    """The attendee list as CSV (UTF-8 with a BOM for spreadsheet programs); every cell neutralised."""
    event = access_event(request.user, event_id, "hub.manage_event")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ajet-event-{event.pk}-attendees.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in services.attendees_of(event):
        member = row.member
        writer.writerow([csv_cell(value) for value in (
            row.occurrence.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M"), member.full_name, member.user.email,
            member.prefecture.name_en if member.prefecture else "", member.position,
            "waiting" if row.waitlisted else "going", row.answered_at.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M"))])
    return response


def calendar_horizon_note() -> str:
    """What the calendar feeds carry: told on the events page and in each feed (X-WR-CALDESC)."""
    return _("Calendars carry the events from %(past)d days ago to %(ahead)d days ahead; a repeating event comes "
             "whole when one of its dates falls in that time.") % {
        "past": queries.CALENDAR_DAYS_PAST, "ahead": queries.CALENDAR_DAYS_AHEAD}


def _feed(events, *, name: str, filename: str) -> HttpResponse:
    """A calendar feed (the horizon's events), which says in its description what it carries."""
    return _ics(calendar_of(events, name=name, description=calendar_horizon_note()), filename)


@login_not_required  # a chapter's public events, for anyone's calendar app
@require_safe
def chapter_calendar(request, slug):
    chapter = get_object_or_404(Chapter, slug=slug, is_active=True)
    return _feed(queries.public_events_of(chapter=chapter), name=chapter.name, filename=f"ajet-{chapter.slug}.ics")


@login_not_required  # National AJET's public events, for anyone's calendar app
@require_safe
def national_calendar(request):
    return _feed(queries.public_events_of(), name=_("National AJET events"), filename="ajet-national.ics")


@login_not_required  # calendar apps fetch it without a session: the secret token is the key
@require_safe
def member_calendar(request, token):
    found = FeedToken.objects.select_related("member").filter(token=token).first()
    if found is None:
        raise Http404
    return _feed(queries.calendar_events_for(found.member), name=_("My AJET events"), filename="ajet-events.ics")
