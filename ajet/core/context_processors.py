"""Context processors that know no domain."""

from ajet.core.page_cache import CSRF_PLACEHOLDER, filling_cache


def csrf(request) -> dict:
    """While a page is rendered for the page cache, its forms get a placeholder instead of this session's
    CSRF token (ajet/core/page_cache.py puts the token in on every response). Listed after Django's own
    csrf processor, so it overrides it then and only then."""
    return {"csrf_token": CSRF_PLACEHOLDER} if filling_cache(request) else {}
