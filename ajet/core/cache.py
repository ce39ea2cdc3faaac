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
from django.db import models, transaction

# How long derived data may be cached at most, as a bound on any change that bypassed `bump`.
DERIVED_DATA_TIMEOUT = 300


def _key(namespace: str) -> str:
    return f"ajet:version:{namespace}"


# The versions read during the current request, per thread (None outside requests: always read afresh).
_request = threading.local()


def _remembered() -> dict | None:
    return getattr(_request, "versions", None)


def _prefetched() -> dict:
    return getattr(_request, "values", None) or {}


def _start_request(environ=None, **kwargs) -> None:
    _request.versions = {}
    _request.values = {}
    _request.asked = None
    # The path asked for (WSGI), for what is read with the session before any URL is resolved.
    _request.path = f"{environ.get('PATH_INFO', '')}?{environ.get('QUERY_STRING', '')}" if environ else None


def _finish_request(**kwargs) -> None:
    _request.versions = None
    _request.values = None
    _request.asked = None
    _request.path = None


def request_path() -> str | None:
    """The current WSGI request's path and query string (None outside one, or under ASGI)."""
    return getattr(_request, "path", None)


def record_reads() -> None:
    """From now on in this request, note what `get_current` is asked for (see `recorded_reads`)."""
    _request.asked = []


def recorded_reads() -> list[tuple]:
    """The (namespace, key) pairs asked of `get_current` since `record_reads`, and stop noting them."""
    asked = getattr(_request, "asked", None) or []
    _request.asked = None
    return asked


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


def _namespaces(namespace: str | tuple[str, ...]) -> tuple[str, ...]:
    return (namespace,) if isinstance(namespace, str) else tuple(namespace)


def _version(namespace: str | tuple[str, ...], versions: dict):
    """The version a value of `namespace` is stored under: an int for one namespace, a tuple for several."""
    if isinstance(namespace, str):
        return versions[namespace]
    return tuple(versions[name] for name in namespace)


def prefetch(items, *, extra_keys=()) -> dict:
    """Read the versions of the namespaces and the values of the keys of `items` ((namespace or tuple of
    namespaces, key) pairs), plus `extra_keys`, in one round trip. Within a request, `get_current` then
    answers those keys from memory; outside one this only reads. Returns the values found for `extra_keys`."""
    items = list(items)
    remembered = _remembered()
    names = {name for namespace, _key_ in items for name in _namespaces(namespace)}
    if remembered is not None:
        names -= remembered.keys()
    keys = [_key(name) for name in sorted(names)] + [key for _namespace, key in items] + list(extra_keys)
    found = cache.get_many(keys) if keys else {}
    if remembered is not None:
        for name in names:
            remembered[name] = found.get(_key(name)) or _create(name)
        values = _prefetched()
        for _namespace, key in items:
            values[key] = found.get(key)
        _request.values = values
    return {key: found.get(key) for key in extra_keys}


def get_current(namespace: str | tuple[str, ...], key: str):
    """(value, version): the value stored under `key` by `set_current` for the current version of
    `namespace` (None if there is none), read with the version in one round trip. `namespace` may be a
    tuple of namespaces: the version is then the tuple of theirs."""
    names = _namespaces(namespace)
    asked = getattr(_request, "asked", None)
    if asked is not None:
        asked.append((namespace, key))
    remembered = _remembered()
    if remembered is not None and all(name in remembered for name in names):
        prefetched = _prefetched()
        stored = prefetched[key] if key in prefetched else cache.get(key)
    else:
        missing = [name for name in names if remembered is None or name not in remembered]
        found = cache.get_many([*(_key(name) for name in missing), key])
        stored = found.get(key)
        versions = dict(remembered or {})
        for name in missing:
            versions[name] = found.get(_key(name)) or _create(name)
            if remembered is not None:
                remembered[name] = versions[name]
        return _matching(stored, _version(namespace, versions))
    return _matching(stored, _version(namespace, remembered))


def _matching(stored, version):
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == version:
        return stored[1], version
    return None, version


def set_current(key: str, version, value, timeout: int = DERIVED_DATA_TIMEOUT) -> None:
    """Store `value` for `version` (as returned by `get_current`), for at most `timeout` seconds."""
    cache.set(key, (version, value), timeout=timeout)
    values = _prefetched()
    if key in values:
        values[key] = (version, value)


def current_or(namespace: str | tuple[str, ...], key: str, compute, timeout: int = DERIVED_DATA_TIMEOUT):
    """The value cached under `key` for the current version of `namespace`; else `compute()`, cached for that
    version unless it is None (to cache an absence, compute something falsy but not None)."""
    value, version = get_current(namespace, key)
    if value is None:
        value = compute()
        if value is not None:
            set_current(key, version, value, timeout=timeout)
    return value


def member_namespace(app: str, member_id) -> str:
    """The namespace of one member's own rows in `app` (their RSVPs, votes cast, drafts): their writes then
    leave everyone else's cached data alone."""
    return f"{app}:member:{member_id}"


def changed(namespace: str) -> None:
    """`namespace`'s data changed: bump it now, for reads later in this transaction, and again after commit,
    so that a request that read the old data in between cannot have stored it for the new version."""
    bump(namespace)
    transaction.on_commit(lambda: bump(namespace))


def bump_on_writes(namespace, *watched, label: str = "") -> None:
    """Saves and deletes of the `watched` models bump `namespace`: a name, or a function of the row giving
    one (or None). Queryset writes send no signals: a `VersionedQuerySet`, or the caller, bumps for them."""
    from django.db.models.signals import post_delete, post_save

    def on_write(sender, instance, **kwargs):
        name = namespace(instance) if callable(namespace) else namespace
        if name is not None:
            changed(name)

    label = label or (namespace if isinstance(namespace, str) else f"{namespace.__module__}.{namespace.__qualname__}")
    for model in watched:
        for signal, name in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(on_write, sender=model, weak=False,
                           dispatch_uid=f"ajet-version-{label}-{name}-{model._meta.label}")


def bump_on_member_writes(app: str, *watched) -> None:
    """Saves and deletes of the `watched` models (rows with a `member_id`) bump that member's namespace in
    `app` (`member_namespace`) only."""
    bump_on_writes(lambda row: member_namespace(app, row.member_id), *watched, label=f"{app}:member")


class VersionedQuerySet(models.QuerySet):
    """The queryset of a model whose rows are cached under `namespace`: its writes that send no signals
    (update, bulk_create, bulk_update) bump the namespace themselves, as `bump_on_writes` does for saves and
    deletes."""

    namespace: str = ""

    def update(self, **kwargs):
        updated = super().update(**kwargs)
        changed(self.namespace)
        return updated

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        changed(self.namespace)
        return created

    def bulk_update(self, objs, fields, batch_size=None):
        updated = super().bulk_update(objs, fields, batch_size=batch_size)
        changed(self.namespace)
        return updated
