from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ajet.core.cache import get_current, set_current
from ajet.organisation.powers import ORGANISATION_DATA
from ajet.organisation.queries import get_blocks_overview

register = template.Library()


@register.simple_tag
def block_diagram():
    """The 11 blocks and their 47 prefectures, the same for every visitor (the public home page).

    The HTML is cached under the organisation's data version (see signals.py), the day (block assignments are
    dated) and the language, so that a page shows the blocks without a query or a loop over the prefectures.
    """
    today = timezone.localdate()
    key = f"ajet:fragment:block-diagram:{get_language()}:{today.isoformat()}"
    html, version = get_current(ORGANISATION_DATA, key)
    if html is None:
        html = render_to_string("organisation/block_diagram.html", {"blocks_for_diagram": get_blocks_overview(today)})
        set_current(key, version, str(html))
    return mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there
