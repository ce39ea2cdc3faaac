"""Guides: bilingual search (a Japanese word inside a sentence, on SQLite and PostgreSQL), public or
members-only, safe Markdown, attachments, editing by the owner post's holders and the executives (audited),
stale guides and the owners' yearly reminder over a real SMTP server."""

import datetime
import email
import email.policy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ajet.core import once
from ajet.core.models import AuditEntry
from ajet.hub import guides, tasks
from ajet.hub.models import Guide, GuideCategory, GuideFile
from ajet.organisation.models import Post
from tests.factories import MemberFactory, block_post, give_term, national_post
from tests.smtp import smtp_server_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% test\n"


def _guide(slug="pension", *, public=True, owner="treasurer", reviewed_days_ago=0, **fields):
    category, _created = GuideCategory.objects.get_or_create(slug="money", defaults={"name": "Money",
                                                                                    "name_ja": "お金"})
    values = {"title": slug.title(), "body": "Text"} | fields
    return Guide.objects.create(category=category, slug=slug, is_public=public,
                                owner_post=Post.objects.get(slug=owner, chapter=None),
                                last_reviewed=timezone.localdate() - datetime.timedelta(days=reviewed_days_ago),
                                **values)


def _slugs(queryset):
    return sorted(guide.slug for guide in queryset)


def test_a_japanese_word_in_the_middle_of_a_sentence_is_found(db):
    """Japanese has no spaces: 年金 sits inside one long run of characters, where word search sees nothing."""
    _guide("pension", title="Pension refunds", title_ja="年金の還付",
           body="Claim the lump-sum payment.", body_ja="帰国後に厚生年金保険料の脱退一時金を請求できます。")
    _guide("disaster", title="Disaster preparedness", body="Keep water for three days.",
           body_ja="三日分の水を用意しましょう。")
    everything = Guide.objects.all()
    assert _slugs(guides.search_guides(everything, "年金")) == ["pension"]  # inside 厚生年金保険料
    assert _slugs(guides.search_guides(everything, "脱退一時金")) == ["pension"]
    assert _slugs(guides.search_guides(everything, "水")) == ["disaster"]
    assert _slugs(guides.search_guides(everything, "WATER")) == ["disaster"]  # any case
    assert _slugs(guides.search_guides(everything, "ｗａｔｅｒ")) == ["disaster"]  # full-width Latin
    assert _slugs(guides.search_guides(everything, "lump-sum 年金")) == ["pension"]  # every word, both languages
    assert _slugs(guides.search_guides(everything, "年金 water")) == []
    assert _slugs(guides.search_guides(everything, "地震")) == []
    assert _slugs(guides.search_guides(everything, "  ")) == ["disaster", "pension"]


