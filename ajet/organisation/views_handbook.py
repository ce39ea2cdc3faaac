"""Each post's living handbook: pages with their edit history, files, and the items left for the next holder."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ajet.core.once import creates_once, protect
from ajet.organisation import queries, services
from ajet.organisation.access import access_handbook, access_handbook_page, access_handover_item
from ajet.organisation.forms import HandbookFileForm, HandbookPageForm, HandoverItemForm
from ajet.organisation.markdown import render_markdown
from ajet.organisation.uploads import download_response

CHANGE = "organisation.change_handbook"


def _to_handbook(post):
    return redirect("organisation:handbook", post_id=post.pk)


@require_GET
def handbook_list(request):
    return render(request, "organisation/handbook_list.html", {
        "posts": queries.get_handbook_posts_for(request.user),
        "upcoming": queries.get_upcoming_terms(request.user),
    })


@require_GET
def handbook(request, post_id):
    post = access_handbook(request.user, post_id)
    return render(request, "organisation/handbook.html", {
        "post": post, **queries.get_handbook(post),
        "can_change": request.user.has_perm(CHANGE, post),
        "item_form": protect(HandoverItemForm()),
    })


@require_http_methods(["GET", "POST"])
@creates_once
def page_create(request, post_id):
    post = access_handbook(request.user, post_id, CHANGE)
    form = protect(HandbookPageForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        page = services.create_handbook_page(by=request.user, post=post, title=data["title"], body=data["body"],
                                             note=data["note"])
        messages.success(request, _("The page has been added to the handbook."))
        return redirect("organisation:handbook_page", post_id=post.pk, slug=page.slug)
    return render(request, "organisation/handbook_page_form.html", {"form": form, "post": post})


@require_GET
def page_detail(request, post_id, slug):
    page = access_handbook_page(request.user, post_id, slug)
    return render(request, "organisation/handbook_page.html", {
        "page": page, "post": page.post, "html": render_markdown(page.body),
        "can_change": request.user.has_perm(CHANGE, page.post),
    })


@require_http_methods(["GET", "POST"])
def page_edit(request, post_id, slug):
    page = access_handbook_page(request.user, post_id, slug, CHANGE)
    form = HandbookPageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_handbook_page(by=request.user, page=page, title=data["title"], body=data["body"],
                                      note=data["note"])
        messages.success(request, _("The page has been saved; the earlier version stays in its history."))
        return redirect("organisation:handbook_page", post_id=page.post.pk, slug=page.slug)
    return render(request, "organisation/handbook_page_form.html", {"form": form, "post": page.post, "page": page})


@require_GET
def page_history(request, post_id, slug):
    page = access_handbook_page(request.user, post_id, slug)
    return render(request, "organisation/handbook_history.html", {
        "page": page, "post": page.post, "revisions": page.revisions.all(),
    })


@require_GET
def page_revision(request, post_id, slug, revision_id):
    page = access_handbook_page(request.user, post_id, slug)
    revision = get_object_or_404(page.revisions, pk=revision_id)
    return render(request, "organisation/handbook_revision.html", {
        "page": page, "post": page.post, "revision": revision, "html": render_markdown(revision.body),
    })


@require_http_methods(["GET", "POST"])
@creates_once
def file_upload(request, post_id):
    post = access_handbook(request.user, post_id, CHANGE)
    form = protect(HandbookFileForm(request.POST or None, request.FILES or None))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_handbook_file(by=request.user, post=post, title=form.cleaned_data["title"],
                                       upload=form.cleaned_data["file"])
        except services.OrganisationError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("The file has been added to the handbook."))
            return _to_handbook(post)
    return render(request, "organisation/handbook_file_form.html", {"form": form, "post": post})


@require_GET
def file_download(request, post_id, file_id):
    post = access_handbook(request.user, post_id)
    handbook_file = get_object_or_404(post.handbook_files, pk=file_id)
    name = handbook_file.original_name or handbook_file.file.name.rsplit("/", 1)[-1]
    return download_response(handbook_file.file, name)


@require_POST
@creates_once
def item_create(request, post_id):
    post = access_handbook(request.user, post_id, CHANGE)
    form = protect(HandoverItemForm(request.POST))
    if form.is_valid():
        services.add_handover_item(by=request.user, post=post, **form.cleaned_data)
        messages.success(request, _("The item has been left for the next holder."))
        return _to_handbook(post)
    return render(request, "organisation/handbook.html", {
        "post": post, **queries.get_handbook(post), "can_change": True, "item_form": form,
    })


@require_POST
def item_done(request, post_id, item_id):
    item = access_handover_item(request.user, post_id, item_id)
    done = request.POST.get("done") != "0"
    services.set_handover_item_done(by=request.user, item=item, done=done)
    return redirect("organisation:handbook", post_id=post_id)
