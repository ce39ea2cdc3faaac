"""Forms of the voice app: the officers' survey, section and question forms, and the member's answer form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ajet.core.forms import BoundedDateField, PlausibleIdsMultipleChoiceField
from ajet.core.validators import validate_plain_multiline_text, validate_plain_text
from ajet.people.models import Member
from ajet.voice import services
from ajet.voice.models import (
    AgendaItem,
    Concern,
    ConcernUpdate,
    FollowUp,
    Question,
    Section,
    SponsorAnswer,
    SponsorMeeting,
    Survey,
)
from ajet.voice.results import LIKERT_LABELS
from ajet.voice.services import NUMBER_LIMIT


def _tokyo_datetime(label):
    return forms.DateTimeField(label=label, help_text=_("Japan time (Asia/Tokyo), e.g. 2026-02-01 09:00."))


class SurveyForm(forms.ModelForm):
    opens_at = _tokyo_datetime(_("Opens"))
    closes_at = _tokyo_datetime(_("Closes"))
    positions = forms.MultipleChoiceField(
        label=_("Only these positions"), choices=Member.Position.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every position."))

    class Meta:
        model = Survey
        fields = ["title_en", "title_ja", "intro_en", "intro_ja", "audience", "block", "prefecture", "chapter",
                  "positions", "opens_at", "closes_at", "is_anonymous"]
        widgets = {"intro_en": forms.Textarea(attrs={"rows": 3}), "intro_ja": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        named = {"block": cleaned.get("block"), "prefecture": cleaned.get("prefecture"),
                 "chapter": cleaned.get("chapter")}
        missing = {"block": _("Choose the block this survey is for."),
                   "prefecture": _("Choose the prefecture this survey is for."),
                   "chapter": _("Choose the chapter this survey is for.")}
        for name, value in named.items():
            if audience == name and value is None:
                self.add_error(name, missing[name])
            elif audience != name and value is not None:
                self.add_error(name, _("Leave this empty: the audience you chose does not use it."))
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and opens >= closes:
            self.add_error("closes_at", _("The survey must close after it opens."))
        cleaned["positions"] = sorted(cleaned.get("positions") or [])
        return cleaned


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title_en", "title_ja"]


class QuestionForm(forms.ModelForm):
    options = forms.CharField(
        label=_("Options"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_plain_multiline_text],
        help_text=_("Choice questions only: one option a line; add the Japanese after a “|”, e.g. “Yes | はい”."))

    class Meta:
        model = Question
        fields = ["section", "kind", "text_en", "text_ja", "is_required", "min_value", "max_value"]

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = survey.sections.all()

    def clean_options(self):
        options = []
        for line in self.cleaned_data["options"].splitlines():
            if line.strip():
                english, _bar, japanese = line.partition("|")
                if len(english.strip()) > 200 or len(japanese.strip()) > 200:
                    raise forms.ValidationError(_("Keep each option under 200 characters."))
                options.append((english.strip(), japanese.strip()))
        return options


class QuestionChangeForm(QuestionForm):
    """A question's wording, and until the first response its type, range and options (in the same place)."""

    class Meta(QuestionForm.Meta):
        fields = ["kind", "text_en", "text_ja", "is_required", "min_value", "max_value"]

    def __init__(self, *args, survey: Survey, **kwargs):
        forms.ModelForm.__init__(self, *args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["options"] = "\n".join(
                f"{option.text_en} | {option.text_ja}" if option.text_ja else option.text_en
                for option in self.instance.options.all())


class AnswerForm(forms.Form):
    """One field per question, named `q<question id>`. Fields are optional here: a draft may be partial;
    a submission is checked by services.validate_answers, whose problems are shown on their fields."""

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.select_related("section").prefetch_related("options"))
        for question in self.questions:
            self.fields[self.field_name(question)] = self._field_for(question)

    @staticmethod
    def field_name(question: Question) -> str:
        return f"q{question.pk}"

    def _field_for(self, question: Question) -> forms.Field:
        label = question.text
        common = {"label": label, "required": False,
                  "help_text": _("Required") if question.is_required else _("Optional")}
        options = [(option.pk, option.text) for option in question.options.all()]
        if question.kind == Question.Kind.SINGLE:
            return forms.TypedChoiceField(choices=options, coerce=int, empty_value=None,
                                          widget=forms.RadioSelect, **common)
        if question.kind == Question.Kind.MULTIPLE:
            return forms.TypedMultipleChoiceField(choices=options, coerce=int, widget=forms.CheckboxSelectMultiple,
                                                  **common)
        if question.kind == Question.Kind.LIKERT:
            points = [(point, f"{point} · {text}") for point, text in LIKERT_LABELS.items()]
            return forms.TypedChoiceField(choices=points, coerce=int, empty_value=None, widget=forms.RadioSelect,
                                          **common)
        if question.kind == Question.Kind.NUMBER:
            lowest = question.min_value if question.min_value is not None else -NUMBER_LIMIT
            highest = question.max_value if question.max_value is not None else NUMBER_LIMIT
            return forms.IntegerField(min_value=lowest, max_value=highest, **common)
        if question.kind == Question.Kind.SHORT_TEXT:
            return forms.CharField(max_length=500, validators=[validate_plain_text], **common)
        return forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                               validators=[validate_plain_multiline_text], **common)

    def sections(self):
        """(section, its bound fields) in order, for the template."""
        grouped: dict = {}
        for question in self.questions:
            grouped.setdefault(question.section, []).append(self[self.field_name(question)])
        return list(grouped.items())

    def values(self) -> dict[str, object]:
        """The answers given, by question id (as text, the shape drafts are stored in)."""
        return {str(question.pk): self.cleaned_data.get(self.field_name(question)) for question in self.questions}

    @staticmethod
    def initial_from(values: dict) -> dict:
        return {f"q{key}": value for key, value in values.items()}

    def add_problems(self, problems: dict[int, str]) -> None:
        by_id = {question.pk: question for question in self.questions}
        for question_id, message in problems.items():
            self.add_error(self.field_name(by_id[question_id]) if question_id in by_id else None, message)


