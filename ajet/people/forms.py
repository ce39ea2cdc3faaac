from django import forms
from django.utils.translation import gettext_lazy as _

from ajet.core.forms import BoundedDateField
from ajet.core.validators import validate_plain_text
from ajet.people.models import JET_NUMBER_VALIDATOR, Member

PREFECTURE_MODEL = Member._meta.get_field("prefecture").related_model
NO_CHOICE = "—"  # the empty choice of every optional list on the member forms


# The fields that sign-up and the profile share are made here once, so that they read the same on both pages.
def prefecture_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("Prefecture"), queryset=PREFECTURE_MODEL.objects.all(),
                                  empty_label=_("Choose your prefecture"))


def year_on_jet_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=_("Year on JET"), coerce=int,
                                  choices=[("", _("Choose your year on JET")), *[(n, n) for n in range(1, 6)]])


def arrival_group_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Arrival group"), required=False,
                             choices=[("", NO_CHOICE), *Member.ArrivalGroup.choices])


class MemberFieldsMixin:
    """Clean-up shared by the sign-up and profile forms.

    A JET number that another member holds is accepted like any other: telling the person would let anyone
    test which numbers are registered. The services keep it aside for the confirming officer to check."""

    def clean_jet_number(self):
        number = (self.cleaned_data.get("jet_number") or "").strip()
        return number or None


class SignupForm(MemberFieldsMixin, forms.Form):
    """The extra fields allauth asks at sign-up; `signup` creates the pending Member profile."""

    full_name = forms.CharField(label=_("Name"), max_length=150, validators=[validate_plain_text])
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Member._meta.get_field(
        "preferred_language").choices, initial="en")
    position = forms.ChoiceField(label=_("Position"), choices=Member.Position.choices)
    prefecture = prefecture_field()
    contracting_organisation = forms.CharField(label=_("Contracting organisation"), max_length=200, required=False,
                                               validators=[validate_plain_text])
    year_on_jet = year_on_jet_field()
    arrival_group = arrival_group_field()
    jet_number = forms.CharField(label=_("JET number (optional)"), max_length=11, required=False,
                                 validators=[JET_NUMBER_VALIDATOR],
                                 help_text=_("11 digits starting with 20. Only officers who confirm members see it."))

    def signup(self, request, user):
        from ajet.people.services import create_member_profile

        create_member_profile(user=user, **{name: self.cleaned_data[name] for name in SignupForm.declared_fields})


class ProfileForm(MemberFieldsMixin, forms.ModelForm):
    prefecture = prefecture_field()
    year_on_jet = year_on_jet_field()
    arrival_group = arrival_group_field()

    class Meta:
        model = Member
        fields = [
            "full_name", "preferred_language", "position", "prefecture", "contracting_organisation",
            "jet_start_date", "year_on_jet", "arrival_group", "jet_number", "bio",
            "bio_ja",
        ]
        widgets = {"jet_start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        field_classes = {"jet_start_date": BoundedDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["jet_number"] = self.instance.given_jet_number

    def validate_unique(self):
        # A JET number registered to someone else is not an error (see MemberFieldsMixin).
        self.instance.validate_unique(exclude=self._get_validation_exclusions() | {"jet_number"})


class RosterUploadForm(forms.Form):
    """A roster file; cleaning reads it, so `cleaned_data["file"]` is a `roster.RosterFile`."""

    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("A .csv file saved as UTF-8, or an .xlsx workbook (first sheet)."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv,"
                                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def clean_file(self):
        from ajet.people.roster import RosterFileError, read_roster

        try:
            return read_roster(self.cleaned_data["file"])
        except RosterFileError as error:
            raise forms.ValidationError(error.message, code="roster") from error


class QueueDecisionForm(forms.Form):
    """Officers' decision on several sign-ups of the queue: confirm them, or reject them with a reason."""

    CONFIRM, REJECT = "confirm", "reject"

    members = forms.TypedMultipleChoiceField(coerce=int, error_messages={
        "required": _("Choose at least one sign-up.")})
    decision = forms.ChoiceField(choices=[(CONFIRM, _("Confirm")), (REJECT, _("Reject"))])
    reason = forms.ChoiceField(label=_("Reason for rejecting"), required=False,
                               choices=[("", "—"), *Member.RejectionReason.choices])
    note = forms.CharField(label=_("Note for the person (optional)"), max_length=500, required=False,
                           validators=[validate_plain_text])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any plausible id is accepted here (a huge number would overflow the database's integers); the
        # service refuses those outside the officer's area.
        self.fields["members"].valid_value = lambda value: str(value).isdigit() and len(str(value)) <= 15

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REJECT and not data.get("reason"):
            self.add_error("reason", _("Choose why these sign-ups are rejected."))
        return data


class LeaversForm(forms.Form):
    """Who leaves JET at the end of their contract: a roster file of leavers (a `jet_number` or `email`
    column, or both), or everyone who arrived in a given year; and the last day of their contracts."""

    file = forms.FileField(
        label=_("File of leavers"), required=False,
        help_text=_("A .csv (UTF-8 or Shift-JIS) or .xlsx file with a jet_number column, an email column, or "
                    "both: members are found by JET number, and the address must not name someone else. Other "
                    "roster columns are ignored."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}))
    arrival_year = forms.IntegerField(
        label=_("Or: everyone who arrived in"), required=False, min_value=1987, max_value=2100,
        help_text=_("The year of their JET start date, e.g. 2021 for those who came in summer 2021."))
    last_day = BoundedDateField(label=_("Last day of their contracts"),
                                widget=forms.DateInput(attrs={"type": "date"}),
                                help_text=_("They become alumni, and their officer terms end on this day."))

    def clean_file(self):
        from ajet.people.roster import RosterFileError, read_roster

        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        try:
            return read_roster(upload, required=(), one_of=("jet_number", "email"))
        except RosterFileError as error:
            raise forms.ValidationError(error.message, code="roster") from error

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("file")) == bool(data.get("arrival_year")):
            raise forms.ValidationError(_("Upload a file of leavers, or give an arrival year: one of the two."))
        return data
