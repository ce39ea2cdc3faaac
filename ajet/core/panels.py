"""The member dashboard is made of panels that each app contributes (core knows no domain).

An app registers a panel in its AppConfig.ready(): a function taking the request and returning
the context for its template, or None to stay hidden.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string


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


def render_panels(request: HttpRequest) -> list[str]:
    rendered = []
    for panel in _panels:
        context = panel.context(request)
        if context is not None:
            rendered.append(render_to_string(panel.template, context, request=request))
    return rendered
