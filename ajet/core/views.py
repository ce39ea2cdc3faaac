from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from ajet.core import audit
from ajet.core.models import AuditEntry
from ajet.core.panels import panels_for


@login_not_required
@require_safe
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
def dashboard(request):
    return render(request, "core/dashboard.html", {"panels": panels_for(request)})


@require_GET
def audit_log(request):
    if not request.user.has_perm("core.view_audit_log"):
        raise PermissionDenied
    entries = AuditEntry.objects.all()
    codes = list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())
    action = request.GET.get("action", "").strip()
    if action not in codes:  # only a recorded action filters (anything else, e.g. a NUL byte, shows all)
        action = ""
    if action:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    actions = [(code, audit.action_label(code)) for code in codes]
    for entry in page:
        entry.label = audit.action_label(entry.action)
    return render(request, "core/audit_log.html", {"page": page, "action": action, "actions": actions})


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
