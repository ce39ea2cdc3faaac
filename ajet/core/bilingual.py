"""Text that members and officers write in English and Japanese, shown in the reader's language.

The one pattern of the project: a model keeps the English text in `<field>` (or `<field>_en`) and the
Japanese text in `<field>_ja`, either of which may be empty. A page asks `in_language(obj, "field")` (or,
in a template, `{% bilingual obj "field" as text %}…{% endbilingual %}`, see templatetags/bilingual.py):
the text in the reader's language when there is one, else the other language's, marked as a fallback so
that the page can say so and set `lang` on it for screen readers. Existing one-language fields became the
English version when their `_ja` twin was added: nothing had to be moved.
"""

from django.conf import settings
from django.utils.translation import get_language

ENGLISH, JAPANESE = "en", "ja"


class BilingualText(str):
    """A str that knows the language it is written in and whether it stands in for the reader's language."""

    language: str = ENGLISH
    is_fallback: bool = False

    def __new__(cls, text: str, language: str, is_fallback: bool = False):
        value = super().__new__(cls, text or "")
        value.language, value.is_fallback = language, is_fallback
        return value

    def __reduce__(self):  # survives pickling (cached fragments, sessions) with its language
        return (BilingualText, (str(self), self.language, self.is_fallback))


def reader_language() -> str:
    """`en` or `ja`: the language the current page is shown in."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def english_field(obj, name: str) -> str:
    """The attribute holding the English version: `name_en` where the model names both, else `name`."""
    return f"{name}_en" if hasattr(obj, f"{name}_en") else name


def versions(obj, name: str) -> dict[str, str]:
    """Both versions of `obj.<name>`, by language ("" where there is none)."""
    return {ENGLISH: getattr(obj, english_field(obj, name)) or "", JAPANESE: getattr(obj, f"{name}_ja", "") or ""}


def in_language(obj, name: str, language: str | None = None) -> BilingualText:
    """`obj.<name>` in `language` (the reader's by default), falling back to the other language's version
    (`is_fallback`), or "" in the reader's language when neither version has text."""
    language = language or reader_language()
    texts = versions(obj, name)
    if texts.get(language):
        return BilingualText(texts[language], language)
    other = JAPANESE if language == ENGLISH else ENGLISH
    if texts[other]:
        return BilingualText(texts[other], other, is_fallback=True)
    return BilingualText("", language)


class Bilingual:
    """Model mixin: `self.in_language("description")`."""

    def in_language(self, name: str) -> BilingualText:
        return in_language(self, name)

    def _in_language(self, name: str) -> BilingualText:  # the name the voice app's models use
        return in_language(self, name)
