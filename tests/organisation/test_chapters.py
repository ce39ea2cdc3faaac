"""Chapters: who may create and edit them, officer posts and terms, joining and leaving."""

import pytest
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.organisation.models import Chapter, ChapterMembership, Post, Prefecture, Term
from tests.factories import MemberFactory, chapter_post, once_sent

pytestmark = pytest.mark.django_db


def _chapter_data(**overrides):
    return {"name": "Chichibu AJET", "slug": "chichibu", "kind": "city", "prefectures": ["11"],
            "description": "Mountains.", "contact_email": "chichibu@example.org"} | overrides


def test_block_rep_creates_a_chapter_in_their_block(client, block_rep):
    client.force_login(block_rep.user)
    response = client.post(reverse("organisation:chapter_create"), once_sent(_chapter_data()))
    assert response.status_code == 302
    chapter = Chapter.objects.get(slug="chichibu-ajet")  # made from the name
    assert list(chapter.prefectures.values_list("code", flat=True)) == ["11"]
    assert AuditEntry.objects.get(action="chapter.create").after["prefectures"] == ["11"]


def test_block_rep_cannot_create_a_chapter_outside_their_block(client, block_rep, other_chapter):
    client.force_login(block_rep.user)
    response = client.post(reverse("organisation:chapter_create"), once_sent(_chapter_data(prefectures=["23"])))
    assert response.status_code == 200
    assert not Chapter.objects.filter(name="Chichibu AJET").exists()
    assert not AuditEntry.objects.exists()
    assert "is not one of the available choices" in response.content.decode()  # Aichi is not offered


def test_add_chapter_is_asked_per_block(block_rep, other_block_rep, executive, chapter_officer):
    from ajet.organisation.models import Block

    block_3, block_5 = Block.objects.get(pk=3), Block.objects.get(pk=5)
    assert block_rep.user.has_perm("organisation.add_chapter", block_3)
    assert not block_rep.user.has_perm("organisation.add_chapter", block_5)
    assert executive.user.has_perm("organisation.add_chapter", block_5)
    assert not chapter_officer.user.has_perm("organisation.add_chapter")


def test_duplicate_chapter_name_changes_nothing(client, executive, home_chapter):
    client.force_login(executive.user)
    response = client.post(reverse("organisation:chapter_create"), once_sent(_chapter_data(name=home_chapter.name)))
    assert response.status_code == 200 and Chapter.objects.count() == 1


def test_block_5_rep_cannot_edit_saitama(client, other_block_rep, home_chapter):
    client.force_login(other_block_rep.user)
    response = client.post(reverse("organisation:chapter_edit", args=[home_chapter.slug]),
                           _chapter_data(name="Taken over", slug=home_chapter.slug))
    assert response.status_code == 403
    home_chapter.refresh_from_db()
    assert home_chapter.name == "Saitama AJET"


def test_saitama_officer_cannot_edit_aichi(client, chapter_officer, other_chapter):
    client.force_login(chapter_officer.user)
    response = client.post(reverse("organisation:chapter_edit", args=[other_chapter.slug]),
                           _chapter_data(name="Taken over", slug=other_chapter.slug))
    assert response.status_code == 403
    other_chapter.refresh_from_db()
    assert other_chapter.name == "Aichi AJET"


def test_chapter_officer_edits_text_but_not_where_the_chapter_is(client, chapter_officer, home_chapter):
    client.force_login(chapter_officer.user)
    url = reverse("organisation:chapter_edit", args=[home_chapter.slug])
    assert "prefectures" not in client.get(url).context["form"].fields
    response = client.post(url, _chapter_data(name="Saitama AJET", slug="saitama", kind="prefecture",
                                              description="New text", prefectures=["23"]))
    assert response.status_code == 302
    home_chapter.refresh_from_db()
    assert home_chapter.description == "New text"
    assert list(home_chapter.prefectures.values_list("code", flat=True)) == ["11"]
    entry = AuditEntry.objects.get(action="chapter.change")
    assert entry.before["description"] == "" and entry.after["description"] == "New text"


def test_block_rep_cannot_add_another_blocks_prefecture_to_a_chapter(client, block_rep, home_chapter):
    client.force_login(block_rep.user)
    response = client.post(reverse("organisation:chapter_edit", args=[home_chapter.slug]),
                           _chapter_data(name="Saitama AJET", slug="saitama", prefectures=["11", "23"]))
    assert response.status_code == 200
    assert list(home_chapter.prefectures.values_list("code", flat=True)) == ["11"]


