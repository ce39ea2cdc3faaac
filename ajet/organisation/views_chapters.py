"""Local chapters: the directory, a chapter's page, creating and editing chapters, officers, joining."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ajet.core.cache import current_or, prefetch
from ajet.core.once import creates_once, protect
from ajet.core.page_cache import PageCache, cached_page
from ajet.core.panels import page_caching, panels_for
from ajet.organisation import queries, services
from ajet.organisation.access import access_chapter, blocks_for_new_chapters
from ajet.organisation.forms import ChapterForm, ChapterPostForm
from ajet.organisation.models import ChapterSlug, Post
from ajet.organisation.powers import ORGANISATION_DATA


@login_not_required
@require_safe
def chapter_list(request):
    return render(request, "organisation/chapter_list.html", {
        "blocks": queries.get_blocks_overview(),
        "can_add": request.user.has_perm("organisation.add_chapter"),
    })


def follows_renamed_chapters(view):
    """A chapter's old web address (before a rename) leads to the same page at its new one: permanently
    for reads, keeping the method (308) for sends. Asked only when the slug is not a chapter's today."""

    @functools.wraps(view)
    def wrapper(request, slug, **kwargs):
        try:
            return view(request, slug, **kwargs)
        except Http404:
            old = ChapterSlug.objects.filter(slug=slug).select_related("chapter").first()
            if old is None or old.chapter.slug == slug or not (
                    old.chapter.is_active or request.user.has_perm("organisation.change_chapter", old.chapter)):
                raise
            url = reverse(request.resolver_match.view_name, kwargs={**kwargs, "slug": old.chapter.slug})
            if request.META.get("QUERY_STRING"):
                url += "?" + request.META["QUERY_STRING"]
            if request.method in ("GET", "HEAD"):
                return HttpResponsePermanentRedirect(url)
            return HttpResponseRedirect(url, status=308)

    return wrapper


def _chapter_caching(request, slug) -> PageCache | None:
    """The chapter, the visitor's membership and powers (the organisation's data on this day) and the
    chapter's panels (e.g. the hub's events: their own versions, and the clock)."""
    chapter = access_chapter(request.user, slug, cached=True)
    panels = page_caching(request, place="chapter", chapter=chapter)
    if panels is None:
        return None
    return PageCache(key=f"{timezone.localdate().isoformat()}:{panels.key}",
                     namespaces=(ORGANISATION_DATA, *panels.namespaces), clock=panels.clock)


@login_not_required
@require_safe
@follows_renamed_chapters
@cached_page(_chapter_caching)
def chapter_detail(request, slug):
    member = getattr(request.user, "member", None)
    # The chapter, the visitor's membership and the page's public parts, each cached under the organisation's
    # data version: read in one round trip (the version itself came with the session: cached powers).
    prefetch([(ORGANISATION_DATA, queries.chapter_key(slug)), (ORGANISATION_DATA, _public_parts_key(slug))]
             + ([(ORGANISATION_DATA, queries.membership_key(member, slug))] if member else []))
    chapter = access_chapter(request.user, slug, cached=True)
    can_join = request.user.has_perm("organisation.join_chapter", chapter)
    return render(request, "organisation/chapter_detail.html", {
        "chapter": chapter,
        "public": chapter_public_parts(chapter),
        # Asked of every member, not only those who may join: an alumnus may still leave.
        "membership": queries.get_cached_open_chapter_membership(member, chapter) if member else None,
        "can_join": can_join,
        "can_change": request.user.has_perm("organisation.change_chapter", chapter),
        "can_manage_officers": request.user.has_perm("organisation.manage_chapter_officers", chapter),
        "panels": panels_for(request, place="chapter", chapter=chapter),  # e.g. the hub's upcoming events
    })


def chapter_public_parts(chapter) -> dict[str, str]:
    """The parts of a chapter's page that are the same for every visitor (where, contact, member count,
    officers), as HTML cached under the organisation's data version (see signals.py: chapters, memberships
    and terms bump it), the day and the language."""
    today = timezone.localdate()
    key = _public_parts_key(chapter.slug)
    def render_parts() -> dict[str, str]:
        context = {
            "chapter": chapter,
            "officers": queries.get_chapter_officers(chapter, today),
            "member_count": queries.get_chapter_member_count(chapter),
        }
        return {name: str(render_to_string(f"organisation/chapter_public.html#{name}", context))
                for name in ("about", "officers")}

    parts = current_or(ORGANISATION_DATA, key, render_parts)
    return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308 - our templates escaped them


def _public_parts_key(slug: str) -> str:
    return f"ajet:fragment:chapter:{slug}:{get_language()}:{timezone.localdate().isoformat()}"


def _chapter_fields(form) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if name != "prefectures"}


@require_http_methods(["GET", "POST"])
@creates_once
def chapter_create(request):
    if not blocks_for_new_chapters(request.user):
        raise PermissionDenied
    form = protect(ChapterForm(request.POST or None, user=request.user))
    if request.method == "POST" and form.is_valid():
        chapter = services.create_chapter(by=request.user, fields=_chapter_fields(form),
                                          prefectures=list(form.cleaned_data["prefectures"]))
        messages.success(request, _("The chapter %(name)s has been created.") % {"name": chapter.name})
        return redirect(chapter)
    return render(request, "organisation/chapter_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@follows_renamed_chapters
def chapter_edit(request, slug):
    chapter = access_chapter(request.user, slug, "organisation.change_chapter")
    form = ChapterForm(request.POST or None, instance=chapter, user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "prefectures"}
        prefectures = list(form.cleaned_data["prefectures"]) if "prefectures" in form.changed_data else None
        chapter = services.update_chapter(by=request.user, chapter=chapter, changes=changes, prefectures=prefectures)
        messages.success(request, _("The chapter has been saved."))
        return redirect(chapter)
    return render(request, "organisation/chapter_form.html", {"form": form, "chapter": chapter})


@require_http_methods(["GET", "POST"])
@creates_once
@follows_renamed_chapters
def chapter_officers(request, slug):
    """The chapter's officer posts and their terms, and a form to add a post."""
    chapter = access_chapter(request.user, slug, "organisation.manage_chapter_officers")
    form = protect(ChapterPostForm(request.POST or None, chapter=chapter))
    if request.method == "POST" and form.is_valid():
        fields = {**form.cleaned_data, "scope": Post.Scope.CHAPTER, "chapter": chapter}
        try:
            services.create_post(by=request.user, fields=fields)
        except services.OrganisationError as error:
            form.add_error("slug", str(error))
        else:
            messages.success(request, _("The post has been added."))
            return redirect("organisation:chapter_officers", slug=chapter.slug)
    return render(request, "organisation/chapter_officers.html", {
        "chapter": chapter, "posts": queries.get_chapter_posts(chapter), "form": form,
    })


def _require_member(user) -> None:
    if getattr(user, "member", None) is None:  # a staff account for the Django admin has no profile
        raise PermissionDenied


@require_POST
@follows_renamed_chapters
def chapter_join(request, slug):
    chapter = access_chapter(request.user, slug, "organisation.join_chapter")
    _require_member(request.user)
    services.join_chapter(member=request.user.member, chapter=chapter)
    messages.success(request, _("You have joined %(name)s.") % {"name": chapter.name})
    return redirect(chapter)


@require_POST
@follows_renamed_chapters
def chapter_leave(request, slug):
    chapter = access_chapter(request.user, slug, "organisation.leave_chapter")
    _require_member(request.user)
    services.leave_chapter(member=request.user.member, chapter=chapter)
    messages.success(request, _("You have left %(name)s.") % {"name": chapter.name})
    return redirect(chapter)
