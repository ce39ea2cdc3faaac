"""The shared version numbers (ajet.core.cache), on the in-process cache and on a real Redis server."""

import os
import socket

import pytest
from django.core.cache import caches
from django.core.signals import request_finished, request_started

from ajet.core.cache import bump, get_current, set_current, version_of
from ajet.core.redis_cache import RedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request, settings):
    if request.param == "redis":
        if not redis_is_up():
            if os.environ.get("CI") == "true":
                pytest.fail("Redis is not running on 127.0.0.1:6379 (CI must start it)")
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        settings.CACHES = {"default": {"BACKEND": "ajet.core.redis_cache.RedisCache",
                                       "LOCATION": REDIS_URL, "KEY_PREFIX": f"test-{os.getpid()}"}}
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_a_bump_gives_a_newer_version(shared_cache):
    first = version_of("things")
    assert version_of("things") == first
    bump("things")
    assert version_of("things") > first


def test_an_evicted_version_comes_back_newer_never_older(shared_cache):
    bump("things")
    before = version_of("things")
    shared_cache.delete("ajet:version:things")
    assert version_of("things") > before


def test_bumping_a_version_nobody_read_yet_works(shared_cache):
    bump("fresh")
    assert version_of("fresh") > 0


def test_the_redis_backend_reuses_one_client_per_pool(shared_cache):
    if not isinstance(shared_cache, RedisCache):
        pytest.skip("the in-process cache has no client")
    client = shared_cache._cache.get_client()
    assert shared_cache._cache.get_client() is client
    shared_cache.set("ajet:test:reuse", {"a": 1})
    assert shared_cache.get("ajet:test:reuse") == {"a": 1}


def test_a_value_is_current_only_for_the_version_it_was_stored_for(shared_cache):
    assert get_current("things", "ajet:test:thing") == (None, version_of("things"))
    _, version = get_current("things", "ajet:test:thing")
    set_current("ajet:test:thing", version, ["computed"])
    assert get_current("things", "ajet:test:thing") == (["computed"], version)
    bump("things")
    assert get_current("things", "ajet:test:thing")[0] is None


def test_get_current_works_when_the_version_was_evicted(shared_cache):
    set_current("ajet:test:thing", version_of("things"), "old")
    shared_cache.delete("ajet:version:things")
    value, version = get_current("things", "ajet:test:thing")
    assert value is None and version == version_of("things")


@pytest.mark.django_db  # request_started also closes old database connections
def test_a_request_reads_each_version_once_and_sees_its_own_bumps(shared_cache):
    before = version_of("things")
    request_started.send(sender=None)
    try:
        assert version_of("things") == before
        shared_cache.incr("ajet:version:things")  # another worker's change, in the middle of this request
        assert version_of("things") == before  # one request, one consistent view
        bump("things")  # this request's own change is seen at once
        assert version_of("things") == before + 2
    finally:
        request_finished.send(sender=None)
    shared_cache.incr("ajet:version:things")
    assert version_of("things") == before + 3  # outside a request: always read afresh


def test_get_many_reads_what_was_stored_and_survives_a_broken_connection(shared_cache):
    """On Redis, get_many goes over a connection of the thread's own (ajet/core/redis_cache.py): it answers
    as the other backends do, and a connection that fails is dropped for redis-py's own path."""
    shared_cache.set_many({"a": 1, "b": ("x", [2]), "c": None})
    expected = {"a": 1, "b": ("x", [2]), "c": None}
    assert shared_cache.get_many(["a", "b", "c", "missing"]) == expected
    assert shared_cache.get_many([]) == {}
    client = getattr(shared_cache, "_cache", None)
    if not isinstance(shared_cache, RedisCache):
        return
    broken = client._read_connection()

    def fail(*args, **kwargs):
        raise ConnectionError("Redis went away")

    broken.read_response = fail
    assert shared_cache.get_many(["a", "b", "c"]) == expected  # redis-py's path answers instead
    assert client._read_connection() is not broken
    assert shared_cache.get_many(["a", "b"]) == {"a": 1, "b": ("x", [2])}
