import zoneinfo

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from ajet.core import audit
from ajet.core.forms import AuditFilterForm
from ajet.core.models import AuditEntry
from ajet.core.page_cache import PageCache, cached_page, page_namespaces
from ajet.core.panels import page_caching, panels_for
from ajet.core.spreadsheets import csv_response


def _home_caching(request) -> PageCache:
    # Its parts come from other apps (the organisation's block diagram, dated): they name their versions.
    return PageCache(key=timezone.localdate().isoformat(), namespaces=page_namespaces("home"))


def _dashboard_caching(request) -> PageCache | None:
    panels = page_caching(request)  # None when some panel is not cacheable for this member
    return None if panels is None else PageCache(key=panels.key, namespaces=panels.namespaces, clock=panels.clock)


@login_not_required
@require_safe
@cached_page(_home_caching)
def home(request):
    return render(request, "core/home.html")


@login_not_required
@never_cache
@require_safe
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@cached_page(_dashboard_caching)
def dashboard(request):
    return render(request, "core/dashboard.html", {"panels": panels_for(request)})


def _audit_filters(request) -> tuple[AuditFilterForm, object]:
    codes = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    form = AuditFilterForm(request.GET or None, actions=[(code, audit.action_label(code)) for code in codes])
    return form, form.filter(AuditEntry.objects.all())


@require_GET
def audit_log(request):
    """The log, newest first, filtered by who, what, which record and when; each entry shows what changed."""
    if not request.user.has_perm("core.view_audit_log"):
        raise PermissionDenied
    form, entries = _audit_filters(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.label = audit.action_label(entry.action)
        entry.changes = audit.changes_of(entry)
    return render(request, "core/audit_log.html", {
        "page": page, "form": form, "can_export": request.user.has_perm("core.export_audit_log"),
    })


@require_GET
def audit_log_export(request):
    """The filtered log as CSV, for executives (cells neutralised: see ajet/core/spreadsheets.py)."""
    if not request.user.has_perm("core.export_audit_log"):
        raise PermissionDenied
    _form, entries = _audit_filters(request)
    tokyo = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    header = [gettext("When"), gettext("Who"), gettext("Action"), gettext("Action code"), gettext("Kind of record"),
              gettext("Record id"), gettext("Record"), gettext("Changes")]
    rows = ([entry.at.astimezone(tokyo).isoformat(timespec="seconds"), entry.actor_label,
             audit.action_label(entry.action), entry.action, entry.target_type, entry.target_id, entry.target_label,
             audit.changes_text(entry)] for entry in entries.iterator(chunk_size=2000))
    return csv_response(f"ajet-audit-log-{timezone.localdate().isoformat()}.csv", header, rows)


@login_not_required
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static icon."""
    return redirect(static("core/favicon.svg"))


def server_error(request):
    """The 500 page in the site's layout, rendered without context processors (the request may be broken);
    if even the layout fails, a plain page that still links home."""
    try:
        return HttpResponseServerError(loader.get_template("500.html").render())
    except Exception:
        message = gettext("Something went wrong. Please try again in a few minutes.")
        home = gettext("Back to the home page")
        return HttpResponseServerError(
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{message}</title></head>'
            f'<body><h1>{message}</h1><p><a href="/">{home}</a></p></body></html>'
        )
