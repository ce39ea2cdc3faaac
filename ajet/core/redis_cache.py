"""Django's Redis cache backend, with one redis-py client per connection pool instead of one per command.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation, and redis-py 8
fills some 170 response callbacks in each new client: about half a millisecond per operation, more than the
round trip to Redis, and a signed-in page makes several (session, version, powers, fragments). A client
over a connection pool is safe to share between threads (each command takes a connection from the pool),
so one per pool is enough.


Reads of several keys (`get_many`, one MGET: what every signed-in request makes, ajet/core/cache.py) go
straight to a connection that each thread keeps for itself: redis-py's command path (taking a connection
from the pool and giving it back, checking it for unread data, retries, its observability hooks) costs
more CPU than the round trip. Any error on that connection drops it and falls back to redis-py's path, so
a restarted Redis costs one retry, never a wrong answer.
"""

import contextlib
import os
import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._own = threading.local()  # this thread's read connection, and the process that opened it

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _read_connection(self):
        connection = getattr(self._own, "connection", None)
        if connection is None or self._own.pid != os.getpid():  # never share a socket with a forked parent
            pool = self._get_connection_pool(False)
            connection = self._own.connection = pool.make_connection()
            self._own.pid = os.getpid()
        return connection

    def get_many(self, keys):
        keys = list(keys)
        if not keys:
            return {}
        try:
            connection = self._read_connection()
            connection.send_command("MGET", *keys)
            values = connection.read_response()
        except (RedisError, OSError):
            self._drop_read_connection()
            return super().get_many(keys)
        return {key: self._serializer.loads(value) for key, value in zip(keys, values, strict=True)
                if value is not None}

    def _drop_read_connection(self) -> None:
        connection = getattr(self._own, "connection", None)
        self._own.connection = None
        if connection is not None:
            with contextlib.suppress(RedisError, OSError):
                connection.disconnect()


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def get_many(self, keys, version=None):
        # Our keys are our own: made with the prefix and version, without memcached's key warnings.
        key_map = {self.make_key(key, version=version): key for key in keys}
        found = self._cache.get_many(key_map.keys())
        return {key_map[key]: value for key, value in found.items()}
