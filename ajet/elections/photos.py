"""Candidates' photos: only JPEG or PNG, checked by their first bytes as well as their name (the handbook
uploads' approach, ajet/organisation/uploads.py), at most PHOTO_MAX_BYTES, stored under a random name
(models.candidate_photo_path) and served only through a view that asks permission."""

from django.utils.translation import gettext_lazy as _

from ajet.organisation.uploads import UploadRefused, content_type_for, extension_of

PHOTO_MAX_BYTES = 5 * 1024 * 1024
SIGNATURES = {"jpg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n"}


def check_photo_upload(upload) -> str:
    """Return the photo's safe extension ("jpg" or "png"), or raise UploadRefused. Rewinds the upload."""
    extension = extension_of(getattr(upload, "name", "") or "")
    if getattr(upload, "size", 0) > PHOTO_MAX_BYTES:
        raise UploadRefused(_("The photo is too large: at most 5 MB."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension not in SIGNATURES or not head.startswith(SIGNATURES[extension]):
        raise UploadRefused(_("The photo must be a JPEG or PNG image, and its content must match its name."))
    return extension


def photo_content_type(file_name: str) -> str:
    return content_type_for(file_name)
