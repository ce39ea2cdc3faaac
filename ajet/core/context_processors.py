"""Context processors that know no domain."""

import functools

from django.utils.functional import SimpleLazyObject

from ajet.core.csrf import get_token
from ajet.core.page_cache import CSRF_PLACEHOLDER, filling_cache


def csrf(request) -> dict:
    """The forms' CSRF token, in place of Django's own processor (listed after it, so this one wins): masked
    faster (ajet/core/csrf.py), and while a page is rendered for the page cache a placeholder instead of this
    session's token (ajet/core/page_cache.py puts the token in on every response)."""
    if filling_cache(request):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {"csrf_token": SimpleLazyObject(functools.partial(get_token, request))}
