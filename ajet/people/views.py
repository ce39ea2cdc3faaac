import hashlib
import json

from allauth.account.decorators import reauthentication_required
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ajet.core.cache import current_or
from ajet.core.page_cache import PageCache, cached_page
from ajet.core.personal_data import erase_personal_data, export_personal_data
from ajet.people import services
from ajet.people.access import access_member, get_pending_members_for, managed_members_versions
from ajet.people.forms import ProfileForm, QueueDecisionForm
from ajet.people.models import Member
from ajet.people.user_cache import PEOPLE_DATA, user_namespace

PENDING_PER_PAGE = 25
UNVERIFIED_SHOWN = 50


@login_not_required
@require_POST
def set_language(request):
    """Switch language; a signed-in member's preference is remembered on their profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    # Only a path on this site (never a URL name: `redirect` would try to reverse "9999" and fail).
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
            next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(translation.trans_real.get_languages()):
        if request.user.is_authenticated:
            services.set_language(user=request.user, language=language)
        response.set_cookie("django_language", language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@require_http_methods(["GET", "POST"])
def profile(request):
    member = getattr(request.user, "member", None)
    if member is None:
        raise PermissionDenied
    form = ProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and not ratelimit.consume(request, action="profile_change", user=request.user):
        form.add_error(None, _("You have saved your profile many times in the last hour, so this change was "
                               "not saved. Please try again later."))
        return render(request, "people/profile.html", {"form": form, "member": member}, status=429)
    if request.method == "POST" and form.is_valid():
        services.update_profile(member=member, changes={name: form.cleaned_data[name] for name in form.changed_data})
        messages.success(request, _("Your profile has been saved."))
        return redirect("people:profile")
    return render(request, "people/profile.html", {"form": form, "member": member})


@require_GET
def export_my_data(request):
    """Everything the platform holds about the signed-in person, as a JSON download (ajet/core/personal_data.py)."""
    body = json.dumps(export_personal_data(request.user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ajet-my-data.json"'
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
@reauthentication_required
def close_account(request):
    """Erase the signed-in person's data (all or nothing), then sign them out. They confirm who they are
    first (allauth's reauthentication: password or second factor, valid for a few minutes)."""
    if request.method == "POST":
        erase_personal_data(request.user)
        logout(request)
        messages.success(request, _("Your account has been closed and your personal data erased."))
        return redirect("core:home")
    return render(request, "people/close_account.html")


def _pending_caching(request) -> PageCache | None:
    """The queue shows every account and member of the officer's area (derived from their powers)."""
    if not request.user.has_perm("people.view_pending_members"):
        return None  # the view refuses
    return PageCache(namespaces=(PEOPLE_DATA, *managed_members_versions()))


@require_GET
@cached_page(_pending_caching)
def pending_members(request):
    """The confirmation queue: verified sign-ups to confirm or reject (a page at a time), and apart from them
    the sign-ups that have not verified their address yet (they may be rejected, not confirmed).

    The queue's HTML (not the form's CSRF token, rendered per request) is cached per officer, query string
    and language under the versions of every account and member (PEOPLE_DATA) and of what the officer's
    area is derived from (their powers), so an officer's next request sees any change."""
    if not request.user.has_perm("people.view_pending_members"):
        raise PermissionDenied
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:16]
    key = f"ajet:pending:{request.user.pk}:{query}:{translation.get_language()}"
    namespaces = (PEOPLE_DATA, user_namespace(request.user.pk), *managed_members_versions())
    queue = current_or(namespaces, key, lambda: _pending_queue(request))
    return render(request, "people/pending.html", {"queue": mark_safe(queue)})  # noqa: S308 - our template


def _pending_queue(request) -> str:
    """The queue's HTML for this officer and page ("" when nothing waits that they may decide)."""
    sign_ups = get_pending_members_for(request.user)
    page = Paginator(sign_ups.filter(email_verified=True), PENDING_PER_PAGE).get_page(request.GET.get("page"))
    visible = [member for member in page if request.user.has_perm("people.confirm_member", member)]
    unverified = [member for member in sign_ups.filter(email_verified=False)[:UNVERIFIED_SHOWN]
                  if request.user.has_perm("people.reject_member", member)]
    if not (visible or unverified):
        return ""
    return str(render_to_string("people/pending.html#queue", {
        "pending": visible, "page": page, "unverified": unverified, "form": QueueDecisionForm(),
    }, request=request))


@require_POST
def decide_pending(request):
    """Confirm or reject the sign-ups ticked in the queue: all of them or none."""
    if not request.user.has_perm("people.view_pending_members"):
        raise PermissionDenied
    form = QueueDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("people:pending")
    data = form.cleaned_data
    members = list(Member.objects.filter(pk__in=data["members"]).select_related("user"))
    if len(members) != len(set(data["members"])):
        raise Http404
    try:
        if data["decision"] == QueueDecisionForm.CONFIRM:
            done = services.confirm_members(members=members, by=request.user)
            text = ngettext("%(count)d member confirmed.", "%(count)d members confirmed.", len(done))
        else:
            done = services.reject_members(members=members, by=request.user, reason=data["reason"],
                                           note=data["note"])
            text = ngettext("%(count)d sign-up rejected; they are told by e-mail.",
                            "%(count)d sign-ups rejected; they are told by e-mail.", len(done))
    except services.MembershipError as error:
        messages.error(request, _("Nothing was changed: %(reason)s") % {"reason": error})
    else:
        messages.success(request, text % {"count": len(done)})
    return redirect("people:pending")


@require_GET
def member_detail(request, member_id):
    member = access_member(request.user, member_id)
    return render(request, "people/member.html", {
        "member": member,
        "can_see_jet_number": request.user.has_perm("people.view_jet_number", member),
        "can_confirm": request.user.has_perm("people.confirm_member", member),
        "can_reject": request.user.has_perm("people.reject_member", member),
        "can_see_queue": request.user.has_perm("people.view_pending_members"),
        "form": QueueDecisionForm(),
    })


@require_POST
def confirm_member(request, member_id):
    member = access_member(request.user, member_id, "people.confirm_member")
    try:
        services.confirm_membership(member=member, by=request.user)
    except services.MembershipError as error:  # another officer confirmed them a moment ago
        messages.error(request, str(error))
        return redirect("people:pending")
    messages.success(request, _("%(name)s is now a confirmed member.") % {"name": member.full_name})
    return redirect("people:pending")
