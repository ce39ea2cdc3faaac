"""Forms of the organisation app. They validate input; the services in services.py write it."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ajet.core.forms import BoundedDateField
from ajet.core.validators import validate_plain_text
from ajet.organisation import services
from ajet.organisation.geography import block_map_on
from ajet.organisation.models import (
    Block,
    Chapter,
    HandbookFile,
    HandbookPage,
    HandoverItem,
    Initiative,
    Post,
    Prefecture,
)
from ajet.organisation.uploads import UploadRefused, accepted_kinds_text, check_handbook_upload
from ajet.people.models import Member

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RESERVED_SLUGS = {"new"}  # taken by the "create" pages next to the detail pages


def description_widgets(rows: int) -> dict:
    """Text areas for a description in English and in Japanese (ajet/core/bilingual.py)."""
    return {name: forms.Textarea(attrs={"rows": rows}) for name in ("description", "description_ja")}


def _not_reserved(slug: str) -> str:
    if slug in RESERVED_SLUGS:
        raise forms.ValidationError(_("This short name is reserved; choose another."))
    return slug


class PostForm(forms.ModelForm):
    """A national or block post of the council. Kind, scope and block are fixed once the post has terms."""

    scope = forms.ChoiceField(label=_("Scope"), choices=[
        (Post.Scope.NATIONAL, Post.Scope.NATIONAL.label), (Post.Scope.BLOCK, Post.Scope.BLOCK.label)])

    class Meta:
        model = Post
        fields = ["name_en", "name_ja", "slug", "kind", "scope", "block", "description", "description_ja", "order",
                  "valid_from"]
        widgets = {"valid_from": DATE_WIDGET, **description_widgets(4)}
        field_classes = {"valid_from": BoundedDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].help_text = _("Only for a block post.")
        if self.instance.pk and self.instance.terms.exists():
            for name in ("kind", "scope", "block", "valid_from"):
                del self.fields[name]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        taken = Post.objects.filter(slug=slug, chapter=None).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another post already uses this short name."))
        return slug

    def clean(self):
        cleaned = super().clean()
        if "scope" in self.fields:
            if cleaned.get("scope") == Post.Scope.BLOCK and not cleaned.get("block"):
                self.add_error("block", _("Choose the block of a block post."))
            if cleaned.get("scope") and cleaned.get("kind") not in Post.kinds_for_scope(cleaned["scope"]):
                self.add_error("kind", _("An executive post is a national post."))
            if cleaned.get("scope") == Post.Scope.NATIONAL:
                cleaned["block"] = None
        return cleaned

    def _post_clean(self):
        # The scope/place check constraint is enforced by clean() above and by the database.
        self._validate_unique = False
        super()._post_clean()


class ChapterPostForm(forms.ModelForm):
    """An officer post of one chapter (President, Treasurer …)."""

    class Meta:
        model = Post
        fields = ["name_en", "name_ja", "slug", "kind", "description", "description_ja", "leads_chapter", "order"]
        widgets = description_widgets(3)

    def __init__(self, *args, chapter: Chapter, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapter = chapter
        if self.instance.pk and self.instance.terms.exists():
            del self.fields["kind"]
        else:  # a chapter post is never executive: executive powers are national
            allowed = Post.kinds_for_scope(Post.Scope.CHAPTER)
            self.fields["kind"].choices = [(value, label) for value, label in Post.Kind.choices if value in allowed]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Post.objects.filter(slug=slug, chapter=self.chapter).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This chapter already has a post with this short name."))
        return slug

    def _post_clean(self):
        self._validate_unique = False
        super()._post_clean()


class RetirePostForm(forms.Form):
    last_day = BoundedDateField(label=_("Last day of the post"), widget=DATE_WIDGET,
                               help_text=_("Terms running past this day end on it. Earlier councils keep the post."))


def find_member(query: str, candidates) -> Member:
    """The one member among `candidates` whose e-mail is `query` or whose name contains it."""
    query = query.strip()
    exact = list(candidates.filter(user__email__iexact=query)[:2])
    matches = exact or list(candidates.filter(full_name__icontains=query).select_related("user")[:6])
    if not matches:
        raise forms.ValidationError(_("No member matches “%(query)s”.") % {"query": query})
    if len(matches) > 1:
        listed = ", ".join(f"{member.full_name} <{member.user.email}>" for member in matches[:5])
        raise forms.ValidationError(
            _("Several members match: %(members)s. Type the e-mail address of the one you mean.")
            % {"members": listed}
        )
    return matches[0]


class TermForm(forms.Form):
    """Appoint a member to a post: search by name or e-mail, a start, and an end (default: a year later)."""

    member = forms.CharField(label=_("Member (name or e-mail address)"), max_length=254,
                             validators=[validate_plain_text])
    start = BoundedDateField(label=_("First day"), widget=DATE_WIDGET)
    end = BoundedDateField(label=_("Last day"), widget=DATE_WIDGET, required=False,
                          help_text=_("Leave empty to end with the council year the term starts in."))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["start"].initial = services.next_council_year_start()

    def clean_member(self):
        return find_member(self.cleaned_data["member"], self.candidates)

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start")
        if start is not None and not cleaned.get("end"):
            cleaned["end"] = services.default_term_end(start)
        if start is not None and cleaned.get("end") and cleaned["end"] < start:
            self.add_error("end", _("A term cannot end before it starts."))
        return cleaned


class EndTermForm(forms.Form):
    end = BoundedDateField(label=_("Last day of the term"), widget=DATE_WIDGET)


class MovePrefectureForm(forms.Form):
    block = forms.ModelChoiceField(label=_("New block"), queryset=Block.objects.all(), empty_label=None)
    valid_from = BoundedDateField(label=_("From"), widget=DATE_WIDGET,
                                 error_messages={"required": _("Choose the day from which the move holds.")})

    def __init__(self, *args, prefecture: Prefecture, **kwargs):
        super().__init__(*args, **kwargs)
        self.prefecture = prefecture

    def clean(self):
        cleaned = super().clean()
        block, day = cleaned.get("block"), cleaned.get("valid_from")
        if block is not None and day is not None and block_map_on(day).get(self.prefecture.code) == block.number:
            self.add_error("block", _("%(prefecture)s is already in %(block)s on that day.")
                           % {"prefecture": self.prefecture.name, "block": block})
        return cleaned


class ChapterForm(forms.ModelForm):
    """A chapter's details. Only prefectures of blocks the user may add chapters in can be added or removed."""

    prefectures = forms.ModelMultipleChoiceField(
        label=_("Prefectures"), queryset=Prefecture.objects.all(), widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Chapter
        fields = ["name", "kind", "prefectures", "description", "description_ja", "contact_email", "is_active"]
        widgets = description_widgets(5)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.mapping = block_map_on()
        self.allowed_blocks = {block.number for block in Block.objects.all()
                               if user.has_perm("organisation.add_chapter", block)}
        current = set(self.instance.prefectures.values_list("code", flat=True)) if self.instance.pk else set()
        self.current_codes = current
        if not self.allowed_blocks:
            del self.fields["prefectures"]  # chapter officers edit the text, not where the chapter is
        else:
            allowed = {code for code, number in self.mapping.items() if number in self.allowed_blocks}
            self.fields["prefectures"].queryset = Prefecture.objects.filter(code__in=allowed | current)
        if not user.has_perm("organisation.add_chapter", None) or self.instance.pk is None:
            self.fields.pop("is_active", None)

    def clean_prefectures(self):
        chosen = {prefecture.code for prefecture in self.cleaned_data["prefectures"]}
        changed = chosen ^ self.current_codes
        if any(self.mapping.get(code) not in self.allowed_blocks for code in changed):
            raise forms.ValidationError(_("You may only add or remove prefectures of your own block."))
        return self.cleaned_data["prefectures"]


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["name_en", "name_ja", "slug", "description", "description_ja", "supervising_post"]
        widgets = description_widgets(6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["supervising_post"].queryset = Post.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today),
            kind=Post.Kind.APPOINTED, scope=Post.Scope.NATIONAL,
        )
        self.fields["supervising_post"].help_text = _("An appointed national post.")

    def clean_slug(self):
        return _not_reserved(self.cleaned_data["slug"])


class InitiativeDescriptionForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["description", "description_ja"]
        widgets = description_widgets(8)


class HandbookPageForm(forms.ModelForm):
    note = forms.CharField(label=_("What changed (optional)"), max_length=200, required=False,
                           validators=[validate_plain_text])

    class Meta:
        model = HandbookPage
        fields = ["title", "body", "title_ja", "body_ja"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18}), "body_ja": forms.Textarea(attrs={"rows": 18})}
        help_texts = {"body": _("Markdown: # heading, **bold**, - list, [link](https://…)."),
                      "body_ja": _("Either language may be left empty: readers then see the other one.")}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and not cleaned.get("title_ja") and not self.has_error("title"):
            self.add_error("title", _("Give the page a title, in English or Japanese."))
        return cleaned


class HandbookFileForm(forms.ModelForm):
    class Meta:
        model = HandbookFile
        fields = ["title", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(limit)s. Accepted: %(kinds)s.") % {
            "limit": filesizeformat(settings.AJET_MAX_UPLOAD_BYTES), "kinds": accepted_kinds_text()}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.AJET_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("This file is %(size)s; files may be at most %(limit)s.") % {
                "size": filesizeformat(upload.size), "limit": filesizeformat(settings.AJET_MAX_UPLOAD_BYTES)})
        try:
            check_handbook_upload(upload)
        except UploadRefused as refused:
            raise forms.ValidationError(refused.message) from None
        return upload


class HandoverItemForm(forms.ModelForm):
    class Meta:
        model = HandoverItem
        fields = ["title", "detail"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 4})}
