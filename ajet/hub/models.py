"""Announcements to a scope, their per-recipient deliveries, members' e-mail preferences and acknowledgements."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ajet.core.validators import validate_plain_text
from ajet.organisation.scopes import Scope

SCOPE_KINDS = [
    (Scope.NATIONAL, _("Everyone (National AJET)")),
    (Scope.BLOCK, _("A block")),
    (Scope.PREFECTURE, _("A prefecture")),
    (Scope.CHAPTER, _("A chapter")),
]


class Scoped(models.Model):
    """Addressed to a scope (see ajet.organisation.scopes): its kind and key, and optionally positions."""

    scope_kind = models.CharField(_("audience"), max_length=12, choices=SCOPE_KINDS)
    scope_block = models.ForeignKey("organisation.Block", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    scope_prefecture = models.ForeignKey("organisation.Prefecture", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    # A chapter that is deleted takes its announcements and events with it (blocks and prefectures stay).
    scope_chapter = models.ForeignKey("organisation.Chapter", on_delete=models.CASCADE, null=True, blank=True,
                                      related_name="+")
    # Positions as ",ALT,CIR," (empty: every position), so that "is it for a CIR" is one LIKE.
    positions = models.CharField(max_length=40, blank=True)

    class Meta:
        abstract = True

    @property
    def scope(self) -> Scope:
        return Scope(self.scope_kind, block=self.scope_block_id, prefecture=self.scope_prefecture_id,
                     chapter=self.scope_chapter_id, positions=self.position_list)

    @property
    def position_list(self) -> list[str]:
        return [position for position in self.positions.split(",") if position]

    def set_scope(self, scope: Scope) -> None:
        self.scope_kind, self.scope_block_id = scope.kind, scope.block
        self.scope_prefecture_id, self.scope_chapter_id = scope.prefecture, scope.chapter
        self.positions = "".join(f",{position}" for position in sorted(scope.positions)) + (
            "," if scope.positions else "")


class Announcement(Scoped):
    """A message from an officer to the members of one scope (optionally narrowed to positions).

    `queued_at` is set once, when the deliveries were written (at `send_at`, or at once without it)."""

    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    body = models.TextField(_("text (Markdown)"), max_length=20000)
    title_ja = models.CharField(_("title in Japanese"), max_length=200, blank=True, validators=[validate_plain_text])
    body_ja = models.TextField(_("text in Japanese (Markdown)"), max_length=20000, blank=True)
    is_public = models.BooleanField(_("public (also in the public feed)"), default=False)
    requires_acknowledgement = models.BooleanField(_("members must confirm they have read it"), default=False)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["queued_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("hub:announcement", args=[self.pk])

    @property
    def is_sent(self) -> bool:
        return self.queued_at is not None

    @property
    def published_at(self):
        return self.queued_at or self.send_at or self.created_at

    def localised(self, language: str) -> tuple[str, str]:
        """(title, body) in `language` when a Japanese version exists, else in English."""
        if language == "ja" and self.body_ja:
            return self.title_ja or self.title, self.body_ja
        return self.title, self.body


class Delivery(models.Model):
    """One e-mail of an announcement to one member. Written queued before any is sent; marked sent in its
    own transaction right after the SMTP server accepted it, so a re-run sends only what is still queued."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="deliveries")
    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    digest = models.BooleanField(default=False)  # goes out in the member's next daily digest
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "member"], name="one_delivery_per_member")]
        indexes = [models.Index(fields=["announcement", "status"])]

    def __str__(self):
        return f"{self.announcement_id} → {self.member_id}: {self.status}"


class Preference(models.Model):
    """How a member wants the announcements of one kind of scope by e-mail (no row: immediately)."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("By e-mail, as they are sent")
        DIGEST = "digest", _("By e-mail, once a day in one message")
        NONE = "none", _("No e-mail (read them here)")

    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="hub_preferences")
    scope_kind = models.CharField(max_length=12, choices=SCOPE_KINDS)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "scope_kind"], name="one_preference_per_scope_kind")]

    def __str__(self):
        return f"{self.member_id} {self.scope_kind}: {self.mode}"


class Acknowledgement(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="acknowledgements")
    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "member"], name="one_acknowledgement")]

    def __str__(self):
        return f"{self.member_id} read {self.announcement_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class FeedToken(models.Model):
    """The secret in a member's private feed address; replacing it revokes the old address."""

    member = models.OneToOneField("people.Member", on_delete=models.CASCADE, related_name="hub_feed_token")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"feed token of {self.member_id}"


class Event(Scoped):
    """A chapter or national event: stored in UTC, shown in Japan time. RSVPs beyond `capacity` wait."""

    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    description = models.TextField(_("description (Markdown)"), max_length=20000, blank=True)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True, validators=[validate_plain_text])
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True,
                                           help_text=_("Leave empty for no limit."))
    is_public = models.BooleanField(_("public (visible to anyone)"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["start"])]
        constraints = [models.CheckConstraint(condition=models.Q(end__gt=models.F("start")),
                                              name="event_ends_after_it_starts")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("hub:event", args=[self.pk])


class Rsvp(models.Model):
    """A member's answer to an event. A yes beyond capacity waits (`waitlisted`) until a place frees up."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="+")
    attending = models.BooleanField()
    waitlisted = models.BooleanField(default=False)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answered_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "member"], name="one_rsvp_per_member")]

    def __str__(self):
        return f"{self.member_id} → {self.event_id}: {'yes' if self.attending else 'no'}"


from ajet.hub.models_guides import Guide, GuideCategory, GuideFile  # noqa: E402, F401 - the hub's guides
