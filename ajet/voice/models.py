"""Surveys: sections, questions and options; responses with their answers; drafts and who has responded.

Anonymity (DESIGN.md invariant 4) follows the ballot pattern (ajet/elections/models.py): a Response holds
no link to its member — no key, no user-derived value, no time at all, a random UUID as primary key — only
the survey and the two attributes results are broken down by (block and position). That a member responded
is a HasResponded row (the day only), written in the same transaction. A member's unfinished answers are a
Draft row, deleted in the submitting transaction. Only an attributed survey writes an Attribution row beside
the response (tests/voice/test_anonymity.py inspects the schema).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Left
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ajet.core.bilingual import Bilingual
from ajet.core.validators import validate_plain_multiline_text, validate_plain_text
from ajet.organisation.scopes import Scope


class Survey(Bilingual, models.Model):
    """A survey with its audience (a scope), its opening window and whether its answers are anonymous."""

    class Audience(models.TextChoices):
        NATIONAL = Scope.NATIONAL, _("All current members")
        BLOCK = Scope.BLOCK, _("A block")
        PREFECTURE = Scope.PREFECTURE, _("A prefecture")
        CHAPTER = Scope.CHAPTER, _("A chapter")

    title_en = models.CharField(_("title (English)"), max_length=200, validators=[validate_plain_text])
    title_ja = models.CharField(_("title (Japanese)"), max_length=200, blank=True, validators=[validate_plain_text])
    intro_en = models.TextField(_("introduction (English)"), blank=True, max_length=4000,
                                validators=[validate_plain_multiline_text])
    intro_ja = models.TextField(_("introduction (Japanese)"), blank=True, max_length=4000,
                                validators=[validate_plain_multiline_text])
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices, default=Audience.NATIONAL)
    block = models.ForeignKey("organisation.Block", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("block"))
    prefecture = models.ForeignKey("organisation.Prefecture", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("prefecture"))
    chapter = models.ForeignKey("organisation.Chapter", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("chapter"))
    positions = models.JSONField(_("positions"), default=list, blank=True)  # empty: every position
    # Stored in UTC, shown in Asia/Tokyo (the site's time zone).
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    is_anonymous = models.BooleanField(
        _("anonymous"), default=True,
        help_text=_("Answers are stored without any link to the member. Cannot be changed once answers arrive."))
    created_by = models.ForeignKey("people.Member", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-opens_at", "id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__lt=models.F("closes_at")), name="survey_opens_before_close"),
            models.CheckConstraint(
                condition=(Q(audience="national", block__isnull=True, prefecture__isnull=True, chapter__isnull=True)
                           | Q(audience="block", block__isnull=False, prefecture__isnull=True, chapter__isnull=True)
                           | Q(audience="prefecture", block__isnull=True, prefecture__isnull=False,
                               chapter__isnull=True)
                           | Q(audience="chapter", block__isnull=True, prefecture__isnull=True,
                               chapter__isnull=False)),
                name="survey_audience_names_its_group",
            ),
        ]

    def __str__(self):
        return self.title_en

    def get_absolute_url(self):
        return reverse("voice:survey", args=[self.pk])

    @property
    def title(self) -> str:
        return self._in_language("title")

    @property
    def intro(self) -> str:
        return self._in_language("intro")

    @property
    def scope(self) -> Scope:
        return Scope(kind=self.audience, block=self.block_id, prefecture=self.prefecture_id,
                     chapter=self.chapter_id, positions=frozenset(self.positions))

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    def results_visible(self) -> bool:
        """Whether its results may be read: an anonymous survey's only once it closes (comparing results from
        two moments would single out the answers given in between)."""
        return self.is_closed() or not self.is_anonymous


class Section(Bilingual, models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title_en = models.CharField(_("section title (English)"), max_length=200, validators=[validate_plain_text])
    title_ja = models.CharField(_("section title (Japanese)"), max_length=200, blank=True,
                                validators=[validate_plain_text])
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title_en

    @property
    def title(self) -> str:
        return self._in_language("title")


class Question(Bilingual, models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        LIKERT = "likert", _("Likert scale (5 points)")
        NUMBER = "number", _("Number")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions",
                                verbose_name=_("section"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    text_en = models.CharField(_("question (English)"), max_length=500, validators=[validate_plain_text])
    text_ja = models.CharField(_("question (Japanese)"), max_length=500, blank=True,
                               validators=[validate_plain_text])
    is_required = models.BooleanField(_("required"), default=True)
    min_value = models.IntegerField(_("smallest number"), null=True, blank=True)
    max_value = models.IntegerField(_("largest number"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["section__order", "section_id", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(min_value__isnull=True) | Q(max_value__isnull=True)
                                   | Q(min_value__lte=models.F("max_value")), name="question_range_in_order"),
        ]

    def __str__(self):
        return self.text_en

    @property
    def text(self) -> str:
        return self._in_language("text")


class Option(Bilingual, models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text_en = models.CharField(_("option (English)"), max_length=200, validators=[validate_plain_text])
    text_ja = models.CharField(_("option (Japanese)"), max_length=200, blank=True, validators=[validate_plain_text])
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text_en

    @property
    def text(self) -> str:
        return self._in_language("text")


class Response(models.Model):
    """One submitted response: the survey and the respondent's block and position, nothing else
    (see the module's docstring). The block is the block of the member's prefecture on the day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    block = models.PositiveSmallIntegerField(null=True)
    position = models.CharField(max_length=5)

    def __str__(self):
        return str(self.pk)


TEXT_ORDER_PREFIX = 100  # characters of a text answer that order it in the index voice_answer_text_order


class Answer(models.Model):
    """One answer of a response: an option (one row per chosen option), a number (also a Likert point), or text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, related_name="answers")
    number = models.IntegerField(null=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [
            # The first texts of a question in alphabetical order (results._fetch_texts) without reading them
            # all; a whole long text would not fit in an index entry, so its first characters (TEXT_ORDER_PREFIX).
            models.Index(F("question"), Left("text", TEXT_ORDER_PREFIX), condition=~Q(text=""),
                         name="voice_answer_text_order"),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.option_id or self.number or self.text[:20]}"


class AnswerTotal(models.Model):
    """A running total of a survey's answers (totals.py keeps it, in the transaction that writes or removes
    them): how many answers to `question` from respondents of one block and position gave `value`, or, when
    `of_respondents`, how many respondents of that block and position answered a multiple-choice question
    (one answer row per chosen option). The results are read from these rows (results._count_answers), not
    counted over every answer. Holds counts only, like the results page before suppression.

    `value`: the option's id (choice questions), the number (Likert and number questions), 0 (texts and the
    respondents' rows). `block`: NO_BLOCK for a respondent without one. Neither is NULL, so that the unique
    constraint (which the increments' ON CONFLICT names) holds on SQLite and PostgreSQL alike."""

    NO_BLOCK = -1

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    block = models.SmallIntegerField()
    position = models.CharField(max_length=5)
    of_respondents = models.BooleanField(default=False)
    value = models.BigIntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "block", "position", "of_respondents", "value"],
                                               name="one_answer_total_per_group_and_value")]

    def __str__(self):
        kind = "respondents" if self.of_respondents else f"value {self.value}"
        return f"{self.question_id} {self.block}/{self.position} {kind}: {self.count}"


