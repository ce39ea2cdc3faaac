"""Django's Redis cache backend, with one redis-py client per connection pool instead of one per command.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation, and redis-py 8
fills some 170 response callbacks in each new client: about half a millisecond per operation, more than the
round trip to Redis, and a signed-in page makes several (session, version, powers, fragments). A client
over a connection pool is safe to share between threads (each command takes a connection from the pool),
so one per pool is enough.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
