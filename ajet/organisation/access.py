"""Fetch-and-authorize helpers: 404 when the object is hidden from the user, 403 when seen but not allowed."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ajet.core.access import authorize
from ajet.organisation.models import Block, Chapter, HandbookPage, HandoverItem, Initiative, Post, Term
from ajet.organisation.queries import get_cached_chapter


def may_manage_post(user, post: Post) -> bool:
    """Chapter posts belong to the chapter's officer managers; council posts to the executives."""
    if post.scope == Post.Scope.CHAPTER:
        return user.has_perm("organisation.manage_chapter_officers", post.chapter)
    return user.has_perm("organisation.change_post", post)


def access_post_to_manage(user, post_id: int) -> Post:
    """A post (public knowledge) that the user may change, appoint to and retire."""
    post = get_object_or_404(Post.objects.select_related("block", "chapter"), pk=post_id)
    if not may_manage_post(user, post):
        raise PermissionDenied
    return post


def access_term_to_manage(user, term_id: int) -> Term:
    term = get_object_or_404(Term.objects.select_related("post__chapter", "post__block", "member"), pk=term_id)
    if not may_manage_post(user, term.post):
        raise PermissionDenied
    return term


def access_chapter(user, slug: str, perm: str | None = None, *, cached: bool = False) -> Chapter:
    """Active chapters are public; an inactive one is seen only by those who may change it. `cached`: read
    the chapter from the shared cache (for pages that only show it: see queries.get_cached_chapter)."""
    if cached:
        chapter = get_cached_chapter(slug)
        if chapter is None:
            raise Http404
    else:
        chapter = get_object_or_404(Chapter.objects.prefetch_related("prefectures"), slug=slug)
    if not chapter.is_active and not user.has_perm("organisation.change_chapter", chapter):
        raise Http404
    if perm is not None and not user.has_perm(perm, chapter):
        raise PermissionDenied
    return chapter


def blocks_for_new_chapters(user) -> list[Block]:
    """The blocks in which the user may create chapters (all of them for executives)."""
    return [block for block in Block.objects.all() if user.has_perm("organisation.add_chapter", block)]


def access_initiative(user, slug: str, perm: str | None = None) -> Initiative:
    initiative = get_object_or_404(Initiative.objects.select_related("supervising_post"), slug=slug)
    if perm is not None and not user.has_perm(perm, initiative):
        raise PermissionDenied
    return initiative


def access_handbook(user, post_id: int, perm: str = "organisation.view_handbook") -> Post:
    """A post's handbook: hidden (404) from those who may not read it, 403 for writes they may not make."""
    post = get_object_or_404(Post.objects.select_related("block", "chapter"), pk=post_id)
    return authorize(user, post, see="organisation.view_handbook", do=perm)


def access_handbook_page(user, post_id: int, slug: str, perm: str = "organisation.view_handbook") -> HandbookPage:
    post = access_handbook(user, post_id, perm)
    page = get_object_or_404(HandbookPage, post=post, slug=slug)
    page.post = post
    return page


def access_handover_item(user, post_id: int, item_id: int) -> HandoverItem:
    post = access_handbook(user, post_id, "organisation.change_handbook")
    return get_object_or_404(HandoverItem, post=post, pk=item_id)
