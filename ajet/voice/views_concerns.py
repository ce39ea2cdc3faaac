"""Concerns: a member raises one and follows its status; the officers it is routed to triage it; other
members support the public ones. An anonymous concern is followed with its receipt code alone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ajet.core.once import creates_once, protect
from ajet.voice import queries, services
from ajet.voice.access import access_concern
from ajet.voice.forms import (
    ConcernForm,
    ConcernUpdateForm,
    MergeForm,
    ReceiptForm,
    ReplyForm,
    TagForm,
)
from ajet.voice.models import Concern


@require_safe
def concern_list(request):
    member = getattr(request.user, "member", None)
    can_raise = request.user.has_perm("voice.raise_concern")
    routed = list(queries.concerns_routed_to(request.user).annotate(support_count=Count("supports")))
    tag = request.GET.get("tag", "")[:services.MAX_TAG_LENGTH]
    return render(request, "voice/concern_list.html", {
        "mine": member.concerns.all() if member else [],
        # Tags are a JSON list: filtered here, as SQLite has no JSON containment (an officer's list is short).
        "routed": [concern for concern in routed if not tag or tag in concern.tags], "tag": tag,
        "tags": sorted({name for concern in routed for name in concern.tags}),
        "public": queries.public_concerns() if can_raise else [],
        "can_raise": can_raise,
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
            if concern.receipt_code:
                # The code travels once, in the signed message cookie (never stored on the server), to the
                # receipt page; nothing links the concern to this account.
                messages.success(request, _("Your concern is sent without your name. Your receipt code is %(code)s "
                                            "— write it down: it is the only way to follow this concern and "
                                            "answer the officers' questions, and it cannot be shown again.")
                                 % {"code": concern.receipt_code}, extra_tags="receipt")
                return redirect("voice:concern_receipt")
            messages.success(request, _("Your concern is sent. You can follow its status here."))
            return redirect(concern)
    return render(request, "voice/concern_form.html", {"form": form})


def _detail(request, concern, *, form=None, reply_form=None, merge_form=None, tag_form=None, status=200):
    user = request.user
    can_triage = user.has_perm("voice.triage_concern", concern)
    is_raiser = user.has_perm("voice.reply_concern", concern)
    return render(request, "voice/concern_detail.html", {
        "concern": concern,
        "sees_thread": can_triage or is_raiser,
        "updates": concern.updates.select_related("by"), "replies": concern.replies.all(),
        "is_raiser": is_raiser, "can_triage": can_triage,
        "support_count": concern.supports.count(),
        "can_support": user.has_perm("voice.support_concern", concern),
        "supports": concern.supports.filter(member__user=user).exists() if user.is_authenticated else False,
        "form": (form or ConcernUpdateForm(initial={"status": concern.status})) if can_triage else None,
        "merge_form": (merge_form or MergeForm(concerns=_merge_candidates(user, concern))) if can_triage else None,
        "tag_form": (tag_form or TagForm(initial={"tags": ", ".join(concern.tags)})) if can_triage else None,
        "reply_form": (reply_form or ReplyForm()) if is_raiser else None,
    }, status=status)


def _merge_candidates(user, concern):
    return (queries.concerns_routed_to(user).exclude(pk=concern.pk).exclude(status=Concern.Status.MERGED)
            .exclude(visibility=Concern.Visibility.PRIVATE))


@require_safe
def concern_detail(request, concern_id):
    return _detail(request, access_concern(request.user, concern_id))


def _triage(request, concern_id, form_name, form, action, success):
    """Run an officer's triage `action` from a valid `form`; the page again with the reason when refused."""
    concern = access_concern(request.user, concern_id, "voice.triage_concern")
    bound = form(concern)
    if bound.is_valid():
        try:
            action(concern, bound.cleaned_data)
        except services.ConcernError as error:
            bound.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect(concern)
    return _detail(request, concern, status=400, **{form_name: bound})


@require_POST
def concern_update(request, concern_id):
    return _triage(request, concern_id, "form", lambda concern: ConcernUpdateForm(request.POST),
                   lambda concern, data: services.update_concern(by=request.user, concern=concern, **data),
                   _("The concern is updated; its member sees the new status."))


@require_POST
def concern_merge(request, concern_id):
    return _triage(request, concern_id, "merge_form",
                   lambda concern: MergeForm(request.POST, concerns=_merge_candidates(request.user, concern)),
                   lambda concern, data: services.merge_concern(by=request.user, concern=concern, into=data["into"]),
                   _("The concern is merged; its supports count on the other one."))


@require_POST
def concern_tag(request, concern_id):
    return _triage(request, concern_id, "tag_form", lambda concern: TagForm(request.POST),
                   lambda concern, data: services.tag_concern(by=request.user, concern=concern, tags=data["tags"]),
                   _("Tags saved."))


@require_POST
def concern_escalate(request, concern_id):
    concern = access_concern(request.user, concern_id, "voice.triage_concern")
    try:
        services.escalate_concern(by=request.user, concern=concern)
    except services.ConcernError as error:
        messages.error(request, str(error))
        return _detail(request, concern, status=400)
    messages.success(request, _("The concern is on the national agenda: the executives see it."))
    return redirect(concern)


@require_POST
def concern_reply(request, concern_id):
    concern = access_concern(request.user, concern_id, "voice.reply_concern")
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_to_concern(concern=concern, text=form.cleaned_data["text"])
        except services.ConcernError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your answer is sent to the officers."))
            return redirect(concern)
    return _detail(request, concern, reply_form=form, status=400)


@require_POST
def concern_support(request, concern_id):
    concern = access_concern(request.user, concern_id, "voice.support_concern")
    try:
        services.support_concern(member=request.user.member, concern=concern)
    except services.ConcernError as error:
        messages.error(request, str(error))
        return _detail(request, concern, status=400)
    messages.success(request, _("Thank you: your support is counted."))
    return redirect(concern)


# --- Receipt codes -----------------------------------------------------------------------------
# Open to anyone, signed in or not: the code is the only credential, travels only in POST bodies (never in a
# URL, the session or a log) and nothing here reads who is signed in.

def _receipt_page(request, form, concern=None, reply_form=None, status=200):
    return render(request, "voice/concern_receipt.html", {
        "form": form, "concern": concern,
        "updates": concern.updates.all() if concern else [], "replies": concern.replies.all() if concern else [],
        "reply_form": reply_form or ReplyForm(),
    }, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def concern_receipt(request):
    if request.method == "GET":
        return _receipt_page(request, ReceiptForm())
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return _receipt_page(request, form, status=400)
    return _receipt_page(request, form, form.cleaned_data["concern"])


@login_not_required
@require_POST
def concern_receipt_reply(request):
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        return _receipt_page(request, form, status=400)
    concern = form.cleaned_data["concern"]
    reply_form = ReplyForm(request.POST)
    if reply_form.is_valid():
        try:
            services.reply_to_concern(concern=concern, text=reply_form.cleaned_data["text"])
        except services.ConcernError as error:
            reply_form.add_error(None, str(error))
        else:
            messages.success(request, _("Your answer is sent to the officers, without your name."))
            return _receipt_page(request, form, concern)
    return _receipt_page(request, form, concern, reply_form, status=400)
