"""Whole pages kept in the shared cache, for views whose HTML is the same for everyone a key names.

A view decorated with `@cached_page(caching)` names what its HTML depends on with `caching(request, *args,
**kwargs)`, which returns a `PageCache` (or None: not cacheable for this request): a key, the data versions
of everything the page reads (`ajet.core.cache` namespaces: each app bumps its own on every write) and
whether it changes with the clock (then it is kept for one CLOCK_SECONDS period of ajet/core/panels.py at most,
as the panels are). The decorator adds what every page depends on: the path with its query string, the host, the
language, and who asks — nobody, or one account (its own version: any change to the account or its member,
and the session's second factor, which decides the powers). It reads the page with its versions in one
round trip (`get_current`), and within a request the versions read with the session come from memory.

What is never cached or served from the cache:
- anything but GET and HEAD, htmx requests (they may ask for part of a page), and requests with flash
  messages waiting (`django.contrib.messages`): they are shown once, by the page rendered now;
- a response that is not a plain 200 with nothing but a Content-Type header of the view's own (a redirect,
  a cookie, a Vary or a Cache-Control chosen by the view), one that queued a message, or one holding a
  one-time form token (ajet/core/once.py: each showing of such a form gets its own).
The decorator sits on the view, inside the middleware: the middleware's redirects (sign-in, second factor)
run before it, and the headers the middleware adds (CSP, Vary, Content-Language, Set-Cookie, Cache-Control)
are added to every response, served from the cache or not, and are never stored.

CSRF: a cached page must not hold one session's token. While a page is rendered to be cached, the
`csrf_token` of its templates is a random placeholder of this process (`context_processors.csrf`), stored
with the HTML; each response, hit or miss, gets `get_token(request)` in its place (which also sets the
csrftoken cookie when the browser has none). The placeholder is random so that no text a user wrote can
ask for a visitor's token.
"""

import functools
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from ajet.core import once
from ajet.core.cache import (
    DERIVED_DATA_TIMEOUT,
    get_current,
    record_reads,
    recorded_reads,
    request_path,
    set_current,
)
from ajet.core.csrf import get_token
from ajet.core.panels import clock_period

# While a page is rendered for the cache, its CSRF token is this (per process; stored with the page).
CSRF_PLACEHOLDER = f"ajetcsrf{secrets.token_hex(16)}"
_FILLING = "_ajet_page_cache_filling"


@dataclass(frozen=True)
class PageCache:
    key: str = ""  # what the page depends on besides the path, the language, the visitor and the versions
    namespaces: tuple[str, ...] = ()  # the data versions of everything the page reads
    clock: bool = False  # the page changes with time too: keep it for one CLOCK_SECONDS period at most


_page_namespaces: dict[str, tuple[str, ...]] = {}


def register_page_namespaces(page: str, *namespaces: str) -> None:
    """A page of core (the home page) shows other apps' parts (template tags): each app names the data
    versions its parts read, so that core, which knows no domain, can key the page by them."""
    _page_namespaces[page] = (*_page_namespaces.get(page, ()), *(n for n in namespaces
                                                               if n not in _page_namespaces.get(page, ())))


def page_namespaces(page: str) -> tuple[str, ...]:
    return _page_namespaces.get(page, ())


def filling_cache(request: HttpRequest) -> bool:
    """Is this request rendering a page that will be cached (so its CSRF token must be the placeholder)?"""
    return getattr(request, _FILLING, False)


def _visitor(request: HttpRequest) -> tuple[str, tuple[str, ...]]:
    """Who asks, for the key, and the versions of what is theirs."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous", ()
    from ajet.people.user_cache import user_namespace  # people builds on core; imported at call time

    # The second factor passed in this session (set by the officer MFA middleware) decides the powers.
    mfa = getattr(user, "session_mfa_passed", None)
    return f"user{user.pk}:mfa{mfa:d}" if mfa is not None else f"user{user.pk}", (user_namespace(user.pk),)


def _cache_key(request: HttpRequest, view_name: str, page: PageCache, visitor: str) -> tuple[str, int]:
    where = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()[:24]
    key = f"ajet:page:{view_name}:{get_language()}:{visitor}:{where}:{page.key}"
    if not page.clock:
        return key, DERIVED_DATA_TIMEOUT
    period, seconds_left = clock_period()
    return f"{key}:{period}", seconds_left


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0  # counts without marking them shown


# A one-time form token (ajet/core/once.py) belongs to one showing of its form: a page holding one is not kept.
_ONCE_FIELD = f'name="{once.FIELD}"'.encode()


def _storable(response: HttpResponse, request: HttpRequest) -> bool:
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and set(response.headers) <= {"Content-Type"} and not _has_messages(request)
            and _ONCE_FIELD not in response.content)


def _with_token(request: HttpRequest, placeholder: str, content: bytes, content_type: str) -> HttpResponse:
    marker = placeholder.encode()
    if marker in content:
        content = content.replace(marker, get_token(request).encode())
    return HttpResponse(content, content_type=content_type)


# Per process: (session key, path) → what the page's key and the page were read from at that session's last
# visit of that path. The session engine reads them with the session (ajet/core/sessions.py), so that a page
# served from the cache costs one round trip to Redis in all. Only a guess: the key computed now decides, and
# a wrong or stale guess costs one more round trip, never a wrong page.
_reads_of_visits: dict[tuple[str, str], tuple] = {}
_MAX_REMEMBERED_VISITS = 50_000  # then start again


def _remember_reads(request: HttpRequest) -> None:
    reads = tuple(recorded_reads())
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    path = request_path()
    if session_key is None or path is None:
        return
    if len(_reads_of_visits) >= _MAX_REMEMBERED_VISITS:
        _reads_of_visits.clear()
    _reads_of_visits[(session_key, path)] = reads


def reads_of_last_visit(session_key: str) -> tuple:
    """What the page at the current path was read from when this session last asked for it (see above)."""
    path = request_path()
    return _reads_of_visits.get((session_key, path), ()) if path is not None else ()


def cached_page(caching: Callable[..., PageCache | None]):
    """Serve the view's page from the shared cache while nothing it depends on has changed (see above)."""

    def decorator(view):
        view_name = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request") or _has_messages(request):
                return view(request, *args, **kwargs)
            record_reads()  # what the page's key and the page were read from: for the session's next visit
            page = caching(request, *args, **kwargs)
            if page is None:
                recorded_reads()
                return view(request, *args, **kwargs)
            visitor, own = _visitor(request)
            namespaces = (*page.namespaces, *own)
            key, timeout = _cache_key(request, view_name, page, visitor)
            stored, version = get_current(namespaces, key)
            _remember_reads(request)
            if stored is not None:
                return _with_token(request, *stored)
            setattr(request, _FILLING, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                setattr(request, _FILLING, False)
            if not _storable(response, request):
                if isinstance(response, HttpResponse) and not response.streaming:
                    response.content = response.content.replace(CSRF_PLACEHOLDER.encode(),
                                                                get_token(request).encode())
                return response
            stored = (CSRF_PLACEHOLDER, response.content, response["Content-Type"])
            if request.method == "GET":  # a HEAD response may have no body
                set_current(key, version, stored, timeout=timeout)
            return _with_token(request, *stored)

        return wrapper

    return decorator
