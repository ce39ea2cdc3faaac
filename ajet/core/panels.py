"""The member dashboard is made of panels that each app contributes (core knows no domain).

An app registers a panel in its AppConfig.ready(): a function taking the request and returning
the context for its template, or None to stay hidden.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable[[HttpRequest], dict | None]


_panels: list[Panel] = []


def register_panel(*, order: int, template: str, context: Callable[[HttpRequest], dict | None]) -> None:
    if any(panel.template == template for panel in _panels):
        return
    _panels.append(Panel(order, template, context))
    _panels.sort(key=lambda panel: panel.order)


def panels_for(request: HttpRequest) -> list[tuple[str, dict]]:
    """The (template, context) of every panel to show this request, in order.

    The dashboard renders them inside its own template context (the `render_panel` tag), so the
    context processors run once per page rather than once per panel.
    """
    shown = []
    for panel in _panels:
        context = panel.context(request)
        if context is not None:
            shown.append((panel.template, context))
    return shown
