"""Where members are and who holds which post: geography, chapters, council posts, terms, handbooks."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ajet.core.bilingual import Bilingual, in_language
from ajet.core.validators import validate_plain_multiline_text, validate_plain_text
from ajet.organisation.uploads import handbook_file_path


class BilingualName(Bilingual, models.Model):
    name_en = models.CharField(_("name (English)"), max_length=150, validators=[validate_plain_text])
    name_ja = models.CharField(_("name (Japanese)"), max_length=150, blank=True, validators=[validate_plain_text])

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")


class Prefecture(BilingualName):
    """One of Japan's 47 prefectures, keyed by its JIS X 0401 code."""

    code = models.CharField(_("JIS code"), max_length=2, primary_key=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")


class Block(models.Model):
    """One of AJET's 11 blocks. Which prefectures it holds is dated data (BlockAssignment)."""

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")

    def __str__(self):
        return _("Block %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("organisation:block", args=[self.number])


class BlockAssignment(models.Model):
    """From `valid_from` on, `prefecture` belongs to `block` (until a later assignment of it holds)."""

    prefecture = models.ForeignKey(Prefecture, on_delete=models.CASCADE, related_name="block_assignments")
    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="assignments")
    valid_from = models.DateField(_("holds from"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["prefecture_id", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "valid_from"], name="one_block_per_prefecture_per_day")
        ]

    def __str__(self):
        return f"{self.prefecture} → {self.block} ({self.valid_from})"


class Chapter(Bilingual, models.Model):
    """A local AJET chapter, covering one or more prefectures (most one prefecture, some a city)."""

    class Kind(models.TextChoices):
        PREFECTURE = "prefecture", _("Prefectural chapter")
        CITY = "city", _("City chapter")
        REGION = "region", _("Regional chapter")

    name = models.CharField(_("name"), max_length=150, unique=True, validators=[validate_plain_text])
    # Made from the name by the services (never typed in); a renamed chapter keeps its old ones (ChapterSlug).
    slug = models.SlugField(_("web address name"), max_length=80, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PREFECTURE)
    prefectures = models.ManyToManyField(Prefecture, related_name="chapters", verbose_name=_("prefectures"))
    description = models.TextField(_("description (English)"), blank=True,
                                   validators=[validate_plain_multiline_text])
    description_ja = models.TextField(_("description (Japanese)"), blank=True,
                                      validators=[validate_plain_multiline_text])
    contact_email = models.EmailField(_("contact address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisation:chapter", args=[self.slug])


class ChapterSlug(models.Model):
    """A web address name a chapter had before it was renamed: links to it keep working (a redirect), and no
    other chapter may take it."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=80, unique=True)
    retired_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.slug} → {self.chapter.slug}"


class ChapterMembership(models.Model):
    """A member belongs to a chapter from `joined_at` until they leave."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="chapter_memberships")
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "member"], condition=Q(left_at__isnull=True), name="one_open_membership"
            )
        ]

    def __str__(self):
        return f"{self.member} in {self.chapter}"


