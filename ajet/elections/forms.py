"""Forms of the elections app: the ranked ballot, nominations, and the executives' election form."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ajet.core.forms import BoundedDateField, PlausibleIdsMultipleChoiceField
from ajet.core.validators import validate_plain_multiline_text, validate_plain_text
from ajet.elections.models import Candidate, Contest, Election
from ajet.organisation.models import Block, Post
from ajet.people.models import Member

ORDINALS = {1: _("1st choice"), 2: _("2nd choice"), 3: _("3rd choice")}


def rank_label(rank: int) -> str:
    return str(ORDINALS.get(rank) or _("Choice %(rank)s") % {"rank": rank})


def candidate_label(candidate: Candidate) -> str:
    if candidate.answer:
        return str(Candidate.Answer(candidate.answer).label)
    return str(_("Re-open nominations")) if candidate.is_reopen_nominations else candidate.name


ANSWER_ORDER = [answer.value for answer in Candidate.Answer]  # Yes, No, Abstain


def ranks(contest: Contest) -> range:
    """The rank positions of a contest on the ballot: one per candidate, or one answer to a question."""
    return range(1, 2 if contest.is_referendum else len(contest.ballot_candidates) + 1)


class BallotForm(forms.Form):
    """One select per rank position for each contest: works without JavaScript and on a phone.

    Fields are named `c<contest id>_<rank>`. Ranks may be left empty (a skipped rank is passed over);
    a contest with no choice at all is not cast now (the member may come back to it while voting is open).
    A referendum question has one field, `c<contest id>_1`: radio buttons Yes / No / Abstain.
    """

    def __init__(self, *args, contests: list[Contest], **kwargs):
        super().__init__(*args, **kwargs)
        self.contests = contests
        for contest in contests:
            if contest.is_referendum:
                answers = sorted(contest.ballot_candidates, key=lambda answer: ANSWER_ORDER.index(answer.answer))
                self.fields[self.field_name(contest, 1)] = forms.TypedChoiceField(
                    label=_("Your answer"), choices=[(str(answer.pk), candidate_label(answer)) for answer in answers],
                    widget=forms.RadioSelect, required=False, coerce=int, empty_value=None)
                continue
            choices = [("", _("— no choice —"))] + [
                (str(candidate.pk), candidate_label(candidate)) for candidate in contest.ballot_candidates]
            for rank in ranks(contest):
                self.fields[self.field_name(contest, rank)] = forms.TypedChoiceField(
                    label=rank_label(rank), choices=choices, required=False, coerce=int, empty_value=None)

    @staticmethod
    def field_name(contest: Contest, rank: int) -> str:
        return f"c{contest.pk}_{rank}"

    def sections(self):
        """(contest, its bound fields in rank order) for the template."""
        return [(contest, [self[self.field_name(contest, rank)] for rank in ranks(contest)])
                for contest in self.contests]

    def clean(self):
        cleaned = super().clean()
        self.rankings: dict[Contest, list[int]] = {}
        for contest in self.contests:
            ranking = []
            for rank in ranks(contest):
                choice = cleaned.get(self.field_name(contest, rank))
                if choice is None:
                    continue
                if choice in ranking:
                    self.add_error(self.field_name(contest, rank),
                                   _("You ranked this candidate already: choose each candidate at most once."))
                ranking.append(choice)
            if ranking:
                self.rankings[contest] = ranking
        if not self.errors and not self.rankings:
            raise forms.ValidationError(_("Choose at least one candidate in one contest."))
        return cleaned

    def summary(self) -> list[tuple[Contest, list[str]]]:
        """What the voter chose, by contest, as names in rank order (blank contests included)."""
        rows = []
        for contest in self.contests:
            by_id = {candidate.pk: candidate_label(candidate) for candidate in contest.ballot_candidates}
            rows.append((contest, [by_id[pk] for pk in self.rankings.get(contest, [])]))
        return rows


class RevoteForm(BallotForm):
    """A new ranking for one contest and the re-vote secret from the receipt. An empty ranking is a blank ballot."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secret"] = forms.CharField(
            label=_("Re-vote secret"), max_length=40, validators=[validate_plain_text],
            help_text=_("As shown on your receipt, for example 7KQ2M-X9PRT-4HV8N-C3WQZ."))

    def clean(self):
        cleaned = forms.Form.clean(self)
        self.rankings = {}
        for contest in self.contests:
            ranking = []
            for rank in ranks(contest):
                choice = cleaned.get(self.field_name(contest, rank))
                if choice is None:
                    continue
                if choice in ranking:
                    self.add_error(self.field_name(contest, rank),
                                   _("You ranked this candidate already: choose each candidate at most once."))
                ranking.append(choice)
            self.rankings[contest] = ranking
        return cleaned


class BoardCheckForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20, help_text=_("For example K7QF-9XWM-2PRT."),
                           validators=[validate_plain_text])


def _tokyo_datetime(label):
    return forms.DateTimeField(label=label, help_text=_("Japan time (Asia/Tokyo), e.g. 2026-02-01 09:00."))


