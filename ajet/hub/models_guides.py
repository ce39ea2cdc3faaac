"""Guides: National AJET's information pages for members (recontracting, tax and pension refunds, …).

Imported by ajet/hub/models.py, so that Django finds these models in the hub app."""

import datetime
import unicodedata

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ajet.core.validators import validate_date_in_range, validate_plain_multiline_text, validate_plain_text
from ajet.organisation.uploads import extension_of

REVIEW_INTERVAL = datetime.timedelta(days=365)  # a guide is stale a year after its last review


def normalise_for_search(text: str) -> str:
    """One form for the stored search text and the query: NFKC (full-width Latin → ASCII, half-width kana →
    full-width) and case-folded, so that a plain substring test finds a word whatever its width or case."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def guide_file_path(instance, file_name: str) -> str:
    """A random stored name with the file's checked extension (as for handbook files)."""
    import secrets

    extension = extension_of(file_name)
    return f"guides/{secrets.token_urlsafe(18)}.{extension}" if extension else f"guides/{secrets.token_urlsafe(18)}"


class GuideCategory(models.Model):
    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    name_ja = models.CharField(_("name in Japanese"), max_length=100, blank=True, validators=[validate_plain_text])
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("guide category")
        verbose_name_plural = _("guide categories")

    def __str__(self):
        return self.name

    def localised_name(self, language: str) -> str:
        return self.name_ja if language == "ja" and self.name_ja else self.name


class Guide(models.Model):
    """A bilingual Markdown page in a category, owned by a post whose holders keep it reviewed.

    `search_text` holds both languages' title and text normalised (normalise_for_search): searches are
    substring tests on it, which a trigram index serves on PostgreSQL (see the migration)."""

    category = models.ForeignKey(GuideCategory, on_delete=models.PROTECT, related_name="guides",
                                 verbose_name=_("category"))
    slug = models.SlugField(_("short name"), max_length=80, unique=True,
                            help_text=_("The last part of the guide's address, e.g. recontracting."))
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    body = models.TextField(_("text (Markdown)"), max_length=50000, validators=[validate_plain_multiline_text])
    title_ja = models.CharField(_("title in Japanese"), max_length=200, blank=True, validators=[validate_plain_text])
    body_ja = models.TextField(_("text in Japanese (Markdown)"), max_length=50000, blank=True,
                               validators=[validate_plain_multiline_text])
    owner_post = models.ForeignKey("organisation.Post", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("owner post"),
                                   help_text=_("Its holders keep the guide up to date and may edit it."))
    is_public = models.BooleanField(_("public (anyone may read it)"), default=False,
                                    help_text=_("Otherwise only signed-in members read it."))
    last_reviewed = models.DateField(_("last reviewed"), default=timezone.localdate,
                                     validators=[validate_date_in_range])
    # The `last_reviewed` date whose review reminder went out: one reminder per review cycle.
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False)

    class Meta:
        ordering = ["category__order", "title"]
        indexes = [models.Index(fields=["last_reviewed"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = normalise_for_search("\n".join([self.title, self.title_ja, self.body, self.body_ja]))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("hub:guide", args=[self.slug])

    @property
    def review_due(self) -> datetime.date:
        return self.last_reviewed + REVIEW_INTERVAL

    @property
    def is_stale(self) -> bool:
        return self.review_due <= timezone.localdate()

    def localised(self, language: str) -> tuple[str, str]:
        """(title, body) in `language` when a Japanese version exists, else in English."""
        if language == "ja" and self.body_ja:
            return self.title_ja or self.title, self.body_ja
        return self.title, self.body


class GuideFile(models.Model):
    """A file attached to a guide: checked like handbook files (ajet/organisation/uploads.py), stored under
    a random name and served only through the guide's permission-checked download view."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    file = models.FileField(_("file"), upload_to=guide_file_path, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title
