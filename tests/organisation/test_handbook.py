"""Each post's living handbook: pages with history, files, handover items, and who may read them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ajet.core.models import AuditEntry
from ajet.organisation import services
from ajet.organisation.markdown import render_markdown
from ajet.organisation.models import HandbookFile, HandbookPage, HandbookRevision, HandoverItem
from tests.factories import MemberFactory, block_post, give_mfa, give_term, once_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def block_3_page(block_rep):
    return services.create_handbook_page(by=block_rep.user, post=block_post(3), title="Chapter liaison",
                                         body="Secret phone tree: 090-0000-0000")


@pytest.fixture
def incoming(db):
    """Ian takes over Block 3 next month."""
    ian = MemberFactory(full_name="Ian Incoming", user__email="ian@example.org")
    give_term(ian, block_post(3), start=timezone.localdate() + datetime.timedelta(days=30))
    return ian


def test_markdown_is_rendered_and_sanitised():
    html = render_markdown("## Plan\n\n<script>alert('x')</script>\n\n[bad](javascript:alert(1)) "
                           "<img src=x onerror=alert(1)> **bold**")
    assert "<h2>Plan</h2>" in html and "<strong>bold</strong>" in html
    assert "<script" not in html and "alert('x')" not in html
    assert "javascript:" not in html and "onerror" not in html


def test_script_in_a_page_does_not_come_out(client, block_rep):
    client.force_login(block_rep.user)
    post = block_post(3)
    response = client.post(reverse("organisation:handbook_page_create", args=[post.pk]),
                           once_sent({"title": "Tips", "body": "Hello <script>steal()</script>", "note": ""}))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Hello" in page and "steal()" not in page


def test_every_save_keeps_a_revision(client, block_rep, executive, block_3_page):
    client.force_login(executive.user)
    url = reverse("organisation:handbook_page_edit", args=[block_3_page.post_id, block_3_page.slug])
    response = client.post(url, once_sent({"title": "Chapter liaison", "body": "Version two", "note": "Rewrote it"}))
    assert response.status_code == 302
    revisions = list(HandbookRevision.objects.filter(page=block_3_page).order_by("edited_at", "id"))
    assert [revision.body for revision in revisions] == ["Secret phone tree: 090-0000-0000", "Version two"]
    assert [revision.edited_by_name for revision in revisions] == ["Bob Block", "Erin Executive"]
    history = client.get(reverse("organisation:handbook_page_history",
                                 args=[block_3_page.post_id, block_3_page.slug])).content.decode()
    assert "Bob Block" in history and "Erin Executive" in history and "Rewrote it" in history
    old = client.get(reverse("organisation:handbook_revision",
                             args=[block_3_page.post_id, block_3_page.slug, revisions[0].pk])).content.decode()
    assert "Secret phone tree" in old
    entry = AuditEntry.objects.get(action="handbook.page_change")
    assert entry.before["body"].startswith("Secret") and entry.after["body"] == "Version two"


def test_a_non_holder_cannot_read_another_posts_handbook(client, other_block_rep, chapter_officer, member,
                                                         block_3_page):
    item = services.add_handover_item(by=None, post=block_post(3), title="Hidden item")
    urls = [
        reverse("organisation:handbook", args=[block_3_page.post_id]),
        reverse("organisation:handbook_page", args=[block_3_page.post_id, block_3_page.slug]),
        reverse("organisation:handbook_page_history", args=[block_3_page.post_id, block_3_page.slug]),
    ]
    for person in (other_block_rep, chapter_officer, member):
        client.force_login(person.user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404
            assert b"Secret phone tree" not in response.content
        assert client.post(reverse("organisation:handover_item_done", args=[block_3_page.post_id, item.pk]),
                           {"done": "1"}).status_code == 404
        listing = client.get(reverse("organisation:handbooks")).content.decode()
        assert "Block 3 Representative" not in listing
    item.refresh_from_db()
    assert item.done_at is None


def test_past_holder_loses_access(client, block_3_page):
    past = MemberFactory(full_name="Paul Past")
    give_term(past, block_post(3), start=timezone.localdate() - datetime.timedelta(days=800))
    client.force_login(past.user)
    assert client.get(reverse("organisation:handbook", args=[block_3_page.post_id])).status_code == 404


def test_incoming_officer_sees_handbook_and_open_items_from_the_dashboard(client, block_rep, incoming,
                                                                          block_3_page):
    post = block_post(3)
    services.add_handover_item(by=block_rep.user, post=post, title="Renew the venue booking",
                               detail="Deposit due in May")
    done = services.add_handover_item(by=block_rep.user, post=post, title="Old finished task")
    services.set_handover_item_done(by=block_rep.user, item=done, done=True)

    give_mfa(incoming.user)
    client.force_login(incoming.user)
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    handbook_url = reverse("organisation:handbook", args=[post.pk])
    assert handbook_url in dashboard and "Block 3 Representative" in dashboard
    page = client.get(handbook_url).content.decode()
    assert "Renew the venue booking" in page and "Left by <bdi>Bob Block</bdi>" in page
    assert "Chapter liaison" in page
    open_section = page.split('id="items-heading"')[1].split("<details>")[0]
    assert "Old finished task" not in open_section


def test_holder_adds_and_closes_handover_items(client, block_rep):
    post = block_post(3)
    client.force_login(block_rep.user)
    url = reverse("organisation:handover_item_create", args=[post.pk])
    assert client.post(url, once_sent({"title": "", "detail": "no title"})).status_code == 200
    assert not HandoverItem.objects.exists()
    assert client.post(url, once_sent({"title": "Write the budget", "detail": ""})).status_code == 302
    item = HandoverItem.objects.get()
    client.post(reverse("organisation:handover_item_done", args=[post.pk, item.pk]), {"done": "1"})
    item.refresh_from_db()
    assert item.done_at is not None
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {"handover.add", "handover.done"}


def test_files_are_size_limited_and_downloaded_by_readers_only(client, settings, block_rep, other_block_rep):
    settings.AJET_MAX_UPLOAD_BYTES = 10
    post = block_post(3)
    client.force_login(block_rep.user)
    url = reverse("organisation:handbook_file_upload", args=[post.pk])
    response = client.post(url, once_sent({"title": "Big", "file": SimpleUploadedFile("big.txt", b"x" * 11)}))
    assert response.status_code == 200 and "files may be at most 10" in response.content.decode()
    assert not HandbookFile.objects.exists()
    response = client.post(url, once_sent({"title": "Contacts", "file": SimpleUploadedFile("contacts.txt", b"0123")}))
    assert response.status_code == 302
    handbook_file = HandbookFile.objects.get()
    download = reverse("organisation:handbook_file", args=[post.pk, handbook_file.pk])
    assert b"".join(client.get(download).streaming_content) == b"0123"
    assert AuditEntry.objects.get(action="handbook.file_add").after["title"] == "Contacts"
    client.force_login(other_block_rep.user)
    assert client.get(download).status_code == 404


def test_page_slugs_stay_unique_per_post(block_rep):
    post = block_post(3)
    first = services.create_handbook_page(by=block_rep.user, post=post, title="Budget", body="")
    second = services.create_handbook_page(by=block_rep.user, post=post, title="Budget", body="")
    japanese = services.create_handbook_page(by=block_rep.user, post=post, title="予算", body="")
    assert (first.slug, second.slug, japanese.slug) == ("budget", "budget-2", "page")
    assert HandbookPage.objects.filter(post=post).count() == 3


@pytest.mark.parametrize("title", ["New", "new", "Edit", "History"])
def test_a_page_never_takes_a_slug_that_a_handbook_route_uses(client, block_rep, title):
    post = block_post(3)
    page = services.create_handbook_page(by=block_rep.user, post=post, title=title, body="Our page")
    assert page.slug not in services.RESERVED_PAGE_SLUGS and page.slug.startswith(title.lower())
    client.force_login(block_rep.user)
    response = client.get(reverse("organisation:handbook_page", args=[post.pk, page.slug]))
    assert response.status_code == 200 and "Our page" in response.content.decode()


def test_the_file_form_can_send_files_from_a_browser(client, block_rep):
    client.force_login(block_rep.user)
    page = client.get(reverse("organisation:handbook_file_upload", args=[block_post(3).pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
