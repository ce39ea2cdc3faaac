"""Form fields shared by every app: the bounds of what the platform takes from people (ajet/core/validators.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ajet.core.validators import EARLIEST_DATE, LATEST_DATE, validate_date_in_range, validate_plain_text


class BoundedDateField(forms.DateField):
    """A date a person enters: refused with a clear message outside EARLIEST_DATE … LATEST_DATE.

    Every date field of every form is one of these (tests/core/test_inputs.py checks), so that no date
    reaches arithmetic that overflows (9999-12-31 plus a year) or a database that stores it differently.
    """

    default_validators = [validate_date_in_range]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.DateInput):
            attrs.update(min=EARLIEST_DATE.isoformat(), max=LATEST_DATE.isoformat())
        return attrs


class PlausibleIdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses anything but plausible ids before asking the database: a huge number overflows SQLite's
    integers (a server error) where it should be a plain "not one of the choices"."""

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdigit() or len(str(pk)) > 15:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": pk})
        return super()._check_values(value)


class AuditFilterForm(forms.Form):
    """Filters of the audit log: who, what, which record, from and to which day (all optional)."""

    actor = forms.CharField(label=_("Who"), max_length=200, required=False, validators=[validate_plain_text])
    action = forms.ChoiceField(label=_("Action"), required=False)
    target = forms.CharField(label=_("Record"), max_length=300, required=False, validators=[validate_plain_text])
    date_from = BoundedDateField(label=pgettext_lazy("date range", "From"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    date_to = BoundedDateField(label=pgettext_lazy("date range", "To"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *actions]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The last day comes before the first."))
        return data

    def filter(self, entries):
        """`entries` narrowed by the valid filters (an invalid form filters nothing and shows its errors)."""
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor_label__icontains=data["actor"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["target"]:
            entries = entries.filter(target_label__icontains=data["target"])
        if data["date_from"]:
            entries = entries.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(at__date__lte=data["date_to"])
        return entries