class ConcernForm(forms.ModelForm):
    class Meta:
        model = Concern
        fields = ["title", "text", "category", "level", "visibility"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6}), "level": forms.RadioSelect,
                   "visibility": forms.RadioSelect}


class ConcernUpdateForm(forms.ModelForm):
    """Acknowledge, ask for more information (the note is the question), or set any other status."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [choice for choice in self.fields["status"].choices
                                         if choice[0] != Concern.Status.MERGED]
        self.fields["note"].help_text = _("The member reads it. For “More information needed”, write your question: "
                                          "a member who gave their name is told by e-mail.")

    class Meta:
        model = ConcernUpdate
        fields = ["status", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class PlausibleIdChoiceField(forms.ModelChoiceField):
    """Refuses anything but a plausible id before asking the database (see PlausibleIdsMultipleChoiceField)."""

    def to_python(self, value):
        if value not in self.empty_values and (not str(value).isdigit() or len(str(value)) > 15):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class MergeForm(forms.Form):
    into = PlausibleIdChoiceField(label=_("Merge into (the concern this one duplicates)"),
                                        queryset=Concern.objects.none())

    def __init__(self, *args, concerns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = concerns


class TagForm(forms.Form):
    tags = forms.CharField(label=_("Tags"), required=False, max_length=400, validators=[validate_plain_text],
                           help_text=_("Separated by commas, e.g. “overtime, renewal”."))

    def clean_tags(self):
        try:
            return services.clean_tags(self.cleaned_data["tags"])
        except services.ConcernError as error:
            raise forms.ValidationError(str(error)) from None


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                           validators=[validate_plain_multiline_text])


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("Receipt code"), max_length=64, strip=True, validators=[validate_plain_text],
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))

    def clean(self):
        cleaned = super().clean()
        concern = services.concern_by_receipt(cleaned.get("code", ""))
        if concern is None and "code" in cleaned:
            raise forms.ValidationError(_("No concern has this receipt code. Check it and try again."))
        cleaned["concern"] = concern
        return cleaned


class MeetingForm(forms.ModelForm):
    held_on = BoundedDateField(label=_("Held on"))
    sponsors = forms.MultipleChoiceField(label=_("Sponsors attending"), choices=SponsorMeeting.Sponsor.choices,
                                         widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = SponsorMeeting
        fields = ["title", "held_on", "sponsors"]


class AgendaItemForm(forms.ModelForm):
    def __init__(self, *args, concerns, surveys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns"].queryset = concerns
        self.fields["surveys"].queryset = surveys

    class Meta:
        model = AgendaItem
        fields = ["title_en", "title_ja", "recommendation_en", "recommendation_ja", "concerns", "surveys"]
        field_classes = {"concerns": PlausibleIdsMultipleChoiceField, "surveys": PlausibleIdsMultipleChoiceField}
        widgets = {"recommendation_en": forms.Textarea(attrs={"rows": 3}),
                   "recommendation_ja": forms.Textarea(attrs={"rows": 3}),
                   "concerns": forms.CheckboxSelectMultiple, "surveys": forms.CheckboxSelectMultiple}


class SponsorAnswerForm(forms.ModelForm):
    class Meta:
        model = SponsorAnswer
        fields = ["sponsor", "answer_en", "answer_ja"]
        widgets = {"answer_en": forms.Textarea(attrs={"rows": 3}), "answer_ja": forms.Textarea(attrs={"rows": 3})}


class PublishForm(forms.ModelForm):
    class Meta:
        model = SponsorMeeting
        fields = ["summary_en", "summary_ja"]
        widgets = {"summary_en": forms.Textarea(attrs={"rows": 5}), "summary_ja": forms.Textarea(attrs={"rows": 5})}


class FollowUpForm(forms.ModelForm):
    due_on = BoundedDateField(label=_("Due on"))

    def __init__(self, *args, owner_choices=None, **kwargs):
        """`owner_choices`: the owners' options computed once for a page with one form per agenda item."""
        super().__init__(*args, **kwargs)
        from django.db.models import Q
        from django.utils import timezone

        from ajet.organisation.models import Post

        self.fields["owner"].queryset = Post.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()), chapter__isnull=True)
        if owner_choices is not None:
            self.fields["owner"].widget.choices = owner_choices

    class Meta:
        model = FollowUp
        fields = ["text_en", "text_ja", "owner", "due_on"]
        field_classes = {"owner": PlausibleIdChoiceField}


class TranslatorForm(forms.Form):
    """An executive names a member as a volunteer translator by their e-mail address."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254, validators=[validate_plain_text])