def test_the_search_page_finds_japanese_and_shows_only_what_the_visitor_may_read(client, member):
    _guide("pension", public=False, body_ja="厚生年金の脱退一時金について")
    _guide("pension-public", public=True, body_ja="年金手帳をなくしたとき")
    page = client.get(reverse("hub:guides"), {"q": "年金"})
    assert [row["guide"].slug for row in page.context["rows"]] == ["pension-public"]  # anonymous: public only
    client.force_login(member.user)
    page = client.get(reverse("hub:guides"), {"q": "年金"})
    assert sorted(row["guide"].slug for row in page.context["rows"]) == ["pension", "pension-public"]
    assert client.get(reverse("hub:guides"), {"q": "nul\x00"}).status_code == 200  # refused, not an error


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity is PostgreSQL's (pg_trgm)")
def test_on_postgresql_a_misspelt_word_is_found_through_trigrams(db):
    _guide("recontracting", title="Recontracting", body="Staying another year.")
    _guide("disaster", title="Disaster preparedness", body="Keep water.")
    assert _slugs(guides.search_guides(Guide.objects.all(), "recontrcting")) == ["recontracting"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'hub_guide_search_trgm'")
        assert cursor.fetchone() is not None


def test_members_only_guides_send_anonymous_visitors_to_sign_in(client, member, pending):
    hidden = _guide("pension", public=False)
    public = _guide("earthquakes", public=True)
    assert client.get(public.get_absolute_url()).status_code == 200
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert [row["guide"] for row in client.get(reverse("hub:guides")).context["rows"]] == [public]
    client.force_login(member.user)
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_markdown_is_rendered_safely_and_japanese_readers_get_the_japanese_version(client, member):
    guide = _guide(body="**Read** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>",
                   title_ja="年金", body_ja="日本語の**本文**")
    page = client.get(guide.get_absolute_url()).content.decode()
    assert "<strong>Read</strong>" in page
    assert "<script>alert" not in page and "javascript:alert" not in page and "onerror" not in page
    member.preferred_language = "ja"
    member.save(update_fields=["preferred_language"])
    client.force_login(member.user)
    page = client.get(guide.get_absolute_url())
    assert page.context["title"] == "年金" and "<strong>本文</strong>" in page.content.decode()


def test_an_executive_publishes_a_guide_with_an_audit_entry(client, executive):
    category = GuideCategory.objects.create(slug="work", name="Work")
    client.force_login(executive.user)
    response = client.post(reverse("hub:guide_create"), {
        "category": category.pk, "slug": "recontracting", "title": "Recontracting", "body": "Ask **early**.",
        "title_ja": "再任用", "body_ja": "早めに相談しましょう。", "is_public": "on",
        "owner_post": national_post("vice-chair").pk, "last_reviewed": "2026-01-05", once.FIELD: once.issue()})
    guide = Guide.objects.get(slug="recontracting")
    assert response.status_code == 302 and response["Location"] == guide.get_absolute_url()
    assert guide.is_public and guide.owner_post.slug == "vice-chair" and "早めに相談" in guide.search_text
    assert AuditEntry.objects.filter(action="guide.create", target_id=str(guide.pk)).exists()


@pytest.mark.parametrize("change", [
    {"last_reviewed": "2999-01-01"},  # a review in the future
    {"slug": "new"},  # the address of the creation form
    {"title_ja": "年金", "body_ja": ""},  # a Japanese title without its text
    {"body": "bidi \u202e trick"},
])
def test_bad_guide_input_is_refused_and_changes_nothing(client, executive, change):
    guide = _guide(title="Pension")
    client.force_login(executive.user)
    data = {"category": guide.category.pk, "slug": guide.slug, "title": "Changed", "body": "Text",
            "owner_post": guide.owner_post.pk, "last_reviewed": "2026-01-05"} | change
    response = client.post(reverse("hub:guide_edit", args=[guide.slug]), data)
    assert response.status_code == 200 and response.context["form"].errors
    guide.refresh_from_db()
    assert guide.title == "Pension" and not AuditEntry.objects.filter(action="guide.update").exists()


def test_the_owner_posts_holder_edits_and_reviews_but_cannot_hand_the_guide_to_another_post(
        client, block_rep, chapter_officer):
    guide = _guide(owner="block-3-representative", reviewed_days_ago=400, title="Pension")
    assert guide.is_stale
    client.force_login(block_rep.user)
    data = {"category": guide.category.pk, "slug": guide.slug, "title": "Pension refunds", "body": "New text",
            "owner_post": national_post("chair").pk, "last_reviewed": guide.last_reviewed.isoformat()}
    assert client.post(reverse("hub:guide_edit", args=[guide.slug]), data).status_code == 302
    guide.refresh_from_db()
    assert guide.title == "Pension refunds" and guide.owner_post == block_post(3)  # owner field is not theirs
    entry = AuditEntry.objects.get(action="guide.update")
    assert entry.before["title"] == "Pension" and entry.after["text_changed"] is True

    with pytest.raises(guides.GuideError):
        guides.update_guide(by=block_rep.user, guide=guide, fields={"owner_post": national_post("chair")})

    assert client.post(reverse("hub:guide_reviewed", args=[guide.slug])).status_code == 302
    guide.refresh_from_db()
    assert guide.last_reviewed == timezone.localdate() and not guide.is_stale
    assert AuditEntry.objects.filter(action="guide.review").exists()

    client.force_login(chapter_officer.user)
    assert client.post(reverse("hub:guide_reviewed", args=[guide.slug])).status_code == 403
    with pytest.raises(guides.GuideError):
        guides.update_guide(by=chapter_officer.user, guide=guide, fields={"title": "Mine"})


def test_stale_guides_are_marked_on_their_page_and_in_the_list(client):
    stale = _guide("pension", reviewed_days_ago=366)
    fresh = _guide("earthquakes", reviewed_days_ago=364)
    assert stale.is_stale and not fresh.is_stale
    assert list(guides.stale_guides()) == [stale]
    assert "more than a year ago" in client.get(stale.get_absolute_url()).content.decode()
    assert "more than a year ago" not in client.get(fresh.get_absolute_url()).content.decode()
    assert client.get(reverse("hub:guides")).content.decode().count("may be out of date") == 1


def test_attachments_are_checked_and_served_only_to_who_may_read_the_guide(client, executive, member, settings):
    hidden = _guide("pension", public=False)
    client.force_login(executive.user)
    url = reverse("hub:guide_file_upload", args=[hidden.slug])
    fake = SimpleUploadedFile("form.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
    response = client.post(url, {"title": "Form", "file": fake, once.FIELD: once.issue()})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    settings.AJET_MAX_UPLOAD_BYTES = 100
    big = SimpleUploadedFile("big.pdf", PDF + b"x" * 200, content_type="application/pdf")
    response = client.post(url, {"title": "Big", "file": big, once.FIELD: once.issue()})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert not GuideFile.objects.exists()

    settings.AJET_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    good = SimpleUploadedFile("claim form.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {"title": "Claim form", "file": good, once.FIELD: once.issue()}).status_code == 302
    attachment = GuideFile.objects.get()
    assert AuditEntry.objects.filter(action="guide.file_add").exists()
    download = reverse("hub:guide_file", args=[hidden.slug, attachment.pk])

    client.logout()
    assert client.get(download).status_code == 302  # members only: sign in first
    client.force_login(member.user)
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
    other = _guide("earthquakes")
    assert client.get(reverse("hub:guide_file", args=[other.slug, attachment.pk])).status_code == 404


class Mailbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def test_owners_are_reminded_by_email_a_year_after_the_last_review_once(settings, executive, block_rep):
    holder_of_nothing = MemberFactory()  # not reminded of anything
    kept_by_bob = _guide("pension", owner="block-3-representative", reviewed_days_ago=365)
    _guide("fresh", owner="block-3-representative", reviewed_days_ago=300)
    orphan = _guide("earthquakes", owner="treasurer", reviewed_days_ago=500)  # nobody holds it: the executives
    with smtp_server_for(settings, Mailbox()) as mailbox:
        assert tasks.remind_guide_reviews.call() == 2
        assert tasks.remind_guide_reviews.call() == 0  # once per review cycle
        recipients = sorted(address for envelope in mailbox.envelopes for address in envelope.rcpt_tos)
        assert recipients == sorted([block_rep.user.email, executive.user.email])
        assert holder_of_nothing.user.email not in recipients
        to_bob = next(envelope for envelope in mailbox.envelopes if envelope.rcpt_tos == [block_rep.user.email])
        message = email.message_from_bytes(to_bob.content, policy=email.policy.default)
        assert "1 guide to review" in message["Subject"]
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert kept_by_bob.title in text and kept_by_bob.get_absolute_url() in text and "Fresh" not in text

        guides.mark_guide_reviewed(by=executive.user, guide=orphan)  # reviewed: the next reminder a year on
        give_term(MemberFactory(), national_post("treasurer"))
        assert tasks.remind_guide_reviews.call() == 0


def test_the_guide_list_costs_the_same_queries_for_one_or_three(client, member, django_assert_max_num_queries):
    client.force_login(member.user)
    _guide("one")
    client.get(reverse("hub:guides"))
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("hub:guides"), {"q": "text"})
    _guide("two"), _guide("three")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("hub:guides"), {"q": "text"})
