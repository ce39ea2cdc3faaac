from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context, template_name: str, panel_context: dict):
    """Render one dashboard panel inside the page's own context (see ajet.core.panels)."""
    panel_template = context.template.engine.get_template(template_name)
    with context.push(**panel_context):
        return panel_template.render(context)
