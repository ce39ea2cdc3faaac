"""Forms of the PSG line."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ajet.core.forms import BoundedDateField
from ajet.core.validators import validate_plain_text
from ajet.people.models import Member
from ajet.support import hours, opening_hours
from ajet.support.models import HOUR_CHOICES, ContactLog, Resource, Training, Volunteer


def shift_choices():
    return [(index, f"{opens:%H:%M}–{closes:%H:%M}") for index, (opens, closes) in enumerate(hours.SHIFTS)]


class NightExceptionForm(forms.Form):
    night = BoundedDateField(label=_("Night"), help_text=_("The day the night starts."),
                             widget=forms.DateInput(attrs={"type": "date"}))
    closed = forms.BooleanField(label=_("Closed all night"), required=False)
    opens = forms.TimeField(label=_("Opens at"), required=False, widget=forms.TimeInput(attrs={"type": "time"}),
                            help_text=_("Leave empty for 20:00."))
    closes = forms.TimeField(label=_("Closes at"), required=False, widget=forms.TimeInput(attrs={"type": "time"}),
                             help_text=_("Leave empty for 07:00 (a time before the opening is the next morning)."))
    reason = forms.CharField(label=_("Reason"), max_length=150, required=False, validators=[validate_plain_text])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("closed") and cleaned.get("opens") is None and cleaned.get("closes") is None:
            raise forms.ValidationError(_("Tick “Closed all night”, or give other opening times."))
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens is not None and closes is not None and opens == closes:
            raise forms.ValidationError(_("The line cannot open and close at the same time."))
        return cleaned


class EnrolVolunteerForm(forms.Form):
    email = forms.EmailField(label=_("Member's e-mail address"))

    def clean_email(self):
        member = Member.objects.filter(user__email__iexact=self.cleaned_data["email"]).first()
        if member is None:
            raise forms.ValidationError(_("No member has this e-mail address."))
        return member


class VolunteerForm(forms.ModelForm):
    refresher_due = BoundedDateField(label=_("Refresher due"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Volunteer
        fields = ["is_active", "is_coordinator", "refresher_due"]


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Course"), choices=Training.Kind.choices)
    completed_on = BoundedDateField(label=_("Completed on"), widget=forms.DateInput(attrs={"type": "date"}))


class ShiftForm(forms.Form):
    night = BoundedDateField(label=_("Night"))
    shift = forms.TypedChoiceField(label=_("Shift"), choices=shift_choices, coerce=int)


class AssignShiftForm(ShiftForm):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=Volunteer.objects.filter(
        is_active=True).select_related("member"))


class ContactLogForm(forms.Form):
    hour = forms.TypedChoiceField(label=_("Started around"), choices=HOUR_CHOICES, coerce=int, required=False,
                                  empty_value=None,
                                  help_text=_("The hour the contact started, Japan time (rounded down)."))
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactLog.Channel.choices)
    duration = forms.ChoiceField(label=_("Duration"), choices=ContactLog.Duration.choices)
    topics = forms.MultipleChoiceField(label=_("Topics"), choices=ContactLog.Topic.choices,
                                       widget=forms.CheckboxSelectMultiple)
    referral_given = forms.BooleanField(label=_("A referral was given"), required=False)
    follow_up = forms.BooleanField(label=_("Follow-up needed"), required=False)
    high_risk = forms.BooleanField(label=_("High-risk contact"), required=False)
    note = forms.CharField(
        label=_("Short note (optional)"), max_length=200, required=False, validators=[validate_plain_text],
        help_text=_("Never write a name, place, school, e-mail address or phone number. E-mail addresses and "
                    "phone numbers are removed."))


class ResourceForm(forms.ModelForm):
    """A directory entry. Its opening hours are entered as seven fields, one per weekday ("09:00–17:00",
    several ranges separated by commas, empty for closed) and kept as `weekly_hours`."""

    DAY_FIELDS = [f"hours_{day}" for day in range(opening_hours.DAYS)]

    more_categories = forms.MultipleChoiceField(label=_("Also listed under"), required=False,
                                                choices=Resource.Category.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Resource
        fields = ["name", "category", "more_categories", "phone", "url", "languages", "blocks", "prefectures",
                  "hours", "always_open", "closed_on_holidays"]
        widgets = {"blocks": forms.CheckboxSelectMultiple, "prefectures": forms.CheckboxSelectMultiple}
        help_texts = {"hours": _("As people should read them, e.g. “Weekdays 9:00–17:00, closed 29 December–3 "
                                 "January”. The times per weekday below, and whether it closes on public "
                                 "holidays, are what “open now” uses.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        weekly = self.instance.weekly_hours or []
        for day, (name, label) in enumerate(zip(self.DAY_FIELDS, opening_hours.day_names(), strict=True)):
            self.fields[name] = forms.CharField(
                label=label, required=False, max_length=100,
                initial=opening_hours.format_day(weekly[day]) if weekly else "",
                help_text=_("Japan time, e.g. 09:00–17:00 or 9:00–12:00, 13:00–17:00; 22:00–06:00 runs into the "
                            "next morning. Empty: closed. Leave all seven empty if the hours are not known.")
                if day == 0 else "")

    def clean(self):
        cleaned = super().clean()
        weekly = []
        for name in self.DAY_FIELDS:
            try:
                weekly.append(opening_hours.parse_day(cleaned.get(name, "")))
            except forms.ValidationError as error:
                self.add_error(name, error)
        if self.errors:
            return cleaned
        if not any(weekly):
            weekly = []  # not known as data
        if weekly and cleaned.get("always_open"):
            raise forms.ValidationError(_("A service open 24 hours needs no hours per weekday: leave them empty, "
                                          "or untick “open 24 hours”."))
        self.instance.weekly_hours = weekly
        return cleaned


class ResourceFilterForm(forms.Form):
    """The directory's search: by words, category, language, region and whether it is open now."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, validators=[validate_plain_text])
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("Any category")), *Resource.Category.choices])
    language = forms.CharField(label=_("Language"), required=False, max_length=50, validators=[validate_plain_text])
    region = forms.ChoiceField(label=_("Region"), required=False,
                               help_text=_("A prefecture: the services for it, for its block, and national ones. "
                                           "A block: the services for it, for any of its prefectures, and "
                                           "national ones."))
    open_now = forms.BooleanField(label=_("Open now"), required=False)

    def __init__(self, *args, **kwargs):
        from ajet.organisation.models import Block, Prefecture
        from ajet.support.queries import BLOCK_PREFIX

        super().__init__(*args, **kwargs)
        # One list, blocks then prefectures (a member knows one or the other), so the page needs no script.
        self.fields["region"].choices = [
            ("", _("Anywhere")), ("national", _("National services only")),
            (_("Blocks"), [(f"{BLOCK_PREFIX}{block.pk}", str(block)) for block in Block.objects.all()]),
            (_("Prefectures"), [(prefecture.pk, str(prefecture)) for prefecture in Prefecture.objects.all()]),
        ]


class OfferedShiftForm(forms.Form):
    """Take a shift another volunteer offered, optionally giving one of one's own in exchange."""

    assignment = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    give = forms.CharField(label=_("In exchange for"), required=False, max_length=20, validators=[validate_plain_text])

    def clean_give(self):
        value = self.cleaned_data["give"]
        if not value:
            return None
        night, _sep, shift = value.partition("/")
        try:
            return datetime.date.fromisoformat(night), int(shift)
        except ValueError:
            raise forms.ValidationError(_("Choose one of your shifts.")) from None


class OnCallForm(forms.Form):
    night = BoundedDateField(label=_("Night"), widget=forms.DateInput(attrs={"type": "date"}))
    coordinator = forms.ModelChoiceField(label=_("Coordinator on call"), required=False, queryset=None,
                                         empty_label=_("Nobody"))

    def __init__(self, *args, **kwargs):
        from ajet.support.queries import coordinators

        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators()