def export_file_path(instance, file_name: str) -> str:
    """A random stored name (MEDIA_ROOT is never served by the proxy: the download view checks first)."""
    import secrets

    return f"survey-exports/{secrets.token_urlsafe(18)}.{instance.kind}"


class SurveyExport(models.Model):
    """A results file (XLSX or PDF) built in the background for a large survey (exports.py, tasks.py): one per
    survey and kind, replaced by the next one asked for and deleted a day after it was asked for (EXPORT_KEPT)."""

    class Kind(models.TextChoices):
        XLSX = "xlsx", _("Spreadsheet (XLSX)")
        PDF = "pdf", _("Report (PDF)")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.PREPARING)
    file = models.FileField(upload_to=export_file_path, max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "kind"], name="one_export_per_survey_and_kind")]

    def __str__(self):
        return f"{self.survey_id} {self.kind} ({self.status})"

    @property
    def file_name(self) -> str:
        return f"survey-{self.survey_id}-results.{self.kind}"


class HasResponded(models.Model):
    """That a member submitted a survey, and on which day (nothing finer). One per member per survey."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="survey_responses")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    day = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "survey"], name="one_response_per_member")]

    def __str__(self):
        return f"{self.member_id} responded to {self.survey_id} on {self.day}"


class Attribution(models.Model):
    """Who gave a response: written only for attributed surveys (never for anonymous ones)."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, primary_key=True, related_name="attribution")
    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="attributed_responses")

    def __str__(self):
        return f"{self.response_id} by {self.member_id}"


class Draft(models.Model):
    """A member's unfinished answers (the form's values), deleted when they submit."""

    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="survey_drafts")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="drafts")
    values = models.JSONField(default=dict)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "survey"], name="one_draft_per_member")]

    def __str__(self):
        return f"draft of {self.member_id} for {self.survey_id}"


