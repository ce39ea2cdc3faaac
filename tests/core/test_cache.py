"""The shared version numbers (ajet.core.cache), on the in-process cache and on a real Redis server."""

import os
import socket

import pytest
from django.core.cache import caches

from ajet.core.cache import bump, version_of
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
