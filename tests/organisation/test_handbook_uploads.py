"""Handbook files: an allow-list of types checked by extension and content, random stored names, and
downloads only through the permission-checked view, as attachments that browsers do not sniff."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ajet.organisation import services
from ajet.organisation.models import HandbookFile
from ajet.organisation.services import OrganisationError
from tests.factories import block_post, once_sent

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 24
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def zip_with(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zip_with({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zip_with({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
PPTX = zip_with({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<presentation/>"})
ODT = zip_with({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
ODS = zip_with({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office/>"})

ACCEPTED = [
    ("minutes.pdf", PDF), ("map.png", PNG), ("photo.jpg", JPEG), ("photo.JPEG", JPEG),
    ("notes.txt", "Block 3 — 連絡先\n".encode()), ("contacts.csv", b"name,phone\nA,1\n"),
    ("budget.docx", DOCX), ("budget.xlsx", XLSX), ("slides.pptx", PPTX), ("report.odt", ODT), ("sheet.ods", ODS),
]
REFUSED = [
    ("tool.exe", b"MZ\x90\x00" + b"\x00" * 20),  # not on the list
    ("page.html", b"<html><script>alert(1)</script></html>"),  # not on the list
    ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"),  # scripts inside
    ("minutes.pdf", b"<html><script>alert(1)</script></html>"),  # right extension, wrong content
    ("map.png", JPEG),
    ("notes.txt", b"MZ\x90\x00\x03\x00\x00\x00"),  # binary is not plain text
    ("budget.docx", XLSX),  # a workbook is not a document
    ("budget.xlsx", b"PK\x03\x04 not really a zip"),
    ("noextension", PDF),
]


@pytest.fixture
def upload_url(client, block_rep):
    client.force_login(block_rep.user)
    return reverse("organisation:handbook_file_upload", args=[block_post(3).pk])


@pytest.mark.parametrize(("name", "content"), ACCEPTED, ids=[name for name, _ in ACCEPTED])
def test_allowed_types_are_accepted_and_stored_under_a_random_name(client, upload_url, name, content):
    response = client.post(upload_url, once_sent({"title": "Useful", "file": SimpleUploadedFile(name, content)}))
    assert response.status_code == 302, response.content.decode()[:2000]
    handbook_file = HandbookFile.objects.get()
    extension = name.rsplit(".", 1)[-1].lower().replace("jpeg", "jpg")
    assert re.fullmatch(rf"handbooks/[A-Za-z0-9_-]{{20,}}\.{extension}", handbook_file.file.name)
    assert name.rsplit(".", 1)[0] not in handbook_file.file.name
    assert handbook_file.original_name == name


@pytest.mark.parametrize(("name", "content"), REFUSED, ids=[f"{name}-{i}" for i, (name, _) in enumerate(REFUSED)])
def test_other_types_and_disguised_files_are_refused_with_a_clear_message(client, upload_url, name, content):
    response = client.post(upload_url, once_sent({"title": "Bad", "file": SimpleUploadedFile(name, content)}))
    assert response.status_code == 200
    assert "This kind of file is not accepted" in response.content.decode()
    assert not HandbookFile.objects.exists()


def test_the_service_refuses_a_disguised_file_too(block_rep):
    with pytest.raises(OrganisationError):
        services.add_handbook_file(by=block_rep.user, post=block_post(3), title="Bad",
                                   upload=SimpleUploadedFile("minutes.pdf", b"<html></html>"))
    assert not HandbookFile.objects.exists()


def test_a_stored_name_cannot_be_chosen_by_the_uploader(client, upload_url):
    client.post(upload_url, once_sent({"title": "A", "file": SimpleUploadedFile("../../etc/passwd.txt", b"x\n")}))
    client.post(upload_url, once_sent({"title": "B", "file": SimpleUploadedFile("same.txt", b"y\n")}))
    client.post(upload_url, once_sent({"title": "C", "file": SimpleUploadedFile("same.txt", b"z\n")}))
    names = list(HandbookFile.objects.values_list("file", flat=True))
    assert len(set(names)) == 3 and all(name.startswith("handbooks/") and ".." not in name for name in names)
    assert HandbookFile.objects.get(title="A").original_name == "passwd.txt"


def test_downloads_are_attachments_with_the_original_name_and_no_sniffing(client, upload_url):
    client.post(upload_url, once_sent({"title": "Minutes", "file": SimpleUploadedFile("Minutes May.pdf", PDF)}))
    handbook_file = HandbookFile.objects.get()
    response = client.get(reverse("organisation:handbook_file", args=[handbook_file.post_id, handbook_file.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and "Minutes May.pdf" in response[
        "Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_media_files_are_not_served_directly(client, upload_url, settings):
    client.post(upload_url, once_sent({"title": "Minutes", "file": SimpleUploadedFile("minutes.pdf", PDF)}))
    stored = HandbookFile.objects.get().file.name
    assert client.get(settings.MEDIA_URL + stored).status_code == 404
