"""Showing bilingual text (see ajet/core/bilingual.py) the same way on every page.

    {% load bilingual %}
    {% bilingual chapter "description" as description %}<p>{{ description|linebreaksbr }}</p>{% endbilingual %}

renders the inner block with `description` in the reader's language. When only the other language has
text, a short note says so in the reader's language and the text is wrapped in an element with its `lang`
(a screen reader then reads it with the right voice); `inline` uses <span>s instead of <div>s, for text
inside a sentence or a link. When neither language has text, nothing is rendered (or the `{% empty %}` part).

    {{ page|translated:"title" }}    the text alone, for a <title> or a link
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from ajet.core.bilingual import ENGLISH, in_language

register = template.Library()


def fallback_note(language: str) -> str:
    """The note put before text shown in `language` because the reader's language has none."""
    if language == ENGLISH:
        return gettext("This text is only available in English.")
    return gettext("This text is only available in Japanese.")


@register.filter
def translated(obj, name: str):
    return in_language(obj, name) if obj is not None else ""


class BilingualNode(template.Node):
    def __init__(self, obj, name, variable: str, inline: bool, nodelist, empty_nodelist):
        self.obj, self.name, self.variable, self.inline = obj, name, variable, inline
        self.nodelist, self.empty_nodelist = nodelist, empty_nodelist

    def render(self, context):
        obj = self.obj.resolve(context)
        text = in_language(obj, self.name.resolve(context)) if obj is not None else ""
        if not text:
            return self.empty_nodelist.render(context) if self.empty_nodelist else ""
        with context.push(**{self.variable: text}):
            inner = self.nodelist.render(context)
        if not text.is_fallback:
            return inner
        if self.inline:
            return format_html('<span lang="{}">{}</span> <small class="fallback-note">({})</small>',
                               text.language, inner, fallback_note(text.language))
        return format_html('<p class="fallback-note">{}</p><div lang="{}">{}</div>',
                           fallback_note(text.language), text.language, inner)


@register.tag
def bilingual(parser, token):
    """{% bilingual OBJ "FIELD" as NAME [inline] %} … [{% empty %} …] {% endbilingual %}"""
    bits = token.split_contents()
    inline = bits[-1] == "inline"
    if inline:
        bits = bits[:-1]
    if len(bits) != 5 or bits[3] != "as":
        raise template.TemplateSyntaxError('Usage: {% bilingual obj "field" as name [inline] %}')
    nodelist = parser.parse(("empty", "endbilingual"))
    empty_nodelist = None
    if parser.next_token().contents == "empty":
        empty_nodelist = parser.parse(("endbilingual",))
        parser.delete_first_token()
    return BilingualNode(parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), bits[4], inline,
                         nodelist, empty_nodelist)


@register.simple_tag
def lang_attr(text):
    """` lang="en"` on an element holding `text` when it is a fallback (a title, a link), else nothing."""
    if getattr(text, "is_fallback", False):
        return format_html(' lang="{}"', text.language)
    return ""
