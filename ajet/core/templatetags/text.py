"""Showing text that people typed: `{{ chapter.name|isolate }}`."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def isolate(value):
    """Wrap user-provided text in <bdi>, so that bidirectional characters inside it (such as U+202E, the
    right-to-left override, in rows stored before they were refused) cannot reorder the text around it."""
    return format_html("<bdi>{}</bdi>", value)
