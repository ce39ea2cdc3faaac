"""Public pages about the organisation: blocks and the council, today and in past years."""

from functools import partial

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from ajet.core.cache import DERIVED_DATA_TIMEOUT, version_of
from ajet.organisation import queries, services
from ajet.organisation.powers import ORGANISATION_DATA


@login_not_required
@require_GET
def block_list(request):
    return render(request, "organisation/block_list.html", {"blocks": queries.get_blocks_overview()})


@login_not_required
@require_GET
def block_detail(request, number):
    overview = queries.get_block_overview(number)
    if overview is None:
        raise Http404
    return render(request, "organisation/block_detail.html", {"overview": overview})


@login_not_required
@require_GET
def council(request):
    # The cards are the same for every visitor: the template caches them (fragment cache) under the day,
    # the organisation's data version (see signals.py) and the language; the council is only read when not.
    today = timezone.localdate()
    return render(request, "organisation/council.html", {
        "council": SimpleLazyObject(partial(queries.get_council, today)),
        "council_version": f"{today.isoformat()}:{version_of(ORGANISATION_DATA)}",
        "council_timeout": DERIVED_DATA_TIMEOUT,
        "can_manage": request.user.has_perm("organisation.change_post"),
    })


def _council_years() -> list[dict]:
    """Council years from the first recorded term up to the current one (plus the next, once appointed)."""
    today = timezone.localdate()
    first = queries.get_council_first_start()
    if first is None:
        return []
    years = range(services.council_year_of(first), services.council_year_of(today) + 1)
    return [{"year": year, "bounds": services.council_year_bounds(year)} for year in reversed(years)]


@login_not_required
@require_GET
def council_history(request):
    return render(request, "organisation/council_history.html", {"years": _council_years()})


@login_not_required
@require_GET
def council_year(request, year):
    if year < 1900 or year > timezone.localdate().year + 1:
        raise Http404
    first_day, last_day = services.council_year_bounds(year)
    return render(request, "organisation/council_year.html", {
        "year": year, "first_day": first_day, "last_day": last_day,
        "council": queries.get_council_between(first_day, last_day),
    })
