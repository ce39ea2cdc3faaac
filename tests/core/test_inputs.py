"""What the platform takes from people: dates in one sane range, text without disguising characters."""

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.urls import reverse

import ajet
from ajet.core.forms import BoundedDateField
from ajet.core.validators import EARLIEST_DATE, LATEST_DATE, PlainTextValidator, validate_plain_text
from ajet.organisation import services
from ajet.organisation.forms import ChapterForm, EndTermForm, RetirePostForm
from ajet.organisation.models import Chapter
from ajet.people import roster
from tests.factories import ChapterFactory, national_post, once_sent


def _project_form_classes():
    """Every form class defined in a `forms` module of the project's apps."""
    classes = []
    for app in pkgutil.iter_modules(ajet.__path__):
        try:
            module = importlib.import_module(f"ajet.{app.name}.forms")
        except ModuleNotFoundError:
            continue
        classes += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                    if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__]
    return classes


FORM_CLASSES = _project_form_classes()


def test_the_walk_finds_the_forms():
    names = {cls.__name__ for cls in FORM_CLASSES}
    assert {"TermForm", "EndTermForm", "RetirePostForm", "MovePrefectureForm", "PostForm", "ProfileForm"} <= names


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: cls.__name__)
def test_every_date_field_of_every_form_is_bounded(form_class):
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.DateField):
            assert isinstance(field, BoundedDateField), f"{form_class.__name__}.{name} is not a BoundedDateField"


def _text_validators(form_class, name, field):
    validators = list(field.validators)
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    if model is not None and name in {f.name for f in model._meta.get_fields()}:
        validators += model._meta.get_field(name).validators  # a ModelForm runs the model field's validators
    return validators


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: cls.__name__)
def test_every_short_text_field_of_every_form_refuses_control_characters(form_class):
    for name, field in form_class.base_fields.items():
        if type(field) is forms.CharField and type(field.widget) is forms.TextInput:
            # A field with a strict format of its own (a JET number) needs no more.
            validators = _text_validators(form_class, name, field)
            assert any(isinstance(v, (PlainTextValidator, RegexValidator)) for v in validators), (
                f"{form_class.__name__}.{name} takes any character")


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1986-12-31", "2101-01-01"])
@pytest.mark.parametrize("form_class, name", [(EndTermForm, "end"), (RetirePostForm, "last_day")])
def test_dates_out_of_range_are_form_errors(form_class, name, day):
    form = form_class(data={name: day})
    assert not form.is_valid()
    assert "Choose a date between" in str(form.errors[name])


def test_the_range_ends_are_accepted():
    for day in (EARLIEST_DATE, LATEST_DATE):
        assert EndTermForm(data={"end": day.isoformat()}).is_valid()


def test_the_date_inputs_tell_the_browser_the_range():
    html = str(EndTermForm()["end"])
    assert f'min="{EARLIEST_DATE.isoformat()}"' in html and f'max="{LATEST_DATE.isoformat()}"' in html


def test_default_term_end_survives_the_last_year():
    assert services.default_term_end(datetime.date(9999, 12, 31)) == datetime.date.max


@pytest.mark.django_db
def test_appointing_from_9999_12_31_without_a_last_day_is_a_form_error(client, executive, member):
    client.force_login(executive.user)
    post = national_post("vice-chair")
    response = client.post(reverse("organisation:term_create", args=[post.pk]),
                           once_sent({"member": member.user.email, "start": "9999-12-31", "end": ""}))
    assert response.status_code == 200
    assert "Choose a date between" in response.content.decode()
    assert not post.terms.exists()


@pytest.mark.django_db
def test_a_term_ending_before_it_starts_is_a_form_error(client, executive, member):
    client.force_login(executive.user)
    post = national_post("vice-chair")
    response = client.post(reverse("organisation:term_create", args=[post.pk]),
                           once_sent({"member": member.user.email, "start": "2030-04-01", "end": "2030-03-31"}))
    assert response.status_code == 200
    assert "A term cannot end before it starts." in response.content.decode()


# --- Text that cannot disguise itself -------------------------------------------------------------

@pytest.mark.parametrize("text", ["\u202eevil", "a\u2066b", "tab\there", "line\nbreak", "nul\x00", "esc\x1b[31m",
                                  "para\u2029graph"])
def test_the_validator_refuses_control_and_bidi_characters(text):
    with pytest.raises(ValidationError) as refused:
        validate_plain_text(text)
    message = refused.value.messages[0]
    assert "Remove the invisible control characters" in message
    assert "U+" in message


def test_the_message_names_the_character():
    with pytest.raises(ValidationError) as refused:
        validate_plain_text("\u202eevil")
    assert "U+202E" in refused.value.messages[0]


@pytest.mark.parametrize("text", ["Saitama AJET", "埼玉AJET", "Zoë O'Brien-Ōta", "שלום\u200f AJET", "👩\u200d💻 Team"])
def test_the_validator_accepts_ordinary_names(text):
    validate_plain_text(text)  # marks (LRM/RLM) and joiners are part of ordinary writing


def test_multiline_text_may_hold_line_breaks_but_not_overrides():
    multiline = PlainTextValidator(multiline=True)
    multiline("first line\r\nsecond\tline")
    with pytest.raises(ValidationError):
        multiline("first line\n\u202eevil")


@pytest.mark.django_db
def test_a_chapter_name_with_an_override_is_refused(block_rep):
    form = ChapterForm(data={"name": "\u202eevil AJET", "slug": "evil", "kind": "prefecture", "prefectures": ["11"]},
                       user=block_rep.user)
    assert not form.is_valid()
    assert "U+202E" in str(form.errors["name"])


@pytest.mark.django_db
def test_a_roster_name_with_an_override_is_a_row_error():
    rows = [{"line": 2, "values": {"email": "new@example.org", "full_name": "Eve \u202elive",
                                   "prefecture": "11", "position": "ALT"}}]
    preview = roster.preview_roster(rows)
    assert preview.has_errors
    assert "U+202E" in " ".join(str(error) for error in preview.error_rows[0].errors)


@pytest.mark.django_db
def test_stored_names_are_shown_isolated(client):
    # A row stored before the validator existed (or written around it) still cannot reorder the page.
    ChapterFactory(name="Evil \u202eAJET", slug="evil", prefecture_codes=["11"])
    chapter_list = client.get(reverse("organisation:chapters")).content.decode()
    assert "<bdi>Evil \u202eAJET</bdi>" in chapter_list
    detail = client.get(reverse("organisation:chapter", args=["evil"])).content.decode()
    assert "<h1><bdi>Evil \u202eAJET</bdi></h1>" in detail
    assert Chapter.objects.filter(slug="evil").exists()
