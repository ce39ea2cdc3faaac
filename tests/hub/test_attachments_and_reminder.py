"""Announcement attachments (checked like handbook files, served only through the permission view) and the
one reminder to the members who have not confirmed reading an announcement."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ajet.core import once
from ajet.core.models import AuditEntry
from ajet.hub import services
from ajet.hub.models import Acknowledgement, Announcement, Attachment, Delivery
from ajet.organisation.scopes import Scope
from tests.factories import MemberFactory
from tests.hub.hub_factories import announce, block3

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a small agenda\n"


def _pdf(name="agenda.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _form(**more):
    return {"audience": "block:3", "title": "Block meeting", "body": "See the agenda.", once.FIELD: once.issue()} | more


def test_an_officer_attaches_files_that_readers_download_through_the_permission_view(
        client, block_rep, member, other_block_rep, django_capture_on_commit_callbacks):
    client.force_login(block_rep.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("hub:announcement_create"), _form(
            attachments=[_pdf(), SimpleUploadedFile("notes.txt", "会議のメモ".encode())]))
    announcement = Announcement.objects.get()
    assert response.status_code == 302
    files = list(announcement.attachments.order_by("original_name"))
    assert [file.original_name for file in files] == ["agenda.pdf", "notes.txt"]
    assert files[0].file.name.startswith("announcements/") and "agenda" not in files[0].file.name  # random name
    entry = AuditEntry.objects.get(action="announcement.create")
    assert entry.after["attachments"] == ["agenda.pdf", "notes.txt"]
    # The e-mail links to the file; the file itself is not sent.
    sent = next(message for message in mail.outbox if member.user.email in message.to)
    assert files[0].get_absolute_url() in sent.body and not sent.attachments

    client.force_login(member.user)
    page = client.get(announcement.get_absolute_url()).content.decode()
    assert files[0].get_absolute_url() in page
    download = client.get(files[0].get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment") and 'filename="agenda.pdf"' in \
        download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"

    client.force_login(other_block_rep.user)  # Aichi is block 5: not for her
    assert client.get(files[0].get_absolute_url()).status_code == 404
    # An attachment id of another announcement is not found through this one.
    other = announce(block_rep, block3(), title="Other")
    assert client.get(reverse("hub:attachment", args=[other.pk, files[0].pk])).status_code == 404


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("page.pdf", b"<html><script>alert(1)</script>"), "content does not match its name"),
    (SimpleUploadedFile("run.exe", b"MZ\x90\x00"), "This kind of file is not accepted"),
    (SimpleUploadedFile("big.pdf", PDF + b"x" * 3000), "files may be at most"),
])
def test_forbidden_or_oversized_files_are_refused_with_a_clear_message_and_nothing_is_written(
        client, settings, block_rep, upload, message):
    settings.AJET_MAX_UPLOAD_BYTES = 2048
    client.force_login(block_rep.user)
    response = client.post(reverse("hub:announcement_create"), _form(attachments=[_pdf("ok.pdf"), upload]))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["attachments"])
    assert not Announcement.objects.exists() and not Attachment.objects.exists()


def test_the_service_refuses_a_bad_file_too_and_writes_nothing(block_rep):
    with pytest.raises(services.HubError):
        services.create_announcement(by=block_rep.user, scope=block3(), fields={"title": "T", "body": "B"},
                                     attachments=[_pdf(), SimpleUploadedFile("x.svg", b"<svg onload=alert(1)>")])
    assert not Announcement.objects.exists() and not Attachment.objects.exists()


def test_one_reminder_goes_to_those_who_have_not_confirmed_and_only_once(
        client, executive, member, django_capture_on_commit_callbacks):
    confirmed = MemberFactory(full_name="Connie Confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        announcement = announce(executive, Scope(Scope.NATIONAL), title="Timetable", requires_acknowledgement=True)
    services.acknowledge(member=confirmed, announcement=announcement)
    mail.outbox.clear()

    client.force_login(executive.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("hub:remind", args=[announcement.pk]))
    assert response["Location"] == reverse("hub:announcement_status", args=[announcement.pk])
    reminded = sorted(address for message in mail.outbox for address in message.to)
    assert reminded == sorted([executive.user.email, member.user.email])  # not Connie, who confirmed
    assert all(message.subject.startswith("[AJET Nexus] Reminder: please confirm") for message in mail.outbox)
    assert "have not had your confirmation" in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["List-Unsubscribe"]
    assert Delivery.objects.filter(announcement=announcement, kind=Delivery.Kind.REMINDER,
                                   status=Delivery.Status.SENT).count() == 2
    assert AuditEntry.objects.filter(action="announcement.remind", target_id=str(announcement.pk)).count() == 1
    status = client.get(reverse("hub:announcement_status", args=[announcement.pk]))
    assert status.context["counts"]["sent"] == 3 and status.context["reminder_counts"]["sent"] == 2

    # A second reminder is refused, whoever asks and however.
    Acknowledgement.objects.filter(member=member).delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("hub:remind", args=[announcement.pk]), follow=True)
    assert "sent only once" in response.content.decode()
    assert not mail.outbox
    with pytest.raises(services.HubError):
        services.remind_unacknowledged(by=executive.user, announcement=announcement)


def test_no_reminder_for_an_announcement_that_asks_no_confirmation(executive, member):
    announcement = announce(executive, Scope(Scope.NATIONAL))
    with pytest.raises(services.HubError, match="asks for confirmation"):
        services.remind_unacknowledged(by=executive.user, announcement=announcement)
    assert not Delivery.objects.filter(kind=Delivery.Kind.REMINDER).exists()
