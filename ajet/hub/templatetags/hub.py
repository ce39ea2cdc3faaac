from django import template

from ajet.organisation.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Markdown → sanitised HTML (nh3), as the handbook renders it."""
    return render_markdown(text)
