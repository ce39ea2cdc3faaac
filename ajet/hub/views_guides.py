"""Guide pages: the list with its bilingual search, a guide, the officers' forms, attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ajet.core.once import creates_once, protect
from ajet.hub import guides
from ajet.hub.access import access_guide
from ajet.hub.forms_guides import GuideFileForm, GuideForm, GuideSearchForm
from ajet.organisation.markdown import render_markdown
from ajet.organisation.uploads import download_response

CHANGE = "hub.change_guide"
GUIDES_PER_PAGE = 200  # the whole library: a few dozen guides


def _readable_guide(request, slug):
    """The guide; None for an anonymous visitor at a members-only guide (to be sent to sign in)."""
    try:
        return access_guide(request.user, slug)
    except Http404:
        if request.user.is_authenticated:
            raise
        return None


@login_not_required  # public guides are for anyone; members see the members-only ones too
@require_safe
def guide_list(request):
    form = GuideSearchForm(request.GET or None)
    found = guides.guides_visible_to(request.user)
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if form.cleaned_data["category"] is not None:
            found = found.filter(category=form.cleaned_data["category"])
        found = guides.search_guides(found, query)
    language = request.LANGUAGE_CODE
    rows = []
    for guide in found[:GUIDES_PER_PAGE]:
        title, _body = guide.localised(language)
        rows.append({"guide": guide, "title": title, "category": guide.category.localised_name(language)})
    return render(request, "hub/guide_list.html", {
        "form": form, "rows": rows, "query": query,
        "can_add": request.user.has_perm("hub.add_guide"),
    })


@login_not_required
@require_safe
def guide_detail(request, slug):
    guide = _readable_guide(request, slug)
    if guide is None:
        return redirect_to_login(request.get_full_path())
    title, body = guide.localised(request.LANGUAGE_CODE)
    return render(request, "hub/guide_detail.html", {
        "guide": guide, "title": title, "html": render_markdown(body),
        "category": guide.category.localised_name(request.LANGUAGE_CODE),
        "files": guide.files.all(),
        "can_change": request.user.has_perm(CHANGE, guide),
    })


@require_http_methods(["GET", "POST"])
@creates_once
def guide_create(request):
    if not request.user.has_perm("hub.add_guide"):
        raise PermissionDenied
    form = protect(GuideForm(request.POST or None, may_choose_owner=True))
    if request.method == "POST" and form.is_valid():
        try:
            guide = guides.create_guide(by=request.user, fields=form.guide_fields())
        except guides.GuideError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The guide is published."))
            return redirect(guide)
    return render(request, "hub/guide_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def guide_edit(request, slug):
    guide = access_guide(request.user, slug, CHANGE)
    form = GuideForm(request.POST or None, instance=guide, may_choose_owner=request.user.has_perm("hub.add_guide"))
    if request.method == "POST" and form.is_valid():
        try:
            guide = guides.update_guide(by=request.user, guide=guide, fields=form.guide_fields())
        except guides.GuideError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The guide has been saved."))
            return redirect(guide)
    return render(request, "hub/guide_form.html", {"form": form, "guide": guide})


@require_POST
def guide_reviewed(request, slug):
    guide = access_guide(request.user, slug, CHANGE)
    guides.mark_guide_reviewed(by=request.user, guide=guide)
    messages.success(request, _("Thank you: the guide is marked as reviewed today."))
    return redirect(guide)


@require_http_methods(["GET", "POST"])
@creates_once
def guide_file_upload(request, slug):
    guide = access_guide(request.user, slug, CHANGE)
    form = protect(GuideFileForm(request.POST or None, request.FILES or None))
    if request.method == "POST" and form.is_valid():
        try:
            guides.add_guide_file(by=request.user, guide=guide, title=form.cleaned_data["title"],
                                  upload=form.cleaned_data["file"])
        except guides.GuideError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("The file has been attached to the guide."))
            return redirect(guide)
    return render(request, "hub/guide_file_form.html", {"form": form, "guide": guide})


@login_not_required  # a public guide's files are public too
@require_safe
def guide_file(request, slug, file_id):
    guide = _readable_guide(request, slug)
    if guide is None:
        return redirect_to_login(request.get_full_path())
    attachment = get_object_or_404(guide.files, pk=file_id)
    return download_response(attachment.file, attachment.original_name)
