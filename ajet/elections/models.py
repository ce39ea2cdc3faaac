"""Elections, contests, candidates, the frozen roll, secret ballots and who has voted.

Secrecy (DESIGN.md invariant 1): a Ballot holds no link to its voter — no key to a member or user, no
value derived from them, no time at all, and a random UUID as primary key. That a member voted is a
Participation row (with only the day), written in the same transaction as the ballot. When voting closes
the ballots of each contest are rewritten in a random order (services.seal_ballot_box), so neither the
storage order nor the database's own row versions follow the order in which ballots were cast.
"""

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ajet.core.validators import validate_plain_multiline_text, validate_plain_text
from ajet.elections.signals import ElectionDataQuerySet

# Crockford's base32 without look-alikes: 12 characters carry 60 random bits.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_LENGTH = 12


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, TRACKING_LENGTH, 4))


def candidate_photo_path(instance, file_name: str) -> str:
    """A random stored name with the photo's checked extension: the uploader chooses nothing on disk."""
    from ajet.organisation.uploads import extension_of

    extension = extension_of(file_name)
    return f"candidates/{secrets.token_urlsafe(18)}.{extension if extension in ('jpg', 'png') else 'bin'}"


def new_seed() -> int:
    return secrets.randbelow(2**31)


class Election(models.Model):
    """One election (the annual council election, a by-election or a re-run) with its phases and settings."""

    class Phase(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NOMINATIONS_OPEN = "nominations_open", _("Nominations open")
        NOMINATIONS_CLOSED = "nominations_closed", _("Nominations closed")
        VOTING_OPEN = "voting_open", _("Voting open")
        VOTING_CLOSED = "voting_closed", _("Voting closed")
        COUNTED = "counted", _("Counted")
        CERTIFIED = "certified", _("Certified")

    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.DRAFT)
    # Stored in UTC, shown in Asia/Tokyo (the site's time zone).
    nominations_open_at = models.DateTimeField(_("nominations open"))
    nominations_close_at = models.DateTimeField(_("nominations close"))
    voting_open_at = models.DateTimeField(_("voting opens"))
    voting_close_at = models.DateTimeField(_("voting closes"))
    opens_on_schedule = models.BooleanField(
        _("open nominations on schedule"), default=False,
        help_text=_("Nominations open by themselves at their date (members are e-mailed). Otherwise the draft "
                    "waits for an executive to open them."))
    is_rehearsal = models.BooleanField(
        _("rehearsal"), default=False,
        help_text=_("Runs every phase on the real roll for practice; its result never creates terms."))
    allow_revote = models.BooleanField(
        _("allow re-voting"), default=False,
        help_text=_("While voting is open, a voter may replace their ballot with the re-vote secret shown on "
                    "their receipt (the platform keeps only a hash of the secret, never who holds it)."))
    publish_full_ballots = models.BooleanField(
        _("publish full ballots"), default=True,
        help_text=_("Publish every ballot's ranking on the bulletin board. Off: only tracking codes and the "
                    "per-round totals are published (an unusual ranking can identify a voter to a coercer)."))
    membership_cutoff = models.DateField(
        _("members who joined before"), null=True, blank=True,
        help_text=_("Optional: only members who joined before this day may vote (e.g. a re-run)."))
    term_start = models.DateField(_("winners' terms start"))
    term_end = models.DateField(_("winners' terms end"))
    committee = models.ManyToManyField(
        "people.Member", related_name="election_committees", blank=True, verbose_name=_("election committee"))
    seed = models.PositiveIntegerField(default=new_seed, editable=False)  # published tie-break seed
    board_hash = models.CharField(_("bulletin board hash"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ElectionDataQuerySet.as_manager()

    class Meta:
        ordering = ["-voting_open_at"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        constraints = [
            models.CheckConstraint(
                condition=Q(nominations_open_at__lt=models.F("nominations_close_at"))
                & Q(nominations_close_at__lte=models.F("voting_open_at"))
                & Q(voting_open_at__lt=models.F("voting_close_at")),
                name="election_dates_in_order",
            ),
            models.CheckConstraint(condition=Q(term_end__gte=models.F("term_start")),
                                   name="election_terms_end_after_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("elections:election", args=[self.slug])

    @property
    def ballots_closed(self) -> bool:
        return self.phase in (self.Phase.VOTING_CLOSED, self.Phase.COUNTED, self.Phase.CERTIFIED)

    @property
    def is_counted(self) -> bool:
        return self.phase in (self.Phase.COUNTED, self.Phase.CERTIFIED)


class Contest(models.Model):
    """One post put to the vote in an election, or a referendum question (no post: a `question` answered
    Yes / No / Abstain, carried by its `threshold`), with who may vote in it. Both go through the same roll,
    ballots, participation, bulletin board and result package."""

    class Threshold(models.TextChoices):
        SIMPLE = "simple", _("Simple majority of votes cast")
        TWO_THIRDS = "two-thirds", _("Two-thirds majority of votes cast")

    class Eligibility(models.TextChoices):
        ALL_CURRENT = "all", _("All current members")
        BLOCK = "block", _("Current members of a block")
        POSITION = "position", _("Current members of a position")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    post = models.ForeignKey("organisation.Post", on_delete=models.PROTECT, related_name="contests",
                             null=True, blank=True, verbose_name=_("post"))
    question = models.CharField(_("referendum question (English)"), max_length=500, blank=True,
                                validators=[validate_plain_text])
    question_ja = models.CharField(_("referendum question (Japanese)"), max_length=500, blank=True,
                                   validators=[validate_plain_text])
    threshold = models.CharField(_("majority needed"), max_length=10, choices=Threshold.choices, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    eligibility = models.CharField(_("who may vote"), max_length=10, choices=Eligibility.choices,
                                   default=Eligibility.ALL_CURRENT)
    block = models.ForeignKey("organisation.Block", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("block"))
    position = models.CharField(_("position"), max_length=5, blank=True)
    order = models.PositiveSmallIntegerField(default=100)
    word_limit = models.PositiveSmallIntegerField(
        _("platform word limit"), default=250,
        help_text=_("The most words a candidate's platform may have (in each language)."))
    roll_size = models.PositiveIntegerField(_("eligible voters"), null=True, blank=True, editable=False)
    result = models.JSONField(null=True, blank=True, editable=False)  # the count package's CountResult.as_dict()
    vacant = models.BooleanField(_("left vacant (re-open nominations won)"), default=False, editable=False)

    objects = ElectionDataQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        constraints = [
            models.UniqueConstraint(fields=["election", "post"], name="one_contest_per_post_per_election"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="contest_has_a_seat"),
            models.CheckConstraint(
                condition=(Q(eligibility="all", block__isnull=True, position="")
                           | Q(eligibility="block", block__isnull=False, position="")
                           | (Q(eligibility="position", block__isnull=True) & ~Q(position=""))),
                name="contest_eligibility_names_its_group",
            ),
            models.CheckConstraint(
                condition=(Q(post__isnull=False, question="", question_ja="", threshold="")
                           | (Q(post__isnull=True, seats=1) & ~Q(question="") & ~Q(threshold=""))),
                name="contest_is_a_post_or_a_referendum_question",
            ),
        ]

    def __str__(self):
        return f"{self.election}: {self.question if self.is_referendum else self.post}"

    @property
    def is_referendum(self) -> bool:
        return self.post_id is None

    @property
    def name(self) -> str:
        """The post's name, or the referendum question (in Japanese when the page is and it has one)."""
        if self.is_referendum:
            return self.question_ja if get_language() == "ja" and self.question_ja else self.question
        return self.post.name

    @property
    def key(self) -> str:
        """The contest's name in files and on the bulletin board: the post's slug, or `referendum-<id>`."""
        return f"referendum-{self.pk}" if self.is_referendum else self.post.slug


class Candidate(models.Model):
    """A nominee in a contest, the contest's "Re-open nominations" (RON) pseudo-candidate (no member), or
    an answer to a referendum question (`answer`: Yes, No or Abstain; no member)."""

    class Answer(models.TextChoices):
        YES = "Yes", _("Yes")
        NO = "No", _("No")
        ABSTAIN = "Abstain", _("Abstain")

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Awaiting the committee")
        APPROVED = "approved", _("Standing")
        REJECTED = "rejected", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="candidates")
    member = models.ForeignKey("people.Member", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="candidacies")
    is_reopen_nominations = models.BooleanField(default=False, editable=False)
    answer = models.CharField(max_length=7, choices=Answer.choices, blank=True, editable=False)
    name = models.CharField(_("name on the ballot"), max_length=150, validators=[validate_plain_text])
    platform_en = models.TextField(_("platform (English)"), blank=True, validators=[validate_plain_multiline_text])
    platform_ja = models.TextField(_("platform (Japanese)"), blank=True, validators=[validate_plain_multiline_text])
    photo = models.FileField(_("photo"), upload_to=candidate_photo_path, max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NOMINATED)
    reason = models.CharField(_("reason"), max_length=500, blank=True, validators=[validate_plain_text])

    objects = ElectionDataQuerySet.as_manager()

    class Meta:
        ordering = ["is_reopen_nominations", "name"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(fields=["contest", "member"], condition=Q(member__isnull=False),
                                    name="one_candidacy_per_member_per_contest"),
            models.UniqueConstraint(fields=["contest"], condition=Q(is_reopen_nominations=True),
                                    name="one_reopen_nominations_per_contest"),
            models.UniqueConstraint(fields=["contest", "answer"], condition=~Q(answer=""),
                                    name="one_of_each_answer_per_question"),
        ]

    def __str__(self):
        return self.name

    @property
    def platform(self) -> str:
        if get_language() == "ja" and self.platform_ja:
            return self.platform_ja
        return self.platform_en

    @property
    def on_ballot(self) -> bool:
        return self.is_reopen_nominations or self.status == self.Status.APPROVED

    @property
    def is_nominee(self) -> bool:
        return not self.is_reopen_nominations and not self.answer


class RollEntry(models.Model):
    """The electoral roll of a contest, frozen when voting opens."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="roll")
    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="roll_entries")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "member"], name="one_roll_entry_per_member")]

    def __str__(self):
        return f"{self.member_id} on the roll of {self.contest_id}"


class Ballot(models.Model):
    """One secret ballot: a ranking of the contest's candidate ids, and the voter's random tracking code.
    Nothing here leads back to the voter (see the module's docstring and tests/elections/test_secrecy.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="ballots")
    ranking = models.JSONField(default=list)  # candidate ids, first choice first; [] is a blank ballot
    tracking_code = models.CharField(max_length=20, unique=True, default=new_tracking_code)
    # Elections that allow re-voting: sha256 of a random secret shown only on the voter's receipt. Whoever
    # presents the secret (a member who voted in the contest) may replace this ballot while voting is open.
    # It is derived from nothing about the voter. Cleared when the ballot box is sealed.
    revote_hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self):
        return self.tracking_code


class Participation(models.Model):
    """That a member voted in a contest, and on which day (nothing finer). One per member per contest."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey("people.Member", on_delete=models.CASCADE, related_name="participations")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="participations")
    day = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "contest"], name="one_vote_per_member_per_contest")]

    def __str__(self):
        return f"{self.member_id} voted in {self.contest_id} on {self.day}"


class ResultPackage(models.Model):
    """The archive of a certified election (services.build_result_package): a zip of the anonymised ballots,
    the results with their rounds, the roll counts, the board's hash chain head, the software version and
    the sign-off. Written once, at certification."""

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="result_package")
    archive = models.BinaryField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("result package")
        verbose_name_plural = _("result packages")

    def __str__(self):
        return f"{self.election} ({self.sha256[:12]})"
