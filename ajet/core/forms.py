"""Form fields shared by every app: the bounds of what the platform takes from people (ajet/core/validators.py)."""

from django import forms

from ajet.core.validators import EARLIEST_DATE, LATEST_DATE, validate_date_in_range


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
