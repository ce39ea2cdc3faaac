"""The member dashboard is made of panels that each app contributes (core knows no domain).

An app registers a panel in its AppConfig.ready(): a function taking the request and returning
the context for its template, or None to stay hidden. Other pages have places of their own (e.g.
"chapter": a chapter's page, whose panels also get `chapter=`), so that an app adds to another app's page
without that app importing it.

A panel may also declare `cache`: a function of the same arguments returning a `PanelCache` (or None: not
cacheable for this request). Its HTML is then kept in the shared cache under the language, the key it
gives (which must name everything of the visitor the HTML shows: their member id, the powers it uses) and
the data versions of everything it reads (`ajet.core.cache`: each app bumps its namespaces on every write of
the models its panels read). A panel whose content changes with the clock (a survey opening, an event
passing) says so with `clock=True`: its HTML is then kept for one CLOCK_SECONDS period at most, so it is
at most that late. Every panel of a page is read in one round trip; only the panels not found are computed.
A cached panel must not contain a form (its CSRF token belongs to one session) nor anything of a visitor
that its key does not name.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import get_language

from ajet.core.cache import DERIVED_DATA_TIMEOUT, get_current, prefetch, set_current

# How late a cached panel that changes with the clock may be (a survey that opened, an event that passed).
CLOCK_SECONDS = 60


@dataclass(frozen=True)
class PanelCache:
    key: str  # what the panel's HTML depends on besides the data versions and the language, e.g. the member
    namespaces: tuple[str, ...]  # the data versions of everything the panel reads
    clock: bool = False  # the HTML changes with time too: cache it for one CLOCK_SECONDS period at most


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable[..., dict | None]
    place: str = "dashboard"
    cache: Callable[..., PanelCache | None] | None = None


@dataclass
class ShownPanel:
    """A panel to show: its template and context, or its HTML when the cache held it."""

    template: str
    context: dict | None = None
    html: str | None = None
    cache_key: str | None = None  # where to keep the HTML once rendered
    version: object = None
    timeout: int = DERIVED_DATA_TIMEOUT


_panels: list[Panel] = []


def register_panel(*, order: int, template: str, context: Callable[..., dict | None],
                   place: str = "dashboard", cache: Callable[..., PanelCache | None] | None = None) -> None:
    if any(panel.template == template and panel.place == place for panel in _panels):
        return
    _panels.append(Panel(order, template, context, place, cache))
    _panels.sort(key=lambda panel: panel.order)


def _cache_key(panel: Panel, caching: PanelCache) -> tuple[str, int]:
    key = f"ajet:panel:{panel.place}:{panel.template}:{get_language()}:{caching.key}"
    if not caching.clock:
        return key, DERIVED_DATA_TIMEOUT
    period, seconds_left = clock_period()
    return f"{key}:{period}", seconds_left


def clock_period() -> tuple[int, int]:
    """The current CLOCK_SECONDS period, and the seconds left in it (what is cached for it may stay that long)."""
    now = time.time()
    period = int(now // CLOCK_SECONDS)
    return period, max(1, int((period + 1) * CLOCK_SECONDS - now))


def page_caching(request: HttpRequest, place: str = "dashboard", **page) -> PanelCache | None:
    """What the panels of `place` depend on together, for a page cached whole (ajet/core/page_cache.py):
    every panel's key, their data versions, and the clock if any of them follows it. None when some panel
    of the place is not cacheable for this request (then neither is the page)."""
    keys, namespaces, clock = [], [], False
    for panel in _panels:
        if panel.place != place:
            continue
        caching = panel.cache(request, **page) if panel.cache is not None else None
        if caching is None:
            return None
        keys.append(caching.key)
        namespaces += [name for name in caching.namespaces if name not in namespaces]
        clock = clock or caching.clock
    return PanelCache(key="|".join(keys), namespaces=tuple(namespaces), clock=clock)


def panels_for(request: HttpRequest, place: str = "dashboard", **page) -> list[ShownPanel]:
    """The panels of `place` to show this request, in order; `page` (e.g. the chapter) is passed on to
    each panel's functions.

    The page renders them inside its own template context (the `render_panel` tag), so the context
    processors run once per page rather than once per panel; the tag also keeps the HTML of cacheable panels.
    """
    panels = [panel for panel in _panels if panel.place == place]
    cacheable = {}
    for panel in panels:
        caching = panel.cache(request, **page) if panel.cache is not None else None
        if caching is not None:
            cacheable[panel.template] = (caching, *_cache_key(panel, caching))
    prefetch((caching.namespaces, key) for caching, key, _timeout in cacheable.values())  # one round trip
    shown = []
    for panel in panels:
        if panel.template in cacheable:
            caching, key, timeout = cacheable[panel.template]
            html, version = get_current(caching.namespaces, key)
            if html is not None:
                if html:  # "" is a hidden panel, cached too
                    shown.append(ShownPanel(panel.template, html=html))
                continue
            context = panel.context(request, **page)
            if context is None:
                set_current(key, version, "", timeout=timeout)
                continue
            shown.append(ShownPanel(panel.template, context, cache_key=key, version=version, timeout=timeout))
            continue
        context = panel.context(request, **page)
        if context is not None:
            shown.append(ShownPanel(panel.template, context))
    return shown
