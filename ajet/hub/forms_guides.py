"""Forms of the guides: the officer's guide form, the attachment form and the search box."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ajet.core.validators import validate_plain_text
from ajet.hub.guides import GUIDE_FIELDS
from ajet.hub.models_guides import Guide, GuideCategory, GuideFile
from ajet.organisation.forms import HandbookFileForm
from ajet.organisation.models import Post


class GuideForm(forms.ModelForm):
    class Meta:
        model = Guide
        fields = GUIDE_FIELDS
        widgets = {"last_reviewed": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, may_choose_owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # National posts that exist today; an owner who is not an executive keeps the post the guide has.
        self.fields["owner_post"].queryset = Post.objects.filter(chapter=None, valid_from__lte=today).exclude(
            valid_until__lt=today)
        if not may_choose_owner:
            self.fields["owner_post"].disabled = True
        self.fields["last_reviewed"].help_text = _("The day someone last checked that the guide is right.")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug == "new":  # the address of the form for a new guide
            raise forms.ValidationError(_("Choose another short name."))
        return slug

    def clean_last_reviewed(self):
        day = self.cleaned_data["last_reviewed"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The last review cannot be in the future."))
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title_ja") and not cleaned.get("body_ja"):
            self.add_error("body_ja", _("Give the Japanese text too, or leave the Japanese title empty."))
        return cleaned

    def guide_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in GUIDE_FIELDS}


class GuideFileForm(HandbookFileForm):
    """The handbook's file form (size and kind checked the same way), for a guide's attachment."""

    class Meta(HandbookFileForm.Meta):
        model = GuideFile


class GuideSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the guides (English or Japanese)"), required=False, max_length=100,
                        validators=[validate_plain_text])
    category = forms.ModelChoiceField(label=_("Category"), queryset=GuideCategory.objects.all(), required=False,
                                      to_field_name="slug", empty_label=_("All categories"))
