"""The member dashboard is made of panels that each app contributes (core knows no domain).

An app registers a panel in its AppConfig.ready(): a function taking the request and returning
the context for its template, or None to stay hidden. Other pages have places of their own (e.g.
"chapter": a chapter's page, whose panels also get `chapter=`), so that an app adds to another app's page
without that app importing it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable[..., dict | None]
    place: str = "dashboard"


_panels: list[Panel] = []


def register_panel(*, order: int, template: str, context: Callable[..., dict | None],
                   place: str = "dashboard") -> None:
    if any(panel.template == template and panel.place == place for panel in _panels):
        return
    _panels.append(Panel(order, template, context, place))
    _panels.sort(key=lambda panel: panel.order)


def panels_for(request: HttpRequest, place: str = "dashboard", **page) -> list[tuple[str, dict]]:
    """The (template, context) of every panel of `place` to show this request, in order; `page` (e.g. the
    chapter) is passed on to each panel's function.

    The dashboard renders them inside its own template context (the `render_panel` tag), so the
    context processors run once per page rather than once per panel.
    """
    shown = []
    for panel in _panels:
        if panel.place != place:
            continue
        context = panel.context(request, **page)
        if context is not None:
            shown.append((panel.template, context))
    return shown
