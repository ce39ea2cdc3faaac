"""Announcement pages: members read and confirm; officers write and follow delivery; e-mail preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ajet.core.once import creates_once, protect
from ajet.hub import liaison, queries, services
from ajet.hub.access import access_announcement, signs_in_when_hidden
from ajet.hub.forms import AnnouncementFilterForm, AnnouncementForm, PreferencesForm
from ajet.hub.models import Delivery, Preference
from ajet.organisation.scopes import members_in_scope
from ajet.organisation.uploads import download_response
from ajet.people.models import Member


def _member_or_403(request):
    if not request.user.has_perm("hub.read_announcements"):
        raise PermissionDenied
    return request.user.member


@require_safe
def announcement_list(request):
    member = _member_or_403(request)
    filters = AnnouncementFilterForm(request.GET or None)
    kind, unread = None, False
    if filters.is_valid():
        kind, unread = filters.cleaned_data["kind"] or None, filters.cleaned_data["unread"]
    announcements = queries.announcements_for(member, kind=kind, unread_only=unread).select_related(
        "scope_chapter", "scope_prefecture")
    page = Paginator(announcements, 20).get_page(request.GET.get("page"))
    acknowledged = queries.acknowledged_ids(member, [announcement.pk for announcement in page])
    return render(request, "hub/announcement_list.html", {
        "page": page, "filters": filters, "acknowledged": acknowledged,
        "can_write": request.user.has_perm("hub.add_announcement"),
    })


@login_not_required  # public announcements are for anyone (the public feed links here)
@require_safe
@signs_in_when_hidden
def announcement_detail(request, announcement_id):
    announcement = access_announcement(request.user, announcement_id)
    member = getattr(request.user, "member", None)
    title, body = announcement.localised(request.LANGUAGE_CODE)
    return render(request, "hub/announcement_detail.html", {
        "announcement": announcement, "title": title, "body": body,
        "can_acknowledge": request.user.has_perm("hub.acknowledge_announcement", announcement),
        "acknowledged": member is not None and announcement.acknowledgements.filter(member=member).exists(),
        "can_follow": request.user.has_perm("hub.follow_announcement", announcement),
        "attachments": announcement.attachments.all(),
    })


@login_not_required  # the files of a public announcement are public too; the others need its permission
@require_safe
@signs_in_when_hidden
def attachment(request, announcement_id, attachment_id):
    announcement = access_announcement(request.user, announcement_id)
    found = get_object_or_404(announcement.attachments, pk=attachment_id)
    return download_response(found.file, found.original_name)


@require_POST
def acknowledge(request, announcement_id):
    announcement = access_announcement(request.user, announcement_id, "hub.acknowledge_announcement")
    services.acknowledge(member=request.user.member, announcement=announcement)
    messages.success(request, _("Thank you: your confirmation has been recorded."))
    return redirect(announcement)


@require_http_methods(["GET", "POST"])
@creates_once
def announcement_create(request):
    """Write an announcement. "Check the audience" shows how many members it reaches without sending."""
    if not request.user.has_perm("hub.add_announcement"):
        raise PermissionDenied
    form = protect(AnnouncementForm(request.POST or None, request.FILES or None, user=request.user))
    reach = None
    if request.method == "POST" and form.is_valid():
        scope = form.scope()
        if "preview" in request.POST:
            reach = members_in_scope(scope).count()
        else:
            try:
                announcement = services.create_announcement(by=request.user, scope=scope,
                                                            fields=form.announcement_fields(),
                                                            attachments=form.cleaned_data["attachments"])
            except services.HubError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The announcement is being sent.") if announcement.is_sent
                                 else _("The announcement is scheduled."))
                return redirect("hub:announcement_status", announcement.pk)
    return render(request, "hub/announcement_form.html", {"form": form, "reach": reach})


@require_safe
def announcement_status(request, announcement_id):
    announcement = access_announcement(request.user, announcement_id, "hub.follow_announcement")
    return render(request, "hub/announcement_status.html", {
        "announcement": announcement,
        "counts": queries.delivery_counts(announcement),
        "reach": members_in_scope(announcement.scope).count(),
        "acknowledgements": queries.acknowledgement_by_block(announcement)
        if announcement.requires_acknowledgement else None,
        "reminder_counts": queries.delivery_counts(announcement, Delivery.Kind.REMINDER)
        if announcement.reminder_queued_at else None,
    })


@require_POST
def remind(request, announcement_id):
    """The one reminder to the members who have not confirmed reading the announcement."""
    announcement = access_announcement(request.user, announcement_id, "hub.follow_announcement")
    try:
        count = services.remind_unacknowledged(by=request.user, announcement=announcement)
    except services.HubError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, ngettext("The reminder is going to %(count)d member.",
                                           "The reminder is going to %(count)d members.", count) % {"count": count})
    return redirect("hub:announcement_status", announcement.pk)


@require_safe
def officer_announcements(request):
    if not request.user.has_perm("hub.add_announcement"):
        raise PermissionDenied
    return render(request, "hub/officer_announcements.html",
                  {"announcements": queries.written_by_or_for(request.user),
                   "liaison_desk": bool(liaison.desk_blocks(request.user))})


@require_http_methods(["GET", "POST"])
def preferences(request):
    member = _member_or_403(request)
    current = dict(Preference.objects.filter(member=member).values_list("scope_kind", "mode"))
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(member=member, modes=form.cleaned_data)
        messages.success(request, _("Your e-mail choices have been saved."))
        return redirect("hub:preferences")
    feed_path = reverse("hub:member_feed", args=[services.feed_token_of(member)])
    return render(request, "hub/preferences.html", {"form": form, "feed_url": request.build_absolute_uri(feed_path)})


@login_not_required
@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a session; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    found = services.read_unsubscribe_token(token)
    member = Member.objects.filter(pk=found[0]).first() if found else None
    if member is None:
        raise Http404
    if request.method == "POST":
        services.unsubscribe(member=member, scope_kind=found[1])
        return render(request, "hub/unsubscribed.html", {"done": True})
    return render(request, "hub/unsubscribed.html", {"done": False})
