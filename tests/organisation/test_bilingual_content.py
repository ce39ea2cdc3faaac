"""Bios, chapter and post descriptions, initiative and handbook pages in English and Japanese: each page
shows the reader's language and falls back to the other with a note (ajet/core/bilingual.py)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.organisation import services
from ajet.organisation.forms import ChapterForm, ChapterPostForm, HandbookPageForm, PostForm
from ajet.organisation.models import HandbookRevision, Initiative
from ajet.organisation.privacy import erase_organisation
from ajet.people.forms import ProfileForm
from tests.factories import MemberFactory, block_post, give_mfa, give_term, national_post, once_sent

pytestmark = pytest.mark.django_db

ENGLISH_NOTE = "This text is only available in English."
JAPANESE_NOTE = "This text is only available in Japanese."


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # public fragments are cached per language: each test writes its own text


def read(client, url, language):
    """The page as a reader of `language` sees it (a signed-in member's own choice wins, see people/middleware)."""
    user = getattr(client, "signed_in", None)
    if user is not None:
        user.member.preferred_language = language
        user.member.save(update_fields=["preferred_language"])
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_every_edit_form_offers_both_languages(home_chapter, member, executive):
    assert {"description", "description_ja"} <= set(PostForm().fields)
    assert {"description", "description_ja"} <= set(ChapterPostForm(chapter=home_chapter).fields)
    assert {"description", "description_ja"} <= set(ChapterForm(instance=home_chapter, user=executive.user).fields)
    assert {"title", "title_ja", "body", "body_ja"} <= set(HandbookPageForm().fields)
    assert {"bio", "bio_ja"} <= set(ProfileForm(instance=member).fields)


def test_chapter_page_in_both_languages_with_a_fallback_note(client, home_chapter):
    home_chapter.description, home_chapter.description_ja = "Monthly language exchange.", ""
    home_chapter.save()
    url = home_chapter.get_absolute_url()
    english = read(client, url, "en")
    assert "Monthly language exchange." in english and ENGLISH_NOTE not in english
    japanese = read(client, url, "ja")
    assert '<div lang="en"><p>Monthly language exchange.</p></div>' in japanese
    assert 'class="fallback-note"' in japanese
    home_chapter.description_ja = "毎月、言語交換会を開いています。"
    home_chapter.save()  # the chapter's cached fragment follows the data version
    japanese = read(client, url, "ja")
    assert "毎月、言語交換会を開いています。" in japanese and "fallback-note" not in japanese
    assert "Monthly language exchange." not in japanese


def test_a_japanese_only_description_shows_on_the_english_page_with_a_note(client):
    initiative = Initiative.objects.get(slug="peer-support-group")
    initiative.description, initiative.description_ja = "", "夜間の相談窓口です。"
    initiative.save()
    page = read(client, reverse("organisation:initiative", args=[initiative.slug]), "en")
    assert JAPANESE_NOTE in page and '<div lang="ja"><p>夜間の相談窓口です。</p></div>' in page


def test_council_bios_in_the_readers_language(client, block_rep):
    term = block_rep.terms.get()
    term.bio, term.bio_ja = "I represent Saitama.", "埼玉を代表します。"
    term.save()
    assert "埼玉を代表します。" in read(client, reverse("organisation:council"), "ja")
    cache.clear()
    english = read(client, reverse("organisation:council"), "en")
    assert "I represent Saitama." in english and "埼玉を代表します。" not in english
    block = read(client, reverse("organisation:block", args=[3]), "ja")
    assert "埼玉を代表します。" in block


def test_appointment_copies_both_bios_and_closing_the_account_erases_both(executive):
    ann = MemberFactory(full_name="Ann Appointee", bio="Hello.", bio_ja="こんにちは。")
    term = services.appoint(by=executive.user, post=national_post("treasurer"), member=ann,
                            start=block_post(3).valid_from)
    assert (term.bio, term.bio_ja) == ("Hello.", "こんにちは。")
    erase_organisation(ann.user)
    term.refresh_from_db()
    assert (term.bio, term.bio_ja) == ("", "")


def test_supervisor_writes_the_japanese_description(client):
    paula = MemberFactory(full_name="Paula PSG")
    give_term(paula, national_post("psg-coordinator"))
    give_mfa(paula.user)
    client.force_login(paula.user)
    url = reverse("organisation:initiative_edit", args=["peer-support-group"])
    response = client.post(url, once_sent({"description": "Open every night.", "description_ja": "毎晩開いています。"}))
    assert response.status_code == 302
    assert Initiative.objects.get(slug="peer-support-group").description_ja == "毎晩開いています。"
    assert AuditEntry.objects.get(action="initiative.change").after["description_ja"] == "毎晩開いています。"


def test_handbook_page_in_two_languages_keeps_both_in_its_history(client, block_rep):
    client.force_login(block_rep.user)
    client.signed_in = block_rep.user
    post = block_post(3)
    response = client.post(reverse("organisation:handbook_page_create", args=[post.pk]), once_sent(
        {"title": "Chapter liaison", "body": "Call each chapter **monthly**.", "title_ja": "", "body_ja": "",
         "note": ""}))
    assert response.status_code == 302
    page_url = response["Location"]
    japanese = read(client, page_url, "ja")
    assert 'lang="en"' in japanese and "<strong>monthly</strong>" in japanese and "fallback-note" in japanese
    page = post.handbook_pages.get()
    edit = reverse("organisation:handbook_page_edit", args=[post.pk, page.slug])
    response = client.post(edit, {"title": "Chapter liaison", "body": "Call each chapter **monthly**.",
                                  "title_ja": "支部との連絡", "body_ja": "毎月、各支部に**電話**します。",
                                  "note": "Japanese version"})
    assert response.status_code == 302
    japanese = read(client, page_url, "ja")
    assert "<h1>支部との連絡</h1>" in japanese.replace("<bdi>", "").replace("</bdi>", "")
    assert "<strong>電話</strong>" in japanese and "fallback-note" not in japanese
    english = read(client, page_url, "en")
    assert "<strong>monthly</strong>" in english and "電話" not in english
    first, second = HandbookRevision.objects.filter(page=page).order_by("edited_at", "id")
    assert (first.body_ja, second.body_ja) == ("", "毎月、各支部に**電話**します。")
    history = read(client, reverse("organisation:handbook_page_history", args=[post.pk, page.slug]), "en")
    assert "English, Japanese" in history
    old = read(client, reverse("organisation:handbook_revision", args=[post.pk, page.slug, first.pk]), "ja")
    assert "電話" not in old and '<article class="handbook-text" lang="en">' in old
    new = read(client, reverse("organisation:handbook_revision", args=[post.pk, page.slug, second.pk]), "en")
    assert '<article class="handbook-text" lang="ja">' in new and '<article class="handbook-text" lang="en">' in new
    entry = AuditEntry.objects.filter(action="handbook.page_change").get()
    assert entry.before["body_ja"] == "" and entry.after["title_ja"] == "支部との連絡"


def test_a_handbook_page_needs_a_title_in_one_language(client, block_rep):
    client.force_login(block_rep.user)
    client.signed_in = block_rep.user
    post = block_post(3)
    url = reverse("organisation:handbook_page_create", args=[post.pk])
    response = client.post(url, once_sent({"title": "", "title_ja": "", "body": "Text", "body_ja": "", "note": ""}))
    assert response.status_code == 200 and not post.handbook_pages.exists()
    assert "Give the page a title, in English or Japanese." in response.content.decode()
    response = client.post(url, once_sent({"title": "", "title_ja": "引き継ぎ", "body": "", "body_ja": "本文",
                                           "note": ""}))
    assert response.status_code == 302
    page = post.handbook_pages.get()
    assert page.slug == "page"
    english = read(client, response["Location"], "en")
    assert JAPANESE_NOTE in english and "本文" in english
    with pytest.raises(services.OrganisationError):
        services.update_handbook_page(by=block_rep.user, page=page, title=" ", body="", title_ja="")
