"""Executives shape the council: posts, terms, and which prefectures form each block (all dated)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ajet.core.once import creates_once, protect
from ajet.organisation import queries, services
from ajet.organisation.access import access_post_to_manage, access_term_to_manage
from ajet.organisation.forms import ChapterPostForm, EndTermForm, MovePrefectureForm, PostForm, RetirePostForm, TermForm
from ajet.organisation.models import Post, Prefecture
from ajet.people.models import Member


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _candidates(post: Post):
    """Who may be appointed: current members; for a chapter post, those of the chapter or its prefectures."""
    members = Member.objects.filter(status=Member.Status.CURRENT)
    if post.scope == Post.Scope.CHAPTER:
        members = members.filter(
            Q(prefecture__in=post.chapter.prefectures.all())
            | Q(chapter_memberships__chapter=post.chapter, chapter_memberships__left_at__isnull=True)
        )
    return members.distinct()


def _after(post: Post):
    return redirect("organisation:post_manage", post_id=post.pk)


@require_GET
def manage_council(request):
    _require(request.user, "organisation.change_post")
    return render(request, "organisation/manage_council.html", {
        "posts": queries.get_council_posts_to_manage(),
        "prefectures": queries.get_prefectures_with_blocks(),
    })


@require_http_methods(["GET", "POST"])
@creates_once
def post_create(request):
    _require(request.user, "organisation.add_post")
    form = protect(PostForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            post = services.create_post(by=request.user, fields=form.cleaned_data)
        except services.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The post %(name)s has been created.") % {"name": post.name})
            return _after(post)
    return render(request, "organisation/post_form.html", {"form": form})


@require_GET
def post_manage(request, post_id):
    post = access_post_to_manage(request.user, post_id)
    return render(request, "organisation/post_manage.html", {
        "post": post, "terms": queries.get_post_terms(post), "today": timezone.localdate(),
        "can_view_handbook": request.user.has_perm("organisation.view_handbook", post),
    })


@require_http_methods(["GET", "POST"])
def post_edit(request, post_id):
    post = access_post_to_manage(request.user, post_id)
    if post.scope == Post.Scope.CHAPTER:
        form = ChapterPostForm(request.POST or None, instance=post, chapter=post.chapter)
    else:
        form = PostForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.update_post(by=request.user, post=post, changes=changes)
        except services.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The post has been saved."))
            return _after(post)
    post.refresh_from_db()
    return render(request, "organisation/post_form.html", {"form": form, "post": post})


@require_http_methods(["GET", "POST"])
def post_retire(request, post_id):
    post = access_post_to_manage(request.user, post_id)
    form = RetirePostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.retire_post(by=request.user, post=post, last_day=form.cleaned_data["last_day"])
        except services.OrganisationError as error:
            form.add_error("last_day", str(error))
        else:
            messages.success(request, _("The post has been retired."))
            return _after(post)
    return render(request, "organisation/post_retire.html", {"form": form, "post": post})


@require_http_methods(["GET", "POST"])
@creates_once
def term_create(request, post_id):
    post = access_post_to_manage(request.user, post_id)
    _require(request.user, "organisation.grant_post", post)  # never a post above the officer's own powers
    form = protect(TermForm(request.POST or None, candidates=_candidates(post)))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            term = services.appoint(by=request.user, post=post, member=data["member"], start=data["start"],
                                    end=data["end"])
        except services.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s holds %(post)s from %(start)s to %(end)s.") % {
                "name": term.holder, "post": post.name, "start": term.start, "end": term.end})
            return _after(post)
    return render(request, "organisation/term_form.html", {"form": form, "post": post})


@require_http_methods(["GET", "POST"])
def term_end(request, term_id):
    term = access_term_to_manage(request.user, term_id)
    if term.end < timezone.localdate():
        messages.info(request, _("This term ended on %(date)s.") % {"date": term.end})
        return _after(term.post)
    form = EndTermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_term(by=request.user, term=term, end=form.cleaned_data["end"])
        except services.OrganisationError as error:
            form.add_error("end", str(error))
        else:
            messages.success(request, _("The term has been ended."))
            return _after(term.post)
    return render(request, "organisation/term_end.html", {"form": form, "term": term})


@require_http_methods(["GET", "POST"])
@creates_once
def prefecture_move(request, code):
    _require(request.user, "organisation.change_block")
    prefecture = get_object_or_404(Prefecture, code=code)
    form = protect(MovePrefectureForm(request.POST or None, prefecture=prefecture))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.move_prefecture(by=request.user, prefecture=prefecture, block=data["block"],
                                     valid_from=data["valid_from"])
        except services.OrganisationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(prefecture)s belongs to %(block)s from %(date)s.") % {
                "prefecture": prefecture.name, "block": data["block"], "date": data["valid_from"]})
            return redirect("organisation:prefecture_move", code=prefecture.code)
    return render(request, "organisation/prefecture_move.html", {
        "form": form, "prefecture": prefecture, "history": queries.get_block_history(prefecture),
    })