class ElectionForm(forms.ModelForm):
    posts = PlausibleIdsMultipleChoiceField(
        label=_("Posts to elect"), queryset=Post.objects.none(), widget=forms.CheckboxSelectMultiple)
    nominations_open_at = _tokyo_datetime(_("Nominations open"))
    nominations_close_at = _tokyo_datetime(_("Nominations close"))
    voting_open_at = _tokyo_datetime(_("Voting opens"))
    voting_close_at = _tokyo_datetime(_("Voting closes"))
    membership_cutoff = BoundedDateField(label=_("Only members who joined before"), required=False)
    term_start = BoundedDateField(label=_("Winners' terms start"))
    term_end = BoundedDateField(label=_("Winners' terms end"))

    class Meta:
        model = Election
        fields = ["title", "slug", "nominations_open_at", "nominations_close_at", "voting_open_at",
                  "voting_close_at", "opens_on_schedule", "is_rehearsal", "allow_revote", "publish_full_ballots",
                  "membership_cutoff", "term_start", "term_end"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = Post.objects.filter(chapter=None).exclude(kind=Post.Kind.APPOINTED)

    def clean(self):
        cleaned = super().clean()
        order = ["nominations_open_at", "nominations_close_at", "voting_open_at", "voting_close_at"]
        values = [cleaned.get(name) for name in order]
        if all(values) and not (values[0] < values[1] <= values[2] < values[3]):
            raise forms.ValidationError(_("The dates must follow each other: nominations open, nominations "
                                          "close, voting opens, voting closes."))
        if cleaned.get("term_start") and cleaned.get("term_end") and cleaned["term_end"] < cleaned["term_start"]:
            self.add_error("term_end", _("The terms cannot end before they start."))
        return cleaned


class ReferendumQuestionForm(forms.Form):
    question = forms.CharField(label=_("Question (English)"), max_length=500, validators=[validate_plain_text],
                               help_text=_("Answered yes, no or abstain, e.g. “Do you approve the amendment to "
                                           "Article 5 of the constitution?”"))
    question_ja = forms.CharField(label=_("Question (Japanese, optional)"), max_length=500, required=False,
                                  validators=[validate_plain_text])
    threshold = forms.ChoiceField(label=_("Majority needed"), choices=Contest.Threshold.choices,
                                  initial=Contest.Threshold.SIMPLE,
                                  help_text=_("Of the votes cast (yes and no): abstentions are not votes cast."))


class ElectorateForm(forms.Form):
    """Who may vote in a contest (or a question): everyone, a block, or a position."""

    eligibility = forms.ChoiceField(label=_("Who may vote"), choices=Contest.Eligibility.choices,
                                    widget=forms.RadioSelect)
    block = forms.ModelChoiceField(label=_("Block (if a block votes)"), queryset=Block.objects.all(), required=False)
    position = forms.ChoiceField(label=_("Position (if a position votes)"), required=False,
                                 choices=[("", "—"), *Member.Position.choices])

    def clean(self):
        cleaned = super().clean()
        eligibility = cleaned.get("eligibility")
        if eligibility == Contest.Eligibility.BLOCK and not cleaned.get("block"):
            self.add_error("block", _("Choose the block whose members vote."))
        if eligibility == Contest.Eligibility.POSITION and not cleaned.get("position"):
            self.add_error("position", _("Choose the position whose members vote."))
        return cleaned


class RollCorrectionForm(forms.Form):
    message = forms.CharField(
        label=_("What is wrong with your roll?"), max_length=2000, widget=forms.Textarea,
        validators=[validate_plain_multiline_text],
        help_text=_("For example: “I moved to Nagano (block 4) in March; I should vote for the Block 4 "
                    "Representative.”"))


class NominationForm(forms.Form):
    """A member stands for one of the contests they may stand in (`contests`); the word limit is the chosen
    contest's, and the service checks everything again."""

    contest = forms.ModelChoiceField(label=_("Post"), queryset=Contest.objects.none())
    platform_en = forms.CharField(label=_("Platform (English)"), widget=forms.Textarea,
                                  validators=[validate_plain_multiline_text])
    platform_ja = forms.CharField(label=_("Platform (Japanese, optional)"), widget=forms.Textarea, required=False,
                                  validators=[validate_plain_multiline_text])
    photo = forms.FileField(label=_("Photo (optional)"), required=False,
                            help_text=_("A JPEG or PNG image, at most 5 MB."))

    def __init__(self, *args, contests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contest"].queryset = contests
        if len(contests) == 1:
            self.fields["contest"].empty_label = None  # the only post a member may stand for is chosen already
        self.fields["contest"].label_from_instance = lambda contest: ngettext(
            "%(post)s (at most %(limit)d word)", "%(post)s (at most %(limit)d words)", contest.word_limit) % {
            "post": contest.post.name, "limit": contest.word_limit}
        self.fields["platform_ja"].help_text = _("Up to two characters per word of the post's limit.")

    def clean_photo(self):
        from ajet.elections.photos import check_photo_upload
        from ajet.organisation.uploads import UploadRefused

        photo = self.cleaned_data.get("photo")
        if photo:
            try:
                check_photo_upload(photo)
            except UploadRefused as refused:
                raise forms.ValidationError(refused.message) from None
        return photo or None

    def clean(self):
        from ajet.elections.services import platform_problem

        cleaned = super().clean()
        contest = cleaned.get("contest")
        if contest is not None and "platform_en" in cleaned:
            problem = platform_problem(contest, cleaned["platform_en"], cleaned.get("platform_ja") or "")
            if problem:
                raise forms.ValidationError(problem)
        return cleaned


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason (required to reject)"), max_length=500, required=False,
                             validators=[validate_plain_text])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the candidate a reason."))
        return cleaned
