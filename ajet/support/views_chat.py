"""The chat's two pages: the person reaching out (anyone, no sign-in) and the volunteer on shift. The talk
itself runs over the WebSocket (consumers.py); these pages only say where it is."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ajet.organisation.models import Block
from ajet.support import queries

CHAT_PATH = "/ws/support/chat/"


def _socket(request, *, volunteer: bool) -> tuple[str, str]:
    """The chat's WebSocket URL and its origin (for the page's connect-src). Behind the production proxy it
    is the page's own origin; under `make run` the ASGI server listens on its own port (CHAT_WS_PORT)."""
    scheme = "wss" if request.is_secure() else "ws"
    host = request.get_host()
    if settings.CHAT_WS_PORT:
        host = f"{host.rsplit(':', 1)[0] if not host.endswith(']') else host}:{settings.CHAT_WS_PORT}"
    origin = f"{scheme}://{host}"
    return origin + CHAT_PATH + ("?volunteer=1" if volunteer else ""), origin


def _page(request, template, *, volunteer: bool, context: dict):
    url, origin = _socket(request, volunteer=volunteer)
    response = render(request, template, context | {"socket_url": url})
    response._csp_update = {"connect-src": [origin]}
    return response


@login_not_required
@require_safe
@never_cache
def chat(request):
    return _page(request, "support/chat.html", volunteer=False, context={
        "status": queries.line_status(), "resources": queries.with_open_state(queries.resources()),
        "blocks": Block.objects.values_list("number", flat=True)})


@require_safe
@never_cache
def console(request):
    if not request.user.has_perm("support.log_contact"):
        raise PermissionDenied
    return _page(request, "support/console.html", volunteer=True,
                 context={"on_shift": queries.may_take_contacts_now(request.user)})
