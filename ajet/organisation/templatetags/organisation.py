from django import template

from ajet.organisation.queries import get_blocks_overview

register = template.Library()


@register.inclusion_tag("organisation/block_diagram.html")
def block_diagram():
    return {"blocks_for_diagram": get_blocks_overview()}