class Concern(models.Model):
    """A member's concern, routed when raised to the officers responsible for its level: the representative
    of the member's block (and the CIR Representative when the member is a CIR), the CIR Representative
    (CIR matters), or the national executives; an escalated concern also reaches the executives.

    Visibility is the member's choice. NAMED: the officers see the name, and current members can read the
    concern and support it. ANONYMOUS: the officers see it without a name, and the row keeps no link to the
    member at all — the member follows it with a receipt code, stored only as its SHA-256 hash. What an
    officer can still infer from an anonymous concern: its block, its category, whether a CIR raised it (the
    CIR Representative sees it too: in a block with few CIRs that narrows it), the day (never the time:
    `created_at` is the start of the day in Japan, though the sequential id places it among the concerns
    raised that day) and whatever the text reveals. Answers given with the receipt code keep the day only,
    and the receipt pages never read who is signed in.
    PRIVATE: it goes to the block representative alone, with the name, and never further (no escalation,
    no merging into a concern others see, not on an agenda).
    """

    class Level(models.TextChoices):
        BLOCK = "block", _("My block (my block representative)")
        CIR = "cir", _("A CIR matter (the CIR Representative)")
        NATIONAL = "national", _("A national matter (the executives)")

    class Visibility(models.TextChoices):
        NAMED = "named", _("Shown with my name: other members can read it and support it")
        ANONYMOUS = "anonymous", _("To the officers only, without my name (you get a receipt code)")
        PRIVATE = "private", _("Not beyond my block representative")

    class Category(models.TextChoices):
        CONTRACTS = "contracts", _("Contracts and pay")
        HOUSING = "housing", _("Housing")
        WORKPLACE = "workplace", _("Workplace")
        HEALTH = "health", _("Health and safety")
        DISCRIMINATION = "discrimination", _("Discrimination and harassment")
        TRAINING = "training", _("Training")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        NEEDS_INFO = "needs_info", _("More information needed")
        IN_PROGRESS = "in_progress", _("In progress")
        RAISED = "raised", _("Raised at a meeting")
        ANSWERED = "answered", _("Answered")
        MERGED = "merged", _("Merged into another concern")
        CLOSED = "closed", pgettext_lazy("concern status", "Closed")

    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="concerns")  # empty for an anonymous concern
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    text = models.TextField(_("what is the matter"), max_length=5000, validators=[validate_plain_multiline_text])
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    level = models.CharField(_("who should handle it"), max_length=10, choices=Level.choices, default=Level.BLOCK)
    block = models.ForeignKey("organisation.Block", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")  # the member's block when raised, for block-level concerns
    visibility = models.CharField(_("who may see it"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.ANONYMOUS)
    raised_by_cir = models.BooleanField(default=False, editable=False)  # also routes a block concern to the CIR Rep
    receipt_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="duplicates", verbose_name=_("merged into"))
    escalated_at = models.DateTimeField(_("escalated to the national agenda"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        constraints = [
            models.CheckConstraint(condition=Q(level="block", block__isnull=False) | (~Q(level="block")
                                   & Q(block__isnull=True)), name="concern_block_only_for_block_level"),
            # An anonymous concern has no member and a receipt; the others the reverse.
            models.CheckConstraint(
                condition=(Q(visibility="anonymous", member__isnull=True, receipt_hash__isnull=False)
                           | (~Q(visibility="anonymous") & Q(member__isnull=False, receipt_hash__isnull=True))),
                name="concern_anonymous_has_no_member"),
            models.CheckConstraint(condition=~Q(visibility="private") | Q(level="block", escalated_at__isnull=True),
                                   name="concern_private_stays_in_its_block"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("voice:concern", args=[self.pk])

    @property
    def is_anonymous(self) -> bool:
        return self.visibility == self.Visibility.ANONYMOUS

    @property
    def is_public(self) -> bool:
        """Current members may read it and add their support."""
        return self.visibility == self.Visibility.NAMED and self.merged_into_id is None


class ConcernUpdate(models.Model):
    """A status change of a concern with the officer's note (or question) to the member."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=12, choices=Concern.Status.choices)
    note = models.TextField(_("note to the member"), max_length=2000, blank=True,
                            validators=[validate_plain_multiline_text])
    by = models.ForeignKey("people.Member", on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.concern_id} → {self.status}"


class ConcernReply(models.Model):
    """The member's answer to an officer's question. No author and only the day: for an anonymous concern
    it is written through the receipt code, and nothing may tie it to an account or a sign-in time."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("your answer"), max_length=5000, validators=[validate_plain_multiline_text])
    day = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"reply to {self.concern_id}"


class ConcernSupport(models.Model):
    """A member's "this affects me too" on a public concern: one per member and concern."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="concern_supports")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["concern", "member"], name="one_support_per_member")]

    def __str__(self):
        return f"{self.member_id} supports {self.concern_id}"


class SponsorMeeting(models.Model):
    """One of the (usually biannual) meetings with the programme's sponsors: its agenda, the sponsors'
    answers, and the summary the executives publish to members."""

    class Sponsor(models.TextChoices):
        MIC = "MIC", _("MIC (Ministry of Internal Affairs and Communications)")
        MOFA = "MOFA", _("MOFA (Ministry of Foreign Affairs)")
        MEXT = "MEXT", _("MEXT (Ministry of Education, Culture, Sports, Science and Technology)")
        CLAIR = "CLAIR", _("CLAIR (Council of Local Authorities for International Relations)")

    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    held_on = models.DateField(_("held on"))
    sponsors = models.JSONField(_("sponsors attending"), default=list)
    summary_en = models.TextField(_("summary (English)"), blank=True, max_length=10000,
                                  validators=[validate_plain_multiline_text])
    summary_ja = models.TextField(_("summary (Japanese)"), blank=True, max_length=10000,
                                  validators=[validate_plain_multiline_text])
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("sponsor meeting")
        verbose_name_plural = _("sponsor meetings")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("voice:meeting", args=[self.pk])

    @property
    def summary(self) -> str:
        return self.summary_ja if get_language() == "ja" and self.summary_ja else self.summary_en

    def sponsor_labels(self) -> list[str]:
        names = dict(self.Sponsor.choices)
        return [str(names.get(code, code)) for code in self.sponsors]


class AgendaItem(Bilingual, models.Model):
    """A question AJET raises at a meeting, the evidence behind it, and AJET's recommendation."""

    meeting = models.ForeignKey(SponsorMeeting, on_delete=models.CASCADE, related_name="items")
    title_en = models.CharField(_("item (English)"), max_length=300, validators=[validate_plain_text])
    title_ja = models.CharField(_("item (Japanese)"), max_length=300, blank=True, validators=[validate_plain_text])
    recommendation_en = models.TextField(_("AJET's recommendation (English)"), max_length=5000,
                                         validators=[validate_plain_multiline_text])
    recommendation_ja = models.TextField(_("AJET's recommendation (Japanese)"), max_length=5000, blank=True,
                                         validators=[validate_plain_multiline_text])
    concerns = models.ManyToManyField(Concern, blank=True, related_name="agenda_items",
                                      verbose_name=_("concerns behind it"))
    surveys = models.ManyToManyField(Survey, blank=True, related_name="agenda_items",
                                     verbose_name=_("survey results behind it"))
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title_en

    @property
    def title(self) -> str:
        return self._in_language("title")

    @property
    def recommendation(self) -> str:
        return self._in_language("recommendation")


class SponsorAnswer(Bilingual, models.Model):
    """What one sponsor answered to one agenda item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="answers")
    sponsor = models.CharField(_("sponsor"), max_length=5, choices=SponsorMeeting.Sponsor.choices)
    answer_en = models.TextField(_("answer (English)"), max_length=5000, validators=[validate_plain_multiline_text])
    answer_ja = models.TextField(_("answer (Japanese)"), max_length=5000, blank=True,
                                 validators=[validate_plain_multiline_text])

    class Meta:
        ordering = ["sponsor"]
        constraints = [models.UniqueConstraint(fields=["item", "sponsor"], name="one_answer_per_sponsor_per_item")]

    def __str__(self):
        return f"{self.sponsor}: {self.item_id}"

    @property
    def answer(self) -> str:
        return self._in_language("answer")


class FollowUp(Bilingual, models.Model):
    """An action agreed at a meeting on an agenda item: who owns it (a post) and by when."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="follow_ups")
    text_en = models.CharField(_("action (English)"), max_length=500, validators=[validate_plain_text])
    text_ja = models.CharField(_("action (Japanese)"), max_length=500, blank=True, validators=[validate_plain_text])
    owner = models.ForeignKey("organisation.Post", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner (a post)"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.text_en

    @property
    def text(self) -> str:
        return self._in_language("text")

    def is_overdue(self, today=None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())


class SummarySubscription(models.Model):
    """A member who asked to be e-mailed when a meeting's summary is published."""

    member = models.OneToOneField("people.Member", on_delete=models.CASCADE, related_name="summary_subscription")
    since = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.member_id} subscribed"


class Translator(models.Model):
    """A volunteer an executive made a translator: they see and fill in the missing Japanese versions."""

    member = models.OneToOneField("people.Member", on_delete=models.CASCADE, related_name="translator")
    granted_by = models.ForeignKey("people.Member", on_delete=models.SET_NULL, null=True, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"translator {self.member_id}"