def test_block_rep_adds_a_chapter_post_and_appoints_an_officer(client, block_rep, home_chapter, member):
    client.force_login(block_rep.user)
    response = client.post(reverse("organisation:chapter_officers", args=[home_chapter.slug]),
                           once_sent({"name_en": "Treasurer", "slug": "treasurer", "kind": "elected", "order": 3}))
    assert response.status_code == 302
    post = Post.objects.get(chapter=home_chapter, slug="treasurer")
    assert post.scope == Post.Scope.CHAPTER
    response = client.post(reverse("organisation:term_create", args=[post.pk]),
                           once_sent({"member": member.user.email, "start": "2026-04-01"}))
    assert response.status_code == 302
    assert Term.objects.get(post=post).member == member
    # The same slug in another chapter is fine; in this chapter it is not.
    response = client.post(reverse("organisation:chapter_officers", args=[home_chapter.slug]),
                           once_sent({"name_en": "Treasurer 2", "slug": "treasurer", "kind": "elected", "order": 3}))
    assert response.status_code == 200 and Post.objects.filter(chapter=home_chapter).count() == 1


def test_chapter_officer_posts_cannot_go_to_members_elsewhere(client, block_rep, home_chapter):
    stranger = MemberFactory(full_name="Aichi Person", prefecture_id="23", user__email="aichi@example.org")
    client.force_login(block_rep.user)
    post = chapter_post(home_chapter, slug="vice-president", name="Vice-President")
    response = client.post(reverse("organisation:term_create", args=[post.pk]),
                           once_sent({"member": stranger.user.email, "start": "2026-04-01"}))
    assert response.status_code == 200 and "No member matches" in response.content.decode()
    assert not post.terms.exists()


def test_other_block_rep_cannot_manage_saitama_officers(client, other_block_rep, home_chapter):
    client.force_login(other_block_rep.user)
    post = chapter_post(home_chapter)
    assert client.get(reverse("organisation:chapter_officers", args=[home_chapter.slug])).status_code == 403
    response = client.post(reverse("organisation:term_create", args=[post.pk]),
                           once_sent({"member": "olga@example.org", "start": "2026-04-01"}))
    assert response.status_code == 403
    assert not post.terms.filter(member=other_block_rep).exists()


def test_member_joins_and_leaves_a_chapter(client, other_chapter):
    aichi = MemberFactory(full_name="Aichi Person", prefecture_id="23", user__email="aichi@example.org")
    client.force_login(aichi.user)
    page = client.get(other_chapter.get_absolute_url()).content.decode()
    assert "Join this chapter" in page and "0 members" in page
    client.post(reverse("organisation:chapter_join", args=[other_chapter.slug]))
    client.post(reverse("organisation:chapter_join", args=[other_chapter.slug]))  # twice is once
    assert ChapterMembership.objects.filter(member=aichi, left_at__isnull=True).count() == 1
    page = client.get(other_chapter.get_absolute_url()).content.decode()
    assert "Leave this chapter" in page and "1 member" in page
    client.post(reverse("organisation:chapter_leave", args=[other_chapter.slug]))
    membership = ChapterMembership.objects.get(member=aichi)
    assert membership.left_at is not None  # kept as history
    assert "Join this chapter" in client.get(other_chapter.get_absolute_url()).content.decode()  # not a cached page


def test_the_cached_chapter_and_membership_follow_every_change(client, member, home_chapter):
    """The chapter page reads the chapter and the visitor's membership from the shared cache: a change is
    seen by the next request."""
    client.force_login(member.user)
    assert "Leave this chapter" in client.get(home_chapter.get_absolute_url()).content.decode()
    ChapterMembership.objects.filter(member=member).delete()
    assert "Join this chapter" in client.get(home_chapter.get_absolute_url()).content.decode()
    home_chapter.name = "Saitama Prefecture AJET"
    home_chapter.save(update_fields=["name"])
    assert "Saitama Prefecture AJET" in client.get(home_chapter.get_absolute_url()).content.decode()
    home_chapter.is_active = False
    home_chapter.save(update_fields=["is_active"])
    assert client.get(home_chapter.get_absolute_url()).status_code == 404


