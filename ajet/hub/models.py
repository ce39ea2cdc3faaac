"""Announcements to a scope, their per-recipient deliveries, members' e-mail preferences and acknowledgements."""

import datetime
import secrets
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ajet.core.cache import VersionedQuerySet
from ajet.core.validators import validate_plain_text
from ajet.organisation.scopes import Scope
from ajet.organisation.uploads import KINDS, extension_of

TOKYO = ZoneInfo("Asia/Tokyo")

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
    # Set once, when the one reminder to those who have not confirmed was queued.
    reminder_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A block representative's forward of a national announcement to their block (with their note on top).
    forwarded_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="forwards")
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


def attachment_path(instance, file_name: str) -> str:
    """A random stored name with the file's checked extension: the uploader chooses nothing on disk."""
    extension = extension_of(file_name)
    suffix = f".{extension}" if extension in KINDS else ""
    return f"announcements/{secrets.token_urlsafe(18)}{suffix}"


class Attachment(models.Model):
    """A file sent with an announcement, checked by ajet/organisation/uploads.py, stored under a random name
    and served only through the permission-checked download view."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("hub:attachment", args=[self.announcement_id, self.pk])


class Delivery(models.Model):
    """One e-mail of an announcement to one member. Written queued before any is sent; marked sent in its
    own transaction right after the SMTP server accepted it, so a re-run sends only what is still queued.
    The one acknowledgement reminder travels the same way, as a second kind of delivery."""

    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("Announcement")
        REMINDER = "reminder", _("Reminder to confirm")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="deliveries")
    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ANNOUNCEMENT)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    digest = models.BooleanField(default=False)  # goes out in the member's next daily digest
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "member", "kind"],
                                               name="one_delivery_of_each_kind_per_member")]
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


# The version namespace of the announcements and events that cached panels show (ajet/hub/panels.py).
HUB_DATA = "hub"
MAX_OCCURRENCES = 24  # two years of a monthly meetup; a longer series is published again


class EventQuerySet(VersionedQuerySet):
    namespace = HUB_DATA

    def bulk_create(self, objs, *args, **kwargs):
        """As Django's, with each event's `series_end` computed as save() does (bulk_create skips save())."""
        objs = list(objs)
        for event in objs:
            event.series_end = event.compute_series_end()
        return super().bulk_create(objs, *args, **kwargs)


class Event(Scoped):
    """A chapter or national event: stored in UTC, shown in Japan time. RSVPs beyond `capacity` wait.

    A recurring event is one series (`recurrence`, `occurrences`), published in calendars as one VEVENT with
    an RRULE. Members answer each occurrence separately, each with its own capacity and waiting list; the RSVP
    deadline of a later occurrence lies as long before it as the deadline lies before the first."""

    class Recurrence(models.TextChoices):
        NONE = "", _("Does not repeat")
        WEEKLY = "weekly", _("Every week")
        MONTHLY = "monthly", _("Every month (same day of the month)")

    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    description = models.TextField(_("description (Markdown)"), max_length=20000, blank=True)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True, validators=[validate_plain_text])
    address = models.CharField(_("address"), max_length=300, blank=True, validators=[validate_plain_text])
    map_url = models.URLField(_("map link"), max_length=500, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True,
                                 help_text=_("For an online event: the address of the video call."))
    cost = models.CharField(_("cost"), max_length=100, blank=True, validators=[validate_plain_text],
                            help_text=_("E.g. ¥1,500 on the day. Leave empty for a free event."))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True,
                                           help_text=_("Leave empty for no limit."))
    rsvp_deadline = models.DateTimeField(_("answers close at"), null=True, blank=True)
    recurrence = models.CharField(_("repeats"), max_length=8, choices=Recurrence.choices, blank=True,
                                  default=Recurrence.NONE)
    occurrences = models.PositiveSmallIntegerField(_("number of dates"), default=1)
    # The end of the last date (for a single event, `end`): kept by save() so that "not over yet" is a filter.
    series_end = models.DateTimeField(editable=False, db_index=True)
    is_public = models.BooleanField(_("public (visible to anyone)"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["start"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="event_ends_after_it_starts"),
            models.CheckConstraint(condition=models.Q(rsvp_deadline__isnull=True)
                                   | models.Q(rsvp_deadline__lte=models.F("start")),
                                   name="event_rsvp_deadline_before_start"),
            models.CheckConstraint(condition=models.Q(occurrences__gte=1, occurrences__lte=MAX_OCCURRENCES)
                                   & (~models.Q(recurrence="") | models.Q(occurrences=1)),
                                   name="event_occurrences_in_range"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.series_end = self.compute_series_end()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "series_end"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("hub:event", args=[self.pk])

    @property
    def is_recurring(self) -> bool:
        return bool(self.recurrence) and self.occurrences > 1

    @property
    def duration(self) -> datetime.timedelta:
        return self.end - self.start

    def occurrence_starts(self) -> list[datetime.datetime]:
        """The start of every date of the series (in UTC), as RFC 5545 counts them from the RRULE: a monthly
        series on the 31st skips the months without one, in Japan time."""
        if not self.is_recurring:
            return [self.start]
        frequency = rrule.WEEKLY if self.recurrence == self.Recurrence.WEEKLY else rrule.MONTHLY
        local_start = self.start.astimezone(TOKYO)
        fraction = datetime.timedelta(microseconds=local_start.microsecond)  # rrule drops microseconds
        return [(moment + fraction).astimezone(datetime.UTC)
                for moment in rrule.rrule(frequency, dtstart=local_start, count=self.occurrences)]

    def deadline_for(self, occurrence: datetime.datetime) -> datetime.datetime:
        """When answers for the date starting at `occurrence` close: its start, or earlier by the deadline."""
        if self.rsvp_deadline is None:
            return occurrence
        return occurrence - (self.start - self.rsvp_deadline)

    def compute_series_end(self) -> datetime.datetime:
        return self.occurrence_starts()[-1] + self.duration

    def upcoming_occurrences(self, now: datetime.datetime | None = None) -> list[datetime.datetime]:
        now = now or timezone.now()
        return [occurrence for occurrence in self.occurrence_starts() if occurrence + self.duration >= now]

    @property
    def next_start(self) -> datetime.datetime:
        """The start of the next date not yet over (the last date once the series is over)."""
        upcoming = self.upcoming_occurrences()
        return upcoming[0] if upcoming else self.occurrence_starts()[-1]

    def ical_rrule(self) -> dict | None:
        if not self.is_recurring:
            return None
        return {"FREQ": "WEEKLY" if self.recurrence == self.Recurrence.WEEKLY else "MONTHLY",
                "COUNT": self.occurrences}


class Rsvp(models.Model):
    """A member's answer to one date of an event (`occurrence`: that date's start; for a single event, its
    start). A yes beyond capacity waits (`waitlisted`) until a place frees up."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="+")
    occurrence = models.DateTimeField()
    attending = models.BooleanField()
    waitlisted = models.BooleanField(default=False)
    answered_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the e-mail of the day before went out

    class Meta:
        ordering = ["answered_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "member", "occurrence"],
                                               name="one_rsvp_per_member_and_date")]
        indexes = [models.Index(fields=["occurrence"])]

    def __str__(self):
        return f"{self.member_id} → {self.event_id}@{self.occurrence:%Y-%m-%d}: {'yes' if self.attending else 'no'}"


from ajet.hub.models_guides import Guide, GuideCategory, GuideFile  # noqa: E402, F401 - the hub's guides
