"""Handbook files show their kind and size; whoever may edit the handbook replaces or deletes them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.organisation import services
from ajet.organisation.models import HandbookFile
from tests.factories import block_post, once_sent

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n" + b"0" * 2048


def text(response) -> str:
    return response.content.decode().replace("<bdi>", "").replace("</bdi>", "")


@pytest.fixture
def contacts(settings, tmp_path, block_rep):
    settings.MEDIA_ROOT = tmp_path
    return services.add_handbook_file(by=block_rep.user, post=block_post(3), title="Contacts",
                                      upload=SimpleUploadedFile("contacts.txt", b"phone list\n"))


def test_the_handbook_lists_each_files_kind_and_size(client, block_rep, contacts):
    client.force_login(block_rep.user)
    page = client.get(reverse("organisation:handbook", args=[block_post(3).pk])).content.decode()
    assert "plain text, 11\xa0bytes" in page
    assert reverse("organisation:handbook_file_replace", args=[block_post(3).pk, contacts.pk]) in page
    assert reverse("organisation:handbook_file_delete", args=[block_post(3).pk, contacts.pk]) in page


def test_an_editor_replaces_a_file_and_the_old_one_goes(client, block_rep, contacts,
                                                        django_capture_on_commit_callbacks):
    client.force_login(block_rep.user)
    old_name, storage = contacts.file.name, contacts.file.storage
    url = reverse("organisation:handbook_file_replace", args=[block_post(3).pk, contacts.pk])
    assert "Now: contacts.txt (plain text, 11\xa0bytes)" in text(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"title": "Contacts 2026", "file": SimpleUploadedFile("contacts.pdf", PDF)})
    assert response.status_code == 302
    contacts.refresh_from_db()
    assert (contacts.title, contacts.original_name) == ("Contacts 2026", "contacts.pdf")
    assert contacts.file.name != old_name and not storage.exists(old_name) and storage.exists(contacts.file.name)
    entry = AuditEntry.objects.get(action="handbook.file_replace")
    assert entry.before["name"] == "contacts.txt" and entry.after["name"] == "contacts.pdf"


def test_a_refused_replacement_keeps_the_old_file(client, block_rep, contacts):
    client.force_login(block_rep.user)
    url = reverse("organisation:handbook_file_replace", args=[block_post(3).pk, contacts.pk])
    response = client.post(url, {"title": "Contacts", "file": SimpleUploadedFile("evil.pdf", b"<script>")})
    assert response.status_code == 200 and "not accepted" in response.content.decode()
    response = client.post(url, {"title": "Contacts"})  # no file at all
    assert response.status_code == 200
    contacts.refresh_from_db()
    assert contacts.original_name == "contacts.txt" and contacts.file.storage.exists(contacts.file.name)
    assert not AuditEntry.objects.filter(action="handbook.file_replace").exists()


def test_an_editor_deletes_a_file_after_a_question(client, block_rep, contacts,
                                                   django_capture_on_commit_callbacks):
    client.force_login(block_rep.user)
    name, storage = contacts.file.name, contacts.file.storage
    url = reverse("organisation:handbook_file_delete", args=[block_post(3).pk, contacts.pk])
    assert "Delete Contacts?" in text(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not HandbookFile.objects.filter(pk=contacts.pk).exists() and not storage.exists(name)
    assert AuditEntry.objects.get(action="handbook.file_delete").before["name"] == "contacts.txt"


def test_a_reader_who_may_not_edit_cannot_replace_or_delete(client, other_block_rep, contacts):
    client.force_login(other_block_rep.user)
    for name in ("organisation:handbook_file_replace", "organisation:handbook_file_delete"):
        assert client.post(reverse(name, args=[block_post(3).pk, contacts.pk])).status_code == 404
    assert HandbookFile.objects.filter(pk=contacts.pk).exists()
    with pytest.raises(PermissionDenied):
        services.delete_handbook_file(by=other_block_rep.user, handbook_file=contacts)


def test_the_add_form_still_uploads(client, block_rep, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(block_rep.user)
    response = client.post(reverse("organisation:handbook_file_upload", args=[block_post(3).pk]),
                           once_sent({"title": "Budget", "file": SimpleUploadedFile("budget.pdf", PDF)}))
    assert response.status_code == 302 and HandbookFile.objects.get().title == "Budget"