def test_pending_members_cannot_join_a_chapter_until_confirmed(client, pending_elsewhere, other_chapter):
    client.force_login(pending_elsewhere.user)
    assert "Join this chapter" not in client.get(other_chapter.get_absolute_url()).content.decode()
    assert client.post(reverse("organisation:chapter_join", args=[other_chapter.slug])).status_code == 403
    assert not ChapterMembership.objects.filter(member=pending_elsewhere).exists()


def test_an_alumnus_may_still_leave_a_chapter(client, member, home_chapter):
    member.status = "alumni"
    member.save(update_fields=["status"])
    client.force_login(member.user)
    assert "Leave this chapter" in client.get(home_chapter.get_absolute_url()).content.decode()
    assert client.post(reverse("organisation:chapter_join", args=[home_chapter.slug])).status_code == 403
    client.post(reverse("organisation:chapter_leave", args=[home_chapter.slug]))
    assert ChapterMembership.objects.get(member=member).left_at is not None


def test_chapter_page_shows_officers_and_no_join_button_for_visitors(client, chapter_officer, home_chapter):
    page = client.get(home_chapter.get_absolute_url()).content.decode()
    assert "Carol Chapter" in page and "Join this chapter" not in page


# --- Web addresses made from the name; renaming keeps old links working ---------------------------------

def test_the_form_has_no_web_address_field_and_a_sent_one_is_ignored(client, executive):
    client.force_login(executive.user)
    assert "slug" not in client.get(reverse("organisation:chapter_create")).context["form"].fields
    client.post(reverse("organisation:chapter_create"), once_sent(_chapter_data(slug="new")))
    assert Chapter.objects.get(name="Chichibu AJET").slug == "chichibu-ajet"


def test_slugs_are_unique_ascii_and_never_a_route_word(executive):
    from ajet.organisation import services

    chapter = services.create_chapter(by=executive.user, fields={"name": "New", "kind": "city"},
                                      prefectures=[Prefecture.objects.get(pk="11")])
    assert chapter.slug == "new-2"
    japanese = services.create_chapter(by=executive.user, fields={"name": "埼玉AJET", "kind": "city"},
                                       prefectures=[Prefecture.objects.get(pk="11")])
    assert japanese.slug == "ajet"
    only_japanese = services.create_chapter(by=executive.user, fields={"name": "埼玉", "kind": "city"},
                                            prefectures=[Prefecture.objects.get(pk="11")])
    assert only_japanese.slug == "chapter"


def test_renaming_a_chapter_redirects_its_old_addresses(client, chapter_officer, home_chapter):
    client.force_login(chapter_officer.user)
    response = client.post(reverse("organisation:chapter_edit", args=["saitama"]),
                           _chapter_data(name="Sainokuni AJET", kind="prefecture"))
    assert response.status_code == 302
    home_chapter.refresh_from_db()
    assert home_chapter.slug == "sainokuni-ajet"
    entry = AuditEntry.objects.get(action="chapter.change")
    assert entry.before["slug"] == "saitama" and entry.after["slug"] == "sainokuni-ajet"

    old = client.get("/chapters/saitama/?tab=events")
    assert old.status_code == 301 and old["Location"] == "/chapters/sainokuni-ajet/?tab=events"
    assert client.get("/chapters/saitama/officers/")["Location"] == "/chapters/sainokuni-ajet/officers/"
    sent = client.post("/chapters/saitama/leave/")
    assert sent.status_code == 308 and sent["Location"] == "/chapters/sainokuni-ajet/leave/"
    assert client.get("/chapters/no-such-chapter/").status_code == 404


def test_an_old_address_is_never_given_to_another_chapter_and_a_chapter_may_take_its_own_back(
        executive, home_chapter):
    from ajet.organisation import services
    from ajet.organisation.models import ChapterSlug

    services.update_chapter(by=executive.user, chapter=home_chapter, changes={"name": "Sainokuni AJET"})
    other = services.create_chapter(by=executive.user, fields={"name": "Saitama", "kind": "city"},
                                    prefectures=[Prefecture.objects.get(pk="11")])
    assert other.slug == "saitama-2"  # "saitama" still leads to the renamed chapter
    newcomer = services.create_chapter(by=executive.user, fields={"name": "Sainokuni", "kind": "city"},
                                       prefectures=[Prefecture.objects.get(pk="11")])
    assert newcomer.slug == "sainokuni"
    home_chapter.refresh_from_db()
    services.update_chapter(by=executive.user, chapter=home_chapter, changes={"name": "Saitama-Ajet"})
    home_chapter.refresh_from_db()
    assert home_chapter.slug == "saitama-ajet"
    assert set(ChapterSlug.objects.filter(chapter=home_chapter).values_list("slug", flat=True)) == {
        "saitama", "sainokuni-ajet"}
    services.update_chapter(by=executive.user, chapter=home_chapter, changes={"name": "Sainokuni AJET"})
    home_chapter.refresh_from_db()
    assert home_chapter.slug == "sainokuni-ajet"  # its own old address, back again
    assert not ChapterSlug.objects.filter(slug="sainokuni-ajet").exists()


