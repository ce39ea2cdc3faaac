"""Shared version numbers, so that cached data derived from many tables can be dropped all at once.

Data cached under a key that includes `version_of(namespace)` is never read again after
`bump(namespace)`. The version lives in the shared cache (Redis in production), so every worker sees the
bump. A version that has been evicted is re-created from the clock, never reset to an old number, so an
eviction can only cause a miss, not a stale hit.
"""

import time

from django.core.cache import cache

# How long derived data may be cached at most, as a bound on any change that bypassed `bump`.
DERIVED_DATA_TIMEOUT = 300


def _key(namespace: str) -> str:
    return f"ajet:version:{namespace}"


def version_of(namespace: str) -> int:
    version = cache.get(_key(namespace))
    if version is None:
        cache.add(_key(namespace), time.time_ns(), timeout=None)
        version = cache.get(_key(namespace), time.time_ns())
    return version


def bump(namespace: str) -> None:
    """Make everything cached under the current version of `namespace` unreachable."""
    try:
        cache.incr(_key(namespace))
    except ValueError:  # not there (evicted, or never read): any new value is newer than the old ones
        cache.set(_key(namespace), time.time_ns(), timeout=None)
