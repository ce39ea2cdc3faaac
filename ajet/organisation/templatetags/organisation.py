from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ajet.core.cache import current_or
from ajet.organisation.block_map import block_map_context
from ajet.organisation.powers import ORGANISATION_DATA
from ajet.organisation.queries import get_blocks_overview

register = template.Library()


def _cached_fragment(name: str, template: str, context_of) -> str:
    """A fragment that is the same for every visitor, cached under the organisation's data version (see
    signals.py), the day (block assignments and terms are dated) and the language."""
    today = timezone.localdate()
    key = f"ajet:fragment:{name}:{get_language()}:{today.isoformat()}"
    html = current_or(ORGANISATION_DATA, key, lambda: str(render_to_string(template, context_of(today))))
    return mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there


@register.simple_tag
def block_map():
    """Japan's 47 prefectures as an SVG map coloured and numbered by block (home and Blocks pages): each
    prefecture a link to its block's page. The block of each prefecture is read from the database."""
    return _cached_fragment("block-map", "organisation/block_map.html",
                            lambda today: block_map_context(get_blocks_overview(today)))


@register.simple_tag
def block_diagram():
    """The 11 blocks and their 47 prefectures, the same for every visitor (the public home page).

    The HTML is cached under the organisation's data version (see signals.py), the day (block assignments are
    dated) and the language, so that a page shows the blocks without a query or a loop over the prefectures.
    """
    return _cached_fragment("block-diagram", "organisation/block_diagram.html",
                            lambda today: {"blocks_for_diagram": get_blocks_overview(today)})
