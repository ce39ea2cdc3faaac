"""The Peer Support Group's line: opening exceptions, volunteers and their training, the roster, contact
logs and the referral directory.

Confidentiality (DESIGN.md invariant 5): ContactLog, Conversation and UrgentFlag live in the PSG's own
database (routers.py), apart from the member register. A ContactLog has no link to anyone — no key to a member, user or
volunteer, no time finer than the night, no free text but a short note scrubbed of e-mail addresses and
phone numbers (tests/support/test_contact_logs.py checks the schema).
"""

import datetime
import uuid

from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ajet.core.validators import validate_plain_text
from ajet.support import hours, opening_hours

# A volunteer serves from their second year on JET.
MIN_YEAR_ON_JET = 2
# A refresher course is due this long after the last training.
REFRESHER_INTERVAL = datetime.timedelta(days=365)


class NightException(models.Model):
    """A night whose window differs from the default: closed, or open at other times."""

    night = models.DateField(_("night"), unique=True, help_text=_("The day the night starts."))
    closed = models.BooleanField(_("closed all night"), default=False)
    opens = models.TimeField(_("opens at"), null=True, blank=True)
    closes = models.TimeField(_("closes at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=150, blank=True, validators=[validate_plain_text])

    class Meta:
        ordering = ["night"]
        verbose_name = _("night exception")
        verbose_name_plural = _("night exceptions")

    def __str__(self):
        return f"{self.night:%Y-%m-%d}"

    @property
    def window(self):
        return hours.window_of(self.night, self)


class Volunteer(models.Model):
    """A member who serves on the line."""

    member = models.OneToOneField("people.Member", on_delete=models.CASCADE, related_name="psg_volunteer",
                                  verbose_name=_("member"))
    is_active = models.BooleanField(_("active"), default=True)
    is_coordinator = models.BooleanField(_("volunteer coordinator"), default=False)
    refresher_due = models.DateField(_("refresher due"), null=True, blank=True)
    joined = models.DateField(_("joined"), default=timezone.localdate)
    # The secret in the volunteer's shift calendar address (made on first use; replacing it revokes the old).
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["member__full_name"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self):
        return str(self.member)

    def is_trained(self, day: datetime.date | None = None) -> bool:
        """Initial training done and the refresher not overdue (on `day`, today by default)."""
        day = day or timezone.localdate()
        has_initial = any(course.kind == Training.Kind.INITIAL and course.completed_on <= day
                          for course in self.trainings.all())
        return has_initial and (self.refresher_due is None or self.refresher_due >= day)

    def may_serve(self, day: datetime.date | None = None) -> bool:
        """Only trained, active volunteers may be rostered or take contacts."""
        return self.is_active and self.is_trained(day)


class Training(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial training")
        REFRESHER = "refresher", _("Refresher")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="trainings")
    kind = models.CharField(_("course"), max_length=20, choices=Kind.choices)
    completed_on = models.DateField(_("completed on"))

    class Meta:
        ordering = ["-completed_on"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")

    def __str__(self):
        return f"{self.get_kind_display()} {self.completed_on:%Y-%m-%d}"


class ShiftAssignment(models.Model):
    """A volunteer on one shift of one night (hours.SHIFTS[shift])."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="shifts")
    night = models.DateField(_("night"))
    shift = models.PositiveSmallIntegerField(_("shift"), choices=[(index, str(index))
                                                                  for index in range(len(hours.SHIFTS))])
    # Offered for a swap: another trained volunteer may take it over (giving one of theirs in exchange or not).
    offered = models.BooleanField(_("offered for a swap"), default=False)
    reminded = models.BooleanField(default=False)  # the reminder before the shift has been sent

    class Meta:
        ordering = ["night", "shift"]
        constraints = [models.UniqueConstraint(fields=["volunteer", "night", "shift"], name="one_seat_per_shift")]
        verbose_name = _("shift assignment")
        verbose_name_plural = _("shift assignments")

    def __str__(self):
        return f"{self.night:%Y-%m-%d} #{self.shift + 1}"

    @property
    def span(self):
        return hours.shift_span(self.night, self.shift)


# The hours of the day in the order of a night (noon first), for the contact log's start hour.
NIGHT_ORDER_HOURS = [*range(12, 24), *range(0, 12)]
HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in NIGHT_ORDER_HOURS]


class OnCall(models.Model):
    """The coordinator on call for a night, set on the roster: alerted by an urgent flag, offers debriefs."""

    night = models.DateField(_("night"), unique=True)
    coordinator = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="psg_on_call",
                                    verbose_name=_("coordinator on call"))

    class Meta:
        ordering = ["night"]
        verbose_name = _("coordinator on call")
        verbose_name_plural = _("coordinators on call")

    def __str__(self):
        return f"{self.night:%Y-%m-%d}"


class ContactLog(models.Model):
    """What happened in one contact, with nothing that could identify the person or the volunteer."""

    class Channel(models.TextChoices):
        CHAT = "chat", _("Chat")
        PHONE = "phone", _("Phone")
        VOICE = "voice", _("Voice call (online)")

    class Duration(models.TextChoices):
        UNDER_10 = "0-10", _("Under 10 minutes")
        UNDER_30 = "10-30", _("10 to 30 minutes")
        UNDER_60 = "30-60", _("30 to 60 minutes")
        LONGER = "60+", _("Over an hour")

    class Topic(models.TextChoices):
        ISOLATION = "isolation", _("Isolation")
        WORK_STRESS = "work-stress", _("Work stress")
        CULTURE_SHOCK = "culture-shock", _("Culture shock")
        RECONTRACTING = "recontracting", _("Recontracting")
        RELATIONSHIPS = "relationships", _("Relationships")
        HEALTH = "health", _("Health")
        PRACTICAL = "practical", _("Practical questions")
        CRISIS = "crisis", _("Crisis")

    night = models.DateField(_("night"))
    # The hour the contact started (Japan time), rounded down: for the figures by hour of the night.
    hour = models.PositiveSmallIntegerField(_("started around"), null=True, blank=True, choices=HOUR_CHOICES)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    duration = models.CharField(_("duration"), max_length=10, choices=Duration.choices)
    topics = models.JSONField(_("topics"), default=list)
    referral_given = models.BooleanField(_("referral given"), default=False)
    follow_up = models.BooleanField(_("follow-up needed"), default=False)
    high_risk = models.BooleanField(_("high-risk contact"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-night"]
        verbose_name = _("contact log")
        verbose_name_plural = _("contact logs")

    def __str__(self):
        return f"{self.night:%Y-%m-%d} {self.channel}"


class Resource(models.Model):
    """One entry of the referral directory."""

    class Category(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency")
        COUNSELLING = "counselling", _("Counselling")
        MEDICAL = "medical", _("Medical")
        LEGAL = "legal", _("Legal")
        EMBASSY = "embassy", _("Embassy")
        JET = "jet", _("JET Programme")

    name = models.CharField(_("name"), max_length=150, validators=[validate_plain_text])
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_plain_text])
    url = models.CharField(_("web address"), max_length=300, blank=True,
                           validators=[URLValidator(schemes=["https", "http"])])
    hours = models.CharField(_("hours"), max_length=150, blank=True, validators=[validate_plain_text])
    languages = models.CharField(_("languages"), max_length=150, blank=True, validators=[validate_plain_text])
    # Further categories besides the main one (values of Category), for the directory's filter.
    more_categories = models.JSONField(_("also listed under"), default=list, blank=True)
    # Where it serves: any prefectures and blocks (a block: every prefecture in it on the day asked); none of
    # either is a national service.
    prefectures = models.ManyToManyField("organisation.Prefecture", blank=True, related_name="+",
                                         verbose_name=_("prefectures"))
    blocks = models.ManyToManyField("organisation.Block", blank=True, related_name="+", verbose_name=_("blocks"),
                                    help_text=_("Leave the prefectures and blocks empty for a national service."))
    # The hours as data, for "open now" (Japan time): round the clock, or the pairs of times each weekday is
    # open (opening_hours.py). Neither: not known. `hours` above is the text people read beside them.
    always_open = models.BooleanField(_("open 24 hours"), default=False)
    weekly_hours = models.JSONField(_("opening hours by weekday"), default=list, blank=True,
                                    validators=[opening_hours.validate_weekly_hours])
    # Many services (city halls, consultation lines) close on national holidays: then "open now" says closed
    # all that day, and a night that starts on a holiday does not open (opening_hours.is_open).
    closed_on_holidays = models.BooleanField(
        _("closed on Japanese public holidays"), default=False,
        help_text=_("“Open now” then counts national holidays, substitute holidays included, as closed days: "
                    "nothing opens on them, not even a night that starts on one."))

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self):
        return self.name

    @property
    def categories(self) -> list[str]:
        return [self.category, *(value for value in self.more_categories if value != self.category)]

    def is_open_at(self, moment: datetime.datetime, *, on_holidays_too: bool = False) -> bool | None:
        """Open at `moment`, closed, or None when its hours are not known as data. `on_holidays_too`: as if it
        did not close on public holidays."""
        local = moment.astimezone(hours.LINE_TIMEZONE)
        closed_on_holidays = self.closed_on_holidays and not on_holidays_too
        if self.always_open:
            return not (closed_on_holidays and opening_hours.is_public_holiday(local.date()))
        return opening_hours.is_open(self.weekly_hours, local, closed_on_holidays=closed_on_holidays)

    def is_closed_for_holiday_at(self, moment: datetime.datetime) -> bool:
        """Closed at `moment` only because of a public holiday: it would be open (or might be) on another day."""
        return self.closed_on_holidays and self.is_open_at(moment) is False and self.is_open_at(
            moment, on_holidays_too=True) is not False

    @property
    def hours_summary(self) -> list[tuple[str, str]]:
        return opening_hours.summary(self.weekly_hours)

    # Where it serves. These read the prefetched prefectures and blocks (queries.resources()).
    @property
    def is_national(self) -> bool:
        return not self.prefectures.all() and not self.blocks.all()

    @property
    def regions(self) -> list:
        """The blocks, then the prefectures it serves (none: national)."""
        return [*self.blocks.all(), *self.prefectures.all()]

    def serves(self, prefecture_code: str, block_map: dict[str, int]) -> bool:
        """Whether it serves people in that prefecture (`block_map`: prefecture → block, today's)."""
        return (self.is_national or any(prefecture.pk == prefecture_code for prefecture in self.prefectures.all())
                or any(block.pk == block_map.get(prefecture_code) for block in self.blocks.all()))

    def serves_block(self, block_number: int, block_map: dict[str, int]) -> bool:
        """Whether it serves people anywhere in that block: a national service, one for the block, or one for
        any prefecture in it (`block_map`: prefecture → block, today's)."""
        return (self.is_national or any(block.pk == block_number for block in self.blocks.all())
                or any(block_map.get(prefecture.pk) == block_number for prefecture in self.prefectures.all()))


class Conversation(models.Model):
    """A live chat while it lasts: who waits, which volunteer took it. It holds no message (they pass through
    the channel layer only), nothing about the person (no account, IP address or user agent), and the row is
    deleted when the conversation ends."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        ACTIVE = "active", _("Active")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    waiting_since = models.DateTimeField(default=timezone.now)
    person_channel = models.CharField(max_length=200)
    volunteer_channel = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["waiting_since"]

    def __str__(self):
        return f"{self.get_state_display()} {self.pk}"


class UrgentFlag(models.Model):
    """An imminent-risk flag raised by a volunteer in a conversation: when, by which volunteer (a pseudonym,
    never a key) and whether a coordinator on call was alerted. Nothing of the conversation is kept."""

    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    volunteer = models.CharField(_("volunteer (pseudonym)"), max_length=32)
    coordinator_alerted = models.BooleanField(_("coordinator on call alerted"), default=False)

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("urgent flag")
        verbose_name_plural = _("urgent flags")

    def __str__(self):
        return f"{self.raised_at:%Y-%m-%d %H:%M} {self.volunteer}"
