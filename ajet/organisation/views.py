"""Public pages about the organisation: blocks and the council, today and in past years."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from ajet.core.cache import current_or
from ajet.core.page_cache import PageCache, cached_page
from ajet.organisation import queries, services
from ajet.organisation.powers import ORGANISATION_DATA


@login_not_required
@require_safe
def block_list(request):
    return render(request, "organisation/block_list.html", {"blocks": queries.get_blocks_overview()})


@login_not_required
@require_safe
def block_detail(request, number):
    overview = queries.get_block_overview(number)
    if overview is None:
        raise Http404
    return render(request, "organisation/block_detail.html", {"overview": overview})


def _council_caching(request) -> PageCache:
    """The cards and the visitor's power to manage them: the organisation's data on this day."""
    return PageCache(key=timezone.localdate().isoformat(), namespaces=(ORGANISATION_DATA,))


@login_not_required
@require_safe
@cached_page(_council_caching)
def council(request):
    return render(request, "organisation/council.html", {
        "council_cards": council_cards(),
        "can_manage": request.user.has_perm("organisation.change_post"),
    })


def council_cards() -> str:
    """The council's cards, the same for every visitor: cached as HTML under the organisation's data version
    (see signals.py), the day (terms are dated) and the language, so a visit reads no post or term."""
    today = timezone.localdate()
    key = f"ajet:fragment:council:{get_language()}:{today.isoformat()}"
    html = current_or(ORGANISATION_DATA, key, lambda: str(render_to_string(
        "organisation/council_cards.html", {"council": queries.get_council(today)})))
    return mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there


def _council_years() -> list[dict]:
    """Past council years, from the first recorded term up to last year (this year's is the Council page)."""
    today = timezone.localdate()
    first = queries.get_council_first_start()
    if first is None:
        return []
    years = range(services.council_year_of(first), services.council_year_of(today))
    return [{"year": year, "bounds": services.council_year_bounds(year)} for year in reversed(years)]


@login_not_required
@require_safe
def council_history(request):
    return render(request, "organisation/council_history.html", {"years": _council_years()})


@login_not_required
@require_safe
def council_year(request, year):
    if year < 1900 or year > timezone.localdate().year + 1:
        raise Http404
    first_day, last_day = services.council_year_bounds(year)
    return render(request, "organisation/council_year.html", {
        "year": year, "first_day": first_day, "last_day": last_day,
        "council": queries.get_council_between(first_day, last_day),
    })
