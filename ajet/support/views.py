"""Public pages of the line: is it open, where else to turn, and the published statistics."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ajet.support import queries
from ajet.support.forms import ResourceFilterForm
from ajet.support.hours import CLOSES, LINE_TIMEZONE, OPENS


@login_not_required
@require_safe
@never_cache
def home(request):
    status = queries.line_status()
    return render(request, "support/home.html", {
        "status": status, "opens": OPENS, "closes": CLOSES, "timezone": LINE_TIMEZONE,
        "resources": [] if status.open else queries.with_open_state(queries.resources()),
    })


@login_not_required
@require_safe
@never_cache
def status_api(request):
    return JsonResponse(queries.line_status().as_json())


@login_not_required
@require_safe
def statistics(request):
    return render(request, "support/statistics.html", {
        "rows": queries.published_statistics(), "threshold": queries.SUPPRESSION_THRESHOLD})


@login_not_required
@require_safe
def resources(request):
    form = ResourceFilterForm(request.GET or None)
    found = (queries.find_resources(**form.cleaned_data) if form.is_valid()
             else queries.with_open_state(queries.resources()))
    return render(request, "support/resources.html", {"resources": found, "form": form})
