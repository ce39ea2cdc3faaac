"""No officer can create, change or fill a post that gives more power than they hold: every layer refuses."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from ajet.organisation import services
from ajet.organisation.forms import ChapterPostForm, PostForm
from ajet.organisation.models import Post
from ajet.organisation.powers import powers_of
from tests.factories import ChapterFactory, block_post, chapter_post, national_post

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_local_executive_post(home_chapter):
    for place in ({"scope": "chapter", "chapter": home_chapter}, {"scope": "block", "block_id": 3}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Post.objects.create(name_en="Shadow Chair", slug="shadow-chair", kind="executive", **place)


def test_forms_offer_only_the_kinds_a_scope_allows(home_chapter):
    chapter_form = ChapterPostForm(chapter=home_chapter)
    assert [value for value, _ in chapter_form.fields["kind"].choices] == ["elected", "appointed"]
    form = PostForm({"name_en": "Shadow", "slug": "shadow", "kind": "executive", "scope": "block", "block": 3,
                     "order": 1, "valid_from": "2026-04-01"})
    assert not form.is_valid() and "kind" in form.errors


def test_services_refuse_a_local_executive_post_even_from_an_executive(executive, home_chapter):
    with pytest.raises(services.OrganisationError):
        services.create_post(by=executive.user, fields={
            "name_en": "Shadow Chair", "slug": "shadow-chair", "kind": "executive", "scope": "chapter",
            "chapter": home_chapter})
    post = chapter_post(home_chapter, slug="secretary", name="Secretary")
    with pytest.raises(services.OrganisationError):
        services.update_post(by=executive.user, post=post, changes={"kind": "executive"})
    assert Post.objects.get(pk=post.pk).kind == "elected"


def test_block_representative_cannot_create_or_fill_national_posts(block_rep):
    with pytest.raises(PermissionDenied):
        services.create_post(by=block_rep.user, fields={
            "name_en": "Secretary", "slug": "secretary", "kind": "appointed", "scope": "national"})
    with pytest.raises(PermissionDenied):
        services.appoint(by=block_rep.user, post=national_post("treasurer"), member=block_rep,
                         start=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.update_post(by=block_rep.user, post=block_post(3), changes={"name_en": "Block Boss"})
    assert not powers_of(block_rep.user, day=timezone.localdate()).is_executive


def test_block_representative_cannot_fill_a_post_reaching_beyond_their_block(block_rep):
    across = ChapterFactory(name="Kanto-Tokai AJET", slug="kanto-tokai", prefecture_codes=["11", "23"])
    post = chapter_post(across)
    assert not block_rep.user.has_perm("organisation.manage_chapter_officers", across)
    with pytest.raises(PermissionDenied):
        services.appoint(by=block_rep.user, post=post, member=block_rep, start=timezone.localdate())
    assert not post.terms.exists()


def test_block_representative_fills_posts_of_chapters_inside_their_block(block_rep, home_chapter, member):
    post = services.create_post(by=block_rep.user, fields={
        "name_en": "Secretary", "slug": "secretary", "kind": "appointed", "scope": "chapter", "chapter": home_chapter})
    term = services.appoint(by=block_rep.user, post=post, member=member, start=timezone.localdate())
    assert term.member == member


def test_block_representative_cannot_move_prefectures_or_widen_chapters(block_rep, home_chapter):
    from ajet.organisation.models import Block, Prefecture

    with pytest.raises(PermissionDenied):
        services.move_prefecture(by=block_rep.user, prefecture=Prefecture.objects.get(code="23"),
                                 block=Block.objects.get(number=3), valid_from=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.update_chapter(by=block_rep.user, chapter=home_chapter, changes={},
                                prefectures=list(Prefecture.objects.filter(code__in=["11", "23"])))
    assert set(home_chapter.prefectures.values_list("code", flat=True)) == {"11"}
