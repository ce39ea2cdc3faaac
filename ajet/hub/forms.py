"""Forms of the hub: the officer's announcement form (audiences limited to what they may address) and the
member's e-mail preferences."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ajet.core.validators import validate_plain_multiline_text, validate_plain_text
from ajet.hub import queries, services
from ajet.hub.models import MAX_OCCURRENCES, SCOPE_KINDS, Announcement, Event, Preference
from ajet.organisation.uploads import accepted_kinds_text
from ajet.people.models import Member

POSITION_CHOICES = [(value, label) for value, label in Member.Position.choices if value != Member.Position.OTHER]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern): cleans to a list of uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(upload, initial) for upload in data if upload]
        return [single(data, initial)] if data else []


class AnnouncementForm(forms.ModelForm):
    audience = forms.ChoiceField(label=_("Audience"))
    positions = forms.MultipleChoiceField(
        label=_("Only these positions"), choices=POSITION_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Leave empty to reach every position."))
    send_at = forms.DateTimeField(
        label=_("Send at"), required=False,
        help_text=_("Japan time (Asia/Tokyo), e.g. 2026-02-01 09:00. Leave empty to send now."))

    attachments = MultipleFileField(label=_("Attached files"), required=False)

    class Meta:
        model = Announcement
        fields = ["title", "body", "title_ja", "body_ja", "is_public", "requires_acknowledgement", "send_at"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = queries.audience_choices(user)
        self.fields["title"].validators.append(validate_plain_text)
        self.fields["attachments"].help_text = _(
            "Up to %(count)d files of at most %(limit)s each, %(total)s in all. Accepted: %(kinds)s.") % {
            "count": services.MAX_ATTACHMENTS, "limit": filesizeformat(settings.AJET_MAX_UPLOAD_BYTES),
            "total": filesizeformat(settings.AJET_MAX_UPLOAD_BYTES), "kinds": accepted_kinds_text()}
        order = ["audience", "positions"]
        self.order_fields(order + [name for name in self.fields if name not in order])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title_ja") and not cleaned.get("body_ja"):
            self.add_error("body_ja", _("Give the Japanese text too, or leave the Japanese title empty."))
        return cleaned

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        if len(uploads) > services.MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Attach at most %(count)d files.") % {"count": services.MAX_ATTACHMENTS})
        errors = []
        for upload in uploads:
            try:
                services.check_attachment(upload)
            except services.HubError as error:
                errors.append(str(error))
        if errors:
            raise forms.ValidationError(errors)
        return uploads

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
    rsvp_deadline = forms.DateTimeField(
        label=_("Answers close at"), required=False,
        help_text=_("Japan time. Leave empty to take answers until the event starts. For a series, each date "
                    "closes as long before it as this is before the first date."))
    map_url = forms.URLField(label=_("Map link"), required=False, max_length=500, assume_scheme="https",
                             help_text=_("E.g. a Google Maps or OpenStreetMap link to the place."))
    online_url = forms.URLField(label=_("Online link"), required=False, max_length=500, assume_scheme="https",
                                help_text=_("For an online event: the address of the video call."))
    occurrences = forms.IntegerField(
        label=_("Number of dates"), min_value=1, max_value=MAX_OCCURRENCES, initial=1, required=False,
        help_text=_("For a repeating event: how many dates, the first included (at most %(count)d).")
        % {"count": MAX_OCCURRENCES})

    class Meta:
        model = Event
        fields = ["title", "description", "start", "end", "place", "address", "map_url", "online_url", "cost",
                  "capacity", "rsvp_deadline", "recurrence", "occurrences", "is_public"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = queries.audience_choices(user)
        self.fields["capacity"].min_value = 1
        self.fields["capacity"].widget.attrs["min"] = 1
        self.fields["capacity"].help_text = _("Leave empty for no limit. For a series: places per date.")
        order = ["audience", "positions"]
        self.order_fields(order + [name for name in self.fields if name not in order])

    def clean(self):
        cleaned = super().clean()
        start, end, deadline = cleaned.get("start"), cleaned.get("end"), cleaned.get("rsvp_deadline")
        if start and end and end <= start:
            self.add_error("end", _("The event must end after it starts."))
        if start and deadline and deadline > start:
            self.add_error("rsvp_deadline", _("Answers must close before the event starts."))
        cleaned["occurrences"] = cleaned.get("occurrences") or 1
        if not cleaned.get("recurrence") and cleaned["occurrences"] != 1:
            self.add_error("occurrences", _("Choose how the event repeats, or give one date."))
        if cleaned.get("online_url") and not cleaned["online_url"].startswith(("https://", "http://")):
            self.add_error("online_url", _("Give a web address starting with https://."))
        if cleaned.get("map_url") and not cleaned["map_url"].startswith(("https://", "http://")):
            self.add_error("map_url", _("Give a web address starting with https://."))
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


class MessageAttendeesForm(forms.Form):
    date = forms.ChoiceField(label=_("To the attendees of"))
    subject = forms.CharField(label=_("Subject"), max_length=150, validators=[validate_plain_text])
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
                           validators=[validate_plain_multiline_text])

    def __init__(self, *args, dates: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].choices = [("", _("Every date to come"))] + [
            (moment.isoformat(), label) for moment, label in dates]
        self.fields["date"].required = False
        self.dates = {moment.isoformat(): moment for moment, _label in dates}

    def occurrence(self):
        return self.dates.get(self.cleaned_data.get("date") or "")


class ForwardForm(forms.Form):
    announcement = forms.TypedChoiceField(label=_("National announcement"), coerce=int)
    note = forms.CharField(label=_("Your note to the block"), max_length=3000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4}), validators=[validate_plain_multiline_text],
                           help_text=_("Shown above the original text."))

    def __init__(self, *args, announcements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["announcement"].choices = [(announcement.pk, announcement.title)
                                               for announcement in announcements]
