"""Shared version numbers, so that cached data derived from many tables can be dropped all at once.

Data cached under a key that includes `version_of(namespace)` is never read again after
`bump(namespace)`. The version lives in the shared cache (Redis in production), so every worker sees the
bump. A version that has been evicted is re-created from the clock, never reset to an old number, so an
eviction can only cause a miss, not a stale hit.

Each cache operation is a round trip to Redis, and under load a round trip costs far more than its CPU
time (the worker waits for Redis to be scheduled). So, within a request, a namespace's version is read
once and remembered (`remember_versions_during_requests`), and `get_current` reads a version and a value
cached for it in a single round trip.
"""

import threading
import time

from django.core.cache import cache
from django.core.signals import request_finished, request_started

# How long derived data may be cached at most, as a bound on any change that bypassed `bump`.
DERIVED_DATA_TIMEOUT = 300


def _key(namespace: str) -> str:
    return f"ajet:version:{namespace}"


# The versions read during the current request, per thread (None outside requests: always read afresh).
_request = threading.local()


def _remembered() -> dict | None:
    return getattr(_request, "versions", None)


def _start_request(**kwargs) -> None:
    _request.versions = {}


def _finish_request(**kwargs) -> None:
    _request.versions = None


def remember_versions_during_requests() -> None:
    """Called once at start-up (CoreConfig.ready)."""
    request_started.connect(_start_request, dispatch_uid="ajet-versions-start")
    request_finished.connect(_finish_request, dispatch_uid="ajet-versions-finish")


def _create(namespace: str) -> int:
    cache.add(_key(namespace), time.time_ns(), timeout=None)
    return cache.get(_key(namespace), time.time_ns())


def version_of(namespace: str) -> int:
    remembered = _remembered()
    if remembered is not None and namespace in remembered:
        return remembered[namespace]
    version = cache.get(_key(namespace))
    if version is None:
        version = _create(namespace)
    if remembered is not None:
        remembered[namespace] = version
    return version


def bump(namespace: str) -> None:
    """Make everything cached under the current version of `namespace` unreachable."""
    remembered = _remembered()
    if remembered is not None:
        remembered.pop(namespace, None)
    try:
        cache.incr(_key(namespace))
    except ValueError:  # not there (evicted, or never read): any new value is newer than the old ones
        cache.set(_key(namespace), time.time_ns(), timeout=None)


def get_current(namespace: str, key: str):
    """(value, version): the value stored under `key` by `set_current` for the current version of
    `namespace` (None if there is none), read with the version in one round trip."""
    remembered = _remembered()
    if remembered is not None and namespace in remembered:
        version, stored = remembered[namespace], cache.get(key)
    else:
        found = cache.get_many([_key(namespace), key])
        version, stored = found.get(_key(namespace)), found.get(key)
        if version is None:
            version = _create(namespace)
        if remembered is not None:
            remembered[namespace] = version
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == version:
        return stored[1], version
    return None, version


def set_current(key: str, version: int, value, timeout: int = DERIVED_DATA_TIMEOUT) -> None:
    """Store `value` for `version` (as returned by `get_current`), for at most `timeout` seconds."""
    cache.set(key, (version, value), timeout=timeout)
