"""Which handbook files are accepted, and under which name they are stored.

A file is accepted when its extension is on the allow-list AND its first bytes (or, for the zip-based
office formats, the members of the archive) show it really is that kind of file: a page or script
renamed to .pdf is refused. Stored names are random; the uploader's name is kept only for display.
"""

import secrets
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SNIFF_BYTES = 8192  # enough for every signature below and for the plain-text check


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str


KINDS = {
    "pdf": FileKind("PDF", "application/pdf"),
    "png": FileKind("PNG", "image/png"),
    "jpg": FileKind("JPEG", "image/jpeg"),
    "txt": FileKind(_("plain text"), "text/plain; charset=utf-8"),
    "csv": FileKind("CSV", "text/csv; charset=utf-8"),
    "docx": FileKind("Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": FileKind("Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": FileKind("PowerPoint (PPTX)",
                     "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": FileKind("OpenDocument text (ODT)", "application/vnd.oasis.opendocument.text"),
    "ods": FileKind("OpenDocument spreadsheet (ODS)", "application/vnd.oasis.opendocument.spreadsheet"),
}
EXTENSION_ALIASES = {"jpeg": "jpg"}
# The member that names each zip-based format (OOXML) or the content of its `mimetype` member (ODF).
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}


class UploadRefused(Exception):
    """The file is not one of the accepted kinds; `message` says which kinds are."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def accepted_kinds_text() -> str:
    return ", ".join(str(kind.label) for kind in KINDS.values())


def extension_of(file_name: str) -> str:
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    extension = base.rsplit(".", 1)[-1].lower() if "." in base.strip(".") else ""
    return EXTENSION_ALIASES.get(extension, extension)


def display_name(file_name: str) -> str:
    """The uploader's file name without any folder part, for showing and for the download's name."""
    return file_name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "file"


def _is_plain_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3  # only a character cut at the end of the sniffed bytes
    return True


def _zip_kind(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return {kind.content_type: extension for extension, kind in KINDS.items()}.get(mimetype)
            if "[Content_Types].xml" in names:
                return next((ext for ext, part in OOXML_MAIN_PART.items() if part in names), None)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _content_matches(extension: str, upload) -> bool:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == "jpg":
        return head.startswith(b"\xff\xd8\xff")
    if extension in {"txt", "csv"}:
        return bool(head) and _is_plain_text(head)
    if extension in {"docx", "xlsx", "pptx", "odt", "ods"}:
        return head.startswith(b"PK\x03\x04") and _zip_kind(upload) == extension
    return False


def check_handbook_upload(upload) -> str:
    """Return the file's safe extension, or raise UploadRefused. Reads the upload and rewinds it."""
    extension = extension_of(getattr(upload, "name", "") or "")
    try:
        accepted = extension in KINDS and _content_matches(extension, upload)
    finally:
        upload.seek(0)
    if not accepted:
        raise UploadRefused(_("This kind of file is not accepted, or its content does not match its name. "
                              "Accepted: %(kinds)s.") % {"kinds": accepted_kinds_text()})
    return extension


def content_type_for(file_name: str) -> str:
    kind = KINDS.get(extension_of(file_name))
    return kind.content_type if kind else "application/octet-stream"


def download_response(stored_file, name: str):
    """Serve a checked, stored file for download: always an attachment, with the type of its (checked)
    extension, so a browser never renders it in our origin. Http404 when the file is gone."""
    from django.http import FileResponse, Http404

    try:
        stream = stored_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(stream, as_attachment=True, filename=name, content_type=content_type_for(stored_file.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def handbook_file_path(instance, file_name: str) -> str:
    """A random stored name with the file's safe extension: the uploader chooses nothing on disk."""
    extension = extension_of(file_name)
    suffix = f".{extension}" if extension in KINDS else ""
    return f"handbooks/{secrets.token_urlsafe(18)}{suffix}"
