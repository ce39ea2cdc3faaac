"""The coordinators' figures from the contact logs (charts and CSV). Reading them is an access by staff to the
PSG's data: each one is written to the audit log. Everyone else sees the published statistics (views.py)."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from ajet.core import audit
from ajet.support import queries
from ajet.support.access import require

BREAKDOWNS = (("channels", gettext_lazy("By channel")), ("topics", gettext_lazy("By topic")),
              ("hours", gettext_lazy("By hour of the night")))


def _bars(cells):
    """Each cell with its bar's length in per cent of the largest shown count (suppressed cells: none)."""
    largest = max([count for _label, count in cells if count is not None] or [1])
    return [{"label": label, "count": count, "width": 0 if count is None else round(100 * count / largest),
             "y": index * 12} for index, (label, count) in enumerate(cells)]


@require_safe
def contact_statistics(request):
    require(request.user, "support.view_contact_statistics")
    rows = queries.contact_statistics()
    audit.record(actor=request.user, action="support.statistics_view", target_label=_("PSG contact statistics"))
    months = [{**row, "charts": [{"key": key, "title": title, "bars": _bars(row[key]),
                                  "height": 12 * len(row[key])} for key, title in BREAKDOWNS]} for row in rows]
    return render(request, "support/contact_statistics.html", {
        "months": months, "threshold": queries.SUPPRESSION_THRESHOLD})


@require_safe
def contact_statistics_csv(request):
    require(request.user, "support.view_contact_statistics")
    audit.record(actor=request.user, action="support.statistics_csv", target_label=_("PSG contact statistics"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="psg-contact-statistics.csv"'
    writer = csv.writer(response)
    suppressed = f"<{queries.SUPPRESSION_THRESHOLD}"
    writer.writerow(["month", "breakdown", "category", "contacts"])
    for row in queries.contact_statistics():
        writer.writerow([row["month"], "total", "all", suppressed if row["total"] is None else row["total"]])
        writer.writerow([row["month"], "total", "high-risk",
                         suppressed if row["high_risk"] is None else row["high_risk"]])
        for key, _title in BREAKDOWNS:
            for label, count in row[key]:
                writer.writerow([row["month"], key, str(label), suppressed if count is None else count])
    return response