def test_an_inactive_chapters_old_address_stays_hidden(client, member, executive, home_chapter):
    from ajet.organisation import services

    services.update_chapter(by=executive.user, chapter=home_chapter,
                            changes={"name": "Closed AJET", "is_active": False})
    client.force_login(member.user)
    assert client.get("/chapters/saitama/").status_code == 404
    client.force_login(executive.user)
    assert client.get("/chapters/saitama/")["Location"] == "/chapters/closed-ajet/"


# --- A chapter's President manages its officer posts ------------------------------------------------------

def test_the_president_adds_a_post_and_appoints_a_member(client, chapter_officer, home_chapter, member):
    client.force_login(chapter_officer.user)
    assert client.get(reverse("organisation:chapter_officers", args=[home_chapter.slug])).status_code == 200
    response = client.post(reverse("organisation:chapter_officers", args=[home_chapter.slug]),
                           once_sent({"name_en": "Secretary", "slug": "secretary", "kind": "appointed", "order": 5}))
    assert response.status_code == 302
    post = Post.objects.get(chapter=home_chapter, slug="secretary")
    response = client.post(reverse("organisation:term_create", args=[post.pk]),
                           once_sent({"member": member.user.email, "start": "2026-04-01"}))
    assert response.status_code == 302
    assert post.terms.get().member == member
    assert AuditEntry.objects.filter(action__in=["post.create", "term.create"]).count() == 2


def test_a_chapter_officer_who_does_not_lead_manages_nothing(client, home_chapter):
    from tests.factories import give_mfa, give_term

    tom = MemberFactory(full_name="Tom Treasurer", user__email="tom@example.org")
    give_term(tom, chapter_post(home_chapter, slug="treasurer", name="Treasurer"))
    give_mfa(tom.user)
    client.force_login(tom.user)
    assert client.get(reverse("organisation:chapter_officers", args=[home_chapter.slug])).status_code == 403
    president = chapter_post(home_chapter)
    assert client.get(reverse("organisation:post_manage", args=[president.pk])).status_code == 403


def test_the_president_cannot_manage_another_chapter_in_the_same_prefecture(client, chapter_officer):
    from tests.factories import ChapterFactory

    city = ChapterFactory(name="Kawagoe AJET", slug="kawagoe", prefecture_codes=["11"])
    client.force_login(chapter_officer.user)
    assert client.get(reverse("organisation:chapter_officers", args=[city.slug])).status_code == 403
    assert client.get(reverse("organisation:post_manage", args=[chapter_post(city).pk])).status_code == 403


def test_the_president_cannot_make_a_post_lead_another_chapter_or_exceed_their_own(chapter_officer, home_chapter):
    from django.core.exceptions import PermissionDenied

    from ajet.organisation import services
    from tests.factories import ChapterFactory

    city = ChapterFactory(name="Kawagoe AJET", slug="kawagoe", prefecture_codes=["11"])
    with pytest.raises(PermissionDenied):
        services.create_post(by=chapter_officer.user, fields={
            "name_en": "Kawagoe Lead", "slug": "lead", "kind": "elected", "scope": "chapter", "chapter": city,
            "leads_chapter": True})
    treasurer = chapter_post(city, slug="treasurer", name="Treasurer")
    with pytest.raises(PermissionDenied):
        services.update_post(by=chapter_officer.user, post=treasurer, changes={"leads_chapter": True})
    treasurer.refresh_from_db()
    assert not treasurer.leads_chapter and not Post.objects.filter(slug="lead").exists()
    # In her own chapter, a co-lead is no more than she holds.
    co = services.create_post(by=chapter_officer.user, fields={
        "name_en": "Co-President", "slug": "co-president", "kind": "elected", "scope": "chapter",
        "chapter": home_chapter, "leads_chapter": True})
    assert co.leads_chapter


def test_only_a_chapter_post_can_lead_a_chapter():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(name_en="Leader", slug="leader", kind="elected", scope="national", leads_chapter=True)
