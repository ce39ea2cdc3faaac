"""The one pattern for text written in English and Japanese (ajet/core/bilingual.py and its template tag)."""

import pickle

import pytest
from django.template import Context, Template
from django.utils import translation

from ajet.core.bilingual import BilingualText, in_language


class Text:
    def __init__(self, body="", body_ja="", title_en="", title_ja=""):
        self.body, self.body_ja, self.title_en, self.title_ja = body, body_ja, title_en, title_ja


@pytest.mark.parametrize(("english", "japanese", "reader", "expected", "language", "fallback"), [
    ("Hello", "こんにちは", "en", "Hello", "en", False),
    ("Hello", "こんにちは", "ja", "こんにちは", "ja", False),
    ("Hello", "", "ja", "Hello", "en", True),
    ("", "こんにちは", "en", "こんにちは", "ja", True),
    ("", "", "ja", "", "ja", False),
])
def test_the_readers_language_then_the_other(english, japanese, reader, expected, language, fallback):
    with translation.override(reader):
        text = in_language(Text(body=english, body_ja=japanese), "body")
    assert (str(text), text.language, text.is_fallback) == (expected, language, fallback)


def test_a_model_that_names_both_fields_with_a_suffix():
    with translation.override("ja"):
        assert in_language(Text(title_en="Plan"), "title").language == "en"


def test_text_keeps_its_language_through_pickling():
    stored = pickle.dumps(BilingualText("Hello", "en", is_fallback=True))
    text = pickle.loads(stored)  # noqa: S301 - our own bytes
    assert (text, text.language, text.is_fallback) == ("Hello", "en", True)


TEMPLATE = Template('{% load bilingual %}{% bilingual obj "body" as body %}<p>{{ body }}</p>'
                    '{% empty %}<p>nothing</p>{% endbilingual %}')


def render(obj, language):
    with translation.override(language):
        return TEMPLATE.render(Context({"obj": obj}))


def test_the_readers_language_is_shown_without_a_note():
    assert render(Text(body="Hello", body_ja="こんにちは"), "ja") == "<p>こんにちは</p>"


def test_a_fallback_says_so_in_the_readers_language_and_marks_the_texts_language():
    html = render(Text(body="Hello & <b>", body_ja=""), "en")
    assert "fallback-note" not in html
    html = render(Text(body="Hello & <b>"), "ja")
    assert 'class="fallback-note"' in html and '<div lang="en"><p>Hello &amp; &lt;b&gt;</p></div>' in html
    html = render(Text(body_ja="こんにちは"), "en")
    assert "This text is only available in Japanese." in html and '<div lang="ja">' in html


def test_neither_language_renders_the_empty_part():
    assert render(Text(), "en") == "<p>nothing</p>"


def test_inline_fallback_uses_spans():
    template = Template('{% load bilingual %}<li>{% bilingual obj "body" as body inline %}{{ body }}'
                        '{% endbilingual %}</li>')
    with translation.override("en"):
        html = template.render(Context({"obj": Text(body_ja="こんにちは")}))
    assert html.startswith('<li><span lang="ja">こんにちは</span> <small class="fallback-note">')
