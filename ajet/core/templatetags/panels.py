from django import template
from django.utils.safestring import mark_safe

from ajet.core.cache import set_current

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    """Render one panel inside the page's own context (see ajet.core.panels), or give its cached HTML;
    a cacheable panel's HTML is kept once rendered."""
    if panel.html is not None:
        return mark_safe(panel.html)  # noqa: S308 - rendered (and escaped) by our own template
    panel_template = context.template.engine.get_template(panel.template)
    with context.push(**panel.context):
        html = panel_template.render(context)
    if panel.cache_key is not None:
        set_current(panel.cache_key, panel.version, str(html), timeout=panel.timeout)
    return html