class Post(Bilingual, models.Model):
    """A position in the council or a chapter. Posts are data: the council's shape changes over the years."""

    class Kind(models.TextChoices):
        EXECUTIVE = "executive", _("Executive")
        ELECTED = "elected", _("Elected")
        APPOINTED = "appointed", _("Appointed")

    class Scope(models.TextChoices):
        NATIONAL = "national", _("National")
        BLOCK = "block", _("Block")
        CHAPTER = "chapter", _("Chapter")

    name_en = models.CharField(_("name (English)"), max_length=150, validators=[validate_plain_text])
    name_ja = models.CharField(_("name (Japanese)"), max_length=150, blank=True, validators=[validate_plain_text])
    slug = models.SlugField(_("short name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.NATIONAL)
    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, null=True, blank=True, related_name="posts", verbose_name=_("block")
    )
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, null=True, blank=True, related_name="posts", verbose_name=_("chapter")
    )
    constituency_position = models.CharField(
        _("represents members of position"),
        max_length=5,
        blank=True,
        help_text=_("For a post such as the CIR Representative: the position whose members it represents."),
    )
    description = models.TextField(_("description (English)"), blank=True,
                                   validators=[validate_plain_multiline_text])
    description_ja = models.TextField(_("description (Japanese)"), blank=True,
                                      validators=[validate_plain_multiline_text])
    leads_chapter = models.BooleanField(
        _("leads the chapter"), default=False,
        help_text=_("Its holder manages the chapter's officer posts (e.g. the chapter's President)."),
    )
    order = models.PositiveSmallIntegerField(_("order on the council page"), default=100)
    valid_from = models.DateField(_("exists from"), default=datetime.date(2000, 1, 1))
    valid_until = models.DateField(_("exists until"), null=True, blank=True)

    class Meta:
        # By kind (executives, elected, appointed), then block by number (national posts first), then the
        # executives' chosen order: never by name, where "Block 10" sorts before "Block 2".
        ordering = [
            models.Case(models.When(kind="executive", then=0), models.When(kind="elected", then=1), default=2),
            models.F("block_id").asc(nulls_first=True), "order", "name_en",
        ]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["slug", "chapter"], name="unique_post_slug_per_chapter"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(chapter__isnull=True), name="unique_national_post_slug"
            ),
            models.CheckConstraint(
                condition=(Q(scope="national", block__isnull=True, chapter__isnull=True)
                           | Q(scope="block", block__isnull=False, chapter__isnull=True)
                           | Q(scope="chapter", block__isnull=True, chapter__isnull=False)),
                name="post_scope_matches_its_place",
            ),
            # Powers treat an executive post as national: a block or chapter post may never be one.
            models.CheckConstraint(
                condition=~Q(kind="executive") | Q(scope="national"), name="executive_posts_are_national",
            ),
            # Only a chapter's own post leads it (powers read `leads_chapter` as "manages this chapter").
            models.CheckConstraint(condition=Q(leads_chapter=False) | Q(scope="chapter"),
                                   name="only_chapter_posts_lead_chapters"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")

    @classmethod
    def kinds_for_scope(cls, scope: str) -> list[str]:
        """The kinds a post of `scope` may be: an executive post is national (powers rely on it)."""
        if scope == cls.Scope.NATIONAL:
            return list(cls.Kind.values)
        return [cls.Kind.ELECTED, cls.Kind.APPOINTED]

    def exists_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class TermQuerySet(models.QuerySet):
    def current(self, day: datetime.date | None = None):
        day = day or timezone.localdate()
        return self.filter(start__lte=day, end__gte=day)


class Term(Bilingual, models.Model):
    """A member holds a post from `start` to `end` (inclusive). Past terms are kept as history."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="terms", verbose_name=_("post"))
    member = models.ForeignKey(
        "people.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="terms",
        verbose_name=_("member"),
    )
    holder_name = models.CharField(
        _("holder's name"), max_length=150, blank=True,
        help_text=_("Kept for the public record when the holder's account is closed."),
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    bio = models.TextField(_("short bio (English)"), max_length=1000, blank=True,
                           validators=[validate_plain_multiline_text])
    bio_ja = models.TextField(_("short bio (Japanese)"), max_length=1000, blank=True,
                              validators=[validate_plain_multiline_text])

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["post__order", "-start"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="term_ends_after_it_starts"),
        ]
        indexes = [models.Index(fields=["start", "end"])]

    def __str__(self):
        return f"{self.post}: {self.holder} ({self.start} – {self.end})"

    @property
    def holder(self) -> str:
        return self.member.full_name if self.member is not None else self.holder_name


class Initiative(Bilingual, models.Model):
    """A national initiative (e.g. the Peer Support Group) supervised by an appointed post."""

    name_en = models.CharField(_("name (English)"), max_length=150, validators=[validate_plain_text])
    name_ja = models.CharField(_("name (Japanese)"), max_length=150, blank=True, validators=[validate_plain_text])
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    description = models.TextField(_("description (English)"), blank=True,
                                   validators=[validate_plain_multiline_text])
    description_ja = models.TextField(_("description (Japanese)"), blank=True,
                                      validators=[validate_plain_multiline_text])
    supervising_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("supervised by"),
        limit_choices_to={"kind": Post.Kind.APPOINTED},
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")


class HandbookPage(Bilingual, models.Model):
    """A page of a post's living handbook, written by each holder and inherited by the next, in English,
    Japanese or both (a page has at least one title)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="handbook_pages")
    title = models.CharField(_("title (English)"), max_length=200, blank=True, validators=[validate_plain_text])
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True, validators=[validate_plain_text])
    slug = models.SlugField(_("short name"), max_length=80)
    body = models.TextField(_("text in English (Markdown)"), blank=True, validators=[validate_plain_multiline_text])
    body_ja = models.TextField(_("text in Japanese (Markdown)"), blank=True,
                               validators=[validate_plain_multiline_text])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["post", "slug"], name="unique_handbook_page_slug")]

    def __str__(self):
        return in_language(self, "title")


class HandbookRevision(Bilingual, models.Model):
    """One saved version of a handbook page (both languages): the edit history every holder inherits."""

    page = models.ForeignKey(HandbookPage, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200, blank=True)
    title_ja = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    body_ja = models.TextField(blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    edited_by_name = models.CharField(max_length=150, blank=True)
    edited_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("what changed"), max_length=200, blank=True)

    class Meta:
        ordering = ["-edited_at", "-id"]

    def __str__(self):
        return f"{in_language(self, 'title')} ({self.edited_at:%Y-%m-%d %H:%M})"


class HandbookFile(models.Model):
    """A file in a post's handbook, stored under a random name (see ajet/organisation/uploads.py) and
    served only through the permission-checked download view."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="handbook_files")
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    file = models.FileField(_("file"), upload_to=handbook_file_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class HandoverItem(models.Model):
    """An open item that a holder leaves for the next one."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="handover_items")
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    detail = models.TextField(_("detail"), blank=True, validators=[validate_plain_multiline_text])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "-created_at"]

    def __str__(self):
        return self.title
