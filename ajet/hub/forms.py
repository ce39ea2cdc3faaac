"""Forms of the hub: the officer's announcement form (audiences limited to what they may address) and the
member's e-mail preferences."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ajet.core.validators import validate_plain_text
from ajet.hub import queries
from ajet.hub.models import SCOPE_KINDS, Announcement, Event, Preference
from ajet.people.models import Member

POSITION_CHOICES = [(value, label) for value, label in Member.Position.choices if value != Member.Position.OTHER]


class AnnouncementForm(forms.ModelForm):
    audience = forms.ChoiceField(label=_("Audience"))
    positions = forms.MultipleChoiceField(
        label=_("Only these positions"), choices=POSITION_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Leave empty to reach every position."))
    send_at = forms.DateTimeField(
        label=_("Send at"), required=False,
        help_text=_("Japan time (Asia/Tokyo), e.g. 2026-02-01 09:00. Leave empty to send now."))

    class Meta:
        model = Announcement
        fields = ["title", "body", "title_ja", "body_ja", "is_public", "requires_acknowledgement", "send_at"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = queries.audience_choices(user)
        self.fields["title"].validators.append(validate_plain_text)
        order = ["audience", "positions"]
        self.order_fields(order + [name for name in self.fields if name not in order])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title_ja") and not cleaned.get("body_ja"):
            self.add_error("body_ja", _("Give the Japanese text too, or leave the Japanese title empty."))
        return cleaned

    def scope(self):
        return queries.parse_audience(self.cleaned_data["audience"], self.cleaned_data.get("positions") or ())

    def announcement_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PreferencesForm(forms.Form):
    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in SCOPE_KINDS:
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=Preference.Mode.choices, widget=forms.RadioSelect,
                initial=current.get(kind, Preference.Mode.IMMEDIATE))


class AnnouncementFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Audience"), required=False, choices=[("", _("All")), *SCOPE_KINDS])
    unread = forms.BooleanField(label=_("Only those waiting for my confirmation"), required=False)


class EventForm(forms.ModelForm):
    audience = forms.ChoiceField(label=_("Audience"))
    positions = forms.MultipleChoiceField(
        label=_("Only these positions"), choices=POSITION_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Leave empty to reach every position."))
    start = forms.DateTimeField(label=_("Starts"), help_text=_("Japan time (Asia/Tokyo), e.g. 2026-02-01 18:30."))
    end = forms.DateTimeField(label=_("Ends"), help_text=_("Japan time (Asia/Tokyo), e.g. 2026-02-01 21:00."))

    class Meta:
        model = Event
        fields = ["title", "description", "start", "end", "place", "capacity", "is_public"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = queries.audience_choices(user)
        self.fields["capacity"].min_value = 1
        self.fields["capacity"].widget.attrs["min"] = 1

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", _("The event must end after it starts."))
        return cleaned

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 1:
            raise forms.ValidationError(_("Give at least one place, or leave it empty for no limit."))
        return capacity

    def scope(self):
        return queries.parse_audience(self.cleaned_data["audience"], self.cleaned_data.get("positions") or ())

    def event_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
